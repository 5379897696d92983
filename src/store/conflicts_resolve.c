/* conflicts_resolve.c: ending a record's or an item's conflict (see
 * conflicts.h); an answer's is store_answer_resolve. */
#include "config.h"

#include "store/conflicts.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/history.h"

#include <stdlib.h>
#include <string.h>

/* The ids of every head of the key: the current row and each kept
 * version nobody names, sorted, space-separated: the parents of the
 * version that ends the conflict. */
#define HEADS_SQL(table, key)                                              \
    "SELECT group_concat(vid, ' ') FROM (SELECT " STORE_VID_SQL("v")       \
    " AS vid FROM " table "_versions v JOIN " table " c ON c." key         \
    " = v." key " WHERE v." key " = ?1 AND NOT "                           \
    STORE_NAMES_PARENT_SQL("c", "v") " AND NOT EXISTS (SELECT 1 FROM "     \
    table "_versions w WHERE w." key " = v." key " AND "                   \
    STORE_NAMES_PARENT_SQL("w", "v") ") UNION SELECT " STORE_VID_SQL("c")  \
    " FROM " table " c WHERE c." key " = ?1 ORDER BY 1)"

static bool heads(struct store *s, enum db_stmt_id id, const char *sql,
                  const char *key, char **out, struct error *err)
{
    *out = NULL;
    sqlite3_stmt *st = db_stmt(s, id, sql, err);
    if (!st || !db_bind(s, st, err, "t", key))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW)
        *out = db_column_dup(st, 0);
    db_reset(st);
    if (rc == SQLITE_ROW && !*out)
        return error_set_at(err, s->path, 0, _("no such record: %s"), key);
    return rc == SQLITE_ROW;
}

static bool record_resolve_tx(struct store *s, const char *uuid,
                              const char *state, bool deleted,
                              struct error *err)
{
    char *parents;
    if (!heads(s, DB_CONFLICT_RECORD_HEADS,
               HEADS_SQL("records", "record_uuid"), uuid, &parents, err))
        return false;
    int64_t now = clock_now_ms();
    sqlite3_stmt *keep = db_stmt(
        s, DB_CONFLICT_RECORD_KEEP,
        "INSERT OR IGNORE INTO records_versions(record_uuid, revision, "
        "device_id, updated_at, form_id, form_version, state, created_at, "
        "author, deleted, superseded_at, reason, parents) SELECT "
        "record_uuid, revision, device_id, updated_at, form_id, "
        "form_version, state, created_at, author, deleted, ?2, 'resolve', "
        "parents FROM records WHERE record_uuid = ?1",
        err);
    sqlite3_stmt *set = keep ? db_stmt(
        s, DB_CONFLICT_RECORD_SET,
        "UPDATE records SET state = ?2, deleted = ?3, revision = revision + "
        "1, updated_at = ?4, device_id = ?5, author = ?6, parents = ?7 "
        "WHERE record_uuid = ?1",
        err) : NULL;
    bool ok = set && db_bind(s, keep, err, "ti", uuid, now) &&
              db_run(s, keep, err) &&
              db_bind(s, set, err, "ttiittt", uuid, state,
                      (int64_t)deleted, now, s->device_id, s->author,
                      parents) &&
              db_run(s, set, err) && audit_add(s, uuid, "resolve", "state", err);
    free(parents);
    return ok;
}

bool store_conflict_resolve_record(struct store *s, const char *record_uuid,
                                   const char *state, bool deleted,
                                   struct error *err)
{
    if (!record_uuid || !state ||
        (strcmp(state, "draft") != 0 && strcmp(state, "finalized") != 0))
        return error_set_at(err, s->path, 0, _("not a record state: %s"),
                            state ? state : "");
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(
        s, record_resolve_tx(s, record_uuid, state, deleted, err), err);
}

/* The item lives again: a new version naming its heads. */
static bool item_revive(struct store *s, const char *item, struct error *err)
{
    char *parents;
    if (!heads(s, DB_CONFLICT_ITEM_HEADS, HEADS_SQL("items", "item_uuid"),
               item, &parents, err))
        return false;
    int64_t now = clock_now_ms();
    sqlite3_stmt *keep = db_stmt(
        s, DB_CONFLICT_ITEM_KEEP,
        "INSERT OR IGNORE INTO items_versions(item_uuid, revision, "
        "device_id, updated_at, record_uuid, parent_uuid, repeat_path, "
        "created_at, author, deleted, superseded_at, reason, parents) "
        "SELECT item_uuid, revision, device_id, updated_at, record_uuid, "
        "parent_uuid, repeat_path, created_at, author, deleted, ?2, "
        "'resolve', parents FROM items WHERE item_uuid = ?1",
        err);
    sqlite3_stmt *set = keep ? db_stmt(
        s, DB_CONFLICT_ITEM_SET,
        "UPDATE items SET deleted = 0, revision = revision + 1, "
        "updated_at = ?2, device_id = ?3, author = ?4, parents = ?5 "
        "WHERE item_uuid = ?1",
        err) : NULL;
    bool ok = set && db_bind(s, keep, err, "ti", item, now) &&
              db_run(s, keep, err) &&
              db_bind(s, set, err, "tittt", item, now, s->device_id,
                      s->author, parents) &&
              db_run(s, set, err);
    free(parents);
    return ok;
}

/* The fields of the item's answers that have another head than the
 * current row (each in conflict, the item being deleted). */
static bool item_fields(struct store *s, const char *rec, const char *item,
                        char ***out, size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_ITEM_FIELDS,
        "SELECT DISTINCT a.field FROM answers a JOIN answers_versions v ON "
        "v.record_uuid = a.record_uuid AND v.item_uuid = a.item_uuid AND "
        "v.field = a.field WHERE a.record_uuid = ?1 AND a.item_uuid = ?2 "
        "AND (v.value IS NOT a.value OR v.deleted <> a.deleted) AND NOT "
        STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 FROM "
        "answers_versions w WHERE w.record_uuid = v.record_uuid AND "
        "w.item_uuid = v.item_uuid AND w.field = v.field AND "
        STORE_NAMES_PARENT_SQL("w", "v") ") ORDER BY 1",
        err);
    if (!st || !db_bind(s, st, err, "tt", rec, item))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = db_column_dup(st, 0);
    }
    db_reset(st);
    return rc >= 0;
}

/* The latest head of the answer that is not a tombstone: the edit. */
static bool item_edit_value(struct store *s, const char *rec,
                            const char *item, const char *field, char **out,
                            struct error *err)
{
    *out = NULL;
    sqlite3_stmt *st = db_stmt(
        s, DB_CONFLICT_ITEM_VALUE,
        "SELECT value FROM (SELECT a.value, a.revision, a.updated_at, "
        "a.device_id FROM answers a WHERE a.record_uuid = ?1 AND "
        "a.item_uuid = ?2 AND a.field = ?3 AND a.deleted = 0 UNION ALL "
        "SELECT v.value, v.revision, v.updated_at, v.device_id FROM "
        "answers_versions v JOIN answers a ON a.record_uuid = v.record_uuid "
        "AND a.item_uuid = v.item_uuid AND a.field = v.field WHERE "
        "v.record_uuid = ?1 AND v.item_uuid = ?2 AND v.field = ?3 AND "
        "v.deleted = 0 AND NOT " STORE_NAMES_PARENT_SQL("a", "v")
        " AND NOT EXISTS (SELECT 1 FROM answers_versions w WHERE "
        "w.record_uuid = v.record_uuid AND w.item_uuid = v.item_uuid AND "
        "w.field = v.field AND " STORE_NAMES_PARENT_SQL("w", "v") ")) "
        "ORDER BY revision DESC, updated_at DESC, device_id DESC LIMIT 1",
        err);
    if (!st || !db_bind(s, st, err, "ttt", rec, item, field))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW)
        *out = db_column_dup(st, 0);
    db_reset(st);
    return rc >= 0;
}

static bool item_resolve_tx(struct store *s, const char *rec,
                            const char *item, bool keep,
                            const char *const *fields,
                            const char *const *values, size_t nvalues,
                            struct error *err)
{
    char **conflicted;
    size_t n;
    if (!item_fields(s, rec, item, &conflicted, &n, err))
        return false;
    bool ok = !keep || item_revive(s, item, err);
    for (size_t i = 0; ok && i < n; i++) {
        char *value = NULL;
        ok = (!keep ||
              item_edit_value(s, rec, item, conflicted[i], &value, err)) &&
             answers_write(s, rec, item, conflicted[i], value,
                           ANSWERS_RESOLVE_DEAD, err);
        free(value);
    }
    for (size_t i = 0; ok && keep && i < nvalues; i++)
        ok = answers_write(s, rec, item, fields[i], values[i], ANSWERS_EDIT,
                           err);
    for (size_t i = 0; i < n; i++)
        free(conflicted[i]);
    free(conflicted);
    return ok && audit_add(s, rec, "resolve", item, err);
}

bool store_conflict_resolve_item(struct store *s, const char *record_uuid,
                                 const char *item_uuid, bool keep,
                                 const char *const *fields,
                                 const char *const *values, size_t nvalues,
                                 struct error *err)
{
    if (!record_uuid || !item_uuid || !*item_uuid)
        return error_set_at(err, s->path, 0, _("no such repeat item: %s"),
                            item_uuid ? item_uuid : "");
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(s,
                        item_resolve_tx(s, record_uuid, item_uuid, keep,
                                        fields, values, nvalues, err),
                        err);
}
