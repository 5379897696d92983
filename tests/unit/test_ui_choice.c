/* test_ui_choice.c: ticking choices (select1 and select values) and the
 * digit keys of rating cells. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ui/widgets/choice.h"

static const char *const roles[] = {"assistant", "teacher", "head", "parent"};
static const char *const gap[] = {"1", "2", "3", "4", "5", "dk"};
static const char *const level[] = {"european", "national", "school"};

static void test_select_one_takes_the_option(void **state)
{
    (void)state;
    char *v = choice_toggle("teacher", "head", false, roles, 4);
    assert_string_equal(v, "head");
    assert_true(choice_has(v, "head", false));
    assert_false(choice_has("headx", "head", false));
    free(v);
}

static void test_select_many_toggles_in_option_order(void **state)
{
    (void)state;
    char *v = choice_toggle("", "parent", true, roles, 4);
    assert_string_equal(v, "parent");
    char *w = choice_toggle(v, "assistant", true, roles, 4);
    assert_string_equal(w, "assistant parent");
    assert_true(choice_has(w, "parent", true));
    assert_false(choice_has(w, "par", true));
    char *x = choice_toggle(w, "parent", true, roles, 4);
    assert_string_equal(x, "assistant");
    free(v);
    free(w);
    free(x);
}

static void test_values_no_longer_offered_are_kept(void **state)
{
    (void)state;
    char *v = choice_toggle("  pupil  teacher", "head", true, roles, 4);
    assert_string_equal(v, "teacher head pupil");
    free(v);
}

static void test_digit_picks_value_then_position(void **state)
{
    (void)state;
    assert_int_equal(choice_for_digit(3, gap, 6), 2);
    assert_int_equal(choice_for_digit(6, gap, 6), 5); /* sixth: don't know */
    assert_int_equal(choice_for_digit(2, level, 3), 1);
    assert_int_equal(choice_for_digit(4, level, 3), 3); /* none */
    assert_int_equal(choice_for_digit(0, level, 3), 3);
    assert_int_equal(choice_for_digit(-1, level, 3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_one_takes_the_option),
        cmocka_unit_test(test_select_many_toggles_in_option_order),
        cmocka_unit_test(test_values_no_longer_offered_are_kept),
        cmocka_unit_test(test_digit_picks_value_then_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
