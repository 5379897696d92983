/* schema_v5.h: the upgrade step from schema version 4 to 5, an FTS5
 * index of first letters in the search index (store/search_index.h).
 * Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V5_H
#define IMAS_STORE_SCHEMA_V5_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* Make the FTS5 table search again with prefix = '1' and index the live
 * text answers into it from the answers table (search_map is rebuilt
 * with it). Inside the upgrade's transaction; safe to run again. */
bool schema_v4_to_v5(sqlite3 *db, const char *path, struct error *err);

#endif
