#include "config.h"

#include "ui/widgets/matrix.h"

#include <string.h>

void matrix_init(struct matrix_state *m, size_t nrows, size_t ncols, size_t width)
{
    memset(m, 0, sizeof *m);
    m->nrows = nrows;
    m->ncols = ncols > MATRIX_MAX_COLS ? MATRIX_MAX_COLS : ncols;
    for (size_t c = 0; c < m->ncols; c++)
        m->widths[c] = width ? width : 1;
    m->row_height = 1;
    m->body_lines = 1;
    m->body_cols = width ? width : 1;
}

size_t matrix_visible_rows(const struct matrix_state *m)
{
    size_t n = m->body_lines / (m->row_height ? m->row_height : 1);
    return n ? n : 1;
}

size_t matrix_visible_cols(const struct matrix_state *m)
{
    size_t used = 0, n = 0;
    for (size_t c = m->left; c < m->ncols; c++) {
        if (n > 0 && used + m->widths[c] > m->body_cols)
            break;
        used += m->widths[c];
        n++;
    }
    return n ? n : 1;
}

void matrix_fit(struct matrix_state *m)
{
    if (m->nrows && m->row >= m->nrows)
        m->row = m->nrows - 1;
    if (m->ncols && m->col >= m->ncols)
        m->col = m->ncols - 1;
    size_t vr = matrix_visible_rows(m);
    if (m->row < m->top)
        m->top = m->row;
    else if (m->row >= m->top + vr)
        m->top = m->row - vr + 1;
    if (m->nrows <= vr)
        m->top = 0;
    else if (m->top > m->nrows - vr)
        m->top = m->nrows - vr;
    if (m->col < m->left)
        m->left = m->col;
    while (m->left < m->col && m->col >= m->left + matrix_visible_cols(m))
        m->left++;
    /* use the room on the right: pull columns back in while they fit */
    while (m->left > 0) {
        size_t used = 0;
        for (size_t c = m->left - 1; c < m->ncols; c++)
            used += m->widths[c];
        if (used > m->body_cols)
            break;
        m->left--;
    }
}

void matrix_set_view(struct matrix_state *m, size_t body_lines, size_t body_cols,
                     size_t row_height)
{
    m->body_lines = body_lines ? body_lines : 1;
    m->body_cols = body_cols ? body_cols : 1;
    m->row_height = row_height ? row_height : 1;
    matrix_fit(m);
}

static size_t clamp_add(size_t v, long d, size_t n)
{
    if (n == 0)
        return 0;
    if (d < 0)
        return (size_t)-d > v ? 0 : v - (size_t)-d;
    return v + (size_t)d >= n ? n - 1 : v + (size_t)d;
}

bool matrix_move(struct matrix_state *m, long drow, long dcol)
{
    size_t r = clamp_add(m->row, drow, m->nrows);
    size_t c = clamp_add(m->col, dcol, m->ncols);
    bool moved = r != m->row || c != m->col;
    m->row = r;
    m->col = c;
    matrix_fit(m);
    return moved;
}

void matrix_goto(struct matrix_state *m, size_t row, size_t col)
{
    m->row = row;
    m->col = col;
    matrix_fit(m);
}

bool matrix_col_x(const struct matrix_state *m, size_t c, size_t *x)
{
    if (c < m->left || c >= m->left + matrix_visible_cols(m))
        return false;
    size_t pos = 0;
    for (size_t i = m->left; i < c; i++)
        pos += m->widths[i];
    *x = pos;
    return true;
}
