/* schema_v2.h: the step from schema version 1 to 2 (parents of every
 * version, the devices table). Runs inside the upgrade's transaction. */
#ifndef IMAS_STORE_SCHEMA_V2_H
#define IMAS_STORE_SCHEMA_V2_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

bool schema_v1_to_v2(sqlite3 *db, const char *path, struct error *err);

#endif
