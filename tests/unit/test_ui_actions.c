/* test_ui_actions.c: the action table (ui/actions.h): no two actions a
 * screen offers at once share a key, so the key F1 lists is the key that
 * does it; ranges of keys; the text field's keys. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/actions.h"
#include "ui/screens/capture.h"
#include "ui/screens/conflicts.h"
#include "ui/screens/home.h"
#include "ui/screens/question.h"
#include "ui/screens/search.h"
#include "ui/ui.h"
#include "ui/widgets/text_keys.h"

static const struct screen_ops *const screens[] = {
    &home_screen_ops,   &question_screen_ops, &capture_screen_ops,
    &search_screen_ops, &conflicts_screen_ops,
};

static void assert_no_clash(const char *where, const enum action *list)
{
    enum action a, b;
    if (action_list_clash(list, &a, &b))
        fail_msg("%s: %s and %s share a key (F1 would list one key for two things)", where,
                 action_info(a)->help, action_info(b)->help);
}

static void test_no_two_actions_of_one_screen_share_a_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof screens / sizeof *screens; i++) {
        const struct screen_ops *s = screens[i];
        assert_non_null(s->action_sets);
        assert_no_clash(s->name, s->actions);
        size_t n = 0;
        for (const enum action *const *set = s->action_sets; *set; set++, n++)
            assert_no_clash(s->name, *set);
        assert_true(n >= 1);
    }
    assert_no_clash("text field", text_keys_line);
    assert_no_clash("text field of several lines", text_keys_lines);
}

static void test_a_clash_is_found(void **state)
{
    (void)state;
    enum action a = ACTION_NONE, b = ACTION_NONE;
    /* Del deletes a record and clears a cell */
    const enum action del[] = {ACTION_UP, ACTION_DELETE, ACTION_CLEAR_CELL, ACTION_NONE};
    assert_true(action_list_clash(del, &a, &b));
    assert_int_equal(a, ACTION_DELETE);
    assert_int_equal(b, ACTION_CLEAR_CELL);
    /* a key inside a range: 1 keeps this file's value and sets a rating */
    const enum action digit[] = {ACTION_KEEP_CURRENT, ACTION_SET_RATING, ACTION_NONE};
    assert_true(action_list_clash(digit, &a, &b));
    /* F1 works everywhere: no screen may take it */
    const enum action f1[] = {ACTION_OPEN, ACTION_HELP, ACTION_NONE};
    assert_false(action_list_clash(f1, &a, &b));
    const enum action jump[] = {ACTION_JUMP, ACTION_SAVE_VALUE, ACTION_NONE}; /* both F2 */
    assert_true(action_list_clash(jump, &a, &b));
    const enum action quit[] = {ACTION_QUIT, ACTION_OPEN, ACTION_NONE};
    assert_false(action_list_clash(quit, &a, &b));
}

static void test_f1_names_the_second_key(void **state)
{
    (void)state;
    char buf[48];
    action_key_names(action_info(ACTION_QUIT), buf, sizeof buf);
    assert_string_equal(buf, "F10 q");
    action_key_names(action_info(ACTION_UP), buf, sizeof buf); /* not the vi letter */
    assert_string_equal(buf, "Up");
    action_key_names(action_info(ACTION_CAP_EARLIER), buf, sizeof buf);
    assert_string_equal(buf, "PgUp Alt-e");
    action_key_names(action_info(ACTION_SORT), buf, sizeof buf);
    assert_string_equal(buf, "s F6");
    action_key_names(action_info(ACTION_DELETE), buf, sizeof buf);
    assert_string_equal(buf, "d Del");
    action_key_names(action_info(ACTION_OPEN), buf, sizeof buf); /* Enter is Enter */
    assert_string_equal(buf, "Enter");
    action_key_names(action_info(ACTION_CAP_SPEAKER), buf, sizeof buf); /* a range */
    assert_string_equal(buf, "Alt-1..9,0");
}

static void test_ranges_and_keys(void **state)
{
    (void)state;
    const enum action grid[] = {ACTION_SET_RATING, ACTION_CLEAR_CELL, ACTION_NONE};
    for (int k = '0'; k <= '9'; k++)
        assert_int_equal(action_in(k, grid), ACTION_SET_RATING);
    assert_int_equal(action_in('a', grid), ACTION_NONE);
    assert_int_equal(action_in(UK(KEY_DC), grid), ACTION_CLEAR_CELL);
    const enum action chords[] = {ACTION_CAP_SPEAKER, ACTION_CAP_TOPIC, ACTION_NONE};
    assert_int_equal(action_in(UA('0'), chords), ACTION_CAP_SPEAKER);
    assert_int_equal(action_in(UA('7'), chords), ACTION_CAP_SPEAKER);
    assert_int_equal(action_in('7', chords), ACTION_NONE);
    assert_int_equal(action_in(20, chords), ACTION_CAP_TOPIC); /* Ctrl-T */
    const enum action yn[] = {ACTION_YES, ACTION_NO, ACTION_NONE};
    assert_int_equal(action_in('Y', yn), ACTION_YES);
    assert_int_equal(action_in('n', yn), ACTION_NO);
    assert_int_equal(action_in(13, yn), ACTION_NONE);
    /* outside its list a key falls back only to F1, Ctrl-L and F10 */
    assert_int_equal(action_for_key_in(UK(KEY_F(1)), yn), ACTION_HELP);
    assert_int_equal(action_for_key_in('q', yn), ACTION_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_two_actions_of_one_screen_share_a_key),
        cmocka_unit_test(test_a_clash_is_found),
        cmocka_unit_test(test_f1_names_the_second_key),
        cmocka_unit_test(test_ranges_and_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
