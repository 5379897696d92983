/* test_ui_fit.c: text made to fit a width, by wcwidth: clipped with "…",
 * wrapped rows counted, a row shared among columns. */
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
#include "ui/widgets/fit.h"
#include "ui/widgets/textedit.h"

static void clip_is(const char *s, size_t width, const char *want)
{
    char *got = fit_clip(s, width);
    assert_string_equal(got, want);
    assert_true(utf8_width(got) <= width);
    free(got);
}

static void test_clip_keeps_text_that_fits(void **state)
{
    (void)state;
    clip_is("финализиран", 11, "финализиран");
    clip_is("Autor/in", 20, "Autor/in");
    clip_is("", 3, "");
}

static void test_clip_ends_cyrillic_in_an_ellipsis_by_columns_not_bytes(void **state)
{
    (void)state;
    /* 11 letters of two bytes each in 9 columns: 8 letters and the mark */
    clip_is("финализиран", 9, "финализи…");
}

static void test_clip_counts_double_width_characters_twice(void **state)
{
    (void)state;
    /* 学校の先生 is ten columns: in six, two characters and the mark (five
     * columns), never half a character */
    clip_is("学校の先生", 6, "学校…");
    clip_is("学校の先生", 5, "学校…");
    clip_is("学校の先生", 10, "学校の先生");
}

static void test_clip_keeps_combining_marks_with_their_letter(void **state)
{
    (void)state;
    /* e + combining acute is one column */
    clip_is("Cafe\xcc\x81 ouvert", 6, "Cafe\xcc\x81…");
    clip_is("Cafe\xcc\x81", 4, "Cafe\xcc\x81");
    clip_is("Učiteľ Größe", 8, "Učiteľ…");
}

static void test_clip_ignores_blanks_cut_off_and_never_ends_in_blank_ellipsis(void **state)
{
    (void)state;
    clip_is("Stan    ", 4, "Stan");
    clip_is("Stan  roboczy", 7, "Stan…");
    clip_is("abc", 1, "…");
    clip_is("abc", 0, "");
}

static void test_rows_wrap_between_words_by_width(void **state)
{
    (void)state;
    assert_int_equal(fit_rows("", 10), 1);
    assert_int_equal(fit_rows("Правна рамка", 12), 1);
    assert_int_equal(fit_rows("Правна рамка", 11), 2);
    /* a word that fills the row: the space after it hangs there, and the
     * next word is not pushed onto a row of its own by it */
    assert_int_equal(fit_rows("Правна рамка", 6), 2);
    assert_int_equal(fit_rows("学校の先生 学校の先生", 10), 2);
    assert_int_equal(fit_rows("学校の先生 学校の先生", 9), 4);
    assert_int_equal(fit_rows("Zażółć gęślą jaźń", 7), 3);
    assert_int_equal(fit_rows("a\nb\nc", 10), 3);
}

static void test_wrap_hangs_the_space_that_overflows(void **state)
{
    (void)state;
    struct textedit t;
    textedit_init(&t, "Правна рамка", true);
    struct textedit_line *lines = NULL;
    assert_int_equal(textedit_wrap(&t, 6, &lines), 2);
    /* "Правна" fills the row; its space stays with it, so the next row
     * starts with the next word, not a blank */
    assert_int_equal(lines[0].start, 0);
    assert_int_equal(lines[0].end, strlen("Правна "));
    assert_int_equal(lines[1].start, strlen("Правна "));
    assert_int_equal(lines[1].end, strlen("Правна рамка"));
    free(lines);
    /* typing at the end after the hanging space: the cursor is on the
     * next row, inside the field */
    textedit_free(&t);
    textedit_init(&t, "Правна ", true);
    size_t row, col;
    textedit_cursor_pos(&t, 6, &row, &col);
    assert_int_equal(row, 1);
    assert_int_equal(col, 0);
    textedit_free(&t);
}

static void test_columns_flex_takes_what_is_left(void **state)
{
    (void)state;
    size_t want[3] = {10, 20, 10}, least[3] = {5, 8, 5}, out[3];
    fit_columns(100, want, least, 3, 1, out);
    assert_int_equal(out[0], 10);
    assert_int_equal(out[1], 80);
    assert_int_equal(out[2], 10);
}

static void test_columns_the_widest_give_way_down_to_their_least(void **state)
{
    (void)state;
    size_t want[4] = {14, 15, 12, 9}, least[4] = {8, 10, 8, 9}, out[4];
    fit_columns(40, want, least, 4, 1, out);
    /* 35 wanted besides the flex column: the 14 and the 12 shrink, the
     * widest first, until the flex column has its 15 */
    assert_int_equal(out[0] + out[1] + out[2] + out[3], 40);
    assert_int_equal(out[1], 15);
    assert_int_equal(out[3], 9);
    assert_true(out[0] >= 8 && out[2] >= 8);
    assert_true(out[0] - out[2] <= 1);
    /* too narrow for everybody: all at their least */
    fit_columns(20, want, least, 4, 1, out);
    assert_int_equal(out[0], 8);
    assert_int_equal(out[1], 10);
    assert_int_equal(out[2], 8);
    assert_int_equal(out[3], 9);
}

/* fit_words into rows lines of width: the lines, joined by "|". */
static void words_are(const char *s, size_t width, size_t rows, const char *want)
{
    char *out[8];
    size_t n = fit_words(s, width, rows, out);
    assert_true(n >= 1 && n <= rows);
    char got[512] = "";
    for (size_t i = 0; i < n; i++) {
        if (utf8_width(out[i]) > width)
            fail_msg("\"%s\" is wider than %zu", out[i], width);
        if (i)
            strcat(got, "|");
        strcat(got, out[i]);
        free(out[i]);
    }
    assert_string_equal(got, want);
}

static void test_words_break_at_spaces_by_columns_not_bytes(void **state)
{
    (void)state;
    /* the grid's German and Bulgarian column headings at 80 columns */
    words_are("Ebene der Empfehlung", 12, 2, "Ebene der|Empfehlung");
    words_are("Ниво на препоръката", 12, 2, "Ниво на|препоръката");
    words_are("Доказателства и източници", 21, 2, "Доказателства и|източници");
    words_are("Belege und Quellen", 21, 2, "Belege und Quellen");
    words_are("Status quo", 21, 2, "Status quo");
    words_are("", 10, 2, "");
}

static void test_words_break_after_a_hyphen(void **state)
{
    (void)state;
    words_are("Fort- und Weiterbildung", 10, 3, "Fort- und|Weiterbild|ung");
    words_are("Sozial-Pädagogik heute", 12, 2, "Sozial-|Pädagogik…");
    words_are("Sozial-Pädagogik", 12, 2, "Sozial-|Pädagogik");
    words_are("Лично-професионално", 14, 2, "Лично-|професионално");
    /* a lone dash is no hyphen: the line breaks at the space */
    words_are("a - b", 2, 3, "a|-|b");
}

static void test_words_cut_only_a_word_wider_than_the_column(void **state)
{
    (void)state;
    words_are("Qualifikationsanforderungen", 17, 2, "Qualifikationsanf|orderungen");
    words_are("Tätigkeitsbeschreibung und Aufgaben", 17, 2, "Tätigkeitsbeschre|ibung und…");
    /* double-width characters count twice, combining marks not at all */
    words_are("日本語の見出し", 6, 2, "日本語|の見…");
    words_are("cafe\u0301 noir", 5, 2, "cafe\u0301|noir");
}

static void test_words_left_over_end_in_an_ellipsis(void **state)
{
    (void)state;
    words_are("Ebene der Empfehlung", 12, 1, "Ebene der…");
    words_are("Anstellung, Dienstgeber und Arbeitsplatzsicherheit", 17, 2,
              "Anstellung,|Dienstgeber und…");
    words_are("one two three", 3, 2, "one|tw…");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clip_keeps_text_that_fits),
        cmocka_unit_test(test_clip_ends_cyrillic_in_an_ellipsis_by_columns_not_bytes),
        cmocka_unit_test(test_clip_counts_double_width_characters_twice),
        cmocka_unit_test(test_clip_keeps_combining_marks_with_their_letter),
        cmocka_unit_test(test_clip_ignores_blanks_cut_off_and_never_ends_in_blank_ellipsis),
        cmocka_unit_test(test_rows_wrap_between_words_by_width),
        cmocka_unit_test(test_wrap_hangs_the_space_that_overflows),
        cmocka_unit_test(test_columns_flex_takes_what_is_left),
        cmocka_unit_test(test_columns_the_widest_give_way_down_to_their_least),
        cmocka_unit_test(test_words_break_at_spaces_by_columns_not_bytes),
        cmocka_unit_test(test_words_break_after_a_hyphen),
        cmocka_unit_test(test_words_cut_only_a_word_wider_than_the_column),
        cmocka_unit_test(test_words_left_over_end_in_an_ellipsis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
