/* ui/widgets/text_keys.h: the editing keys every text field shares, one
 * line or many: Backspace, Delete, Left/Right, Home/End (Ctrl-A/Ctrl-E),
 * Ctrl-W (delete a word), Ctrl-U (clear) and typing. What Enter and
 * Up/Down do differs between fields, so the screens keep those. */
#ifndef IMAS_UI_WIDGETS_TEXT_KEYS_H
#define IMAS_UI_WIDGETS_TEXT_KEYS_H

#include <stdbool.h>

#include "ui/widgets/textedit.h"

/* Apply key (a code point or a UK() key code) to t; false when it is not
 * one of those keys (the caller routes it on). */
bool text_keys_edit(struct textedit *t, int key);

#endif
