#include "config.h"

#include "store/schema_v2.h"

#include "store/db.h"
#include "store/history.h"

#include <stddef.h>

/* Every version names the versions it replaced, and the devices that wrote
 * into the file have names. */
static const char add_columns_sql[] =
    "ALTER TABLE records ADD COLUMN parents TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE items ADD COLUMN parents TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE answers ADD COLUMN parents TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE records_versions ADD COLUMN parents TEXT NOT NULL "
    "DEFAULT '';\n"
    "ALTER TABLE items_versions ADD COLUMN parents TEXT NOT NULL "
    "DEFAULT '';\n"
    "ALTER TABLE answers_versions ADD COLUMN parents TEXT NOT NULL "
    "DEFAULT '';\n"
    "DELETE FROM meta WHERE key = 'device_id';\n"
    "CREATE TABLE devices(\n"
    "  device_id TEXT NOT NULL PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n";

/* Version 1 knew no parents. Its history is read as a straight line in
 * rank order, except at a key's highest revision: there every version
 * (the current row and the values that lost a merge at that revision)
 * descends from the line below, so what version 1 called a conflict (a
 * kept version with the current revision and another value) still is
 * one, and what it called resolved (a newer revision) is not. */
struct line {
    const char *table, *key, *match;
};

static const struct line lines[] = {
    {"records", "record_uuid", "t.record_uuid = l.record_uuid"},
    {"items", "item_uuid", "t.item_uuid = l.item_uuid"},
    {"answers", "record_uuid, item_uuid, field",
     "t.record_uuid = l.record_uuid AND t.item_uuid = l.item_uuid AND "
     "t.field = l.field"},
};

static bool fill_parents(sqlite3 *db, const char *path, const struct line *l,
                         struct error *err)
{
    const char *vid = STORE_VID_SQL("allv");
    char *sql = sqlite3_mprintf(
        "CREATE TEMP TABLE v1_line AS "
        "WITH allv AS (SELECT %s, revision, updated_at, device_id, 0 AS cur "
        "FROM %s_versions UNION ALL SELECT %s, revision, updated_at, "
        "device_id, 1 FROM %s), "
        "ranked AS (SELECT *, LAG(%s, 1, '') OVER (PARTITION BY %s ORDER "
        "BY revision, updated_at, device_id, cur) AS prev, "
        "MAX(revision) OVER (PARTITION BY %s) AS top FROM allv), "
        "grouped AS (SELECT *, FIRST_VALUE(prev) OVER (PARTITION BY %s, "
        "revision ORDER BY updated_at, device_id, cur) AS below FROM "
        "ranked) "
        "SELECT %s, revision, updated_at, device_id, cur, CASE WHEN "
        "revision = top THEN below ELSE prev END AS parents FROM grouped;\n"
        "UPDATE %s_versions AS t SET parents = l.parents FROM temp.v1_line "
        "AS l WHERE l.cur = 0 AND %s AND t.revision = l.revision AND "
        "t.updated_at = l.updated_at AND t.device_id = l.device_id;\n"
        "UPDATE %s AS t SET parents = l.parents FROM temp.v1_line AS l "
        "WHERE l.cur = 1 AND %s;\n"
        "DROP TABLE temp.v1_line;\n",
        l->key, l->table, l->key, l->table, vid, l->key, l->key, l->key,
        l->key, l->table, l->match, l->table, l->match);
    if (!sql)
        return error_set_at(err, path, 0, "%s",
                            sqlite3_errstr(SQLITE_NOMEM));
    bool ok = db_exec(db, path, sql, err);
    sqlite3_free(sql);
    return ok;
}

bool schema_v1_to_v2(sqlite3 *db, const char *path, struct error *err)
{
    if (!db_exec(db, path, add_columns_sql, err))
        return false;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!fill_parents(db, path, &lines[i], err))
            return false;
    return true;
}
