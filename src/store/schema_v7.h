/* schema_v7.h: the upgrade step from schema version 6 to 7, a record's
 * last edit kept beside it. Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V7_H
#define IMAS_STORE_SCHEMA_V7_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* The table record_edits (record_uuid, at): per record, the latest
 * updated_at of every version of its answers the file holds (answers and
 * answers_versions). Derived: the store's save and the merge keep it up
 * to date; an input's copy is never read. Filled from the answers; inside
 * the upgrade's transaction, safe to run again. */
bool schema_v6_to_v7(sqlite3 *db, const char *path, struct error *err);

/* The same fill, for a file whose table may be stale. */
extern const char schema_record_edits_fill_sql[];

#endif
