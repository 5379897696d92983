#include "config.h"

#include "store/schema_v4.h"

#include "store/db.h"
#include "store/search_index.h"

/* Versions 1 to 3 had an index holding every answer with its key
 * columns, 40% of a file; search only looks at text. The new index is
 * filled by the schema 8 step, which every upgrade ends with. */
static const char drop_sql[] =
    "DROP TABLE IF EXISTS answers_fts;\n"
    "DELETE FROM meta WHERE key = 'search_fold';\n";

bool schema_v3_to_v4(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path, drop_sql, err) &&
           db_exec(db, path, search_index_schema_v4_sql, err);
}
