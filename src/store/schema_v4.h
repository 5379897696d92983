/* schema_v4.h: the upgrade step from schema version 3 to 4, the lean
 * search index (store/search_index.h). Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V4_H
#define IMAS_STORE_SCHEMA_V4_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* Drop answers_fts (a copy of every answer column, UUIDs, codes and times
 * included) and its meta key search_fold; create search_map and the
 * contentless FTS5 table search, and index the live text answers of every
 * record from the answers table, folded. Inside the upgrade's
 * transaction. */
bool schema_v3_to_v4(sqlite3 *db, const char *path, struct error *err);

#endif
