#include "config.h"

#include "store/items.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/db.h"
#include "store/history.h"
#include "store/records.h"

#include <stdlib.h>
#include <string.h>

/* An item and every item nested in it, within one record. */
#define SUBTREE                                                              \
    "WITH RECURSIVE sub(u) AS (SELECT ?1 UNION SELECT i.item_uuid "         \
    "FROM items i JOIN sub ON i.record_uuid = ?2 AND i.parent_uuid = sub.u) "

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The record an item belongs to (a fresh string), and whether it is
 * deleted; *record NULL when there is no such item. */
static bool item_load(struct store *s, const char *item_uuid, char **record,
                      bool *deleted, struct error *err)
{
    *record = NULL;
    sqlite3_stmt *st = db_stmt(s, DB_ITEM_GET,
                               "SELECT record_uuid, deleted FROM items "
                               "WHERE item_uuid = ?1",
                               err);
    if (!st || !db_bind(s, st, err, "t", item_uuid))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW) {
        *record = db_column_dup(st, 0);
        *deleted = sqlite3_column_int(st, 1) != 0;
    }
    db_reset(st);
    return rc >= 0;
}

bool items_live(struct store *s, const char *record_uuid,
                const char *item_uuid, struct error *err)
{
    char *record;
    bool deleted = false;
    if (!item_load(s, item_uuid, &record, &deleted, err))
        return false;
    bool ok = record && !deleted && strcmp(record, record_uuid) == 0;
    free(record);
    return ok || error_set_at(err, s->path, 0, _("no such repeat item: %s"),
                              item_uuid);
}

static bool item_insert(struct store *s, const char *record_uuid,
                        const char *parent, const char *repeat_path,
                        const char *uuid, struct error *err)
{
    if (!records_editable(s, record_uuid, err) ||
        (*parent && !items_live(s, record_uuid, parent, err)))
        return false;
    /* Strictly after its siblings, even within one millisecond (jr:count
     * adds several at once) or when the clock went back: a new item
     * always comes last on the laptop that adds it. */
    int64_t last, now = clock_now_ms();
    sqlite3_stmt *st = db_stmt(
        s, DB_ITEM_LAST,
        "SELECT MAX(created_at) FROM items WHERE record_uuid = ?1 AND "
        "parent_uuid = ?2 AND repeat_path = ?3",
        err);
    if (!st || !db_bind(s, st, err, "ttt", record_uuid, parent, repeat_path) ||
        !db_int(s, st, &last, err))
        return false;
    if (now <= last)
        now = last + 1;
    st = db_stmt(
        s, DB_ITEM_INSERT,
        "INSERT INTO items(item_uuid, record_uuid, parent_uuid, repeat_path, "
        "created_at, revision, updated_at, device_id, author, deleted) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?5, ?6, ?7, 0)",
        err);
    return st &&
           db_bind(s, st, err, "ttttitt", uuid, record_uuid, parent,
                   repeat_path, now, s->device_id, s->author) &&
           db_run(s, st, err);
}

bool store_item_add(struct store *s, const char *record_uuid,
                    const char *parent_uuid, const char *repeat_path,
                    char out_uuid[UUID_STR_LEN], struct error *err)
{
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    if (!store_item_add_uuid(s, record_uuid, parent_uuid, repeat_path, uuid, err))
        return false;
    memcpy(out_uuid, uuid, UUID_STR_LEN);
    return true;
}

bool store_item_add_uuid(struct store *s, const char *record_uuid,
                         const char *parent_uuid, const char *repeat_path,
                         const char *item_uuid, struct error *err)
{
    if (!repeat_path || repeat_path[0] != '/' ||
        !utf8_valid(repeat_path, strlen(repeat_path)))
        return error_set_at(err, s->path, 0,
                            _("not a repeat path: %s"), or_empty(repeat_path));
    if (!item_uuid || !uuid_valid(item_uuid))
        return error_set_at(err, s->path, 0, _("not a UUID: %s"),
                            or_empty(item_uuid));
    if (!db_write_begin(s, err))
        return false;
    bool ok = item_insert(s, or_empty(record_uuid), or_empty(parent_uuid),
                          repeat_path, item_uuid, err);
    return db_write_end(s, ok, err);
}

/* Each live answer of the subtree gets a tombstone naming every head of
 * it, so an edit made on another laptop without knowing of the delete is
 * a conflict there (store/conflicts.h), not a change that vanishes. */
static bool tombstone_answers(struct store *s, const char *item_uuid,
                              const char *record, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_ITEM_ANSWERS,
        SUBTREE "SELECT item_uuid, field FROM answers WHERE record_uuid = ?2 "
        "AND item_uuid IN sub AND deleted = 0 ORDER BY 1, 2",
        err);
    if (!st || !db_bind(s, st, err, "tt", item_uuid, record))
        return false;
    char **keys = NULL;
    size_t n = 0;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        keys = xrealloc(keys, (n + 2) * sizeof *keys);
        keys[n++] = db_column_dup(st, 0);
        keys[n++] = db_column_dup(st, 1);
    }
    db_reset(st);
    bool ok = rc >= 0;
    for (size_t i = 0; ok && i < n; i += 2)
        ok = answers_write(s, record, keys[i], keys[i + 1], NULL,
                           ANSWERS_DELETE, err);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return ok;
}

/* Tombstone the subtree in two set-based statements: keep the old rows,
 * then bump them. */
static bool item_delete_tx(struct store *s, const char *item_uuid,
                           struct error *err)
{
    char *record;
    bool deleted = false, ok = false;
    if (!item_load(s, item_uuid, &record, &deleted, err))
        return false;
    if (!record || deleted) {
        error_set_at(err, s->path, 0, _("no such repeat item: %s"), item_uuid);
        goto cleanup;
    }
    if (!records_editable(s, record, err) ||
        !tombstone_answers(s, item_uuid, record, err))
        goto cleanup;
    int64_t now = clock_now_ms();
    sqlite3_stmt *keep = db_stmt(
        s, DB_ITEM_VERSION,
        SUBTREE "INSERT OR IGNORE INTO items_versions(item_uuid, revision, "
        "device_id, updated_at, record_uuid, parent_uuid, repeat_path, "
        "created_at, author, deleted, superseded_at, reason, parents) "
        "SELECT item_uuid, revision, device_id, updated_at, record_uuid, "
        "parent_uuid, repeat_path, created_at, author, deleted, ?3, 'edit', "
        "parents FROM items WHERE item_uuid IN sub AND deleted = 0",
        err);
    if (!keep || !db_bind(s, keep, err, "tti", item_uuid, record, now) ||
        !db_run(s, keep, err))
        goto cleanup;
    sqlite3_stmt *st = db_stmt(
        s, DB_ITEM_UPDATE,
        SUBTREE "UPDATE items SET deleted = 1, revision = revision + 1, "
        "updated_at = ?3, device_id = ?4, author = ?5, "
        "parents = " STORE_VID_SQL("items") " "
        "WHERE item_uuid IN sub AND deleted = 0",
        err);
    ok = st &&
         db_bind(s, st, err, "ttitt", item_uuid, record, now, s->device_id,
                 s->author) &&
         db_run(s, st, err);
cleanup:
    free(record);
    return ok;
}

bool store_item_delete(struct store *s, const char *item_uuid,
                       struct error *err)
{
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(s, item_delete_tx(s, or_empty(item_uuid), err), err);
}

bool store_item_list(struct store *s, const char *record_uuid,
                     const char *parent_uuid, const char *repeat_path,
                     char ***uuids, size_t *n, struct error *err)
{
    *uuids = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_ITEM_LIST,
        "SELECT item_uuid FROM items WHERE record_uuid = ?1 AND "
        "parent_uuid = ?2 AND repeat_path = ?3 AND deleted = 0 "
        "ORDER BY created_at, device_id, item_uuid",
        err);
    if (!st || !db_bind(s, st, err, "ttt", or_empty(record_uuid),
                        or_empty(parent_uuid), or_empty(repeat_path)))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *uuids = xrealloc(*uuids, cap * sizeof **uuids);
        }
        (*uuids)[(*n)++] = db_column_dup(st, 0);
    }
    db_reset(st);
    if (rc >= 0)
        return true;
    store_item_list_free(uuids, *n);
    *n = 0;
    return false;
}

void store_item_list_free(char ***uuids, size_t n)
{
    if (!*uuids)
        return;
    for (size_t i = 0; i < n; i++)
        free((*uuids)[i]);
    xfree(uuids);
}
