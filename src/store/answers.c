#include "config.h"

#include "store/answers.h"

#include "core/clock.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/history.h"
#include "store/items.h"
#include "store/records.h"
#include "store/search_index.h"

#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void store_answer_clear(struct store_answer *a)
{
    xfree(&a->value);
    xfree(&a->device_id);
    xfree(&a->author);
}

bool store_answer_info(struct store *s, const char *record_uuid,
                       const char *item_uuid, const char *field,
                       struct store_answer *out, bool *found,
                       struct error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    /* schema 9: from the row itself, whose device may have no number in
     * a damaged file (--check counts it): the view would not show it, and
     * a save would overwrite it without keeping it */
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_GET,
        s->schema_version >= 9
            ? "SELECT a.value, a.revision, a.updated_at, "
              "coalesce(d.device_id, ''), a.author, a.deleted FROM records r "
              "CROSS JOIN answer_rows a ON a.rid = r.rid LEFT JOIN "
              "device_ids d ON d.did = a.did WHERE r.record_uuid = ?1 AND "
              "a.item_uuid = ?2 AND a.field = ?3"
            : "SELECT value, revision, updated_at, device_id, author, "
              "deleted FROM answers WHERE record_uuid = ?1 AND item_uuid = "
              "?2 AND field = ?3",
        err);
    if (!st || !db_bind(s, st, err, "ttt", or_empty(record_uuid),
                        or_empty(item_uuid), or_empty(field)))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW) {
        out->value = db_column_dup(st, 0);
        out->revision = sqlite3_column_int64(st, 1);
        out->updated_at = sqlite3_column_int64(st, 2);
        out->device_id = db_column_dup(st, 3);
        out->author = db_column_dup(st, 4);
        out->deleted = sqlite3_column_int(st, 5) != 0;
        *found = true;
    }
    db_reset(st);
    return rc >= 0;
}

bool store_answer_get(struct store *s, const char *record_uuid,
                      const char *item_uuid, const char *field, char **value,
                      struct error *err)
{
    struct store_answer a;
    bool found;
    *value = NULL;
    if (!store_answer_info(s, record_uuid, item_uuid, field, &a, &found, err))
        return false;
    if (found && !a.deleted) {
        *value = a.value;
        a.value = NULL;
    }
    store_answer_clear(&a);
    return true;
}

static bool keep_version(struct store *s, const char *rec, const char *item,
                         const char *field, int64_t now, const char *reason,
                         struct error *err)
{
    /* (schema 9: the row itself, as store_answer_info reads it) */
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_VERSION,
        "INSERT OR IGNORE INTO answers_versions(record_uuid, item_uuid, "
        "field, revision, device_id, updated_at, value, author, deleted, "
        "superseded_at, reason, parents) SELECT r.record_uuid, a.item_uuid, "
        "a.field, a.revision, coalesce(d.device_id, ''), a.updated_at, "
        "a.value, a.author, a.deleted, ?4, ?5, a.parents FROM records r "
        "CROSS JOIN answer_rows a ON a.rid = r.rid LEFT JOIN device_ids d "
        "ON d.did = a.did WHERE r.record_uuid = ?1 AND a.item_uuid = ?2 AND "
        "a.field = ?3",
        err);
    return st && db_bind(s, st, err, "tttit", rec, item, field, now, reason) &&
           db_run(s, st, err);
}

/* The versions of an answer no other version names as its parent, in
 * *parents as the new version's parents: an edit descends from the
 * current row alone, a resolution from every head. */
static bool answer_parents(struct store *s, const char *rec,
                           const char *item, const char *field, bool all,
                           const struct store_answer *old, char **parents,
                           struct error *err)
{
    char vid[STORE_VID_MAX];
    store_version_id(vid, old->revision, old->updated_at, old->device_id);
    if (!all) {
        *parents = xstrdup(vid);
        return true;
    }
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_HEADS,
        "SELECT group_concat(vid, ' ') FROM (SELECT " STORE_VID_SQL("v")
        " AS vid FROM answers_versions v JOIN answers a ON "
        "a.record_uuid = v.record_uuid AND a.item_uuid = v.item_uuid AND "
        "a.field = v.field WHERE v.record_uuid = ?1 AND v.item_uuid = ?2 "
        "AND v.field = ?3 AND NOT " STORE_NAMES_PARENT_SQL("a", "v")
        " AND NOT EXISTS (SELECT 1 FROM answers_versions w WHERE "
        "w.record_uuid = v.record_uuid AND w.item_uuid = v.item_uuid AND "
        "w.field = v.field AND " STORE_NAMES_PARENT_SQL("w", "v") ") "
        "UNION SELECT ?4 ORDER BY 1)",
        err);
    if (!st || !db_bind(s, st, err, "tttt", rec, item, field, vid))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW)
        *parents = db_column_dup(st, 0);
    db_reset(st);
    if (rc == SQLITE_ROW && !*parents)
        *parents = xstrdup(vid);
    return rc == SQLITE_ROW;
}

static bool unchanged(bool found, const struct store_answer *old,
                      const char *value)
{
    if (!found || old->deleted || !old->value)
        return value == NULL;
    return value && strcmp(old->value, value) == 0;
}

/* force: a new revision even when the value is the one already there (a
 * merge conflict resolved by keeping it), naming every head. */
static bool answer_set_tx(struct store *s, const char *rec, const char *item,
                          const char *field, const char *value, bool force,
                          struct error *err)
{
    return answers_write(s, rec, item, field, value,
                         force ? ANSWERS_RESOLVE : ANSWERS_EDIT, err);
}

static bool answer_check(struct store *s, const char *field,
                         const char *value, struct error *err);

/* The record's last edit (record_edits, schema 7) moves on to now. */
static bool record_edited(struct store *s, const char *rec, int64_t now,
                          struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_RECORD_EDIT,
        "INSERT INTO record_edits AS e (record_uuid, at) VALUES (?1, ?2) "
        "ON CONFLICT(record_uuid) DO UPDATE SET at = excluded.at WHERE "
        "excluded.at > e.at",
        err);
    return st && db_bind(s, st, err, "ti", rec, now) && db_run(s, st, err);
}

bool answers_write(struct store *s, const char *rec, const char *item,
                   const char *field, const char *value,
                   enum answers_write_mode mode, struct error *err)
{
    struct store_answer old;
    char *parents = NULL;
    bool found, ok = false;
    bool force = mode != ANSWERS_EDIT;
    if (!answer_check(s, field, value, err))
        return false;
    if (!records_editable(s, rec, err) ||
        (*item && mode != ANSWERS_RESOLVE_DEAD &&
         !items_live(s, rec, item, err)) ||
        !store_answer_info(s, rec, item, field, &old, &found, err))
        return false;
    if (!force && unchanged(found, &old, value)) {
        ok = true;
        goto cleanup;
    }
    /* a file written elsewhere may hold any revision: never count past it */
    if (found && (old.revision < 1 || old.revision >= STORE_REVISION_MAX)) {
        error_set_at(err, s->path, 0,
                     _("the %s table holds a revision or time out of range"),
                     "answers");
        goto cleanup;
    }
    int64_t now = clock_now_ms();
    if (found && (!answer_parents(s, rec, item, field, force, &old, &parents,
                                  err) ||
                  !keep_version(s, rec, item, field, now,
                                mode == ANSWERS_DELETE ? "delete"
                                : force                ? "resolve"
                                                       : "edit",
                                err)))
        goto cleanup;
    /* schema 9: the rows name their record and device by number
     * (store/schema_v9.c); the device's number is made at its first. */
    sqlite3_stmt *dev = db_stmt(
        s, DB_DEVICE_NUMBER,
        "INSERT OR IGNORE INTO device_ids(device_id) VALUES (?1)", err);
    if (!dev || !db_bind(s, dev, err, "t", s->device_id) ||
        !db_run(s, dev, err))
        goto cleanup;
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_UPSERT,
        "INSERT INTO answer_rows(rid, item_uuid, field, value, revision, "
        "updated_at, did, author, deleted, parents) "
        "VALUES ((SELECT rid FROM records WHERE record_uuid = ?1), ?2, ?3, "
        "?4, ?5, ?6, (SELECT did FROM device_ids WHERE device_id = ?7), ?8, "
        "?9, ?10) "
        "ON CONFLICT(rid, item_uuid, field) DO UPDATE SET "
        "value = excluded.value, revision = excluded.revision, "
        "updated_at = excluded.updated_at, did = excluded.did, "
        "author = excluded.author, deleted = excluded.deleted, "
        "parents = excluded.parents",
        err);
    ok = st &&
         db_bind(s, st, err, "ttttiittit", rec, item, field, value,
                 found ? old.revision + 1 : (int64_t)1, now, s->device_id,
                 s->author, (int64_t)(value == NULL),
                 parents ? parents : "") &&
         db_run(s, st, err) && record_edited(s, rec, now, err) &&
         search_index_answer(s, rec, item, field,
                             found && !old.deleted ? old.value : NULL, value,
                             err);
cleanup:
    free(parents);
    store_answer_clear(&old);
    return ok;
}

static bool answer_check(struct store *s, const char *field,
                         const char *value, struct error *err)
{
    if (!field || field[0] != '/' || !utf8_valid(field, strlen(field)))
        return error_set_at(err, s->path, 0, _("not a field path: %s"),
                            or_empty(field));
    if (value) {
        size_t len = strlen(value);
        if (len > STORE_VALUE_MAX)
            return error_set_at(err, s->path, 0,
                                _("the answer to %s is too long"), field);
        if (!utf8_valid(value, len))
            return error_set_at(err, s->path, 0,
                                _("the answer to %s is not valid UTF-8 text"),
                                field);
    }
    return true;
}

bool store_answer_set(struct store *s, const char *record_uuid,
                      const char *item_uuid, const char *field,
                      const char *value, struct error *err)
{
    if (!answer_check(s, field, value, err) || !db_write_begin(s, err))
        return false;
    bool ok = answer_set_tx(s, or_empty(record_uuid), or_empty(item_uuid),
                            field, value, false, err);
    return db_write_end(s, ok, err);
}

bool store_answer_resolve(struct store *s, const char *record_uuid,
                          const char *item_uuid, const char *field,
                          const char *value, struct error *err)
{
    if (!answer_check(s, field, value, err) || !db_write_begin(s, err))
        return false;
    bool ok = answer_set_tx(s, or_empty(record_uuid), or_empty(item_uuid),
                            field, value, true, err) &&
              audit_add(s, or_empty(record_uuid), "resolve", field, err);
    return db_write_end(s, ok, err);
}

bool store_answer_foreach(struct store *s, const char *record_uuid,
                          bool (*cb)(void *ctx, const char *item_uuid,
                                     const char *field, const char *value),
                          void *ctx, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_FOREACH,
        "SELECT a.item_uuid, a.field, a.value FROM answers a "
        "LEFT JOIN items i ON i.item_uuid = a.item_uuid "
        "WHERE a.record_uuid = ?1 AND a.deleted = 0 AND "
        "COALESCE(i.deleted, 0) = 0 ORDER BY a.item_uuid, a.field",
        err);
    if (!st || !db_bind(s, st, err, "t", or_empty(record_uuid)))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 2);
        if (!cb(ctx, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1), or_empty(v)))
            break;
    }
    db_reset(st);
    return rc >= 0;
}

bool store_answer_history(struct store *s, const char *record_uuid,
                          const char *item_uuid, const char *field,
                          bool (*cb)(void *ctx, const struct store_answer *v,
                                     const char *reason,
                                     int64_t superseded_at),
                          void *ctx, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_HISTORY,
        "SELECT value, revision, updated_at, device_id, author, deleted, "
        "reason, superseded_at FROM answers_versions WHERE record_uuid = ?1 "
        "AND item_uuid = ?2 AND field = ?3 "
        "ORDER BY revision, updated_at, device_id",
        err);
    if (!st || !db_bind(s, st, err, "ttt", or_empty(record_uuid),
                        or_empty(item_uuid), or_empty(field)))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        struct store_answer v = {
            .value = (char *)sqlite3_column_text(st, 0),
            .revision = sqlite3_column_int64(st, 1),
            .updated_at = sqlite3_column_int64(st, 2),
            .device_id = (char *)sqlite3_column_text(st, 3),
            .author = (char *)sqlite3_column_text(st, 4),
            .deleted = sqlite3_column_int(st, 5) != 0,
        };
        if (!cb(ctx, &v, (const char *)sqlite3_column_text(st, 6),
                sqlite3_column_int64(st, 7)))
            break;
    }
    db_reset(st);
    return rc >= 0;
}


bool store_item_answers(struct store *s, const char *record_uuid,
                        const char *item_uuid,
                        bool (*cb)(void *ctx, const char *field,
                                   const char *value),
                        void *ctx, struct error *err)
{
    sqlite3_stmt *st = db_stmt(
        s, DB_ANSWER_ITEM,
        "SELECT field, value FROM answers WHERE record_uuid = ?1 AND "
        "item_uuid = ?2 AND deleted = 0",
        err);
    if (!st || !db_bind(s, st, err, "tt", or_empty(record_uuid),
                        or_empty(item_uuid)))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW)
        if (!cb(ctx, (const char *)sqlite3_column_text(st, 0),
                or_empty((const char *)sqlite3_column_text(st, 1))))
            break;
    db_reset(st);
    return rc >= 0;
}
