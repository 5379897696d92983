#include "config.h"

#include "store/schema_v5.h"

#include "store/db.h"
#include "store/search_index.h"

/* A one-letter word merged the lists of every word starting with it at
 * each keystroke (bench/search-latency); FTS5 keeps an index of first
 * letters only when the table is made with it, so the table is made
 * again (the schema 8 step, which every upgrade ends with, fills it).
 * Safe to run again. */
static const char drop_sql[] = "DROP TABLE IF EXISTS search;\n";

bool schema_v4_to_v5(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path, drop_sql, err) &&
           db_exec(db, path, search_index_schema_v5_sql, err);
}
