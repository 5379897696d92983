/* schema_v8.h: the upgrade step from schema version 7 to 8, a search
 * entry's id is its answer's rowid. Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V8_H
#define IMAS_STORE_SCHEMA_V8_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* answers becomes a table with rowids (its key a unique index), written
 * again in key order; search_map goes; the search table is made again and
 * filled from the answers under their rowids. Inside the upgrade's
 * transaction, safe to run again. */
bool schema_v7_to_v8(sqlite3 *db, const char *path, struct error *err);

#endif
