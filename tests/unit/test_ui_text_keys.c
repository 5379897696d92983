/* test_ui_text_keys.c: the editing keys every text field shares. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <cmocka.h>

#include "ui/actions.h"
#include "ui/widgets/text_keys.h"

static void feed(struct textedit *t, const int *keys)
{
    for (; *keys; keys++)
        assert_true(text_keys_edit(t, *keys, 80, false));
}

static void test_typing_moving_and_deleting(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "", false);
    /* Ł, ó (two bytes each), a CJK character (three) */
    feed(&t, (const int[]){0x141, 'o', 0xF3, 'd', 0x5B66, 0});
    assert_string_equal(t.text, "Łoód学");
    feed(&t, (const int[]){UK(KEY_LEFT), UK(KEY_LEFT), UK(KEY_BACKSPACE), 0});
    assert_string_equal(t.text, "Łod学");
    feed(&t, (const int[]){1, UK(KEY_DC), 'Z', 0}); /* Ctrl-A, Delete */
    assert_string_equal(t.text, "Zod学");
    feed(&t, (const int[]){5, 127, ' ', 'w', 'o', 'r', 'd', 23, 0}); /* Ctrl-E, DEL, Ctrl-W */
    assert_string_equal(t.text, "Zod ");
    feed(&t, (const int[]){UK(KEY_HOME), 8, UK(KEY_END), 'x', 0}); /* Backspace at start */
    assert_string_equal(t.text, "Zod x");
    feed(&t, (const int[]){21, 0}); /* Ctrl-U */
    assert_string_equal(t.text, "");
    textedit_free(&t);
}

static void test_other_keys_are_left_to_the_screen(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "abc", true);
    const int others[] = {13, 10, 9, 27, 2, UK(KEY_UP), UK(KEY_DOWN), UK(KEY_F(1)),
                          UK(KEY_ENTER), UA('t')};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        assert_false(text_keys_edit(&t, others[i], 80, false));
    assert_string_equal(t.text, "abc");
    textedit_free(&t);
}

static void test_lines_take_enter_and_up_down_when_they_can(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "ab", true);
    assert_true(text_keys_edit(&t, 13, 80, true)); /* Enter: a new line */
    assert_true(text_keys_edit(&t, 'c', 80, true));
    assert_string_equal(t.text, "ab\nc");
    assert_true(text_keys_edit(&t, UK(KEY_UP), 80, true));
    assert_false(text_keys_edit(&t, UK(KEY_UP), 80, true)); /* first line: the screen's */
    assert_true(text_keys_edit(&t, UK(KEY_DOWN), 80, true));
    textedit_free(&t);
    /* a one-line field leaves Enter and Up to the screen */
    textedit_init(&t, "ab", false);
    assert_false(text_keys_edit(&t, 13, 80, true));
    assert_false(text_keys_edit(&t, UK(KEY_UP), 80, true));
    assert_string_equal(t.text, "ab");
    textedit_free(&t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_moving_and_deleting),
        cmocka_unit_test(test_other_keys_are_left_to_the_screen),
        cmocka_unit_test(test_lines_take_enter_and_up_down_when_they_can),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
