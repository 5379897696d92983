/* ui/widgets/textedit.h: the state of a text field (one or many lines):
 * UTF-8 text, a cursor kept on character boundaries, and word wrapping by
 * display width. Pure functions, no drawing (neomutt's editor/state.c). */
#ifndef IMAS_UI_WIDGETS_TEXTEDIT_H
#define IMAS_UI_WIDGETS_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct textedit {
    char *text;       /* valid UTF-8, NUL-terminated */
    size_t len;       /* bytes */
    size_t cap;
    size_t cursor;    /* byte offset, always on a character boundary */
    bool multiline;   /* Enter inserts '\n' (else the caller commits) */
    size_t max_bytes; /* 0 = no limit */
};

/* One wrapped display line: bytes [start, end) of the text. */
struct textedit_line {
    size_t start, end;
};

void textedit_init(struct textedit *t, const char *initial, bool multiline);
void textedit_free(struct textedit *t);
void textedit_set(struct textedit *t, const char *text);
/* Insert one code point at the cursor. Control characters are refused
 * (false), except '\n' in a multi-line field and '\t' (kept as a space). */
bool textedit_insert_cp(struct textedit *t, uint32_t cp);
/* Insert pasted bytes: invalid UTF-8 and control characters are dropped,
 * newlines kept only in a multi-line field. Returns the bytes inserted. */
size_t textedit_insert_text(struct textedit *t, const char *s);
/* Delete the character (and its combining marks) before / at the cursor. */
bool textedit_backspace(struct textedit *t);
bool textedit_delete(struct textedit *t);
void textedit_left(struct textedit *t);
void textedit_right(struct textedit *t);
void textedit_home(struct textedit *t); /* start of the logical line */
void textedit_end(struct textedit *t);
/* Delete the word before the cursor (Ctrl-W). */
void textedit_delete_word(struct textedit *t);

/* Wrap the text into lines of at most `width` columns, breaking after
 * spaces where possible and never inside a character. Returns the number of
 * lines; *lines is a fresh array (free it). There is always one line. */
size_t textedit_wrap(const struct textedit *t, size_t width, struct textedit_line **lines);
/* Where the cursor is in the wrapped text: line index and column. */
void textedit_cursor_pos(const struct textedit *t, size_t width, size_t *row, size_t *col);
/* Move the cursor one wrapped line up (-1) or down (+1), keeping its
 * column as nearly as the characters allow. False at the first/last line. */
bool textedit_vertical(struct textedit *t, size_t width, int direction);

#endif
