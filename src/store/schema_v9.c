#include "config.h"

#include "store/schema_v9.h"

#include "core/i18n.h"
#include "store/db.h"

/* Each answer named its record and device by two 36-character UUIDs, in
 * its row and (the record's) again in its key: 110 of its 369 bytes
 * (issue 15, bench/README.md). Numbers local to the file take 1 to 4
 * bytes each; the UUIDs are kept once, in records and device_ids. The
 * view `answers` shows the rows as they were, so the store reads them
 * unchanged; what writes them (store/answers.c, the merge) writes
 * answer_rows. */
static const char tables_sql[] =
    "CREATE TABLE records(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  record_uuid TEXT NOT NULL UNIQUE,\n"
    "  form_id TEXT NOT NULL,\n"
    "  form_version TEXT NOT NULL,\n"
    "  state TEXT NOT NULL CHECK(state IN ('draft', 'finalized')),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  device_id TEXT NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1)),\n"
    "  parents TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE TABLE device_ids(\n"
    "  did INTEGER PRIMARY KEY,\n"
    "  device_id TEXT NOT NULL UNIQUE\n"
    ");\n"
    "CREATE TABLE answer_rows(\n"
    "  rid INTEGER NOT NULL,\n"
    "  item_uuid TEXT NOT NULL DEFAULT '',\n"
    "  field TEXT NOT NULL,\n"
    "  value TEXT,\n"
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  did INTEGER NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1)),\n"
    "  parents TEXT NOT NULL DEFAULT '',\n"
    "  UNIQUE(rid, item_uuid, field)\n"
    ");\n";

static const char view_sql[] =
    "CREATE VIEW answers AS SELECT a.rowid AS rowid, r.record_uuid AS "
    "record_uuid, a.item_uuid AS item_uuid, a.field AS field, a.value AS "
    "value, a.revision AS revision, a.updated_at AS updated_at, "
    "d.device_id AS device_id, a.author AS author, a.deleted AS deleted, "
    "a.parents AS parents FROM answer_rows AS a JOIN records AS r ON "
    "r.rid = a.rid JOIN device_ids AS d ON d.did = a.did;\n";

bool schema_views_ours(sqlite3 *db, const char *path, bool *ours,
                       struct error *err)
{
    sqlite3_stmt *st = NULL;
    /* the view as SQLite keeps it: without the ";\n" */
    bool ok = sqlite3_prepare_v2(db,
                                 "SELECT NOT EXISTS (SELECT 1 FROM "
                                 "main.sqlite_schema WHERE type = 'view' AND "
                                 "(name IS NOT 'answers' OR sql IS NOT ?1))",
                                 -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, view_sql, (int)sizeof view_sql - 3,
                                SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    *ours = ok && sqlite3_column_int(st, 0) == 1;
    if (!ok)
        db_fail(db, path, err);
    sqlite3_finalize(st);
    return ok;
}

#define RECORD_COLS                                                         \
    "record_uuid, form_id, form_version, state, created_at, revision, "     \
    "updated_at, device_id, author, deleted, parents"

static bool has_table(sqlite3 *db, const char *name, bool *yes,
                      const char *path, struct error *err)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db,
                                 "SELECT 1 FROM main.sqlite_schema WHERE "
                                 "type = 'table' AND name = ?1",
                                 -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK;
    int rc = ok ? sqlite3_step(st) : SQLITE_ERROR;
    ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    *yes = rc == SQLITE_ROW;
    if (!ok)
        db_fail(db, path, err);
    sqlite3_finalize(st);
    return ok;
}

static bool count_orphans(sqlite3 *db, const char *path, long long *n,
                          struct error *err)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db,
                                 "SELECT count(*) FROM answers AS a WHERE "
                                 "NOT EXISTS (SELECT 1 FROM records_v8 AS r "
                                 "WHERE r.record_uuid = a.record_uuid)",
                                 -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    *n = ok ? sqlite3_column_int64(st, 0) : 0;
    if (!ok)
        db_fail(db, path, err);
    sqlite3_finalize(st);
    return ok;
}

/* FTS5 keeps what it is to write in memory up to this size before it
 * writes a segment (1 MB unless set), and merges segments as they come:
 * at 8 MB, adding the 100k answers of a merge input costs a third less
 * (bench/README.md), and a save writes as before. */
#define SEARCH_HASHSIZE "8388608"

bool schema_v8_to_v9(sqlite3 *db, const char *path, struct error *err)
{
    bool done = false;
    if (!has_table(db, "answer_rows", &done, path, err) ||
        !db_exec(db, path,
                 "INSERT INTO search(search, rank) VALUES ('hashsize', "
                 SEARCH_HASHSIZE ");\n",
                 err))
        return false;
    if (done)
        return true;
    long long orphans = 0;
    if (!db_exec(db, path, "ALTER TABLE records RENAME TO records_v8;\n",
                 err) ||
        !count_orphans(db, path, &orphans, err))
        return false;
    if (orphans > 0)
        return error_set_at(err, path, 0,
                            _("%lld answers belong to no record: this file "
                              "is damaged and cannot be upgraded"),
                            orphans);
    /* answers keep their rowids: the search index stays as it is */
    return db_exec(db, path, tables_sql, err) &&
           db_exec(db, path,
                   "INSERT INTO records(" RECORD_COLS ") SELECT " RECORD_COLS
                   " FROM records_v8 ORDER BY record_uuid;\n"
                   "INSERT INTO device_ids(device_id) SELECT DISTINCT "
                   "device_id FROM answers ORDER BY device_id;\n"
                   "INSERT INTO answer_rows(rowid, rid, item_uuid, field, "
                   "value, revision, updated_at, did, author, deleted, "
                   "parents) SELECT a.rowid, r.rid, a.item_uuid, a.field, "
                   "a.value, a.revision, a.updated_at, d.did, a.author, "
                   "a.deleted, a.parents FROM answers AS a JOIN records AS r "
                   "ON r.record_uuid = a.record_uuid JOIN device_ids AS d ON "
                   "d.device_id = a.device_id ORDER BY a.rowid;\n"
                   "DROP TABLE answers;\n"
                   "DROP TABLE records_v8;\n",
                   err) &&
           db_exec(db, path, view_sql, err);
}
