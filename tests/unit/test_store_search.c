/* test_store_search.c: search folds letters as people type them
 * (core/fold.h) in the index and the query; the lean index (schema 3)
 * holds only the text search looks at; a schema 2 file is upgraded and
 * keeps finding what it found. */
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
#include "store/schema.h"
#include "merge/merge.h"
#include "store/check.h"
#include "store/items.h"
#include "store/search_index.h"
#include "core/strbuf.h"
#include "survey/text_fields.h"
#include "old_schema.h"
#include "search_check.h"

static char tmpdir[] = "/tmp/test_store_search.XXXXXX";
static char *dir;

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", dir, name);
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

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}

/* How many entries of the index hold term, as FTS5 stored it. */
static int64_t vocab(const char *path, const char *term)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.v USING "
                                      "fts5vocab(main, search, row)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT doc FROM temp.v WHERE "
                                            "term = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                               : 0;
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return n;
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
    /* the index holds the folded text, and only its words */
    assert_int_equal(vocab(path, "zlobek"), 1);
    assert_int_equal(vocab(path, "złobek"), 0);
    assert_int_equal(vocab(path, "stotte"), 1);
    store_close(&s);
    free(path);
}

struct order {
    char *values[8];
    int n;
};

static bool on_order(void *ctx, const char *rec, const char *item,
                     const char *field, const char *value)
{
    (void)rec;
    (void)item;
    (void)field;
    struct order *o = ctx;
    if (o->n < 8)
        o->values[o->n++] = xstrdup(value);
    return true;
}

static void order_clear(struct order *o)
{
    for (int i = 0; i < o->n; i++)
        free(o->values[i]);
    o->n = 0;
}

/* At most limit hits: ranked as store_search when that is all of them,
 * else the first limit, never more. */
static void test_search_top_ranks_what_fits(void **state)
{
    (void)state;
    char *path = tpath("top.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "/data/a", "rodzice i nauczyciele, szkoła, gmina i wiele innych słów");
    set(s, rec, "/data/b", "rodzice rodzice rodzice");
    set(s, rec, "/data/c", "inne rodzice");
    struct order all = {0}, top = {0};
    struct error err = ERROR_INIT;
    assert_true(store_search(s, "rodzic", on_order, &all, &err));
    assert_int_equal(all.n, 3);
    assert_string_equal(all.values[0], "rodzice rodzice rodzice");
    assert_true(store_search_top(s, "rodzic", NULL, 3, on_order, &top, &err));
    assert_int_equal(top.n, 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(top.values[i], all.values[i]);
    order_clear(&top);
    assert_true(store_search_top(s, "rodzic", NULL, 2, on_order, &top, &err));
    assert_int_equal(top.n, 2);
    order_clear(&top);
    order_clear(&all);
    store_close(&s);
    free(path);
}

/* The fields of the hits, as they come (at most 64). */
struct fields {
    char *v[64];
    int n;
};

static bool on_field(void *ctx, const char *rec, const char *item,
                     const char *field, const char *value)
{
    (void)rec;
    (void)item;
    (void)value;
    struct fields *f = ctx;
    if (f->n < 64)
        f->v[f->n++] = xstrdup(field);
    return true;
}

/* Pages of 7 read 30 hits in index order: each once, none missed (the
 * same set as reading them all), more until the last; a first page that
 * holds every hit is ranked. */
static void test_search_pages(void **state)
{
    (void)state;
    char *path = tpath("pages.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    for (int i = 0; i < 30; i++) {
        char field[32];
        snprintf(field, sizeof field, "/data/f%02d", i);
        set(s, rec, field, i % 2 ? "rodzice" : "rodzice rodzice");
    }
    set(s, rec, "/data/other", "szkoła");
    struct error err = ERROR_INIT;
    struct fields all = {0}, paged = {0}, small = {0};
    assert_true(store_search(s, "rodzic", on_field, &all, &err));
    assert_int_equal(all.n, 30);
    struct store_search_page pg = {0};
    int pages = 0;
    do {
        int before = paged.n;
        assert_true(store_search_next(s, "rodzic", NULL, 7, &pg, on_field,
                                      &paged, &err));
        assert_true(paged.n - before == 7 || !pg.more);
        assert_false(pg.ranked);
        pages++;
    } while (pg.more && pages < 10);
    assert_int_equal(pages, 5); /* 7 7 7 7 2 */
    assert_int_equal(paged.n, 30);
    assert_int_equal(pg.read, 30);
    for (int i = 0; i < 30; i++) {
        int found = 0;
        for (int j = 0; j < 30; j++)
            found += strcmp(paged.v[i], all.v[j]) == 0;
        assert_int_equal(found, 1);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(paged.v[i], paged.v[j]);
    }
    /* pages of 3 begin as pages of 7 do: one order */
    struct store_search_page p3 = {0};
    assert_true(store_search_next(s, "rodzic", NULL, 3, &p3, on_field,
                                  &small, &err));
    assert_true(store_search_next(s, "rodzic", NULL, 3, &p3, on_field,
                                  &small, &err));
    assert_int_equal(small.n, 6);
    assert_true(p3.more);
    for (int i = 0; i < 6; i++)
        assert_string_equal(small.v[i], paged.v[i]);
    /* all in one first page: ranked, best first, nothing more */
    struct fields one = {0};
    struct store_search_page p1 = {0};
    assert_true(store_search_next(s, "rodzic", NULL, 30, &p1, on_field, &one,
                                  &err));
    assert_int_equal(one.n, 30);
    assert_false(p1.more);
    assert_true(p1.ranked);
    for (int i = 0; i < 30; i++)
        assert_string_equal(one.v[i], all.v[i]);
    struct fields *sets[] = {&all, &paged, &small, &one};
    for (size_t k = 0; k < 4; k++)
        for (int i = 0; i < sets[k]->n; i++)
            free(sets[k]->v[i]);
    store_close(&s);
    free(path);
}

/* A damaged or hostile file whose answers sit under rowids of 0 and
 * below (each its search entry's id): pages from the first read them as
 * reading all of them does. */
static void test_search_pages_from_rowids_below_one(void **state)
{
    (void)state;
    char *path = tpath("negative.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    for (int i = 0; i < 12; i++) {
        char field[32];
        snprintf(field, sizeof field, "/data/f%02d", i);
        set(s, rec, field, "rodzice");
    }
    store_close(&s);
    sqlite3 *db = NULL;
    struct error err = ERROR_INIT;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_true(store_sql_functions(db) && search_index_functions(db));
    assert_int_equal(sqlite3_exec(db, "UPDATE answer_rows SET rowid = rowid - "
                                      "(SELECT max(rowid) FROM answers) + 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_true(search_index_rebuild(db, path, &err));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers WHERE "
                                   "rowid <= 0"),
                     10);
    assert_search_in_step(path);
    s = open_file(path, STORE_READONLY);
    struct fields paged = {0};
    struct store_search_page pg = {0};
    int pages = 0;
    do {
        assert_true(store_search_next(s, "rodzic", NULL, 5, &pg, on_field,
                                      &paged, &err));
        pages++;
    } while (pg.more && pages < 10);
    assert_int_equal(paged.n, 12);
    assert_int_equal(pages, 3);
    assert_int_equal(hits(s, "rodzic"), 12);
    for (int i = 0; i < paged.n; i++)
        free(paged.v[i]);
    store_close(&s);
    free(path);
}

/* A schema 4 file is upgraded to the search table with an index of first
 * letters, filled from the answers: a one-letter word finds its hits. */
static void test_v4_file_gets_first_letter_index(void **state)
{
    (void)state;
    char *path = tpath("v4.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "/data/pl", "Żłobek i współpraca");
    set(s, rec, "/data/nb", "Søknad om støtte");
    store_close(&s);
    /* as schema 4 left it: the table without prefix, user_version 4 */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char *sql = xasprintf(OLD_SCHEMA_V7_ANSWERS_SQL
                          "DROP TABLE search;\n%sCREATE INDEX answers_by_time "
                          "ON answers(record_uuid, updated_at);\n"
                          "DROP TABLE record_edits;\n"
                          "PRAGMA user_version = 4;",
                          search_index_schema_v4_sql);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM search WHERE search MATCH 'zlobek'"), 0);
    s = open_file(path, 0);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    assert_int_equal(hits(s, "z"), 1);
    assert_int_equal(hits(s, "s"), 1);
    assert_int_equal(hits(s, "stotte z"), 0);
    assert_int_equal(hits(s, "wspolprac z"), 1);
    store_close(&s);
    char *def = raw_text(path, "SELECT sql FROM sqlite_schema WHERE name = 'search'");
    assert_non_null(strstr(def, "prefix = '1'"));
    free(def);
    assert_int_equal(assert_search_in_step(path), 2);
    free(path);
}

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(f);
    return strbuf_detach(&sb);
}

static void copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    assert_non_null(f);
    FILE *t = fopen(to, "wb");
    assert_non_null(t);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(fwrite(buf, 1, n, t), n);
    fclose(f);
    assert_int_equal(fclose(t), 0);
}

/* A record of the shipped focus-group form, with what a session holds. */
static void focus_group(struct store *s, char rec[UUID_STR_LEN],
                        char note[UUID_STR_LEN])
{
    struct error err = ERROR_INIT;
    char *fp = xasprintf("%s/forms/ias-focus-group.xml", srcdir());
    char *def = slurp(fp);
    assert_true(store_form_put(s, "ias-focus-group", "1", NULL,
                               "Focus group", def, &err));
    if (!store_record_create(s, "ias-focus-group", "1", rec, &err))
        fail_msg("store_record_create: %s", err.msg);
    free(def);
    free(fp);
    set(s, rec, "/data/session/country", "pl");           /* select1 */
    set(s, rec, "/data/session/place", "Żłobek w Łodzi"); /* text input */
    set(s, rec, "/data/session/date", "2026-11-30");
    set(s, rec, "/data/meta/instanceID",
        "uuid:6f1c2a9e-0d3b-4c55-9e1a-2b7d4e8f9a10");
    if (!store_item_add(s, rec, "", "/data/note", note, &err))
        fail_msg("store_item_add: %s", err.msg);
    static const char *const fields[][2] = {
        {"/data/note/speaker", "P07"},
        {"/data/note/topic", "general"},
        {"/data/note/phase", "state_of_play"},
        {"/data/note/text", "Współpraca z rodzicami #dostęp"},
        {"/data/note/tags", "dostęp"},
        {"/data/note/started_at", "2026-11-30T10:15:00.000Z"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!store_answer_set(s, rec, note, fields[i][0], fields[i][1], &err))
            fail_msg("%s: %s", fields[i][0], err.msg);
}

/* The lean index (schema 3): a note's text and text answers are found,
 * folded; codes, choices, times and UUIDs are not even in the index. */
static void test_index_holds_only_text(void **state)
{
    (void)state;
    store_set_text_fields(survey_text_fields);
    char *path = tpath("lean.sqlite");
    struct store *s = open_file(path, STORE_CREATE);
    char rec[UUID_STR_LEN], note[UUID_STR_LEN];
    focus_group(s, rec, note);
    assert_int_equal(hits(s, "wspolprac rodzic"), 1); /* the note */
    assert_int_equal(hits(s, "lodz"), 1);             /* the place */
    assert_int_equal(hits(s, "zlobek"), 1);
    assert_int_equal(hits(s, "dostep"), 1); /* the tag in the text only */
    assert_int_equal(hits(s, "P07"), 0);    /* speaker code */
    assert_int_equal(hits(s, "general"), 0); /* topic code */
    assert_int_equal(hits(s, "state"), 0);
    assert_int_equal(hits(s, "pl"), 0);      /* country choice */
    assert_int_equal(hits(s, "2026"), 0);    /* dates and times */
    assert_int_equal(hits(s, "6f1c2a9e"), 0); /* a UUID */
    char *uuid_word = xstrndup(rec, 8);
    assert_int_equal(hits(s, uuid_word), 0);
    free(uuid_word);
    assert_int_equal(assert_search_in_step(path),
                     2);
    assert_int_equal(vocab(path, "p07"), 0);
    assert_int_equal(vocab(path, "general"), 0);
    /* a correction and a clearing follow */
    set(s, rec, "/data/session/place", "Gdańsk");
    assert_int_equal(hits(s, "lodz"), 0);
    assert_int_equal(hits(s, "gdansk"), 1);
    set(s, rec, "/data/session/place", NULL);
    assert_int_equal(hits(s, "gdansk"), 0);
    assert_int_equal(assert_search_in_step(path),
                     1);
    store_close(&s);
    store_set_text_fields(NULL);
    free(path);
}

/* The merge indexes what the target's copy of the form calls text, and
 * drops the entry of a value that loses (FTS5 'delete' with the folded
 * old text: a stale word would stay findable otherwise). */
static void test_merge_follows_the_lean_index(void **state)
{
    (void)state;
    store_set_text_fields(survey_text_fields);
    char *in = tpath("merge-in.sqlite"), *t = tpath("merge-t.sqlite");
    struct store *s = open_file(in, STORE_CREATE);
    char rec[UUID_STR_LEN], note[UUID_STR_LEN];
    focus_group(s, rec, note);
    store_close(&s);
    struct error err = ERROR_INIT;
    struct merge_input_result r;
    const char *inputs[] = {in};
    if (!merge_run(t, inputs, 1, false, &r, &err) || r.refused)
        fail_msg("merge: %s %s", err.msg ? err.msg : "", r.reason ? r.reason : "");
    merge_input_result_clear(&r);
    s = open_file(t, 0);
    assert_int_equal(hits(s, "lodz"), 1);
    assert_int_equal(hits(s, "wspolprac"), 1);
    assert_int_equal(hits(s, "general"), 0);
    assert_int_equal(hits(s, "P07"), 0);
    store_close(&s);
    assert_int_equal(assert_search_in_step(t),
                     2);
    /* the input's place is corrected, then merged again */
    s = open_file(in, 0);
    set(s, rec, "/data/session/place", "Gdańsk");
    store_close(&s);
    if (!merge_run(t, inputs, 1, false, &r, &err) || r.refused)
        fail_msg("merge: %s", err.msg ? err.msg : "");
    merge_input_result_clear(&r);
    s = open_file(t, 0);
    assert_int_equal(hits(s, "lodz"), 0);
    assert_int_equal(hits(s, "gdansk"), 1);
    store_close(&s);
    assert_int_equal(vocab(t, "lodzi"), 0);
    assert_int_equal(vocab(t, "gdansk"), 1);
    assert_int_equal(assert_search_in_step(t),
                     2);
    store_set_text_fields(NULL);
    free(in);
    free(t);
}

/* The fixture was written by the schema 2 program (bench/search-latency,
 * 12 notes in 2 sessions): its index held every answer. */
static void test_v2_file_upgraded_keeps_search(void **state)
{
    (void)state;
    store_set_text_fields(survey_text_fields);
    char *fixture = xasprintf("%s/tests/data/upgrade/survey-v2.sqlite",
                              srcdir());
    char *path = tpath("v2.sqlite"), *bak = tpath("v2.sqlite.bak-v2");
    copy_file(fixture, path);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers_fts"),
                     raw_int(path, "SELECT count(*) FROM answers WHERE "
                                   "value <> ''"));
    char *text = raw_text(path, "SELECT value FROM answers WHERE field = "
                                "'/data/note/text' ORDER BY value LIMIT 1");
    char *word = xstrndup(text, strcspn(text, " "));
    /* read-only (not upgraded) it searches its old index */
    struct store *s = open_file(path, STORE_READONLY);
    int before = hits(s, word);
    assert_true(before >= 1);
    assert_int_equal(hits(s, "general"), 1 + raw_int(path,
                     "SELECT count(*) - 1 FROM answers WHERE value = "
                     "'general'")); /* every topic code, in v2 */
    store_close(&s);
    s = open_file(path, 0);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    assert_int_equal(hits(s, word), before);
    assert_int_equal(hits(s, "general"), 0);
    assert_int_equal(hits(s, "context"), 0);
    assert_int_equal(hits(s, "2026"), 0);
    /* new notes are indexed as before */
    struct error err = ERROR_INIT;
    char *rec = raw_text(path, "SELECT record_uuid FROM records LIMIT 1");
    char item[UUID_STR_LEN];
    assert_true(store_item_add(s, rec, "", "/data/note", item, &err));
    assert_true(store_answer_set(s, rec, item, "/data/note/text",
                                 "Żłobek w Łodzi", &err));
    assert_int_equal(hits(s, "zlobek lodz"), 1);
    store_close(&s);
    assert_int_equal(raw_int(bak, "PRAGMA user_version"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE name LIKE 'answers_fts%'"),
                     0);
    /* only the notes' text and the participants' codes (text inputs) */
    assert_int_equal(assert_search_in_step(path),
                     raw_int(path, "SELECT count(*) FROM answers WHERE "
                                   "value <> '' AND deleted = 0 AND field "
                                   "IN ('/data/note/text', "
                                   "'/data/participant/code')"));
    /* --check accepts the upgraded file */
    struct store_check_report r;
    assert_true(store_check(path, &r, &err));
    assert_null(r.schema_problem);
    assert_string_equal(r.quick_check, "ok");
    store_check_report_clear(&r);
    store_set_text_fields(NULL);
    free(rec);
    free(word);
    free(text);
    free(fixture);
    free(path);
    free(bak);
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
        cmocka_unit_test(test_search_top_ranks_what_fits),
        cmocka_unit_test(test_search_pages),
        cmocka_unit_test(test_search_pages_from_rowids_below_one),
        cmocka_unit_test(test_index_holds_only_text),
        cmocka_unit_test(test_merge_follows_the_lean_index),
        cmocka_unit_test(test_v2_file_upgraded_keeps_search),
        cmocka_unit_test(test_v4_file_gets_first_letter_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
