/* test_merge_history.c: history-aware conflicts (SPEC 6, issue 15): every
 * version knows the versions it replaced, two versions of an answer where
 * neither descends from the other are a conflict whatever their revisions,
 * until a resolution names both; one-sided edits, equal values and relays
 * never are. Also the upgrade of a version 1 file (tests/data/upgrade). */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "merge/merge.h"
#include "merge/merge_sql.h"
#include "store/answers.h"
#include "store/check.h"
#include "store/conflicts.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/schema.h"
#include "store/store.h"

#define BASE_MS INT64_C(1767225600000)

static char tmpdir[] = "/tmp/test_merge_history.XXXXXX";
static char *dir;
static int test_no;
static char *tdir;
static char rec[UUID_STR_LEN];

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", tdir, name);
}

#include "laptop_fixture.h"

static void set(const char *path, int64_t ms, const char *value)
{
    struct error err = ERROR_INIT;
    at(ms);
    struct store *s = open_store(path, 0);
    if (!store_answer_set(s, rec, "", "/data/a", value, &err))
        fail_msg("set: %s", err.msg);
    store_close(&s);
}

static char *get(const char *path)
{
    struct error err = ERROR_INIT;
    char *v = NULL;
    struct store *s = open_store(path, 0);
    if (!store_answer_get(s, rec, "", "/data/a", &v, &err))
        fail_msg("get: %s", err.msg);
    store_close(&s);
    return v;
}

/* A base file on laptop "base" with one answer "one", and a copy of it
 * for each name. */
static char *base_file(void)
{
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite");
    laptop("base");
    at(0);
    struct store *s = open_store(base, STORE_CREATE);
    if (!store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) ||
        !store_record_create(s, "f", "1", rec, &err) ||
        !store_answer_set(s, rec, "", "/data/a", "one", &err))
        fail_msg("base: %s", err.msg);
    store_close(&s);
    return base;
}

static char *copy_of(const char *from, const char *name)
{
    char *p = tpath(name);
    copy_file(from, p);
    return p;
}

static struct merge_counts merge(const char *target, const char *input)
{
    struct error err = ERROR_INIT;
    struct merge_input_result r;
    if (!merge_run(target, &input, 1, false, &r, &err))
        fail_msg("merge_run: %s", err.msg);
    if (r.refused)
        fail_msg("%s refused: %s", input, r.reason);
    struct merge_counts c = r.counts;
    merge_input_result_clear(&r);
    return c;
}

static int64_t conflicts(const char *path)
{
    struct error err = ERROR_INIT;
    int64_t n = -1;
    struct store *s = open_store(path, 0);
    if (!store_conflict_count(s, &n, &err))
        fail_msg("count: %s", err.msg);
    store_close(&s);
    return n;
}

static int setup(void **state)
{
    (void)state;
    tdir = xasprintf("%s/%d", dir, ++test_no);
    assert_int_equal(mkdir(tdir, 0755), 0);
    char *tmp = tpath("tmp");
    assert_int_equal(mkdir(tmp, 0755), 0);
    setenv("TMPDIR", tmp, 1);
    free(tmp);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xfree(&tdir);
    return 0;
}

/* ---- the cases ---------------------------------------------------------- */

static void test_one_sided_edits_are_never_a_conflict(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *t = copy_of(base, "t.sqlite");
    laptop("a");
    set(a, 1000, "two");
    set(a, 2000, "three");
    set(a, 3000, "four");
    struct merge_counts c = merge(t, a);
    assert_int_equal(c.conflicts, 0);
    assert_int_equal(c.answers_updated, 1);
    assert_int_equal(conflicts(t), 0);
    char *v = get(t);
    assert_string_equal(v, "four");
    free(v);
    /* and the other way round: the base merged into the edited copy */
    c = merge(a, base);
    assert_int_equal(c.conflicts, 0);
    assert_int_equal(conflicts(a), 0);
    free(base), free(a), free(t);
}

static void test_same_value_on_two_laptops_is_not_a_conflict(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *b = copy_of(base, "b.sqlite"), *t = tpath("t.sqlite");
    laptop("a");
    set(a, 1000, "same");
    laptop("b");
    set(b, 2000, "other");
    set(b, 3000, "same"); /* B wandered, then came to A's value */
    merge(t, a);
    struct merge_counts c = merge(t, b);
    assert_int_equal(c.conflicts, 0);
    assert_int_equal(conflicts(t), 0);
    free(base), free(a), free(b), free(t);
}

/* A's edit travels to C (a relay), C edits on top of it: C descends from
 * A, so merging A and C anywhere, in any order, is no conflict. */
static void test_relay_then_edit_is_not_a_conflict(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *c = copy_of(base, "c.sqlite"), *t = tpath("t.sqlite"),
         *u = tpath("u.sqlite");
    laptop("a");
    set(a, 5000, "from A"); /* later than C's edit below */
    merge(c, a);
    laptop("c");
    set(c, 1000, "C on top of A"); /* an earlier clock than A's edit */
    assert_int_equal(conflicts(c), 0);
    assert_int_equal(merge(t, a).conflicts, 0);
    assert_int_equal(merge(t, c).conflicts, 0);
    assert_int_equal(merge(u, c).conflicts, 0);
    assert_int_equal(merge(u, a).conflicts, 0);
    assert_int_equal(conflicts(t), 0);
    assert_int_equal(conflicts(u), 0);
    char *v = get(t);
    assert_string_equal(v, "C on top of A");
    free(v);
    free(base), free(a), free(c), free(t), free(u);
}

/* The silent drop of issue 15, seen from every order and grouping: A
 * saves once, B twice; every merged file has the conflict, the same
 * winner and the same rows. */
static void test_one_against_two_in_every_order_and_grouping(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *b = copy_of(base, "b.sqlite"), *ab = tpath("ab.sqlite"),
         *ba = tpath("ba.sqlite"), *into_a = copy_of(base, "into-a.sqlite");
    laptop("a");
    set(a, 9000, "A once");
    laptop("b");
    set(b, 1000, "B first");
    set(b, 2000, "B second");
    assert_int_equal(merge(ab, a).conflicts, 0);
    assert_int_equal(merge(ab, b).conflicts, 1);
    assert_int_equal(merge(ba, b).conflicts, 0);
    assert_int_equal(merge(ba, a).conflicts, 1);
    char *tmp = copy_of(a, "a-then-b.sqlite");
    assert_int_equal(merge(tmp, b).conflicts, 1);
    assert_int_equal(merge(into_a, tmp).conflicts, 1);
    const char *all[] = {ab, ba, tmp, into_a};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(conflicts(all[i]), 1);
        char *v = get(all[i]);
        assert_string_equal(v, "B second"); /* the highest revision */
        free(v);
        assert_int_equal(raw_int(all[i], "SELECT count(*) FROM "
                                          "answers_versions"),
                         3);
    }
    /* idempotent: merging any of them again changes nothing */
    struct merge_counts c = merge(ab, ba);
    assert_int_equal(c.conflicts, 0); /* it brings nothing new */
    assert_int_equal(c.answers_updated + c.answers_new + c.versions_kept, 0);
    c = merge(ab, a);
    assert_int_equal(c.answers_updated + c.answers_new + c.versions_kept, 0);
    assert_int_equal(c.conflicts, 0);
    free(base), free(a), free(b), free(ab), free(ba), free(into_a);
    free(tmp);
}

/* Resolving names every head: three rivals (one of them two saves deep)
 * end in one resolution, and merging it into the others ends theirs. */
static void test_resolution_names_every_head(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *b = copy_of(base, "b.sqlite"), *c = copy_of(base, "c.sqlite"),
         *t = tpath("t.sqlite"), *u = tpath("u.sqlite");
    laptop("a");
    set(a, 1000, "A");
    laptop("b");
    set(b, 2000, "B1");
    set(b, 2500, "B2");
    laptop("c");
    set(c, 3000, "C");
    merge(t, a), merge(t, b), merge(t, c);
    merge(u, c), merge(u, b), merge(u, a);
    assert_int_equal(conflicts(t), 1);
    assert_int_equal(conflicts(u), 1);
    laptop("coordinator");
    at(4000);
    struct store *s = open_store(t, 0);
    struct store_conflict *list;
    size_t n;
    if (!store_conflict_list(s, &list, &n, &err))
        fail_msg("list: %s", err.msg);
    assert_int_equal(n, 2); /* the current value against two heads */
    store_conflict_list_free(&list, n);
    if (!store_answer_resolve(s, rec, "", "/data/a", "A", &err))
        fail_msg("resolve: %s", err.msg);
    store_close(&s);
    assert_int_equal(conflicts(t), 0);
    assert_int_equal(raw_int(t, "SELECT length(parents) - "
                                "length(replace(parents, ' ', '')) + 1 "
                                "FROM answers"),
                     3);
    assert_int_equal(merge(u, t).conflicts, 0);
    assert_int_equal(conflicts(u), 0);
    char *v = get(u);
    assert_string_equal(v, "A");
    free(v);
    /* a later edit elsewhere of the resolved value is one-sided */
    laptop("b");
    set(u, 5000, "after");
    assert_int_equal(merge(t, u).conflicts, 0);
    assert_int_equal(conflicts(t), 0);
    free(base), free(a), free(b), free(c), free(t), free(u);
}

/* An ordinary edit of an answer in conflict descends from the current
 * value only: the conflict stays until it is resolved. */
static void test_plain_edit_does_not_end_a_conflict(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a.sqlite"),
         *b = copy_of(base, "b.sqlite"), *t = tpath("t.sqlite");
    laptop("a");
    set(a, 1000, "A");
    laptop("b");
    set(b, 2000, "B");
    merge(t, a), merge(t, b);
    assert_int_equal(conflicts(t), 1);
    laptop("t");
    set(t, 3000, "typed over");
    assert_int_equal(conflicts(t), 1);
    free(base), free(a), free(b), free(t);
}

/* ---- each laptop its own identity --------------------------------------- */

static char *device_of(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void test_copied_file_writes_the_new_laptops_id(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    setenv("IMAS_SURVEY_DEVICE_NAME", "Base PC", 1);
    char *base = tpath("base.sqlite");
    {
        laptop("base");
        setenv("IMAS_SURVEY_DEVICE_NAME", "Base PC", 1);
        at(0);
        struct store *s = open_store(base, STORE_CREATE);
        if (!store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) ||
            !store_record_create(s, "f", "1", rec, &err) ||
            !store_answer_set(s, rec, "", "/data/a", "one", &err))
            fail_msg("base: %s", err.msg);
        store_close(&s);
    }
    char *base_dev = device_of(base, "SELECT device_id FROM answers");
    char *a = copy_of(base, "a.sqlite"), *b = copy_of(base, "b.sqlite"),
         *t = tpath("t.sqlite");
    laptop("a");
    setenv("IMAS_SURVEY_DEVICE_NAME", "Maria's laptop", 1);
    set(a, 1000, "A");
    char *a_dev = device_of(a, "SELECT device_id FROM answers");
    assert_string_not_equal(a_dev, base_dev);
    /* the file keeps who wrote into it, by name */
    assert_int_equal(raw_int(a, "SELECT count(*) FROM devices"), 2);
    char *sql = xasprintf("SELECT name FROM devices WHERE device_id = '%s'",
                          a_dev);
    char *name = device_of(a, sql);
    assert_string_equal(name, "Maria's laptop");
    free(name), free(sql);
    laptop("b");
    setenv("IMAS_SURVEY_DEVICE_NAME", "Jan's laptop", 1);
    set(b, 2000, "B");
    char *b_dev = device_of(b, "SELECT device_id FROM answers");
    assert_string_not_equal(b_dev, a_dev);
    assert_string_not_equal(b_dev, base_dev);
    laptop("coordinator");
    setenv("IMAS_SURVEY_DEVICE_NAME", "Office", 1);
    merge(t, a), merge(t, b);
    /* merged like other rows: base, A, B, and the laptop that merged */
    assert_int_equal(raw_int(t, "SELECT count(*) FROM devices"), 4);
    struct store *s = open_store(t, 0);
    struct store_conflict *list;
    size_t n;
    if (!store_conflict_list(s, &list, &n, &err))
        fail_msg("list: %s", err.msg);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].current.device_name, "Jan's laptop");
    assert_string_equal(list[0].other.device_name, "Maria's laptop");
    store_conflict_list_free(&list, n);
    store_close(&s);
    /* a renamed laptop: the latest name wins everywhere */
    laptop("a");
    setenv("IMAS_SURVEY_DEVICE_NAME", "Maria (IMAS Sofia)", 1);
    set(a, 3000, "A again");
    merge(t, a);
    sql = xasprintf("SELECT name FROM devices WHERE device_id = '%s'", a_dev);
    name = device_of(t, sql);
    assert_string_equal(name, "Maria (IMAS Sofia)");
    free(name), free(sql);
    unsetenv("IMAS_SURVEY_DEVICE_NAME");
    free(base_dev), free(a_dev), free(b_dev);
    free(base), free(a), free(b), free(t);
}

/* ---- the merge's columns are the schema's ---------------------------- */

/* The merge names each versioned table's columns by hand (with their
 * types and the winner rule beside them): they must be the table's, in
 * its order, so a column added to the schema cannot be left behind. A
 * file's own numbers (a record's rid, the view's rowid) are not merged;
 * answer_rows is the view answers with the record and device by number
 * (merge_build.c's sql_numbered). */
static void test_merge_columns_match_the_schema(void **state)
{
    (void)state;
    char *f = base_file();
    static const char *const tables[] = {
        "records", "items", "answers", "records_versions", "items_versions",
        "answers_versions", "answer_rows"};
    sqlite3 *db = raw_open(f);
    for (size_t t = 0; t < 7; t++) {
        const char *const *cols =
            merge_sql_columns(t == 6 ? "answers" : tables[t]);
        assert_non_null(cols);
        char *sql = xasprintf(
            "SELECT CASE name WHEN 'rid' THEN 'record_uuid' WHEN 'did' THEN "
            "'device_id' ELSE name END FROM pragma_table_info('%s') WHERE "
            "%d OR name NOT IN ('rid', 'rowid') ORDER BY cid",
            tables[t], t == 6);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
                         SQLITE_OK);
        size_t i = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            if (!cols[i])
                fail_msg("%s: the merge misses column %s", tables[t], name);
            if (strcmp(cols[i], name) != 0)
                fail_msg("%s: column %zu is %s, the merge says %s",
                         tables[t], i, name, cols[i]);
            i++;
        }
        if (cols[i])
            fail_msg("%s: the merge names %s, the table has no such column",
                     tables[t], cols[i]);
        sqlite3_finalize(st);
        free(sql);
    }
    assert_null(merge_sql_columns("meta"));
    sqlite3_close(db);
    free(f);
}

/* ---- schema version 1 ---------------------------------------------------- */

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

/* The fixture was written by the version 1 program: two laptops' copies
 * of a file merged, with kept versions, tombstones and 10 conflicts. */
static void test_v1_file_upgraded_after_backup_loses_nothing(void **state)
{
    (void)state;
    char *fixture = xasprintf("%s/tests/data/upgrade/survey-v1.sqlite",
                              srcdir());
    char *f = copy_of(fixture, "v1.sqlite"), *bak = tpath("v1.sqlite.bak-v1");
    static const char *const counts[] = {
        "SELECT count(*) FROM answers", "SELECT count(*) FROM answers_versions",
        "SELECT count(*) FROM records", "SELECT count(*) FROM records_versions",
        "SELECT count(*) FROM items", "SELECT count(*) FROM audit",
        "SELECT total(length(value)) FROM answers"};
    int64_t before[7];
    assert_int_equal(raw_int(f, "PRAGMA user_version"), 1);
    for (int i = 0; i < 7; i++)
        before[i] = raw_int(f, counts[i]);
    /* --check reads it as it is: an older schema, not a damaged one */
    struct error err = ERROR_INIT;
    struct store_check_report r;
    if (!store_check(f, &r, &err))
        fail_msg("check: %s", err.msg);
    assert_int_equal(r.schema_version, 1);
    assert_true(r.older);
    assert_null(r.schema_problem);
    assert_string_equal(r.quick_check, "ok");
    assert_int_equal(r.answers, raw_int(f, "SELECT count(*) FROM answers "
                                           "WHERE deleted = 0"));
    store_check_report_clear(&r);
    assert_int_equal(raw_int(f, "PRAGMA user_version"), 1);
    laptop("upgrader");
    struct store *s = open_store(f, 0);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    store_close(&s);
    assert_int_equal(raw_int(bak, "PRAGMA user_version"), 1);
    assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(raw_int(f, counts[i]), before[i]);
        assert_int_equal(raw_int(bak, counts[i]), before[i]);
    }
    /* v1 history is a straight line, but its open conflicts (kept versions
     * at the current revision with another value) stay conflicts */
    assert_int_equal(conflicts(f), 10);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM answers WHERE "
                                "revision > 1 AND parents = ''"),
                     0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM answers_versions v "
                                "WHERE revision > 1 AND parents = ''"),
                     0);
    /* it merges with version 2 files, both ways */
    char *t = tpath("t.sqlite"), *copy = copy_of(f, "copy.sqlite");
    struct merge_counts c = merge(t, f);
    assert_true(c.answers_new > 0);
    assert_int_equal(conflicts(t), 10);
    c = merge(t, copy);
    assert_int_equal(c.answers_new + c.answers_updated + c.versions_kept, 0);
    free(fixture), free(f), free(bak), free(t), free(copy);
}

int main(void)
{
    dir = mkdtemp(tmpdir);
    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_one_sided_edits_are_never_a_conflict),
        T(test_same_value_on_two_laptops_is_not_a_conflict),
        T(test_relay_then_edit_is_not_a_conflict),
        T(test_one_against_two_in_every_order_and_grouping),
        T(test_resolution_names_every_head),
        T(test_plain_edit_does_not_end_a_conflict),
        T(test_copied_file_writes_the_new_laptops_id),
        T(test_merge_columns_match_the_schema),
        T(test_v1_file_upgraded_after_backup_loses_nothing),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (failed == 0 && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return failed;
}
