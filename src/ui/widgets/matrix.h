/* ui/widgets/matrix.h: the state of a matrix (the dimension grid): a cell
 * cursor, and which rows and columns are on screen beside the sticky row
 * and column headers. Pure functions, no drawing. */
#ifndef IMAS_UI_WIDGETS_MATRIX_H
#define IMAS_UI_WIDGETS_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#define MATRIX_MAX_COLS 32

struct matrix_state {
    size_t nrows, ncols;
    size_t row, col;               /* the current cell */
    size_t top, left;              /* first body row and column shown */
    size_t row_height;             /* screen lines per row (>= 1) */
    size_t body_lines;             /* screen lines for rows, below the header */
    size_t body_cols;              /* screen columns right of the row header */
    size_t widths[MATRIX_MAX_COLS]; /* each column's width, separator included */
};

/* Set up for nrows x ncols (ncols <= MATRIX_MAX_COLS) with every column
 * `width` wide; the caller may change widths[] and call matrix_fit(). */
void matrix_init(struct matrix_state *m, size_t nrows, size_t ncols, size_t width);
/* The visible area changed (resize): keep the current cell on screen. */
void matrix_set_view(struct matrix_state *m, size_t body_lines, size_t body_cols,
                     size_t row_height);
void matrix_fit(struct matrix_state *m);
/* Move by (drow, dcol), clamped; returns false when nothing moved. */
bool matrix_move(struct matrix_state *m, long drow, long dcol);
void matrix_goto(struct matrix_state *m, size_t row, size_t col);
/* Rows that fit on screen at once. */
size_t matrix_visible_rows(const struct matrix_state *m);
/* Columns from `left` that fit on screen (at least 1). */
size_t matrix_visible_cols(const struct matrix_state *m);
/* Screen x (relative to the body) where column c starts, if visible. */
bool matrix_col_x(const struct matrix_state *m, size_t c, size_t *x);

#endif
