/* test_form_lite.c: loading XForms safely: the shipped forms, languages,
 * the question tree, the catalog, and every load error with its exact
 * golden "file:line: message" (tests/data/forms/errors/bad-*.expected). */
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
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/tree.h"

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

static void test_shipped_dimension_grid_loads(void **state)
{
    (void)state;
    struct form *f = load("forms/imas-dimension-grid.xml");
    assert_non_null(f);
    assert_string_equal(form_id(f), "imas-dimension-grid");
    assert_string_equal(form_title(f), "IMAS dimension grid");
    assert_true(strlen(form_version(f)) > 0);
    assert_int_equal(strlen(form_hash(f)), 64);
    assert_string_equal(form_languages(f)[0], "English (en)");
    char *tree = form_tree_text(f, NULL);
    assert_non_null(strstr(tree, "group /data/grid "));
    assert_non_null(strstr(tree, "[imas-grid]"));
    /* the 12 dimension rows, each with its six fields */
    size_t gaps = 0;
    for (const char *p = tree; (p = strstr(p, "/gap \"")); p++)
        gaps++;
    assert_int_equal(gaps, 12);
    assert_non_null(strstr(tree, "/data/grid/legal_framework/target_state"));
    assert_non_null(strstr(tree, "/data/grid/practice_vs_role/evidence"));
    free(tree);
    form_free(&f);
    assert_null(f);
}

static void test_shipped_focus_group_loads_with_log_repeat(void **state)
{
    (void)state;
    struct form *f = load("forms/ias-focus-group.xml");
    assert_non_null(f);
    assert_string_equal(form_id(f), "ias-focus-group");
    char *tree = form_tree_text(f, NULL);
    assert_non_null(strstr(tree, "repeat /data/note [imas-log]"));
    assert_non_null(strstr(tree, "repeat /data/participant"));
    assert_non_null(strstr(tree, "/data/participant/code"));
    free(tree);
    form_free(&f);
}

static void test_labels_follow_language_and_fall_back_to_default(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-two-languages.xml");
    assert_non_null(f);
    assert_string_equal(form_languages(f)[0], "English");
    assert_string_equal(form_languages(f)[1], "Български");
    assert_null(form_languages(f)[2]);
    char *bg = form_tree_text(f, "Български");
    assert_non_null(strstr(bg, "select1 /data/role \"Роля\""));
    /* no Bulgarian text for notes: the default language, never empty */
    assert_non_null(strstr(bg, "input /data/notes \"Notes\""));
    free(bg);
    char *en = form_tree_text(f, "Klingon");
    assert_non_null(strstr(en, "select1 /data/role \"Role\""));
    free(en);
    form_free(&f);
}

static void test_hash_is_of_the_file_bytes(void **state)
{
    (void)state;
    struct form *a = load("tests/data/forms/good-two-languages.xml");
    struct form *b = load("tests/data/forms/good-two-languages.xml");
    assert_string_equal(form_hash(a), form_hash(b));
    assert_non_null(strstr(form_source(a), "<h:title>Two languages</h:title>"));
    form_free(&a);
    form_free(&b);
}

/* Every bad-*.xml fails to load with exactly the message in its .expected. */
static void test_every_bad_form_gives_its_golden_error(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/tests/data/forms/errors", srcdir());
    assert_int_equal(chdir(dir), 0);
    DIR *d = opendir(".");
    assert_non_null(d);
    struct dirent *de;
    int checked = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (strncmp(de->d_name, "bad-", 4) != 0 || n < 5 || strcmp(de->d_name + n - 4, ".xml"))
            continue;
        char *exp_path = xasprintf("%.*s.expected", (int)(n - 4), de->d_name);
        FILE *ef = fopen(exp_path, "r");
        assert_non_null(ef);
        char expected[1024] = "";
        assert_non_null(fgets(expected, sizeof expected, ef));
        fclose(ef);
        expected[strcspn(expected, "\n")] = '\0';
        struct error err = ERROR_INIT;
        struct form *f = form_load_file(de->d_name, &err);
        if (f)
            fail_msg("%s loaded, expected: %s", de->d_name, expected);
        char *got = error_format(&err);
        if (strcmp(got, expected) != 0)
            fail_msg("%s:\n  got      %s\n  expected %s", de->d_name, got, expected);
        free(got);
        error_clear(&err);
        free(exp_path);
        checked++;
    }
    closedir(d);
    free(dir);
    assert_true(checked >= 15);
}

static void test_catalog_keeps_first_form_and_lists_broken_ones(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/imas-forms-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *good = xasprintf("%s/tests/data/forms/good-two-languages.xml", srcdir());
    char *a = xasprintf("%s/a.xml", tmpl), *b = xasprintf("%s/b.xml", tmpl);
    char *broken = xasprintf("%s/c.xml", tmpl), *other = xasprintf("%s/notes.txt", tmpl);
    assert_int_equal(symlink(good, a), 0);
    assert_int_equal(symlink(good, b), 0); /* same id and version: listed once */
    FILE *fp = fopen(broken, "w");
    fputs("<h:html xmlns:h=\"http://www.w3.org/1999/xhtml\">\n<oops>\n", fp);
    fclose(fp);
    fp = fopen(other, "w");
    fputs("not a form", fp);
    fclose(fp);
    char *dirs[] = {tmpl, "/nonexistent-dir", NULL};
    struct form_catalog *c = form_catalog_scan(dirs);
    assert_int_equal(form_catalog_count(c), 1);
    const struct form_catalog_entry *e = form_catalog_get(c, 0);
    assert_string_equal(e->id, "two-langs");
    assert_string_equal(e->path, a);
    assert_string_equal(e->languages[1], "Български");
    assert_ptr_equal(form_catalog_find(c, "two-langs"), e);
    assert_null(form_catalog_find(c, "nope"));
    assert_int_equal(form_catalog_error_count(c), 1);
    assert_non_null(strstr(form_catalog_error(c, 0), "c.xml:"));
    form_catalog_free(&c);
    assert_null(c);
    unlink(a), unlink(b), unlink(broken), unlink(other), rmdir(tmpl);
    free(good), free(a), free(b), free(broken), free(other);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_dimension_grid_loads),
        cmocka_unit_test(test_shipped_focus_group_loads_with_log_repeat),
        cmocka_unit_test(test_labels_follow_language_and_fall_back_to_default),
        cmocka_unit_test(test_hash_is_of_the_file_bytes),
        cmocka_unit_test(test_catalog_keeps_first_form_and_lists_broken_ones),
        cmocka_unit_test(test_every_bad_form_gives_its_golden_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
