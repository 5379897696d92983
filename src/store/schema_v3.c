#include "config.h"

#include "store/schema_v3.h"

#include "store/db.h"

/* A file's content, stored once, keyed by the SHA-256 of its bytes (an
 * answer names it, store/attach.h). A rowid table, unlike the others:
 * SQLite keeps a WITHOUT ROWID row whole in its b-tree and advises them
 * only for small rows, and incremental blob reads need a rowid. The key
 * makes two files of the same content one row, on this laptop and in a
 * merge. */
static const char attachments_sql[] =
    "CREATE TABLE IF NOT EXISTS attachments(\n"
    "  sha256 TEXT NOT NULL PRIMARY KEY,\n"
    "  size INTEGER NOT NULL CHECK(size >= 0),\n"
    "  added_at INTEGER NOT NULL,\n"
    "  data BLOB NOT NULL\n"
    ");\n";

bool schema_v2_to_v3(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path, attachments_sql, err);
}
