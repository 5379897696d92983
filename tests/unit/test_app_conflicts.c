/* The conflicts screen's logic (app/conflicts.c): what it lists after
 * a merge and what each choice writes. */
#include "config.h"

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
#include "merge/merge.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"
#include "app/conflicts.h"

static char tmpl[] = "/tmp/test_app_conflicts.XXXXXX";
static char *dir;
static int seq;

static char *form_xml_of(const char *name)
{
    char *path = xasprintf("%s/tests/data/forms/%s", ABS_TOP_SRCDIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = xmalloc(1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    free(path);
    return buf;
}

static void ok(bool b, struct error *err)
{
    if (!b)
        fail_msg("%s", err->msg ? err->msg : "?");
}

static struct store *open_store(const char *path, unsigned flags)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, flags, &err);
    ok(s != NULL, &err);
    return s;
}

static void copy(const char *from, const char *to)
{
    char *cmd = xasprintf("cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static void set_as(const char *path, const char *author, const char *when, const char *rec,
                   const char *field, const char *value)
{
    char device[UUID_STR_LEN];
    snprintf(device, sizeof device, "00000000-0000-4000-8000-0000000000%c%c", author[0], author[0]);
    struct error err = ERROR_INIT;
    char *sql = xasprintf("sqlite3 '%s' \"UPDATE meta SET value = '%s' WHERE key = 'device_id';"
                          " UPDATE meta SET value = '%s' WHERE key = 'db_uuid'\"",
                          path, device, device);
    assert_int_equal(system(sql), 0);
    free(sql);
    setenv("IMAS_SURVEY_NOW_MS", when, 1);
    struct store *s = open_store(path, 0);
    store_set_author(s, author);
    ok(store_answer_set(s, rec, "", field, value, &err), &err);
    store_close(&s);
}

static void merge(const char *target, const char *input)
{
    struct merge_input_result r;
    struct error err = ERROR_INIT;
    ok(merge_run(target, &input, 1, false, &r, &err), &err);
    assert_false(r.refused);
    merge_input_result_clear(&r);
}

/* The files of one conflict setup: a base with one record of the form
 * (file, id, version, title), copied to laptops "aaaa" and "bbbb". */
struct family {
    char *base, *a, *b, *t;
};

static struct family family_of(const char *form_file, const char *id, const char *title,
                               char rec[UUID_STR_LEN], const char *field, const char *value)
{
    struct error err = ERROR_INIT;
    seq++;
    struct family fam = {xasprintf("%s/base%d.sqlite", dir, seq),
                         xasprintf("%s/a%d.sqlite", dir, seq),
                         xasprintf("%s/b%d.sqlite", dir, seq),
                         xasprintf("%s/t%d.sqlite", dir, seq)};
    setenv("IMAS_SURVEY_NOW_MS", "1767225600000", 1);
    struct store *s = open_store(fam.base, STORE_CREATE);
    char *xml = form_xml_of(form_file);
    const char *version = strcmp(id, "two-langs") == 0 ? "7" : "1";
    ok(store_form_put(s, id, version, NULL, title, xml, &err) &&
           store_record_create(s, id, version, rec, &err) &&
           (!field || store_answer_set(s, rec, "", field, value, &err)),
       &err);
    free(xml);
    store_close(&s);
    copy(fam.base, fam.a);
    copy(fam.base, fam.b);
    return fam;
}

/* Both laptops merged into t, which is returned (the rest freed). */
static char *merged(struct family *fam)
{
    merge(fam->t, fam->a);
    merge(fam->t, fam->b);
    free(fam->base), free(fam->a), free(fam->b);
    return fam->t;
}

/* A file t where laptops "aaaa" and "bbbb" set /data/photo of the upload
 * form to two different attached files. */
static char *conflicted_upload(char rec[UUID_STR_LEN])
{
    struct family fam = family_of("good-upload.xml", "upload", "Upload", rec, NULL, NULL);
    char va[80], vb[80];
    snprintf(va, sizeof va, "%064d a.jpg", 0);
    snprintf(vb, sizeof vb, "%064d b.jpg", 1);
    set_as(fam.a, "aaaa", "1767225650000", rec, "/data/photo", va);
    set_as(fam.b, "bbbb", "1767225660000", rec, "/data/photo", vb);
    return merged(&fam);
}

/* A file t where laptops "aaaa" and "bbbb" set /data/notes (and
 * /data/role) differently from the same revision. */
static char *conflicted(char rec[UUID_STR_LEN])
{
    struct family fam = family_of("good-two-languages.xml", "two-langs", "Two languages", rec,
                                  "/data/notes", "first");
    set_as(fam.a, "aaaa", "1767225650000", rec, "/data/notes", "Учителят помага");
    set_as(fam.b, "bbbb", "1767225660000", rec, "/data/notes", "Asistentka pomáha");
    set_as(fam.a, "aaaa", "1767225670000", rec, "/data/role", "assistant");
    set_as(fam.b, "bbbb", "1767225680000", rec, "/data/role", "teacher");
    return merged(&fam);
}

static void test_lists_each_conflict_with_label_form_and_both_sides(void **state)
{
    (void)state;
    char rec[UUID_STR_LEN];
    char *t = conflicted(rec);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, "Български");
    assert_null(v.error);
    assert_int_equal(v.n, 2);
    /* ordered by field: /data/notes, then /data/role */
    assert_string_equal(v.rows[0].c.field, "/data/notes");
    assert_string_equal(v.rows[0].label, "Notes"); /* no Bulgarian label: English */
    assert_string_equal(v.rows[1].label, "Роля");
    /* a record without a name: its form's title and the start of its UUID */
    char want[64];
    snprintf(want, sizeof want, "Two languages %.8s", rec);
    assert_string_equal(v.rows[0].title, want);
    assert_false(v.rows[0].finalized);
    assert_string_equal(v.rows[0].c.current.value, "Asistentka pomáha");
    assert_string_equal(v.rows[0].c.current.author, "bbbb");
    assert_string_equal(v.rows[0].c.other.value, "Учителят помага");
    assert_string_equal(v.rows[0].c.other.author, "aaaa");
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

static void test_each_choice_writes_a_new_revision(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    char *t = conflicted(rec);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 2);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_OTHER, NULL, &err), &err);
    assert_int_equal(v.n, 1); /* re-read: only /data/role left */
    assert_string_equal(v.rows[0].c.field, "/data/role");
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "assistant", &err), &err);
    assert_int_equal(v.n, 0);
    char *val;
    ok(store_answer_get(s, rec, "", "/data/notes", &val, &err), &err);
    assert_string_equal(val, "Учителят помага");
    free(val);
    ok(store_answer_get(s, rec, "", "/data/role", &val, &err), &err);
    assert_string_equal(val, "assistant");
    free(val);
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_CURRENT, NULL, &err));
    error_clear(&err);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

static void test_keeping_current_value_ends_the_conflict(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    char *t = conflicted(rec);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_CURRENT, NULL, &err), &err);
    assert_int_equal(v.n, 1);
    struct store_answer a;
    bool found;
    ok(store_answer_info(s, rec, "", "/data/notes", &a, &found, &err), &err);
    assert_string_equal(a.value, "Asistentka pomáha");
    assert_int_equal(a.revision, 3);
    store_answer_clear(&a);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

static void test_finalized_record_must_be_reopened_first(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    char *t = conflicted(rec);
    struct store *s = open_store(t, 0);
    ok(store_record_finalize(s, rec, &err), &err);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 2);
    assert_true(v.rows[0].finalized);
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_OTHER, NULL, &err));
    assert_non_null(strstr(err.msg, "reopen"));
    error_clear(&err);
    assert_int_equal(v.n, 2);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

/* A typed value is one the questionnaire would take: not a choice of the
 * question is refused with its reason and nothing is written. */
static void test_typed_value_must_fit_the_question(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    char *t = conflicted(rec);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 2);
    assert_string_equal(v.rows[1].c.field, "/data/role");
    assert_false(conflicts_resolve(&v, s, NULL, 1, CONFLICT_EDITED, "astronaut", &err));
    assert_non_null(err.msg);
    error_clear(&err);
    assert_int_equal(v.n, 2);
    char *val;
    ok(store_answer_get(s, rec, "", "/data/role", &val, &err), &err);
    assert_string_equal(val, "teacher");
    free(val);
    ok(conflicts_resolve(&v, s, NULL, 1, CONFLICT_EDITED, "assistant", &err), &err);
    assert_int_equal(v.n, 1);
    /* a one-line question takes no line break (the questionnaire would
     * join the lines on its next save) */
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "Бургас\nред2", &err));
    assert_non_null(strstr(err.msg, "one line"));
    error_clear(&err);
    assert_int_equal(v.n, 1);
    /* free text takes anything else */
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "astronaut", &err), &err);
    assert_int_equal(v.n, 0);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

/* A date typed without padding is taken as the questionnaire takes it,
 * and saved padded; a day that does not exist is refused. */
static void test_typed_date_is_saved_padded(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    struct family fam = family_of("good-date-unpadded.xml", "date-unpadded", "Unpadded dates",
                                  rec, "/data/birth", "2000-01-01");
    set_as(fam.a, "aaaa", "1767225650000", rec, "/data/birth", "2000-01-02");
    set_as(fam.b, "bbbb", "1767225660000", rec, "/data/birth", "2000-01-03");
    char *t = merged(&fam);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 1);
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "2000-2-30", &err));
    assert_non_null(err.msg);
    error_clear(&err);
    assert_int_equal(v.n, 1);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "2000-1-5", &err), &err);
    assert_int_equal(v.n, 0);
    char *val;
    ok(store_answer_get(s, rec, "", "/data/birth", &val, &err), &err);
    assert_string_equal(val, "2000-01-05");
    free(val);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

/* An attached file is chosen from a side, never typed. */
static void test_attached_file_is_not_typed(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    char *t = conflicted_upload(rec);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 1);
    assert_true(v.rows[0].upload);
    assert_false(v.rows[0].editable);
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "../../evil", &err));
    assert_non_null(strstr(err.msg, "attached file"));
    error_clear(&err);
    assert_int_equal(v.n, 1);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_OTHER, NULL, &err), &err);
    assert_int_equal(v.n, 0);
    conflicts_free(&v);
    store_close(&s);
    free(t);
}

int main(void)
{
    dir = mkdtemp(tmpl);
    if (!dir)
        return 1;
    unsetenv("TMPDIR");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_each_conflict_with_label_form_and_both_sides),
        cmocka_unit_test(test_each_choice_writes_a_new_revision),
        cmocka_unit_test(test_keeping_current_value_ends_the_conflict),
        cmocka_unit_test(test_finalized_record_must_be_reopened_first),
        cmocka_unit_test(test_typed_value_must_fit_the_question),
        cmocka_unit_test(test_attached_file_is_not_typed),
        cmocka_unit_test(test_typed_date_is_saved_padded),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return failed;
}
