/* ui/widgets/text_keys.h: the editing keys every text field shares, one
 * line or many, from the action table (TEXT_ACTIONS in ui/actions.h):
 * Backspace, Delete, Left/Right, Home/End (Ctrl-A/Ctrl-E), Ctrl-W (delete
 * a word), Ctrl-U (clear), in a field of several lines Up/Down, and
 * typing. What makes a new line differs between fields (Enter in an
 * answer, Ctrl-J in a note, where Enter saves), so the screens keep it. */
#ifndef IMAS_UI_WIDGETS_TEXT_KEYS_H
#define IMAS_UI_WIDGETS_TEXT_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/actions.h"
#include "ui/widgets/textedit.h"

/* The keys of a one-line field, and of a field of several lines (with
 * Up/Down and Enter for a new line), for F1 and the dispatcher. */
extern const enum action text_keys_line[];
extern const enum action text_keys_lines[];

/* Apply key (a code point or a UK() key code) to t, laid out width
 * columns wide; false when t does not take it (the caller routes it on):
 * Up on a multi-line field's first line, say, or Enter (newline) unless
 * newline_enter. */
bool text_keys_edit(struct textedit *t, int key, size_t width, bool newline_enter);

#endif
