/* ui/widgets/wrap.h: the one drawer of wrapped text, for every screen:
 * a stored value, a label, or a text field being edited (scrolled so its
 * cursor shows). Lines break as textedit_wrap says (between words, widths
 * by wcwidth); drawing never changes the text. */
#ifndef IMAS_UI_WIDGETS_WRAP_H
#define IMAS_UI_WIDGETS_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/ui.h"
#include "ui/widgets/textedit.h"

/* Where and how to draw. */
struct wrap_view {
    int y, x;          /* the first row's first column */
    size_t width;      /* columns */
    size_t rows;       /* at most this many rows */
    enum ui_attr attr;
    bool pad;          /* fill every row, blank ones too, to width */
    bool ellipsis;     /* the last row ends in " …" when the text goes on */
};

/* Draw text into v; the rows that hold text. */
size_t wrap_draw(const struct wrap_view *v, const char *text);

/* Draw field t into v from the row that keeps its cursor in view, and put
 * the terminal's cursor there. */
void wrap_draw_edit(const struct wrap_view *v, const struct textedit *t);

/* Draw one-line field t on v's first row, scrolled sideways so that its
 * cursor shows, and put the terminal's cursor there. */
void wrap_draw_line(const struct wrap_view *v, const struct textedit *t);

#endif
