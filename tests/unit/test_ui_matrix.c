/* test_ui_matrix.c: matrix navigation and scrolling (the dimension grid). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/widgets/matrix.h"

/* the dimension grid at 80x24: 12 rows x 6 columns, 2 lines a row */
static void grid(struct matrix_state *m)
{
    matrix_init(m, 12, 6, 20);
    m->widths[2] = 8; /* gap rating */
    m->widths[4] = 10; /* recommendation level */
    matrix_set_view(m, 18, 58, 2);
}

static void test_arrows_move_between_cells_and_stop_at_edges(void **state)
{
    (void)state;
    struct matrix_state m;
    grid(&m);
    assert_false(matrix_move(&m, -1, 0));
    assert_true(matrix_move(&m, 0, 1));
    assert_int_equal(m.col, 1);
    assert_true(matrix_move(&m, 100, 100));
    assert_int_equal(m.row, 11);
    assert_int_equal(m.col, 5);
    assert_false(matrix_move(&m, 1, 1));
}

static void test_scrolls_down_when_the_cursor_leaves_the_screen(void **state)
{
    (void)state;
    struct matrix_state m;
    grid(&m);
    assert_int_equal(matrix_visible_rows(&m), 9);
    matrix_move(&m, 8, 0);
    assert_int_equal(m.top, 0);
    matrix_move(&m, 1, 0);
    assert_int_equal(m.top, 1);
    matrix_move(&m, 10, 0);
    assert_int_equal(m.top, 3); /* last 9 rows shown, no empty space */
    matrix_move(&m, -11, 0);
    assert_int_equal(m.top, 0);
}

static void test_scrolls_right_and_back_left(void **state)
{
    (void)state;
    struct matrix_state m;
    grid(&m);
    assert_int_equal(matrix_visible_cols(&m), 3); /* 20 + 20 + 8; the next 20 does not fit */
    size_t x;
    assert_true(matrix_col_x(&m, 1, &x));
    assert_int_equal(x, 20);
    matrix_move(&m, 0, 3);
    assert_true(m.left > 0);
    assert_true(matrix_col_x(&m, 3, &x));
    assert_true(x + m.widths[3] <= m.body_cols);
    matrix_move(&m, 0, -3);
    assert_int_equal(m.left, 0);
}

static void test_resize_keeps_the_current_cell_visible(void **state)
{
    (void)state;
    struct matrix_state m;
    grid(&m);
    matrix_goto(&m, 11, 5);
    matrix_set_view(&m, 4, 20, 2);
    assert_true(m.row >= m.top && m.row < m.top + matrix_visible_rows(&m));
    size_t x;
    assert_true(matrix_col_x(&m, 5, &x));
    matrix_set_view(&m, 100, 200, 2);
    assert_int_equal(m.top, 0);
    assert_int_equal(m.left, 0);
}

static void test_a_column_wider_than_the_view_is_still_shown(void **state)
{
    (void)state;
    struct matrix_state m;
    matrix_init(&m, 3, 3, 50);
    matrix_set_view(&m, 10, 30, 1);
    matrix_move(&m, 0, 2);
    assert_int_equal(m.left, 2);
    assert_int_equal(matrix_visible_cols(&m), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrows_move_between_cells_and_stop_at_edges),
        cmocka_unit_test(test_scrolls_down_when_the_cursor_leaves_the_screen),
        cmocka_unit_test(test_scrolls_right_and_back_left),
        cmocka_unit_test(test_resize_keeps_the_current_cell_visible),
        cmocka_unit_test(test_a_column_wider_than_the_view_is_still_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
