/* test_form_i18n.c: languages. Every shipped form carries every text in
 * every language it declares; a missing or empty translation falls back
 * to the default language (English), never to an empty label; --lang and
 * the locale choose a form language by its code; the message catalogs of
 * the build tree are found and chosen by LANG or --lang. */
#include "config.h"

#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/form.h"

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

static struct form *load(const char *rel)
{
    char *path = xasprintf("%s/%s", srcdir(), rel);
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(path, &err);
    if (!f) {
        char *m = error_format(&err);
        print_error("%s\n", m);
        free(m);
    }
    error_clear(&err);
    free(path);
    return f;
}

/* One text of node n: when the default language has it, every language
 * must have its own. */
static size_t check_text(const struct form *f, const struct form_node *n, const char *what,
                         const struct form_text *t, struct strbuf *missing)
{
    const char *def = form_default_language(f);
    if (!t || !form_text_in(f, t, def))
        return 0;
    size_t k = 0;
    for (const char *const *l = form_languages(f); *l; l++)
        if (!form_text_in(f, t, *l)) {
            strbuf_addf(missing, "  %s %s: no %s text\n", n->path, what, *l);
            k++;
        }
    return k;
}

static bool is_field(const struct form_node *n)
{
    return n->kind != FORM_GROUP && n->kind != FORM_REPEAT;
}

/* Every missing text of the subtree at n, listed in missing. */
static size_t missing_texts(const struct form *f, const struct form_node *n,
                            struct strbuf *missing)
{
    size_t k = 0;
    if (n->parent && is_field(n) && !form_text_in(f, &n->label, form_default_language(f))) {
        strbuf_addf(missing, "  %s: no label\n", n->path);
        k++;
    }
    k += check_text(f, n, "label", &n->label, missing);
    k += check_text(f, n, "hint", &n->hint, missing);
    k += check_text(f, n, "constraint message", n->constraint_msg, missing);
    k += check_text(f, n, "required message", n->required_msg, missing);
    for (size_t i = 0; i < n->nchoices; i++) {
        char *what = xasprintf("choice %s", n->choices[i].value);
        k += check_text(f, n, what, &n->choices[i].label, missing);
        free(what);
    }
    for (size_t i = 0; i < n->nchildren; i++)
        k += missing_texts(f, n->children[i], missing);
    return k;
}

static size_t count_missing(const char *rel)
{
    struct form *f = load(rel);
    assert_non_null(f);
    struct strbuf sb;
    strbuf_init(&sb);
    size_t k = missing_texts(f, form_root(f), &sb);
    if (k)
        print_message("%s:\n%s", rel, sb.buf);
    strbuf_free(&sb);
    form_free(&f);
    return k;
}

static void test_every_shipped_form_has_every_text_in_every_language(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/forms", srcdir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int forms = 0;
    size_t missing = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".xml") != 0)
            continue;
        char *rel = xasprintf("forms/%s", de->d_name);
        missing += count_missing(rel);
        free(rel);
        forms++;
    }
    closedir(d);
    free(dir);
    assert_int_equal(forms, 2);
    assert_int_equal(missing, 0);
}

static void test_shipped_forms_declare_their_partners_languages(void **state)
{
    (void)state;
    static const char *const grid[] = {"English (en)", "Deutsch (de)", "Български (bg)",
                                       "Português (pt)", "Slovenčina (sk)", NULL};
    static const char *const fg[] = {"English (en)", "Nederlands (nl)", "Suomi (fi)",
                                     "Norsk bokmål (nb)", "Polski (pl)", "Slovenščina (sl)",
                                     NULL};
    struct { const char *path; const char *const *langs; } cases[] = {
        {"forms/imas-dimension-grid.xml", grid}, {"forms/ias-focus-group.xml", fg}};
    for (size_t c = 0; c < 2; c++) {
        struct form *f = load(cases[c].path);
        assert_non_null(f);
        const char *const *l = form_languages(f);
        size_t i = 0;
        for (; cases[c].langs[i]; i++)
            assert_string_equal(l[i], cases[c].langs[i]);
        assert_null(l[i]);
        assert_string_equal(form_default_language(f), "English (en)");
        form_free(&f);
    }
}

/* The check above can fail: it finds each gap of these fixtures. */
static void test_the_completeness_check_finds_missing_and_empty_texts(void **state)
{
    (void)state;
    assert_int_equal(count_missing("tests/data/forms/good-two-languages.xml"), 1);
    /* de: the empty age label, the blank hint, choice "no"; sl: the
     * hint, the constraint message, both choices */
    assert_int_equal(count_missing("tests/data/forms/good-empty-translation.xml"), 7);
}

static void test_missing_or_empty_translation_falls_back_to_english(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-empty-translation.xml");
    assert_non_null(f);
    const struct form_node *name = form_find(f, "/data/name");
    const struct form_node *age = form_find(f, "/data/age");
    const struct form_node *ok = form_find(f, "/data/ok");
    assert_string_equal(form_text(f, &name->label, "de"), "Name");
    assert_string_equal(form_text(f, &name->hint, "de"), "As the person gives it.");
    assert_string_equal(form_text(f, &age->label, "de"), "Age");
    assert_string_equal(form_text(f, age->constraint_msg, "de"),
                        "Geben Sie ein Alter von 0 bis 120 ein.");
    assert_string_equal(form_choice_label(f, ok, "yes", "de"), "Ja");
    assert_string_equal(form_choice_label(f, ok, "no", "de"), "No");
    assert_string_equal(form_text(f, &name->label, "sl"), "Ime");
    assert_string_equal(form_text(f, &age->label, "sl_SI.UTF-8"), "Starost: ${/data/name}");
    assert_string_equal(form_text(f, age->constraint_msg, "sl"), "Enter an age from 0 to 120.");
    assert_string_equal(form_choice_label(f, ok, "yes", "sl"), "Yes");
    /* inline text is the same in every language */
    assert_string_equal(form_text(f, &ok->label, "sl"), "OK?");
    /* no language, an unknown one: the default */
    assert_string_equal(form_text(f, &name->hint, NULL), "As the person gives it.");
    assert_string_equal(form_text(f, &age->label, "fi"), "Age");
    form_free(&f);
}

static void test_language_is_chosen_by_its_code(void **state)
{
    (void)state;
    struct form *f = load("forms/imas-dimension-grid.xml");
    assert_non_null(f);
    assert_string_equal(form_language_match(f, "bg"), "Български (bg)");
    assert_string_equal(form_language_match(f, "bg_BG.UTF-8"), "Български (bg)");
    assert_string_equal(form_language_match(f, "de_AT"), "Deutsch (de)");
    assert_string_equal(form_language_match(f, "DE"), "Deutsch (de)");
    assert_string_equal(form_language_match(f, "pt-PT"), "Português (pt)");
    assert_string_equal(form_language_match(f, "en_GB.UTF-8@euro"), "English (en)");
    assert_string_equal(form_language_match(f, "Slovenčina (sk)"), "Slovenčina (sk)");
    assert_string_equal(form_language_match(f, "deutsch (de)"), "Deutsch (de)");
    assert_null(form_language_match(f, "pl"));
    assert_null(form_language_match(f, "b"));
    assert_null(form_language_match(f, ""));
    assert_null(form_language_match(f, NULL));
    const struct form_node *lf = form_find(f, "/data/grid/legal_framework");
    assert_non_null(lf);
    assert_string_equal(form_text(f, &lf->label, "bg"), "Правна рамка");
    assert_string_equal(form_text(f, &lf->label, "sk_SK.UTF-8"), "Právny rámec");
    assert_string_equal(form_text(f, &lf->label, "pl"), "Legal framework");
    form_free(&f);

    f = load("forms/ias-focus-group.xml");
    assert_non_null(f);
    assert_string_equal(form_language_match(f, "nb_NO.UTF-8"), "Norsk bokmål (nb)");
    assert_string_equal(form_language_match(f, "sl"), "Slovenščina (sl)");
    assert_string_equal(form_choice_label(f, form_find(f, "/data/session/country"), "PL", "pl"),
                        "Polska");
    form_free(&f);

    /* names without a code: the name, without (ASCII) case */
    f = load("tests/data/forms/good-two-languages.xml");
    assert_string_equal(form_language_match(f, "english"), "English");
    assert_string_equal(form_language_match(f, "Български"), "Български");
    assert_null(form_language_match(f, "bg"));
    form_free(&f);
}

static void set_env(const char *lc_all, const char *lang, const char *language)
{
    const char *names[] = {"LC_ALL", "LANG", "LANGUAGE"};
    const char *values[] = {lc_all, lang, language};
    unsetenv("LC_MESSAGES");
    for (int i = 0; i < 3; i++) {
        if (values[i])
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    }
}

/* LANG names a locale that was never generated (only C.UTF-8 exists on a
 * fresh system): the messages still follow it. */
static void test_locale_and_lang_choose_the_messages(void **state)
{
    (void)state;
    set_env(NULL, "pl_PL.UTF-8", NULL);
    i18n_init(NULL);
    char *l = i18n_language();
    assert_non_null(l);
    assert_string_equal(l, "pl_PL");
    free(l);
#if ENABLE_NLS
    assert_string_equal(_("Move up"), "W górę");
#endif
    set_env(NULL, NULL, NULL);
    i18n_init("bg");
    l = i18n_language();
    assert_string_equal(l, "bg");
    free(l);
#if ENABLE_NLS
    assert_string_equal(_("Move up"), "Нагоре");
#endif
    /* LC_ALL wins over LANG; C asks for no language */
    set_env("C", "de_DE.UTF-8", NULL);
    i18n_init(NULL);
    assert_null(i18n_language());
    assert_string_equal(_("Move up"), "Move up");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_form_has_every_text_in_every_language),
        cmocka_unit_test(test_shipped_forms_declare_their_partners_languages),
        cmocka_unit_test(test_the_completeness_check_finds_missing_and_empty_texts),
        cmocka_unit_test(test_missing_or_empty_translation_falls_back_to_english),
        cmocka_unit_test(test_language_is_chosen_by_its_code),
        cmocka_unit_test(test_locale_and_lang_choose_the_messages),
    };
    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
