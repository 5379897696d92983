/* schema_v9.h: the upgrade step from schema version 8 to 9, answers name
 * their record and device by file-local numbers. Store-internal. */
#ifndef IMAS_STORE_SCHEMA_V9_H
#define IMAS_STORE_SCHEMA_V9_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* records gets a number (rid, its rowid; its UUID a unique key), the
 * device ids of answers a table of numbers (device_ids); the answers'
 * rows move to answer_rows, which names both by number and keeps each
 * answer's rowid (its search entry's id), and `answers` becomes a view
 * with the columns it had. A file holding an answer of a record it lacks
 * is refused (the view could not show it). Inside the upgrade's
 * transaction, safe to run again. */
bool schema_v8_to_v9(sqlite3 *db, const char *path, struct error *err);

/* *ours: every view of the file's main schema is one of ours (schema 9's
 * `answers`, exactly), so that views can be on for its connection: a
 * view of a file's own (one that says it is newer, or one --check opens)
 * never runs. */
bool schema_views_ours(sqlite3 *db, const char *path, bool *ours,
                       struct error *err);

#endif
