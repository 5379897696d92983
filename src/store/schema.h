/* schema.h: the survey file's schema and its upgrades.
 *
 * A new file is created at version 1 and brought to SCHEMA_VERSION by the
 * same steps an old file takes, so each step exists once. An upgrade first
 * copies the file (VACUUM INTO "FILE.bak-vN"), then runs all its steps and
 * the new user_version in one transaction: it happens completely or not at
 * all. A file newer than SCHEMA_VERSION is never downgraded. */
#ifndef IMAS_STORE_SCHEMA_H
#define IMAS_STORE_SCHEMA_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* PRAGMA application_id of every imas-survey file: "IMAS" in ASCII. */
#define SCHEMA_APPLICATION_ID 0x494D4153u
/* The user_version this program writes and fully understands. */
#define SCHEMA_VERSION 9

/* The oldest user_version whose tables (names, columns, constraints) are
 * those of SCHEMA_VERSION but for derived tables the merge never reads:
 * --merge takes an input at any version from it up, checked against that
 * version's schema (version 6 only dropped an index, version 7 added
 * record_edits, which the merge computes itself, version 8 gave
 * answers rowids and dropped search_map, which the merge never reads,
 * and version 9 moved the rows to answer_rows behind the view answers:
 * it reads the answers by their columns, through the view from 9 on).
 * An input older than it must be opened once to be upgraded. */
#define SCHEMA_MERGE_OLDEST 5

/* One upgrade step: takes a file from version `from` to `from + 1`. It runs
 * inside the upgrade's transaction and must not commit. */
struct schema_step {
    int from;
    bool (*apply)(sqlite3 *db, const char *path, struct error *err);
};

/* The steps of this program (from 1 up to SCHEMA_VERSION). */
extern const struct schema_step schema_steps[];
extern const size_t schema_nsteps;

/* Create schema version 1 in an empty database, set application_id and
 * user_version and fill meta (db_uuid, device_id, created_at), then apply
 * `steps` up to `target`; all in one transaction. */
bool schema_create(sqlite3 *db, const char *path,
                   const struct schema_step *steps, size_t nsteps,
                   int target, struct error *err);

/* The file's user_version as SQLite sees it (WAL included), or -1. */
int schema_version(sqlite3 *db, const char *path, struct error *err);

/* Bring the database at path from its user_version to target with steps.
 * Nothing to do when it is already at target; refused when it is newer or
 * a step is missing. Otherwise the backup "PATH.bak-vN" (N the old version;
 * ".2", ".3" ... appended when that name is taken) is written with mode
 * 0600 and synced first, and its name stored in *backup (may be NULL; a
 * fresh string, NULL when no backup was needed). A failing step rolls
 * everything back: the file stays at its old version, the backup stays. */
bool schema_upgrade(sqlite3 *db, const char *path,
                    const struct schema_step *steps, size_t nsteps,
                    int target, char **backup, struct error *err);

/* Compare the schema objects of database `dbname` on db ("main", or the
 * name of an attached input) with those of a fresh file of this version:
 * the same tables, indexes and virtual tables, with the same SQL (for the
 * FTS5 shadow tables, the same names: their SQL is SQLite's). Anything
 * missing or extra (a trigger, a view, a table) is an error naming it. */
bool schema_verify(sqlite3 *db, const char *dbname, const char *path,
                   struct error *err);
/* The same against the objects of schema version (1..SCHEMA_VERSION): an
 * older file not upgraded yet (--check opens files read-only). */
bool schema_verify_at(sqlite3 *db, const char *dbname, const char *path,
                      int version, struct error *err);

#endif
