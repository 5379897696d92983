/* test_ui_list.c: the list widget's state (selection and scrolling). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/widgets/list.h"

static void test_moving_down_scrolls_to_keep_selection_visible(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 100, 10);
    list_move(&l, 9);
    assert_int_equal(l.selected, 9);
    assert_int_equal(l.top, 0);
    list_move(&l, 1);
    assert_int_equal(l.selected, 10);
    assert_int_equal(l.top, 1);
    assert_true(list_visible(&l, 10));
    assert_false(list_visible(&l, 0));
}

static void test_moves_are_clamped_to_the_list(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 5, 10);
    list_move(&l, -3);
    assert_int_equal(l.selected, 0);
    list_move(&l, 50);
    assert_int_equal(l.selected, 4);
    assert_int_equal(l.top, 0);
}

static void test_page_down_and_last_row(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 30, 10);
    list_page(&l, +1);
    assert_int_equal(l.selected, 9);
    list_page(&l, +1);
    assert_int_equal(l.selected, 18);
    list_last(&l);
    assert_int_equal(l.selected, 29);
    assert_int_equal(l.top, 20);
    list_first(&l);
    assert_int_equal(l.top, 0);
}

static void test_shrinking_the_window_keeps_selection_shown(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 50, 20);
    list_move(&l, 19);
    list_set_height(&l, 5);
    assert_true(list_visible(&l, 19));
    assert_int_equal(l.top, 15);
}

static void test_fewer_rows_after_reload_clamps_selection(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 50, 10);
    list_last(&l);
    list_set_count(&l, 3);
    assert_int_equal(l.selected, 2);
    assert_int_equal(l.top, 0);
    list_set_count(&l, 0);
    assert_int_equal(l.selected, 0);
    list_move(&l, 1);
    assert_int_equal(l.selected, 0);
}

static void test_list_key_moves_by_the_action_table(void **state)
{
    (void)state;
    struct list_state l;
    list_init(&l, 20, 5);
    assert_true(list_key(&l, ACTION_DOWN));
    assert_int_equal(l.selected, 1);
    assert_true(list_key(&l, ACTION_PAGE_DOWN)); /* a page keeps one row in view */
    assert_int_equal(l.selected, 5);
    assert_true(list_key(&l, ACTION_LAST));
    assert_int_equal(l.selected, 19);
    assert_true(list_key(&l, ACTION_DOWN)); /* clamped */
    assert_int_equal(l.selected, 19);
    assert_true(list_key(&l, ACTION_PAGE_UP));
    assert_int_equal(l.selected, 15);
    assert_true(list_key(&l, ACTION_FIRST));
    assert_int_equal(l.selected, 0);
    assert_true(list_key(&l, ACTION_UP));
    assert_int_equal(l.selected, 0);
    /* not a move: the screen's */
    assert_false(list_key(&l, ACTION_OPEN));
    assert_false(list_key(&l, ACTION_YES));
    assert_int_equal(l.selected, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moving_down_scrolls_to_keep_selection_visible),
        cmocka_unit_test(test_moves_are_clamped_to_the_list),
        cmocka_unit_test(test_page_down_and_last_row),
        cmocka_unit_test(test_list_key_moves_by_the_action_table),
        cmocka_unit_test(test_shrinking_the_window_keeps_selection_shown),
        cmocka_unit_test(test_fewer_rows_after_reload_clamps_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
