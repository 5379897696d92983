/* old_schema.h: a file of today's schema turned back into what schema 7
 * left, for the tests of older files (their upgrade, a read-only open,
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

#define OLD_SCHEMA_V7_ANSWERS_SQL                                           \
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

/* A fresh string: the SQL that turns a schema 8 file into schema 7's
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
