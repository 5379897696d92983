/* schema_v6.h: the upgrade step from schema version 5 to 6, a leaner
 * answers table. Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V6_H
#define IMAS_STORE_SCHEMA_V6_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* Drop the index answers_by_time (record_uuid, updated_at): 78 of the
 * ~500 bytes an answer took, a second B-tree written by every save and
 * every merged answer, for one MAX per record that the primary key's
 * record_uuid prefix answers as well. Inside the upgrade's transaction;
 * safe to run again. */
bool schema_v5_to_v6(sqlite3 *db, const char *path, struct error *err);

#endif
