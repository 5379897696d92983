#include "config.h"

#include "ui/widgets/wrap.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/curses.h"

#include <stdlib.h>

/* Rows first.. of text's lines into v; the rows that hold text. */
static size_t draw_lines(const struct wrap_view *v, const char *text,
                         const struct textedit_line *lines, size_t n, size_t first)
{
    size_t used = 0;
    for (size_t i = 0; i < v->rows; i++) {
        size_t li = first + i;
        if (li >= n && !v->pad)
            break;
        char *part = li < n ? xstrndup(text + lines[li].start, lines[li].end - lines[li].start)
                            : xstrdup("");
        if (v->ellipsis && i + 1 == v->rows && li + 1 < n) {
            /* the text goes on: the row ends in "…", room made for it so
             * that clipping to the width never cuts it off */
            size_t keep = v->width > 1 ? utf8_prefix_for_width(part, v->width - 1) : 0;
            while (keep > 0 && part[keep - 1] == ' ')
                keep--;
            char *more = xasprintf("%.*s…", (int)keep, part);
            free(part);
            part = more;
        }
        ui_text(v->y + (int)i, v->x, part, (int)v->width, v->attr, v->pad);
        free(part);
        used += li < n;
    }
    return used;
}

size_t wrap_draw(const struct wrap_view *v, const char *text)
{
    struct textedit t;
    textedit_init(&t, text ? text : "", true);
    struct textedit_line *lines = NULL;
    size_t n = textedit_wrap(&t, v->width, &lines);
    size_t used = draw_lines(v, t.text, lines, n, 0);
    free(lines);
    textedit_free(&t);
    return used;
}

void wrap_draw_edit(const struct wrap_view *v, const struct textedit *t)
{
    struct textedit_line *lines = NULL;
    size_t n = textedit_wrap(t, v->width, &lines);
    size_t row, col, first = 0;
    textedit_cursor_pos(t, v->width, &row, &col);
    if (v->rows && row >= v->rows)
        first = row - v->rows + 1;
    draw_lines(v, t->text, lines, n, first);
    free(lines);
    move(v->y + (int)(row - first), v->x + (int)col);
}

void wrap_draw_line(const struct wrap_view *v, const struct textedit *t)
{
    char *before = xstrndup(t->text, t->cursor);
    size_t col = utf8_width(before); /* columns before the cursor */
    free(before);
    size_t room = v->width > 1 ? v->width : 1;
    size_t start = 0;
    /* drop whole characters from the left until the cursor fits */
    while (col >= room && start < t->cursor) {
        size_t next = utf8_next(t->text, t->len, start, true);
        char *ch = xstrndup(t->text + start, next - start);
        size_t w = utf8_width(ch);
        free(ch);
        col = col > w ? col - w : 0;
        start = next;
    }
    ui_text(v->y, v->x, t->text + start, (int)room, v->attr, v->pad);
    move(v->y, v->x + (int)col);
}
