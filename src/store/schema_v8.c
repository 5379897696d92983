#include "config.h"

#include "store/schema_v8.h"

#include "store/db.h"
#include "store/search_index.h"

/* Schemas 4 to 7 gave each search entry a 40-bit hash of its answer's
 * key and kept a map from it back to the key: 77 bytes per indexed
 * answer, and the merge hashed, sorted and mapped every new entry, a
 * third of its time (bench/README.md, issue 15). Under the answer's own
 * rowid the map is not needed, a hit is one look-up, and a file's ids
 * are dense, so the index itself is smaller. The key stays the primary
 * key (an index beside the rows now). */
static const char answers_sql[] =
    "CREATE TABLE answers(\n"
    "  record_uuid TEXT NOT NULL,\n"
    "  item_uuid TEXT NOT NULL DEFAULT '',\n"
    "  field TEXT NOT NULL,\n"
    "  value TEXT,\n"
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  device_id TEXT NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1)),\n"
    "  parents TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(record_uuid, item_uuid, field)\n"
    ");\n";

#define COLS                                                                \
    "record_uuid, item_uuid, field, value, revision, updated_at, "          \
    "device_id, author, deleted, parents"

bool schema_v7_to_v8(sqlite3 *db, const char *path, struct error *err)
{
    /* Run again (a fresh file's steps, a test), the table is already
     * one with rowids: only the index is made again. */
    sqlite3_stmt *st = NULL;
    bool rowid = false;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM main.answers LIMIT 0", -1,
                           &st, NULL) == SQLITE_OK)
        rowid = true;
    sqlite3_finalize(st);
    if (!rowid &&
        !(db_exec(db, path, "ALTER TABLE answers RENAME TO answers_v7;\n",
                  err) &&
          db_exec(db, path, answers_sql, err) &&
          db_exec(db, path,
                  "INSERT INTO answers(" COLS ") SELECT " COLS " FROM "
                  "answers_v7 ORDER BY record_uuid, item_uuid, field;\n"
                  "DROP TABLE answers_v7;\n",
                  err)))
        return false;
    return db_exec(db, path,
                   "DROP TABLE IF EXISTS search_map;\n"
                   "DROP TABLE IF EXISTS search;\n",
                   err) &&
           db_exec(db, path, search_index_schema_sql, err) &&
           search_index_rebuild(db, path, err);
}
