#include "config.h"

#include "store/schema_v3.h"

#include "store/db.h"
#include "store/search_index.h"

/* Version 2's index held every answer with its key columns, 40% of a
 * file; search only looks at text. Safe to run again: the index is
 * rebuilt from the answers whatever it held. */
static const char drop_sql[] =
    "DROP TABLE IF EXISTS answers_fts;\n"
    "DELETE FROM meta WHERE key = 'search_fold';\n";

bool schema_v2_to_v3(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path, drop_sql, err) &&
           db_exec(db, path, search_index_schema_sql, err) &&
           search_index_rebuild(db, path, err);
}
