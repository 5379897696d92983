#include "config.h"

#include "store/schema_v7.h"

#include "store/db.h"

/* Home lists records by their last edit. With version 6 that was a MAX
 * over each record's answers at every start: 170 ms for 1M answers
 * (bench/ui-bench, target 100 ms to the first screen). One row per record
 * instead; its time is the latest of every version of the record's
 * answers, current or kept, so it does not depend on the order files are
 * merged in (a merge keeps the losers) and never goes back. */
const char schema_record_edits_fill_sql[] =
    "INSERT OR REPLACE INTO record_edits(record_uuid, at) SELECT "
    "record_uuid, MAX(updated_at) FROM (SELECT record_uuid, updated_at FROM "
    "answers UNION ALL SELECT record_uuid, updated_at FROM answers_versions) "
    "GROUP BY record_uuid;\n";

bool schema_v6_to_v7(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path,
                   "CREATE TABLE IF NOT EXISTS record_edits(\n"
                   "  record_uuid TEXT NOT NULL PRIMARY KEY,\n"
                   "  at INTEGER NOT NULL\n"
                   ") WITHOUT ROWID;\n",
                   err) &&
           db_exec(db, path, schema_record_edits_fill_sql, err);
}
