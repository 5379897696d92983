#include "config.h"

#include "store/conflicts.h"

#include "core/xalloc.h"
#include "store/db.h"
#include "store/history.h"

#include <stdlib.h>
#include <string.h>

/* The current answer (a) against each other head of its history (v: a
 * kept version that neither the current row nor any other kept version
 * names as a parent) that holds something else, in live records. In a
 * live item any difference counts; in a deleted item only a tombstone
 * against a value (the delete against an edit made without knowing it).
 * The versions drive the join (CROSS JOIN fixes the order): a file has
 * far fewer of them than answers, and none at all before a merge or an
 * edit; scanning the answers made home take 0.7 s to open on a file of
 * 1M answers (bench/ui-bench). */
#define ANSWER_FROM                                                        \
    "FROM answers_versions v CROSS JOIN answers a ON "                     \
    "v.record_uuid = a.record_uuid AND v.item_uuid = a.item_uuid AND "     \
    "v.field = a.field "                                                   \
    "JOIN records r ON r.record_uuid = a.record_uuid AND r.deleted = 0 "   \
    "LEFT JOIN items i ON i.item_uuid = a.item_uuid "                      \
    "WHERE (v.value IS NOT a.value OR v.deleted <> a.deleted) AND "        \
    "(COALESCE(i.deleted, 0) = 0 OR v.deleted <> a.deleted) AND "          \
    "NOT " STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 "   \
    "FROM answers_versions w WHERE w.record_uuid = v.record_uuid AND "     \
    "w.item_uuid = v.item_uuid AND w.field = v.field AND "                 \
    STORE_NAMES_PARENT_SQL("w", "v") ") "

/* The answers in conflict of deleted items, driven by those items (a
 * file has few): a tombstone against a value. */
#define DEAD_ITEM_FROM                                                     \
    "FROM items i CROSS JOIN answers_versions v ON "                       \
    "v.record_uuid = i.record_uuid AND v.item_uuid = i.item_uuid "         \
    "CROSS JOIN answers a ON a.record_uuid = v.record_uuid AND "           \
    "a.item_uuid = v.item_uuid AND a.field = v.field "                     \
    "JOIN records r ON r.record_uuid = i.record_uuid AND r.deleted = 0 "   \
    "WHERE i.deleted = 1 AND v.deleted <> a.deleted AND "                  \
    "NOT " STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 "   \
    "FROM answers_versions w WHERE w.record_uuid = v.record_uuid AND "     \
    "w.item_uuid = v.item_uuid AND w.field = v.field AND "                 \
    STORE_NAMES_PARENT_SQL("w", "v") ") "

/* The same for a record's state: finalized, draft or deleted; deleted on
 * both sides is agreement, whatever the state each deleted. */
#define RECORD_FROM                                                        \
    "FROM records_versions v CROSS JOIN records r ON "                     \
    "r.record_uuid = v.record_uuid "                                       \
    "WHERE (v.state IS NOT r.state OR v.deleted <> r.deleted) AND "        \
    "NOT (v.deleted = 1 AND r.deleted = 1) AND "                           \
    "NOT " STORE_NAMES_PARENT_SQL("r", "v") " AND NOT EXISTS (SELECT 1 "   \
    "FROM records_versions w WHERE w.record_uuid = v.record_uuid AND "     \
    STORE_NAMES_PARENT_SQL("w", "v") ") "

/* Grouped in the versions' key order, so that counting needs no
 * temporary b-tree (nor a temporary file a kill could leave behind). */
bool store_conflict_count(struct store *s, int64_t *n, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_COUNT,
        "SELECT (SELECT count(*) FROM (SELECT 1 " ANSWER_FROM "AND "
        "COALESCE(i.deleted, 0) = 0 GROUP BY v.record_uuid, v.item_uuid, "
        "v.field)) + (SELECT count(*) FROM (SELECT 1 " DEAD_ITEM_FROM
        "GROUP BY i.item_uuid)) + (SELECT count(*) FROM (SELECT 1 "
        RECORD_FROM "GROUP BY v.record_uuid))",
        err);
    return st && db_int(s, st, n, err);
}

static void side_read(sqlite3_stmt *st, int col, bool is_record,
                      struct store_conflict_side *side)
{
    side->deleted = sqlite3_column_int(st, col + 4) != 0;
    side->value = side->deleted && !is_record ? NULL : db_column_dup(st, col);
    side->updated_at = sqlite3_column_int64(st, col + 1);
    side->device_id = db_column_dup(st, col + 2);
    side->author = db_column_dup(st, col + 3);
}

static void side_clear(struct store_conflict_side *side)
{
    xfree(&side->value);
    xfree(&side->device_id);
    xfree(&side->device_name);
    xfree(&side->author);
}

void store_conflict_clear(struct store_conflict *c)
{
    free(c->record_uuid);
    free(c->item_uuid);
    free(c->field);
    side_clear(&c->current);
    side_clear(&c->other);
}

#define DEVICE_NAMES                                                       \
    "(SELECT name FROM devices d WHERE d.device_id = cd), "                \
    "(SELECT name FROM devices d WHERE d.device_id = od) "

static void row_read(sqlite3_stmt *st, struct store_conflict *c)
{
    c->kind = (enum store_conflict_kind)sqlite3_column_int(st, 0);
    c->record_uuid = db_column_dup(st, 1);
    c->item_uuid = db_column_dup(st, 2);
    c->field = db_column_dup(st, 3);
    c->revision = sqlite3_column_int64(st, 4);
    bool rec = c->kind == STORE_CONFLICT_RECORD;
    side_read(st, 5, rec, &c->current);
    side_read(st, 10, rec, &c->other);
    c->current.device_name = db_column_dup(st, 16);
    c->other.device_name = db_column_dup(st, 17);
}

bool store_conflict_list(struct store *s, struct store_conflict **out,
                         size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_LIST,
        "SELECT kind, ru, iu, f, rev, cv, ct, cd, ca, cx, ov, ot, od, oa, "
        "ox, ord, " DEVICE_NAMES "FROM ("
        "SELECT 1 AS kind, r.record_uuid AS ru, '' AS iu, '' AS f, "
        "r.revision AS rev, r.state AS cv, r.updated_at AS ct, "
        "r.device_id AS cd, r.author AS ca, r.deleted AS cx, v.state AS ov, "
        "v.updated_at AS ot, v.device_id AS od, v.author AS oa, "
        "v.deleted AS ox, 0 AS ord " RECORD_FROM
        "UNION ALL SELECT CASE WHEN COALESCE(i.deleted, 0) = 0 THEN 0 "
        "ELSE 2 END, a.record_uuid, a.item_uuid, a.field, a.revision, "
        "a.value, a.updated_at, a.device_id, a.author, a.deleted, v.value, "
        "v.updated_at, v.device_id, v.author, v.deleted, 1 " ANSWER_FROM
        ") ORDER BY ru, ord, iu, f, ot, od LIMIT ?1",
        err);
    if (!st || !db_bind(s, st, err, "i", (int64_t)STORE_CONFLICT_LIST_MAX))
        return false;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        row_read(st, &(*out)[(*n)++]);
    }
    db_reset(st);
    if (rc < 0) {
        store_conflict_list_free(out, *n);
        *n = 0;
        return false;
    }
    return true;
}

void store_conflict_list_free(struct store_conflict **list, size_t n)
{
    if (!*list)
        return;
    for (size_t i = 0; i < n; i++)
        store_conflict_clear(&(*list)[i]);
    xfree(list);
}
