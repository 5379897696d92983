#include "config.h"

#include "store/search_index.h"

#include "core/fold.h"
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
#define SEARCH_TABLE_SQL                                                    \
    "CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(text, content = '',\n" \
    "  columnsize = 0, tokenize = 'unicode61 remove_diacritics 2',\n"       \
    "  prefix = '1');\n"

const char search_index_schema_v5_sql[] = SEARCH_MAP_SQL SEARCH_TABLE_SQL;

/* Schema 8: an entry's id is its answer's rowid; no map. */
const char search_index_schema_sql[] = SEARCH_TABLE_SQL;

static store_text_fields_fn text_fields_fn;

void store_set_text_fields(store_text_fields_fn fn)
{
    text_fields_fn = fn;
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

bool search_index_functions(sqlite3 *db)
{
    struct text_cache *c = xcalloc(1, sizeof *c);
    /* not deterministic: it reads main.forms */
    return sqlite3_create_function_v2(db, "imas_text_field", 3,
                                      SQLITE_UTF8 | SQLITE_DIRECTONLY, c,
                                      sql_text_field, NULL, NULL,
                                      text_cache_free) == SQLITE_OK;
}

/* ---- set-based: the upgrade's rebuild ------------------------------- */

bool search_index_rebuild(sqlite3 *db, const char *path, struct error *err)
{
    static const char sql[] =
        "INSERT INTO main.search(search) VALUES ('delete-all');\n"
        "INSERT INTO main.search(rowid, text) SELECT a.rowid, "
        "imas_fold(a.value) FROM main.answers AS a LEFT JOIN main.records "
        "AS r ON r.record_uuid = a.record_uuid WHERE "
        STORE_SEARCH_INDEXED_SQL("a", "r") " ORDER BY a.rowid;\n";
    return db_exec(db, path, sql, err);
}

/* ---- one answer: the store's write path ------------------------------- */

static bool is_text(struct store *s, const char *rec, const char *field,
                    bool *text, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_SEARCH_TEXT,
        "SELECT imas_text_field(r.form_id, r.form_version, ?2) FROM "
        "(SELECT 1) LEFT JOIN records AS r ON r.record_uuid = ?1",
        err);
    int64_t v = 0;
    /* no such record: imas_text_field(NULL, ...) counts every field, as
     * the set-based statements' LEFT JOIN does */
    bool ok = st && db_bind(s, st, err, "tt", rec, field) &&
              db_int(s, st, &v, err);
    *text = v != 0;
    return ok;
}

static bool index_text(struct store *s, int64_t id, bool drop,
                       const char *value, struct error *err)
{
    char *folded = fold_text(value);
    sqlite3_stmt *st =
        drop ? db_stmt(s, DB_SEARCH_DELETE,
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
    bool had = old_value && *old_value, has = value && *value, text = false;
    if ((!had && !has) || !is_text(s, rec, field, &text, err))
        return !had && !has;
    if (!text)
        return true;
    int64_t id = 0;
    sqlite3_stmt *st = db_stmt(s, DB_ANSWER_ROWID,
                               "SELECT rowid FROM answers WHERE record_uuid "
                               "= ?1 AND item_uuid = ?2 AND field = ?3",
                               err);
    if (!st || !db_bind(s, st, err, "ttt", rec, item, field) ||
        !db_int(s, st, &id, err))
        return false;
    return (!had || index_text(s, id, true, old_value, err)) &&
           (!has || index_text(s, id, false, value, err));
}

/* FTS5 merges the index's segments inside the commits that write it
 * (automerge): every 64 leaf pages written, 64 pages of merging per level
 * of segments at once, which put 10-30 ms into one note's commit in 60
 * (capture-latency: p99 1.7-2.1 ms, max 28 ms). Merging a little between
 * notes leaves those commits nothing to merge (p99 1.0 ms, max 1.3-1.9
 * ms). FTS5's 'merge' with a positive count merges only levels that
 * have as many segments as automerge would ask for, so it writes nothing
 * (and syncs nothing) when none has. */

bool store_search_tidy(struct store *s, struct error *err)
{
    if (s->readonly)
        return true;
    static const char sql[] =
        "INSERT INTO search(search, rank) VALUES ('merge', 64)";
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ||
           db_fail(s->db, s->path, err);
}
