/* test_ui_textedit.c: the text field's state with UTF-8 input. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "ui/widgets/textedit.h"

static void type(struct textedit *t, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        assert_true(k > 0);
        textedit_insert_cp(t, cp);
        i += k;
    }
}

static void test_typing_cyrillic_and_backspace_keeps_valid_utf8(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, NULL, false);
    type(&t, "Учител");
    assert_string_equal(t.text, "Учител");
    assert_true(textedit_backspace(&t));
    assert_string_equal(t.text, "Учите");
    assert_int_equal(t.cursor, strlen("Учите"));
    assert_true(utf8_valid(t.text, t.len));
    textedit_free(&t);
}

static void test_backspace_removes_base_and_combining_mark_together(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "ae\xcc\x81", false); /* a, e + combining acute */
    textedit_backspace(&t);
    assert_string_equal(t.text, "a");
    textedit_free(&t);
}

static void test_cursor_moves_by_whole_characters(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "žľť", false);
    textedit_left(&t);
    assert_int_equal(t.cursor, 4);
    textedit_left(&t);
    textedit_left(&t);
    textedit_left(&t);
    assert_int_equal(t.cursor, 0);
    textedit_right(&t);
    assert_int_equal(t.cursor, 2);
    type(&t, "X");
    assert_string_equal(t.text, "žXľť");
    assert_true(textedit_delete(&t));
    assert_string_equal(t.text, "žXť");
    textedit_end(&t);
    assert_int_equal(t.cursor, t.len);
    textedit_home(&t);
    assert_int_equal(t.cursor, 0);
    textedit_free(&t);
}

static void test_paste_drops_control_characters_and_invalid_bytes(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, NULL, false);
    textedit_insert_text(&t, "a\x1b[31mb\xff\xfe" "c\nd\x07");
    assert_string_equal(t.text, "a[31mbcd");
    textedit_free(&t);
    textedit_init(&t, NULL, true);
    textedit_insert_text(&t, "line1\r\nline2");
    assert_string_equal(t.text, "line1\nline2");
    textedit_free(&t);
}

static void test_single_line_refuses_newline(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "x", false);
    assert_false(textedit_insert_cp(&t, '\n'));
    assert_string_equal(t.text, "x");
    textedit_free(&t);
}

static void test_wrap_breaks_after_spaces_by_width(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "Асистентът работи с учителя", true);
    struct textedit_line *lines;
    size_t n = textedit_wrap(&t, 12, &lines);
    assert_int_equal(n, 3);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        size_t len = lines[i].end - lines[i].start;
        memcpy(buf, t.text + lines[i].start, len);
        buf[len] = '\0';
        assert_true(utf8_width(buf) <= 12);
        if (i == 0)
            assert_string_equal(buf, "Асистентът ");
    }
    free(lines);
    textedit_free(&t);
}

static void test_wrap_never_splits_a_wide_character(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "中文中文中", true); /* 10 columns */
    struct textedit_line *lines;
    size_t n = textedit_wrap(&t, 5, &lines);
    assert_int_equal(n, 3);
    assert_int_equal(lines[0].end - lines[0].start, 6); /* two characters */
    free(lines);
    textedit_free(&t);
}

static void test_wrap_keeps_explicit_newlines(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "a\n\nb", true);
    struct textedit_line *lines;
    assert_int_equal(textedit_wrap(&t, 10, &lines), 3);
    free(lines);
    textedit_free(&t);
}

static void test_cursor_position_counts_columns_not_bytes(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "Škola 中", true);
    size_t row, col;
    textedit_cursor_pos(&t, 40, &row, &col);
    assert_int_equal(row, 0);
    assert_int_equal(col, 8);
    textedit_free(&t);
}

static void test_up_and_down_keep_the_column(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "abcdef\nxyz\nlonger line", true);
    t.cursor = 5; /* after "abcde" */
    assert_true(textedit_vertical(&t, 40, +1));
    assert_int_equal(t.cursor, 10); /* end of "xyz" */
    assert_true(textedit_vertical(&t, 40, +1));
    assert_int_equal(t.cursor, 14); /* "lon" */
    assert_false(textedit_vertical(&t, 40, +1));
    assert_true(textedit_vertical(&t, 40, -1));
    assert_true(textedit_vertical(&t, 40, -1));
    assert_int_equal(t.cursor, 3);
    textedit_free(&t);
}

static void test_delete_word_and_byte_limit(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "dobrý deň ", false);
    textedit_delete_word(&t);
    assert_string_equal(t.text, "dobrý ");
    t.max_bytes = 8;
    assert_true(textedit_insert_cp(&t, 'a'));
    assert_false(textedit_insert_cp(&t, 0x0436)); /* 2 bytes: over the limit */
    assert_string_equal(t.text, "dobrý a");
    textedit_free(&t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_cyrillic_and_backspace_keeps_valid_utf8),
        cmocka_unit_test(test_backspace_removes_base_and_combining_mark_together),
        cmocka_unit_test(test_cursor_moves_by_whole_characters),
        cmocka_unit_test(test_paste_drops_control_characters_and_invalid_bytes),
        cmocka_unit_test(test_single_line_refuses_newline),
        cmocka_unit_test(test_wrap_breaks_after_spaces_by_width),
        cmocka_unit_test(test_wrap_never_splits_a_wide_character),
        cmocka_unit_test(test_wrap_keeps_explicit_newlines),
        cmocka_unit_test(test_cursor_position_counts_columns_not_bytes),
        cmocka_unit_test(test_up_and_down_keep_the_column),
        cmocka_unit_test(test_delete_word_and_byte_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
