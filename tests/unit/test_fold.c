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

/* The folding as it was written first, one code point at a time through
 * utf8_decode, fold_cp and utf8_encode: fold_text's faster paths must give
 * the same bytes (the search index drops an entry by the text it added). */
static char *fold_reference(const char *s)
{
    size_t n = strlen(s), len = 0;
    char *out = malloc(3 * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            memcpy(out + len, "\xEF\xBF\xBD", 3);
            len += 3;
            i++;
            continue;
        }
        i += k;
        if (cp >= 0x300 && cp <= 0x36F)
            continue;
        const char *to = fold_cp(&cp);
        if (to) {
            memcpy(out + len, to, strlen(to));
            len += strlen(to);
        } else {
            len += utf8_encode(cp, out + len);
        }
    }
    out[len] = '\0';
    return out;
}

static void expect_as_reference(const char *in)
{
    char *got = fold_text(in), *want = fold_reference(in);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

/* Every code point alone and between letters, every pair of bytes, and
 * random strings of bytes that are mostly UTF-8's. */
static void test_fold_is_the_reference_for_every_input(void **state)
{
    (void)state;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        char buf[12] = "A";
        size_t k = utf8_encode(cp, buf + 1);
        if (k == 0)
            continue;
        buf[1 + k] = 'B';
        buf[2 + k] = '\0';
        expect_as_reference(buf);
        expect_as_reference(buf + 1);
    }
    for (int a = 1; a < 256; a++)
        for (int b = 1; b < 256; b++) {
            char buf[4] = {(char)a, (char)b, 'x', '\0'};
            expect_as_reference(buf);
        }
    static const unsigned char pool[] = {'a', 'Z', ' ', 0xC3, 0x84, 0xD0,
                                         0x9F, 0xD1, 0x8F, 0xC5, 0x82, 0xCC,
                                         0x81, 0xE2, 0x80, 0x99, 0xF0, 0x9F,
                                         0x98, 0x80, 0xFF, 0xC0, 0xED, 0xA0};
    srand(15);
    for (int t = 0; t < 200000; t++) {
        char buf[16];
        int n = rand() % 15;
        for (int i = 0; i < n; i++)
            buf[i] = (char)pool[rand() % (int)sizeof pool];
        buf[n] = '\0';
        expect_as_reference(buf);
    }
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
        cmocka_unit_test(test_fold_is_the_reference_for_every_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
