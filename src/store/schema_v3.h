/* schema_v3.h: the step from schema version 2 to 3 (the attachments
 * table: files attached to <upload> questions). Runs inside the upgrade's
 * transaction. */
#ifndef IMAS_STORE_SCHEMA_V3_H
#define IMAS_STORE_SCHEMA_V3_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

bool schema_v2_to_v3(sqlite3 *db, const char *path, struct error *err);

#endif
