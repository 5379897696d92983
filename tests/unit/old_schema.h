/* old_schema.h: a file of today's schema turned back into what schema 8
 * or 7 left, for the tests of older files (their upgrade, a read-only open,
 * a merge input). Schema 8 gave answers rowids and dropped search_map;
 * this gives answers back its schema 7 table, exactly as that schema's
 * steps wrote it, with the same rows, and an empty map (what a map held
 * is never read by the merge, and an upgrade rebuilds the index). The
 * caller sets user_version. */
#ifndef IMAS_TESTS_OLD_SCHEMA_H
#define IMAS_TESTS_OLD_SCHEMA_H

#include <stdlib.h>
#include <string.h>

#include "store/search_index.h"

/* Schema 9 back to schema 8: records without numbers (schema 1's table
 * with schema 2's column), answers a table again with the same rowids,
 * no answer_rows nor device_ids. Every row kept. */
#define OLD_SCHEMA_V8_SQL                                                   \
    "DROP VIEW answers;\n"                                                  \
    "ALTER TABLE records RENAME TO records_v9;\n"                           \
    "CREATE TABLE records(\n"                                               \
    "  record_uuid TEXT NOT NULL PRIMARY KEY,\n"                            \
    "  form_id TEXT NOT NULL,\n"                                            \
    "  form_version TEXT NOT NULL,\n"                                       \
    "  state TEXT NOT NULL CHECK(state IN ('draft', 'finalized')),\n"       \
    "  created_at INTEGER NOT NULL,\n"                                      \
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"                   \
    "  updated_at INTEGER NOT NULL,\n"                                      \
    "  device_id TEXT NOT NULL,\n"                                          \
    "  author TEXT NOT NULL,\n"                                             \
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1))\n"       \
    ", parents TEXT NOT NULL DEFAULT '') WITHOUT ROWID;\n"                  \
    "INSERT INTO records SELECT record_uuid, form_id, form_version, "       \
    "state, created_at, revision, updated_at, device_id, author, deleted, " \
    "parents FROM records_v9;\n"                                            \
    "CREATE TABLE answers(\n"                                               \
    "  record_uuid TEXT NOT NULL,\n"                                        \
    "  item_uuid TEXT NOT NULL DEFAULT '',\n"                               \
    "  field TEXT NOT NULL,\n"                                              \
    "  value TEXT,\n"                                                       \
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"                   \
    "  updated_at INTEGER NOT NULL,\n"                                      \
    "  device_id TEXT NOT NULL,\n"                                          \
    "  author TEXT NOT NULL,\n"                                             \
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1)),\n"      \
    "  parents TEXT NOT NULL DEFAULT '',\n"                                 \
    "  PRIMARY KEY(record_uuid, item_uuid, field)\n"                        \
    ");\n"                                                                  \
    "INSERT INTO answers(rowid, record_uuid, item_uuid, field, value, "     \
    "revision, updated_at, device_id, author, deleted, parents) SELECT "    \
    "a.rowid, r.record_uuid, a.item_uuid, a.field, a.value, a.revision, "   \
    "a.updated_at, d.device_id, a.author, a.deleted, a.parents FROM "       \
    "answer_rows AS a JOIN records_v9 AS r ON r.rid = a.rid JOIN "          \
    "device_ids AS d ON d.did = a.did;\n"                                   \
    "DROP TABLE answer_rows;\n"                                             \
    "DROP TABLE device_ids;\n"                                              \
    "DROP TABLE records_v9;\n"

#define OLD_SCHEMA_V7_ANSWERS_SQL                                           \
    OLD_SCHEMA_V8_SQL                                                       \
    "ALTER TABLE answers RENAME TO answers_v8;\n"                           \
    "CREATE TABLE answers(\n"                                               \
    "  record_uuid TEXT NOT NULL,\n"                                        \
    "  item_uuid TEXT NOT NULL DEFAULT '',\n"                               \
    "  field TEXT NOT NULL,\n"                                              \
    "  value TEXT,\n"                                                       \
    "  revision INTEGER NOT NULL CHECK(revision >= 1),\n"                   \
    "  updated_at INTEGER NOT NULL,\n"                                      \
    "  device_id TEXT NOT NULL,\n"                                          \
    "  author TEXT NOT NULL,\n"                                             \
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK(deleted IN (0, 1)), "       \
    "parents TEXT NOT NULL DEFAULT '',\n"                                   \
    "  PRIMARY KEY(record_uuid, item_uuid, field)\n"                        \
    ") WITHOUT ROWID;\n"                                                    \
    "INSERT INTO answers SELECT record_uuid, item_uuid, field, value, "     \
    "revision, updated_at, device_id, author, deleted, parents FROM "       \
    "answers_v8;\n"                                                         \
    "DROP TABLE answers_v8;\n"

/* A fresh string: the SQL that turns a schema 9 file into schema 7's
 * objects (user_version left alone). */
static inline char *old_schema_v7_sql(void)
{
    size_t a = strlen(OLD_SCHEMA_V7_ANSWERS_SQL),
           b = strlen(search_index_schema_v5_sql);
    char *sql = malloc(a + b + 1);
    if (!sql)
        abort();
    memcpy(sql, OLD_SCHEMA_V7_ANSWERS_SQL, a);
    memcpy(sql + a, search_index_schema_v5_sql, b + 1);
    return sql;
}

#endif
