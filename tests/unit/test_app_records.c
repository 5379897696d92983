/* test_app_records.c: the home screen's records list (app/records.h): its
 * rows and cells (the form's title, the record's name, a choice shown as
 * its label), the conflicts count, deleting and reopening. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/records.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"

static char tmpl[] = "/tmp/test_app_records.XXXXXX";
static char *dir;
static int seq;

struct fx {
    struct store *s;
    struct form *form;
};

static void ok(bool b, struct error *err)
{
    if (!b)
        fail_msg("%s", err->msg ? err->msg : "?");
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = xmalloc(1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof *fx);
    char *path = xasprintf("%s/s%d.sqlite", dir, seq++);
    struct error err = ERROR_INIT;
    fx->s = store_open(path, STORE_CREATE, &err);
    ok(fx->s != NULL, &err);
    free(path);
    char *fp = xasprintf("%s/forms/imas-dimension-grid.xml", ABS_TOP_SRCDIR);
    fx->form = form_load_file(fp, &err);
    ok(fx->form != NULL, &err);
    char *xml = slurp(fp);
    ok(store_form_put(fx->s, form_id(fx->form), form_version(fx->form), form_hash(fx->form),
                      form_title(fx->form), xml, &err),
       &err);
    free(xml);
    free(fp);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    store_close(&fx->s);
    form_free(&fx->form);
    free(fx);
    return 0;
}

static void new_record(struct fx *fx, char uuid[UUID_STR_LEN], const char *country,
                       const char *name)
{
    struct error err = ERROR_INIT;
    ok(store_record_create(fx->s, form_id(fx->form), form_version(fx->form), uuid, &err), &err);
    if (country)
        ok(store_answer_set(fx->s, uuid, "", "/data/visit/country", country, &err), &err);
    if (name)
        ok(store_answer_set(fx->s, uuid, "", "/data/meta/instanceName", name, &err), &err);
}

static size_t row_of(const struct records *r, const char *uuid)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].uuid, uuid) == 0)
            return i;
    fail_msg("record %s not listed", uuid);
    return 0;
}

static void test_rows_show_form_title_name_and_choice_label(void **state)
{
    struct fx *fx = *state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    new_record(fx, a, "BG", "Софийско училище 2026-11-24");
    new_record(fx, b, NULL, "   ");
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_null(r.error);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.conflicts, 0);
    assert_non_null(strstr(records_file(&r), ".sqlite"));
    const struct records_cells *c = records_cells(&r, row_of(&r, a));
    assert_string_equal(c->form, form_title(fx->form));
    assert_string_equal(c->title, "Софийско училище 2026-11-24");
    assert_string_equal(c->country, "Bulgaria"); /* the label, not the code */
    assert_null(c->school);
    /* asked again: the same cells, not read again */
    assert_ptr_equal(records_cells(&r, row_of(&r, a)), c);
    c = records_cells(&r, row_of(&r, b));
    assert_null(c->title); /* a blank name is no name */
    assert_null(c->country);
    records_clear(&r);
}

static void test_a_record_of_an_unknown_form_shows_its_id(void **state)
{
    struct fx *fx = *state;
    struct error err = ERROR_INIT;
    ok(store_form_put(fx->s, "gone", "1", NULL, "Gone", "<not a form", &err), &err);
    char u[UUID_STR_LEN];
    ok(store_record_create(fx->s, "gone", "1", u, &err), &err);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    const struct records_cells *c = records_cells(&r, row_of(&r, u));
    assert_string_equal(c->form, "gone");
    assert_null(c->title);
    records_clear(&r);
}

static void test_delete_and_reopen_read_the_list_again(void **state)
{
    struct fx *fx = *state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    new_record(fx, a, NULL, NULL);
    new_record(fx, b, NULL, NULL);
    struct error err = ERROR_INIT;
    ok(store_record_finalize(fx->s, b, &err), &err);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_true(records_finalized(&r, row_of(&r, b)));
    assert_false(records_finalized(&r, row_of(&r, a)));
    /* a blank reason is refused, and the record stays finalized */
    assert_false(records_reopen(&r, row_of(&r, b), " ", &err));
    error_clear(&err);
    assert_true(records_finalized(&r, row_of(&r, b)));
    ok(records_reopen(&r, row_of(&r, b), "a wrong school", &err), &err);
    assert_false(records_finalized(&r, row_of(&r, b)));
    ok(records_delete(&r, row_of(&r, a), &err), &err);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].uuid, b);
    records_clear(&r);
}

static void test_find_names_the_row_of_a_uuid(void **state)
{
    struct fx *fx = *state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    new_record(fx, a, NULL, NULL);
    new_record(fx, b, NULL, NULL);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_int_equal(records_find(&r, a), row_of(&r, a));
    assert_int_equal(records_find(&r, b), row_of(&r, b));
    assert_int_not_equal(records_find(&r, a), records_find(&r, b));
    assert_int_equal(records_find(&r, "00000000-0000-0000-0000-000000000000"), r.n);
    assert_int_equal(records_find(&r, NULL), r.n);
    records_clear(&r);
}

/* Three records of different countries, the newest last made. */
static void three(struct fx *fx, char at[UUID_STR_LEN], char bg[UUID_STR_LEN],
                  char pt[UUID_STR_LEN])
{
    new_record(fx, bg, "BG", "Софийско училище");
    new_record(fx, at, "AT", "Österreich Schule");
    new_record(fx, pt, "PT", "Lisboa escola");
}

static void test_sort_by_each_key_keeps_last_edit_as_default(void **state)
{
    struct fx *fx = *state;
    char at[UUID_STR_LEN], bg[UUID_STR_LEN], pt[UUID_STR_LEN];
    three(fx, at, bg, pt);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_int_equal(r.sort, RECORDS_SORT_EDIT);
    assert_string_equal(r.rows[0].uuid, pt); /* newest first */
    assert_string_equal(r.rows[2].uuid, bg);
    records_set_sort(&r, RECORDS_SORT_COUNTRY); /* Austria, Bulgaria, Portugal */
    assert_string_equal(r.rows[0].uuid, at);
    assert_string_equal(r.rows[1].uuid, bg);
    assert_string_equal(r.rows[2].uuid, pt);
    assert_string_equal(records_cells(&r, 0)->country, "Austria"); /* cells move with rows */
    records_set_sort(&r, RECORDS_SORT_TITLE); /* Lisboa, Österreich, Софийско */
    assert_string_equal(r.rows[0].uuid, pt);
    assert_string_equal(r.rows[1].uuid, at);
    assert_string_equal(r.rows[2].uuid, bg);
    assert_string_equal(records_cells(&r, 2)->title, "Софийско училище");
    /* the sort survives reading the list again */
    records_load(&r);
    assert_string_equal(r.rows[0].uuid, pt);
    assert_string_equal(r.rows[2].uuid, bg);
    /* the key cycles through every sort and back to last edit */
    enum records_sort k = RECORDS_SORT_EDIT;
    for (int i = 0; i < RECORDS_SORT_COUNT; i++) {
        assert_non_null(records_sort_name(k));
        k = records_sort_next(k);
    }
    assert_int_equal(k, RECORDS_SORT_EDIT);
    assert_string_equal(records_sort_name(RECORDS_SORT_COUNTRY), "country");
    records_clear(&r);
}

static void test_filter_matches_any_column_case_insensitively(void **state)
{
    struct fx *fx = *state;
    char at[UUID_STR_LEN], bg[UUID_STR_LEN], pt[UUID_STR_LEN];
    three(fx, at, bg, pt);
    struct error err = ERROR_INIT;
    ok(store_record_finalize(fx->s, at, &err), &err);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_false(records_filtered(&r));
    records_set_filter(&r, "СОФИЙ", NULL); /* Cyrillic upper case finds lower */
    assert_true(records_filtered(&r));
    assert_int_equal(r.n, 1);
    assert_int_equal(r.total, 3);
    assert_string_equal(r.rows[0].uuid, bg);
    assert_int_equal(records_find(&r, at), r.n); /* filtered out: not listed */
    records_set_filter(&r, "österREICH", NULL); /* Ö matches ö */
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].uuid, at);
    records_set_filter(&r, "portugal", NULL); /* the country's label */
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].uuid, pt);
    records_set_filter(&r, "Finalized", NULL); /* the state */
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].uuid, at);
    static const char *const de[2] = {"Entwurf", "finalisiert"};
    records_set_filter(&r, "ENTWURF", de); /* the state in the user's language */
    assert_int_equal(r.n, 2);
    records_set_filter(&r, form_title(fx->form), NULL); /* the form */
    assert_int_equal(r.n, 3);
    records_set_filter(&r, "nowhere at all", NULL);
    assert_int_equal(r.n, 0);
    /* filtered and sorted together, kept when the list is read again */
    records_set_filter(&r, "draft", NULL);
    records_set_sort(&r, RECORDS_SORT_COUNTRY);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.rows[0].uuid, bg);
    assert_string_equal(r.rows[1].uuid, pt);
    records_load(&r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.rows[1].uuid, pt);
    records_set_filter(&r, "", NULL); /* cleared: every record */
    assert_int_equal(r.n, 3);
    assert_false(records_filtered(&r));
    records_clear(&r);
}

static void test_refresh_reads_again_after_another_program_wrote(void **state)
{
    struct fx *fx = *state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    new_record(fx, a, "AT", NULL);
    struct records r;
    records_init(&r, fx->s, NULL, NULL);
    records_load(&r);
    assert_int_equal(r.n, 1);
    assert_false(records_refresh(&r)); /* nothing written since */
    /* our own write is not another program's */
    new_record(fx, b, "BG", NULL);
    assert_false(records_refresh(&r));
    records_load(&r);
    assert_int_equal(r.n, 2);
    /* another connection (a merge from another shell) writes a record */
    struct error err = ERROR_INIT;
    struct store *other = store_open(store_path(fx->s), 0, &err);
    ok(other != NULL, &err);
    char c[UUID_STR_LEN];
    ok(store_record_create(other, form_id(fx->form), form_version(fx->form), c, &err), &err);
    assert_true(records_refresh(&r));
    assert_int_equal(r.n, 3);
    assert_int_equal(records_find(&r, c), 0); /* the newest */
    assert_false(records_refresh(&r)); /* seen now */
    int64_t seen = 0;
    assert_true(store_changed_since(fx->s, &seen)); /* from 0: the first look */
    assert_false(store_changed_since(fx->s, &seen));
    store_close(&other);
    records_clear(&r);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    dir = mkdtemp(tmpl);
    assert_non_null(dir);
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_rows_show_form_title_name_and_choice_label),
        T(test_a_record_of_an_unknown_form_shows_its_id),
        T(test_delete_and_reopen_read_the_list_again),
        T(test_find_names_the_row_of_a_uuid),
        T(test_sort_by_each_key_keeps_last_edit_as_default),
        T(test_filter_matches_any_column_case_insensitively),
        T(test_refresh_reads_again_after_another_program_wrote),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    return rc;
}
