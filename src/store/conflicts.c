#include "config.h"

#include "store/conflicts.h"

#include "core/xalloc.h"
#include "store/db.h"
#include "store/history.h"

#include <stdlib.h>
#include <string.h>

/* The current answer (a) against each other head of its history (v: a
 * kept version that neither the current row nor any other kept version
 * names as a parent) that holds something else, in live records and
 * items. The versions drive the join (CROSS JOIN fixes the order): a file
 * has far fewer of them than answers, and none at all before a merge or
 * an edit; scanning the answers made home take 0.7 s to open on a file
 * of 1M answers (bench/ui-bench). */
#define CONFLICT_FROM                                                      \
    "FROM answers_versions v CROSS JOIN answers a ON "                     \
    "v.record_uuid = a.record_uuid AND v.item_uuid = a.item_uuid AND "     \
    "v.field = a.field "                                                   \
    "JOIN records r ON r.record_uuid = a.record_uuid AND r.deleted = 0 "   \
    "LEFT JOIN items i ON i.item_uuid = a.item_uuid "                      \
    "WHERE (v.value IS NOT a.value OR v.deleted <> a.deleted) AND "        \
    "COALESCE(i.deleted, 0) = 0 AND "                                      \
    "NOT " STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 "   \
    "FROM answers_versions w WHERE w.record_uuid = v.record_uuid AND "     \
    "w.item_uuid = v.item_uuid AND w.field = v.field AND "                 \
    STORE_NAMES_PARENT_SQL("w", "v") ") "

bool store_conflict_count(struct store *s, int64_t *n, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_COUNT,
        "SELECT count(*) FROM (SELECT DISTINCT a.record_uuid, a.item_uuid, "
        "a.field " CONFLICT_FROM ")",
        err);
    return st && db_int(s, st, n, err);
}

static void side_read(sqlite3_stmt *st, int col, bool deleted,
                      struct store_conflict_side *side)
{
    side->value = deleted ? NULL : db_column_dup(st, col);
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

bool store_conflict_list(struct store *s, struct store_conflict **out,
                         size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_LIST,
        "SELECT a.record_uuid, a.item_uuid, a.field, a.revision, "
        "a.value, a.updated_at, a.device_id, a.author, a.deleted, "
        "v.value, v.updated_at, v.device_id, v.author, v.deleted, "
        "(SELECT name FROM devices WHERE device_id = a.device_id), "
        "(SELECT name FROM devices WHERE device_id = v.device_id) "
        CONFLICT_FROM "ORDER BY a.record_uuid, a.item_uuid, a.field, v.updated_at, "
        "v.device_id LIMIT ?1",
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
        struct store_conflict *c = &(*out)[(*n)++];
        c->record_uuid = db_column_dup(st, 0);
        c->item_uuid = db_column_dup(st, 1);
        c->field = db_column_dup(st, 2);
        c->revision = sqlite3_column_int64(st, 3);
        side_read(st, 4, sqlite3_column_int(st, 8) != 0, &c->current);
        side_read(st, 9, sqlite3_column_int(st, 13) != 0, &c->other);
        c->current.device_name = db_column_dup(st, 14);
        c->other.device_name = db_column_dup(st, 15);
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
    for (size_t i = 0; i < n; i++) {
        struct store_conflict *c = &(*list)[i];
        free(c->record_uuid);
        free(c->item_uuid);
        free(c->field);
        side_clear(&c->current);
        side_clear(&c->other);
    }
    xfree(list);
}
