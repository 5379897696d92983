/* test_fold.c: search folding (src/core/fold.c), UTF-8 in and out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fold.h"
#include "core/utf8.h"

static void expect_fold(const char *in, const char *want)
{
    char *got = fold_text(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_true(utf8_valid(got, strlen(got)) || !*got);
    free(got);
}

static void test_fold_strokes_and_ligatures_as_typed(void **state)
{
    (void)state;
    expect_fold("ł Ł ø Ø đ Đ ħ Ħ", "l l o o d d h h");
    expect_fold("ß ẞ æ Æ œ Œ þ Þ ı", "ss ss ae ae oe oe th th i");
    expect_fold("İstanbul ŀ ð ŧ", "istanbul l d t");
}

static void test_fold_polish_words_match_their_ascii_typing(void **state)
{
    (void)state;
    expect_fold("Żłobek", "zlobek");
    expect_fold("współpraca", "wspolpraca");
    expect_fold("WSPÓŁPRACA ŹRÓDŁO", "wspolpraca zrodlo");
}

static void test_fold_accents_and_case(void **state)
{
    (void)state;
    expect_fold("Učiteľ ÉCOLE Größe", "ucitel ecole grosse");
    expect_fold("Søknad Ærø Ångström", "soknad aero angstrom");
    expect_fold("Tiếng Việt", "tieng viet");
    /* decomposed input: the marks go */
    expect_fold("e\xCC\x81t\xC3\xA9", "ete");
}

static void test_fold_other_scripts_lowered_not_changed(void **state)
{
    (void)state;
    expect_fold("УЧИТЕЛ Ѐ", "учител ѐ");
    expect_fold("ΣΧΟΛΕΙΟ", "σχολειο");
    expect_fold("学校 ✓ 42", "学校 ✓ 42");
}

static void test_fold_invalid_bytes_become_replacement(void **state)
{
    (void)state;
    expect_fold("a\xFF" "b", "a\xEF\xBF\xBD" "b");
    expect_fold("", "");
    assert_null(fold_text(NULL));
}

static void test_fold_cp_gives_letters_or_null(void **state)
{
    (void)state;
    uint32_t cp = 0x0142; /* ł */
    assert_string_equal(fold_cp(&cp), "l");
    cp = 'Q';
    assert_null(fold_cp(&cp));
    assert_int_equal(cp, 'q');
    cp = 0x4E00;
    assert_null(fold_cp(&cp));
    assert_int_equal(cp, 0x4E00);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_strokes_and_ligatures_as_typed),
        cmocka_unit_test(test_fold_polish_words_match_their_ascii_typing),
        cmocka_unit_test(test_fold_accents_and_case),
        cmocka_unit_test(test_fold_other_scripts_lowered_not_changed),
        cmocka_unit_test(test_fold_invalid_bytes_become_replacement),
        cmocka_unit_test(test_fold_cp_gives_letters_or_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
