/* test_survey.c: the rules export and the screens share (src/survey):
 * which form a record uses, a record's title, the notes log's fields. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <locale.h>

#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"
#include "survey/form_of.h"
#include "survey/notes_log.h"
#include "survey/tags.h"
#include "survey/title.h"

static char tmpl[] = "/tmp/test_survey.XXXXXX";
static char *dir;
static int seq;

static char *slurp(const char *rel)
{
    char *path = xasprintf("%s/%s", ABS_TOP_SRCDIR, rel);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = xmalloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    free(path);
    return buf;
}

static void spill(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The two-language form with its title changed: same id and version,
 * other bytes (a form edited without a new version). */
static char *edited_xml(void)
{
    char *x = slurp("tests/data/forms/good-two-languages.xml");
    char *t = strstr(x, "<h:title>Two languages</h:title>");
    assert_non_null(t);
    char *out = xasprintf("%.*s<h:title>Two languages, edited</h:title>%s", (int)(t - x), x,
                          t + strlen("<h:title>Two languages</h:title>"));
    free(x);
    return out;
}

struct fx {
    struct store *s;
    char *catdir;
    struct form_catalog *cat; /* holds the two-language form as shipped */
};

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof *fx);
    char *path = xasprintf("%s/s%d.sqlite", dir, seq);
    struct error err = ERROR_INIT;
    fx->s = store_open(path, STORE_CREATE, &err);
    assert_non_null(fx->s);
    free(path);
    fx->catdir = xasprintf("%s/forms%d", dir, seq++);
    assert_int_equal(mkdir(fx->catdir, 0700), 0);
    char *x = slurp("tests/data/forms/good-two-languages.xml");
    char *fp = xasprintf("%s/two.xml", fx->catdir);
    spill(fp, x);
    free(fp);
    free(x);
    char *dirs[] = {fx->catdir, NULL};
    fx->cat = form_catalog_scan(dirs);
    assert_int_equal(form_catalog_count(fx->cat), 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_close(&fx->s);
    form_catalog_free(&fx->cat);
    free(fx->catdir);
    free(fx);
    return 0;
}

static void put(struct store *s, const char *xml)
{
    struct error err = ERROR_INIT;
    if (!store_form_put(s, "two-langs", "7", NULL, "Two languages", xml, &err))
        fail_msg("%s", err.msg);
}

static const struct form *catalog_form(struct fx *fx)
{
    return form_catalog_find_version(fx->cat, "two-langs", "7")->form;
}

static void test_form_of_uses_the_stored_definition_over_the_catalogs(void **state)
{
    struct fx *fx = *state;
    char *x = edited_xml();
    put(fx->s, x);
    free(x);
    struct survey_form sf;
    struct error err = ERROR_INIT;
    assert_true(survey_form_of(fx->s, fx->cat, "two-langs", "7", &sf, &err));
    assert_int_equal(sf.state, SURVEY_FORM_STORED);
    assert_non_null(sf.owned);
    assert_ptr_equal(sf.form, sf.owned);
    assert_string_equal(form_title(sf.form), "Two languages, edited");
    survey_form_clear(&sf);
    assert_null(sf.owned);
}

static void test_form_of_takes_the_catalogs_copy_of_the_same_bytes(void **state)
{
    struct fx *fx = *state;
    char *x = slurp("tests/data/forms/good-two-languages.xml");
    put(fx->s, x);
    free(x);
    struct survey_form sf;
    assert_true(survey_form_of(fx->s, fx->cat, "two-langs", "7", &sf, NULL));
    assert_int_equal(sf.state, SURVEY_FORM_STORED);
    assert_null(sf.owned); /* not parsed again */
    assert_ptr_equal(sf.form, catalog_form(fx));
    survey_form_clear(&sf);
}

static void test_form_of_falls_back_to_the_catalogs_same_version(void **state)
{
    struct fx *fx = *state;
    struct survey_form sf;
    struct error err = ERROR_INIT;
    assert_true(survey_form_of(fx->s, fx->cat, "two-langs", "7", &sf, &err));
    assert_int_equal(sf.state, SURVEY_FORM_CATALOG);
    assert_ptr_equal(sf.form, catalog_form(fx));
    assert_false(error_isset(&err));
    /* another version of the same form is not the record's form */
    assert_true(survey_form_of(fx->s, fx->cat, "two-langs", "8", &sf, &err));
    assert_int_equal(sf.state, SURVEY_FORM_MISSING);
    assert_null(sf.form);
    assert_non_null(strstr(err.msg, "two-langs"));
    error_clear(&err);
    survey_form_clear(&sf);
}

static void test_form_of_says_when_the_stored_form_does_not_load(void **state)
{
    struct fx *fx = *state;
    struct error err = ERROR_INIT;
    if (!store_form_put(fx->s, "two-langs", "7", NULL, "Two", "<h:html>broken", &err))
        fail_msg("%s", err.msg);
    struct survey_form sf;
    assert_true(survey_form_of(fx->s, NULL, "two-langs", "7", &sf, &err));
    assert_int_equal(sf.state, SURVEY_FORM_BROKEN);
    assert_null(sf.form);
    assert_true(error_isset(&err));
    error_clear(&err);
    /* with the catalog, its same version stands in */
    assert_true(survey_form_of(fx->s, fx->cat, "two-langs", "7", &sf, &err));
    assert_int_equal(sf.state, SURVEY_FORM_CATALOG);
    assert_ptr_equal(sf.form, catalog_form(fx));
    assert_false(error_isset(&err));
    survey_form_clear(&sf);
}

static void test_forms_cache_resolves_each_version_once(void **state)
{
    struct fx *fx = *state;
    char *x = edited_xml();
    put(fx->s, x);
    free(x);
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    if (!store_record_create(fx->s, "two-langs", "7", rec, &err))
        fail_msg("%s", err.msg);
    struct survey_forms *fs = survey_forms_new(fx->s, fx->cat);
    const struct form *a = survey_forms_get(fs, "two-langs", "7");
    assert_non_null(a);
    assert_string_equal(form_title(a), "Two languages, edited");
    assert_ptr_equal(survey_forms_get(fs, "two-langs", "7"), a);
    assert_ptr_equal(survey_forms_of_record(fs, rec), a);
    assert_null(survey_forms_get(fs, "nothing", "1"));
    assert_null(survey_forms_of_record(fs, "00000000-0000-4000-8000-000000000000"));
    survey_forms_free(&fs);
    assert_null(fs);
}

static struct form *load(const char *rel)
{
    char *p = xasprintf("%s/%s", ABS_TOP_SRCDIR, rel);
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(p, &err);
    if (!f)
        fail_msg("%s: %s", p, err.msg);
    free(p);
    return f;
}

static const char *field_named(const struct form *f, const char *name)
{
    size_t n = 0;
    const struct form_field *fields = form_fields(f, &n);
    for (size_t i = 0; i < n; i++)
        if (!fields[i].repeat_path && strcmp(fields[i].name, name) == 0)
            return fields[i].path;
    fail_msg("no field %s", name);
    return NULL;
}

static void test_title_is_the_form_and_the_records_name(void **state)
{
    struct fx *fx = *state;
    struct form *f = load("forms/ias-focus-group.xml");
    char *x = slurp("forms/ias-focus-group.xml");
    struct error err = ERROR_INIT;
    if (!store_form_put(fx->s, form_id(f), form_version(f), NULL, form_title(f), x, &err))
        fail_msg("%s", err.msg);
    free(x);
    char rec[UUID_STR_LEN];
    if (!store_record_create(fx->s, form_id(f), form_version(f), rec, &err))
        fail_msg("%s", err.msg);
    /* unnamed, or named only with spaces: the form and the UUID's start */
    char *t = survey_record_title(fx->s, f, rec);
    char *want = xasprintf("%s %.8s", form_title(f), rec);
    assert_string_equal(t, want);
    free(t);
    assert_null(survey_record_name(fx->s, f, rec));
    const char *name = field_named(f, "instanceName");
    if (!store_answer_set(fx->s, rec, "", name, "   ", &err))
        fail_msg("%s", err.msg);
    t = survey_record_title(fx->s, f, rec);
    assert_string_equal(t, want);
    free(t);
    free(want);
    if (!store_answer_set(fx->s, rec, "", name, "Gdańsk, Szkoła 3", &err))
        fail_msg("%s", err.msg);
    t = survey_record_title(fx->s, f, rec);
    want = xasprintf("%s: Gdańsk, Szkoła 3", form_title(f));
    assert_string_equal(t, want);
    free(t);
    free(want);
    char *n = survey_record_name(fx->s, f, rec);
    assert_string_equal(n, "Gdańsk, Szkoła 3");
    free(n);
    form_free(&f);
}

static void test_notes_log_fields_of_the_focus_group_form(void **state)
{
    (void)state;
    struct form *f = load("forms/ias-focus-group.xml");
    struct survey_log l;
    assert_true(survey_log_find(f, &l));
    assert_ptr_equal(l.repeat, form_log_repeat(f));
    char *want = xasprintf("%s/text", l.repeat->path);
    assert_string_equal(l.text, want);
    assert_true(survey_log_is_text(&l, want));
    free(want);
    const char *names[] = {"speaker", "topic", "phase", "tags", "quote", "started_at",
                           "committed_at"};
    const char *got[] = {l.speaker, l.topic, l.phase, l.tags, l.quote, l.started_at,
                         l.committed_at};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = xasprintf("%s/%s", l.repeat->path, names[i]);
        assert_non_null(got[i]);
        assert_string_equal(got[i], p);
        assert_false(survey_log_is_text(&l, p));
        free(p);
    }
    assert_non_null(l.roster);
    assert_int_equal(l.roster->kind, FORM_REPEAT);
    char *code = xasprintf("%s/code", l.roster->path);
    assert_string_equal(l.code, code);
    free(code);
    assert_non_null(l.consent);
    survey_log_clear(&l);
    assert_null(l.text);
    assert_null(l.repeat);
    form_free(&f);
}

static void test_notes_log_absent_from_a_form_without_one(void **state)
{
    (void)state;
    struct form *f = load("forms/imas-dimension-grid.xml");
    struct survey_log l;
    assert_false(survey_log_find(f, &l));
    assert_null(l.repeat);
    assert_null(l.text);
    survey_log_clear(&l);
    form_free(&f);
}

static void test_text_has_tag_in_any_case_as_a_whole_tag(void **state)
{
    (void)state;
    const char *text = "Rodzice i #Żłobek: #współpraca, line one\nline two #Multi #access";
    assert_true(survey_text_has_tag(text, "żłobek"));
    assert_true(survey_text_has_tag(text, "#ŻŁOBEK"));
    assert_true(survey_text_has_tag(text, "multi"));
    assert_true(survey_text_has_tag(text, "współpraca"));
    assert_false(survey_text_has_tag(text, "acc"));        /* a tag, not its start */
    assert_false(survey_text_has_tag(text, "rodzice"));    /* a word, not a tag */
    assert_false(survey_text_has_tag("C#sharp", "sharp")); /* '#' inside a word */
    assert_false(survey_text_has_tag("", "multi"));
    char *t = survey_tags_of(text);
    assert_string_equal(t, "żłobek współpraca multi access");
    free(t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8"); /* tags of any script, as the program runs */
    dir = mkdtemp(tmpl);
    assert_non_null(dir);
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_form_of_uses_the_stored_definition_over_the_catalogs),
        T(test_form_of_takes_the_catalogs_copy_of_the_same_bytes),
        T(test_form_of_falls_back_to_the_catalogs_same_version),
        T(test_form_of_says_when_the_stored_form_does_not_load),
        T(test_forms_cache_resolves_each_version_once),
        T(test_title_is_the_form_and_the_records_name),
        T(test_notes_log_fields_of_the_focus_group_form),
        T(test_notes_log_absent_from_a_form_without_one),
        T(test_text_has_tag_in_any_case_as_a_whole_tag),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    return rc;
}
