#include "config.h"

#include "store/fold_index.h"

#include <sqlite3.h>
#include <stddef.h>

/* Every live answer with text, folded, under the store's rowid; a rowid
 * taken by another key (a hash collision) falls back to a fresh one, as
 * the store and the merge do. */
static const char reindex_sql[] =
    "DELETE FROM answers_fts;\n"
    "INSERT INTO answers_fts(rowid, record_uuid, item_uuid, field, value) "
    "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM answers_fts AS f WHERE "
    "f.rowid = imas_fts_rowid(a.record_uuid, a.item_uuid, a.field)) THEN "
    "imas_fts_rowid(a.record_uuid, a.item_uuid, a.field) END, "
    "a.record_uuid, a.item_uuid, a.field, imas_fold(a.value) "
    "FROM answers AS a WHERE a.deleted = 0 AND a.value <> '' ORDER BY 1;\n"
    "INSERT OR REPLACE INTO meta(key, value) VALUES ('search_fold', '1');\n";

static int folded(struct store *s, struct error *err)
{
    sqlite3_stmt *st = NULL;
    int r = -1;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT 1 FROM meta WHERE key = 'search_fold' "
                           "AND value = '1'",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fail(s->db, s->path, err);
        goto cleanup;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        r = 1;
    else if (rc == SQLITE_DONE)
        r = 0;
    else
        db_fail(s->db, s->path, err);
cleanup:
    sqlite3_finalize(st);
    return r;
}

bool fold_index_ensure(struct store *s, struct error *err)
{
    if (s->readonly)
        return true;
    int f = folded(s, err);
    if (f != 0)
        return f == 1;
    /* Not db_write_begin: re-indexing is no edit, so it does not enter
     * this laptop into the file's devices. */
    if (!db_exec(s->db, s->path, "BEGIN IMMEDIATE", err))
        return false;
    if (db_exec(s->db, s->path, reindex_sql, err) &&
        db_exec(s->db, s->path, "COMMIT", err))
        return true;
    if (!sqlite3_get_autocommit(s->db))
        db_exec(s->db, s->path, "ROLLBACK", NULL);
    return false;
}
