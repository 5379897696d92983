/* test_store_search.c: search folds letters as people type them
 * (core/fold.h) in the index and the query, and a file indexed before
 * folding keeps finding what it found and is re-indexed when opened for
 * writing. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"

static char tmpdir[] = "/tmp/test_store_search.XXXXXX";
static char *dir;

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static char *raw_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}

static struct store *open_file(const char *path, unsigned flags)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, flags, &err);
    if (!s)
        fail_msg("store_open: %s", err.msg);
    return s;
}

static void new_record(struct store *s, char uuid[UUID_STR_LEN])
{
    struct error err = ERROR_INIT;
    assert_true(store_form_put(s, "visit", "2026-01", NULL, "Visit",
                               "<h:html/>", &err));
    if (!store_record_create(s, "visit", "2026-01", uuid, &err))
        fail_msg("store_record_create: %s", err.msg);
}

static void set(struct store *s, const char *rec, const char *field,
                const char *value)
{
    struct error err = ERROR_INIT;
    if (!store_answer_set(s, rec, "", field, value, &err))
        fail_msg("store_answer_set %s: %s", field, err.msg);
}

struct hits {
    int n;
    char *value; /* the first hit's */
};

static bool on_hit(void *ctx, const char *rec, const char *item,
                   const char *field, const char *value)
{
    (void)rec;
    (void)item;
    (void)field;
    struct hits *h = ctx;
    if (h->n++ == 0)
        h->value = xstrdup(value);
    return true;
}

static int hits(struct store *s, const char *query)
{
    struct hits h = {0};
    struct error err = ERROR_INIT;
    if (!store_search(s, query, on_hit, &h, &err))
        fail_msg("store_search %s: %s", query, err.msg);
    free(h.value);
    return h.n;
}

static void test_search_folds_strokes_and_ligatures(void **state)
{
    (void)state;
    char *path = tpath("fold.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "/data/pl", "Żłobek i współpraca z rodzicami");
    set(s, rec, "/data/nb", "Søknad om støtte");
    set(s, rec, "/data/de", "Die Größe der Klasse");
    set(s, rec, "/data/da", "Ærø skole; Þórður; Œuvre");
    assert_int_equal(hits(s, "zlob"), 1);
    assert_int_equal(hits(s, "wspolprac"), 1);
    assert_int_equal(hits(s, "ŻŁOB"), 1);      /* typed as written */
    assert_int_equal(hits(s, "współ"), 1);
    assert_int_equal(hits(s, "zlob wspolpraca"), 1);
    assert_int_equal(hits(s, "stotte"), 1);
    assert_int_equal(hits(s, "grosse"), 1);
    assert_int_equal(hits(s, "GROSSE"), 1);
    assert_int_equal(hits(s, "aero"), 1);
    assert_int_equal(hits(s, "thordur oeuvre"), 1);
    assert_int_equal(hits(s, "zlobx"), 0);
    /* the hit shows the text as typed, not folded */
    struct hits h = {0};
    assert_true(store_search(s, "zlobek", on_hit, &h, NULL));
    assert_int_equal(h.n, 1);
    assert_string_equal(h.value, "Żłobek i współpraca z rodzicami");
    free(h.value);
    /* the index holds the folded text */
    char *v = raw_text(path, "SELECT value FROM answers_fts WHERE "
                             "value LIKE 'zlobek%'");
    assert_non_null(v);
    assert_string_equal(v, "zlobek i wspolpraca z rodzicami");
    free(v);
    store_close(&s);
    free(path);
}

/* A file whose index a build before folding wrote: the raw text under
 * the same rowids, no search_fold in meta. */
static void unfold_index(const char *path)
{
    raw_exec(path, "UPDATE answers_fts SET value = (SELECT a.value FROM "
                   "answers a WHERE a.record_uuid = answers_fts.record_uuid "
                   "AND a.item_uuid = answers_fts.item_uuid AND a.field = "
                   "answers_fts.field); "
                   "DELETE FROM meta WHERE key = 'search_fold';");
}

static void test_old_index_keeps_matching_then_is_refolded(void **state)
{
    (void)state;
    char *path = tpath("old.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "/data/pl", "Żłobek w Łodzi");
    store_close(&s);
    unfold_index(path);
    char *v = raw_text(path, "SELECT value FROM answers_fts");
    assert_string_equal(v, "Żłobek w Łodzi");
    free(v);
    /* read-only: not re-indexed, and what it found before it still finds */
    s = open_file(path, STORE_READONLY);
    assert_int_equal(hits(s, "złob"), 1);
    assert_int_equal(hits(s, "ŁODZ"), 1);
    assert_int_equal(hits(s, "zlob"), 0);
    store_close(&s);
    v = raw_text(path, "SELECT value FROM meta WHERE key = 'search_fold'");
    assert_null(v);
    /* opened for writing: re-indexed once, so `zlob` finds it too */
    s = open_file(path, 0);
    assert_int_equal(hits(s, "zlob"), 1);
    assert_int_equal(hits(s, "lodz"), 1);
    assert_int_equal(hits(s, "złob"), 1);
    store_close(&s);
    v = raw_text(path, "SELECT value FROM answers_fts");
    assert_string_equal(v, "zlobek w lodzi");
    free(v);
    v = raw_text(path, "SELECT value FROM meta WHERE key = 'search_fold'");
    assert_string_equal(v, "1");
    free(v);
    free(path);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    dir = mkdtemp(tmpdir);
    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_folds_strokes_and_ligatures),
        cmocka_unit_test(test_old_index_keeps_matching_then_is_refolded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
