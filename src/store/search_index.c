#include "config.h"

#include "store/search_index.h"

#include "core/fold.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/sql.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* SEARCH_ID_SENTINEL as an SQL literal (2^40 + 1). */
#define SENTINEL_SQL "1099511627777"

#define SEARCH_MAP_SQL                                                     \
    "CREATE TABLE IF NOT EXISTS search_map(\n"                              \
    "  id INTEGER PRIMARY KEY,\n"                                           \
    "  record_uuid TEXT NOT NULL,\n"                                        \
    "  item_uuid TEXT NOT NULL,\n"                                          \
    "  field TEXT NOT NULL\n"                                               \
    ");\n"                                                                  \
    "INSERT OR IGNORE INTO search_map(id, record_uuid, item_uuid, field)\n" \
    "  VALUES (" SENTINEL_SQL ", '', '', '');\n"

const char search_index_schema_v4_sql[] =
    SEARCH_MAP_SQL
    "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(text, content = '',\n"
    "  columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');\n";

/* prefix = '1': a word of one letter ("s", or "ucitelka s" as it is
 * typed) finds its hits in the index of first letters instead of merging
 * the lists of every word starting with it (14 ms at 100k notes, 0.3 ms
 * so; the index grows by 5.6 MB). */
const char search_index_schema_sql[] =
    SEARCH_MAP_SQL
    "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(text, content = '',\n"
    "  columnsize = 0, tokenize = 'unicode61 remove_diacritics 2',\n"
    "  prefix = '1');\n";

static store_text_fields_fn text_fields_fn;

void store_set_text_fields(store_text_fields_fn fn)
{
    text_fields_fn = fn;
}

int64_t store_search_id(const char *record_uuid, const char *item_uuid,
                        const char *field)
{
    struct sha256 c;
    char hex[65];
    sha256_init(&c);
    sha256_update(&c, record_uuid, strlen(record_uuid) + 1);
    sha256_update(&c, item_uuid, strlen(item_uuid) + 1);
    sha256_update(&c, field, strlen(field));
    sha256_final_hex(&c, hex);
    hex[10] = '\0'; /* 40 bits */
    return (int64_t)strtoll(hex, NULL, 16) + 1;
}

/* ---- imas_text_field: the classifier, once per form and connection ---- */

struct text_form {
    char *id, *version;
    bool known; /* false: the form cannot tell, every field counts */
    char **paths; /* sorted */
    size_t n;
};

struct text_cache {
    struct text_form *v;
    size_t n;
};

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void text_form_load(sqlite3 *db, struct text_form *f)
{
    sqlite3_stmt *st = NULL;
    if (!text_fields_fn ||
        sqlite3_prepare_v2(db,
                           "SELECT definition FROM main.forms WHERE "
                           "form_id = ?1 AND form_version = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto cleanup;
    if (sqlite3_bind_text(st, 1, f->id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, f->version, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto cleanup;
    const char *def = (const char *)sqlite3_column_text(st, 0);
    size_t len = (size_t)sqlite3_column_bytes(st, 0);
    f->paths = def ? text_fields_fn(def, len, &f->n) : NULL;
    f->known = f->paths != NULL;
    if (f->known)
        qsort(f->paths, f->n, sizeof *f->paths, cmp_path);
cleanup:
    sqlite3_finalize(st);
}

static const struct text_form *text_form_get(sqlite3 *db,
                                             struct text_cache *c,
                                             const char *id,
                                             const char *version)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].id, id) == 0 &&
            strcmp(c->v[i].version, version) == 0)
            return &c->v[i];
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    struct text_form *f = &c->v[c->n++];
    *f = (struct text_form){.id = xstrdup(id), .version = xstrdup(version)};
    text_form_load(db, f);
    return f;
}

static void text_cache_free(void *p)
{
    struct text_cache *c = p;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].version);
        for (size_t j = 0; j < c->v[i].n; j++)
            free(c->v[i].paths[j]);
        free(c->v[i].paths);
    }
    free(c->v);
    free(c);
}

static void sql_text_field(sqlite3_context *ctx, int argc,
                           sqlite3_value **argv)
{
    const char *id = argc == 3 ? (const char *)sqlite3_value_text(argv[0])
                               : NULL;
    const char *version = id ? (const char *)sqlite3_value_text(argv[1])
                             : NULL;
    const char *field = id ? (const char *)sqlite3_value_text(argv[2]) : NULL;
    if (!id || !version || !field) {
        sqlite3_result_int(ctx, 1);
        return;
    }
    const struct text_form *f = text_form_get(
        sqlite3_context_db_handle(ctx), sqlite3_user_data(ctx), id, version);
    sqlite3_result_int(ctx, !f->known || bsearch(&field, f->paths, f->n,
                                                  sizeof *f->paths,
                                                  cmp_path) != NULL);
}

static void sql_search_id(sqlite3_context *ctx, int argc,
                          sqlite3_value **argv)
{
    const char *k[3] = {0};
    for (int i = 0; i < argc && i < 3; i++)
        if (!(k[i] = (const char *)sqlite3_value_text(argv[i]))) {
            sqlite3_result_null(ctx);
            return;
        }
    sqlite3_result_int64(ctx, store_search_id(k[0], k[1], k[2]));
}

bool search_index_functions(sqlite3 *db)
{
    struct text_cache *c = xcalloc(1, sizeof *c);
    /* not deterministic: it reads main.forms */
    return sqlite3_create_function_v2(db, "imas_text_field", 3,
                                      SQLITE_UTF8 | SQLITE_DIRECTONLY, c,
                                      sql_text_field, NULL, NULL,
                                      text_cache_free) == SQLITE_OK &&
           sqlite3_create_function_v2(
               db, "imas_search_id", 3,
               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
               sql_search_id, NULL, NULL, NULL) == SQLITE_OK;
}

/* ---- set-based: the upgrade's rebuild and the merge ------------------- */

/* The map row of key (alias n) in main: its hashed id, or one of the few
 * above the sentinel. */
#define MAP_OF(n)                                                           \
    "p.record_uuid = " n ".record_uuid AND p.item_uuid = " n ".item_uuid "  \
    "AND p.field = " n ".field AND (p.id = imas_search_id(" n                \
    ".record_uuid, " n ".item_uuid, " n ".field) OR p.id > " SENTINEL_SQL  \
    ")"

/* The map id of the key in table n, or NULL: a correlated look-up by
 * rowid (the hashed id, or the few fresh ones above the sentinel); joined
 * instead, the planner builds an automatic index over the whole map. */
#define ID_OF(n)                                                            \
    "(SELECT p.id FROM main.search_map AS p WHERE " MAP_OF(n) ")"

/* temp.search_new's columns from table n: the key, the text, its hashed
 * id h and the map id (looked up only when a hash was taken: add_new);
 * made in h order, so the map is then read and written in id order, not
 * one random page per entry. */
#define NEW_COLS(n)                                                         \
    n ".record_uuid AS record_uuid, " n ".item_uuid AS item_uuid, " n       \
    ".field AS field, " n ".value AS value, imas_search_id(" n              \
    ".record_uuid, " n ".item_uuid, " n ".field) AS h, NULL AS id"

/* Index the rows of temp.search_new (record_uuid, item_uuid, field,
 * value, h; made in h order): a map row each under its hashed id, then
 * the folded text in id order (FTS5 flushes whenever an id comes lower
 * than the one before). None of these keys has a map row (new keys, or
 * their old row was just deleted), so when every hashed id was free the
 * ids are the hashes and nothing is looked up (the merge's case: looking
 * each id up again cost a fifth of its index step); else the keys whose
 * hash was taken get fresh ids above the sentinel, found by key. */
static bool add_new(sqlite3 *db, const char *path, struct error *err)
{
    static const char map_sql[] =
        "INSERT OR IGNORE INTO main.search_map(id, record_uuid, item_uuid, "
        "field) SELECT h, record_uuid, item_uuid, field FROM temp.search_new "
        "ORDER BY rowid";
    static const char fast_sql[] =
        "INSERT INTO main.search(rowid, text) SELECT h, imas_fold(value) "
        "FROM temp.search_new ORDER BY rowid;\n"
        "DROP TABLE temp.search_new;\n";
    static const char slow_sql[] =
        "UPDATE temp.search_new AS n SET id = " ID_OF("n") ";\n"
        "INSERT INTO main.search_map(record_uuid, item_uuid, field) SELECT "
        "record_uuid, item_uuid, field FROM temp.search_new WHERE id IS "
        "NULL;\n"
        "UPDATE temp.search_new AS n SET id = " ID_OF("n") " WHERE id IS "
        "NULL;\n"
        "INSERT INTO main.search(rowid, text) SELECT id, imas_fold(value) "
        "FROM temp.search_new ORDER BY id;\n"
        "DROP TABLE temp.search_new;\n";
    if (!db_exec(db, path, map_sql, err))
        return false;
    int64_t added = sqlite3_changes64(db), rows = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.search_new", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        rows = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rows < 0)
        return db_fail(db, path, err);
    return db_exec(db, path, added == rows ? fast_sql : slow_sql, err);
}

bool search_index_rebuild(sqlite3 *db, const char *path, struct error *err)
{
    static const char sql[] =
        "DELETE FROM main.search_map WHERE id <> " SENTINEL_SQL ";\n"
        "INSERT INTO main.search(search) VALUES ('delete-all');\n"
        "CREATE TEMP TABLE search_new AS SELECT " NEW_COLS("a") " FROM "
        "main.answers AS a LEFT JOIN main.records AS r ON r.record_uuid = "
        "a.record_uuid WHERE a.deleted = 0 AND a.value <> '' AND "
        "imas_text_field(r.form_id, r.form_version, a.field) ORDER BY h;\n";
    return db_exec(db, path, sql, err) && add_new(db, path, err);
}

bool store_search_follow(sqlite3 *db, const char *changed_select,
                         const char *path, struct error *err)
{
    /* The entries of the values that lose: FTS5 'delete' needs the text
     * that was indexed, the target's current value folded. Only keys the
     * target has (looked up in answers, in the input's key order) are
     * looked up in the map (hashed ids: a random page each). The changed
     * rows are read twice where they are (not copied first). */
    char *sql = xasprintf(
        "CREATE TEMP TABLE search_old AS SELECT " ID_OF("c") " AS id, "
        "a.value AS value FROM (%s) AS c CROSS JOIN main.answers AS a ON "
        "a.record_uuid = c.record_uuid AND a.item_uuid = c.item_uuid AND "
        "a.field = c.field;\n"
        "INSERT INTO main.search(search, rowid, text) SELECT 'delete', "
        "id, imas_fold(value) FROM temp.search_old WHERE id IS NOT NULL "
        "ORDER BY id;\n"
        "DELETE FROM main.search_map WHERE id IN (SELECT id FROM "
        "temp.search_old);\n"
        "DROP TABLE temp.search_old;\n"
        "CREATE TEMP TABLE search_new AS SELECT " NEW_COLS("c") " FROM "
        "(%s) AS c LEFT JOIN main.records AS r ON r.record_uuid = "
        "c.record_uuid WHERE c.value <> '' AND imas_text_field(r.form_id, "
        "r.form_version, c.field) ORDER BY h;\n",
        changed_select, changed_select);
    bool ok = db_exec(db, path, sql, err) && add_new(db, path, err);
    free(sql);
    return ok;
}

/* ---- one answer: the store's write path ------------------------------- */

static bool map_find(struct store *s, const char *rec, const char *item,
                     const char *field, int64_t *id, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_SEARCH_MAP_GET,
        "SELECT id FROM search_map WHERE id = ?4 AND record_uuid = ?1 AND "
        "item_uuid = ?2 AND field = ?3 UNION ALL SELECT id FROM search_map "
        "WHERE id > " SENTINEL_SQL " AND record_uuid = ?1 AND item_uuid = ?2 "
        "AND field = ?3",
        err);
    *id = 0;
    return st &&
           db_bind(s, st, err, "ttti", rec, item, field,
                   store_search_id(rec, item, field)) &&
           db_int(s, st, id, err);
}

static bool is_text(struct store *s, const char *rec, const char *field,
                    bool *text, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_SEARCH_TEXT,
        "SELECT imas_text_field(form_id, form_version, ?2) FROM records "
        "WHERE record_uuid = ?1",
        err);
    int64_t v = 0;
    bool ok = st && db_bind(s, st, err, "tt", rec, field) &&
              db_int(s, st, &v, err);
    *text = v != 0;
    return ok;
}

/* A map row for the key: its hashed id when free, else a fresh one. */
static bool map_add(struct store *s, const char *rec, const char *item,
                    const char *field, int64_t *id, struct error *err)
{
    int64_t h = store_search_id(rec, item, field), taken = 0;
    sqlite3_stmt *st = db_stmt(s, DB_SEARCH_MAP_TAKEN,
                               "SELECT count(*) FROM search_map WHERE id = ?1",
                               err);
    if (!st || !db_bind(s, st, err, "i", h) || !db_int(s, st, &taken, err))
        return false;
    if (taken) /* a fresh rowid: above the sentinel, as SQLite counts */
        st = db_stmt(s, DB_SEARCH_MAP_INSERT_FRESH,
                     "INSERT INTO search_map(record_uuid, item_uuid, field) "
                     "VALUES (?1, ?2, ?3)",
                     err);
    else
        st = db_stmt(s, DB_SEARCH_MAP_INSERT,
                     "INSERT INTO search_map(record_uuid, item_uuid, field, "
                     "id) VALUES (?1, ?2, ?3, ?4)",
                     err);
    if (!st || !db_bind(s, st, err, taken ? "ttt" : "ttti", rec, item, field,
                        h) ||
        !db_run(s, st, err))
        return false;
    *id = sqlite3_last_insert_rowid(s->db);
    return true;
}

static bool index_text(struct store *s, int64_t id, const char *command,
                       const char *value, struct error *err)
{
    char *folded = fold_text(value);
    sqlite3_stmt *st =
        command ? db_stmt(s, DB_SEARCH_DELETE,
                          "INSERT INTO search(search, rowid, text) VALUES "
                          "('delete', ?1, ?2)",
                          err)
                : db_stmt(s, DB_SEARCH_INSERT,
                          "INSERT INTO search(rowid, text) VALUES (?1, ?2)",
                          err);
    bool ok = st && db_bind(s, st, err, "it", id, folded) && db_run(s, st, err);
    free(folded);
    return ok;
}

bool search_index_answer(struct store *s, const char *rec, const char *item,
                         const char *field, const char *old_value,
                         const char *value, struct error *err)
{
    int64_t id = 0;
    if (old_value && *old_value) {
        if (!map_find(s, rec, item, field, &id, err))
            return false;
        if (id && !index_text(s, id, "delete", old_value, err))
            return false;
    }
    bool text = false;
    if (value && *value && !is_text(s, rec, field, &text, err))
        return false;
    if (!text) {
        if (!id)
            return true;
        sqlite3_stmt *st = db_stmt(s, DB_SEARCH_MAP_DELETE,
                                   "DELETE FROM search_map WHERE id = ?1", err);
        return st && db_bind(s, st, err, "i", id) && db_run(s, st, err);
    }
    if (!id && !map_add(s, rec, item, field, &id, err))
        return false;
    return index_text(s, id, NULL, value, err);
}
