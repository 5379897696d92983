#include "config.h"

#include "store/records.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/sql.h"
#include "store/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last edit of a record is its own or its answers' latest (any
 * version of them, current or kept): one row of record_edits (schema 7),
 * in an older file opened read-only the MAX over the answers' ranges. A
 * time that is not an integer (a file edited by hand) is left out, as the
 * record's own time then shows rather than garbage sorted first. */
#define RECORD_COLUMNS_WITH(last)                                            \
    "r.record_uuid, r.form_id, r.form_version, r.state, r.created_at, "     \
    "MAX(r.updated_at, COALESCE((" last "), 0)), r.revision, r.author, "    \
    "r.device_id, r.deleted"
#define RECORD_COLUMNS                                                       \
    RECORD_COLUMNS_WITH("SELECT e.at FROM record_edits e WHERE "            \
                        "e.record_uuid = r.record_uuid AND "                \
                        "typeof(e.at) = 'integer'")
#define RECORD_COLUMNS_OLD                                                   \
    RECORD_COLUMNS_WITH("SELECT MAX(x) FROM (SELECT MAX(a.updated_at) AS x " \
                        "FROM answers a WHERE a.record_uuid = "             \
                        "r.record_uuid UNION ALL SELECT "                   \
                        "MAX(v.updated_at) FROM answers_versions v WHERE "  \
                        "v.record_uuid = r.record_uuid)")
/* SELECT of the record columns FROM records r, then rest, for s's schema. */
#define RECORD_SELECT(s, rest)                                               \
    ((s)->schema_version < 7                                                 \
         ? "SELECT " RECORD_COLUMNS_OLD " FROM records r " rest              \
         : "SELECT " RECORD_COLUMNS " FROM records r " rest)

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void record_read(sqlite3_stmt *st, struct store_record *r)
{
    const char *uuid = (const char *)sqlite3_column_text(st, 0);
    snprintf(r->uuid, sizeof r->uuid, "%s", or_empty(uuid));
    r->form_id = db_column_dup(st, 1);
    r->form_version = db_column_dup(st, 2);
    r->state = db_column_dup(st, 3);
    r->created_at = sqlite3_column_int64(st, 4);
    r->updated_at = sqlite3_column_int64(st, 5);
    r->revision = sqlite3_column_int64(st, 6);
    r->author = db_column_dup(st, 7);
    r->device_id = db_column_dup(st, 8);
}

/* The record row, deleted or not: *found false when there is none. */
static bool record_load(struct store *s, const char *uuid,
                        struct store_record *out, bool *deleted, bool *found,
                        struct error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    sqlite3_stmt *st = db_stmt(
        s, DB_RECORD_GET, RECORD_SELECT(s, "WHERE r.record_uuid = ?1"), err);
    if (!st || !db_bind(s, st, err, "t", or_empty(uuid)))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW) {
        record_read(st, out);
        *deleted = sqlite3_column_int(st, 9) != 0;
        *found = true;
    }
    db_reset(st);
    return rc >= 0;
}

static bool no_record(struct store *s, const char *uuid, struct error *err)
{
    return error_set_at(err, s->path, 0, _("no such record: %s"),
                        or_empty(uuid));
}

bool store_record_get(struct store *s, const char *uuid,
                      struct store_record *out, struct error *err)
{
    bool deleted = false, found;
    if (!record_load(s, uuid, out, &deleted, &found, err))
        return false;
    if (found && !deleted)
        return true;
    store_record_clear(out);
    return no_record(s, uuid, err);
}

bool store_record_get_any(struct store *s, const char *uuid,
                          struct store_record *out, bool *deleted,
                          struct error *err)
{
    bool found;
    *deleted = false;
    if (!record_load(s, uuid, out, deleted, &found, err))
        return false;
    if (found)
        return true;
    store_record_clear(out);
    return no_record(s, uuid, err);
}

bool records_editable(struct store *s, const char *record_uuid,
                      struct error *err)
{
    struct store_record r;
    bool deleted = false, found;
    if (!record_load(s, record_uuid, &r, &deleted, &found, err))
        return false;
    bool draft = found && strcmp(or_empty(r.state), "draft") == 0;
    store_record_clear(&r);
    if (!found || deleted)
        return no_record(s, record_uuid, err);
    if (!draft)
        return error_set_at(err, s->path, 0,
                            _("the record is finalized; reopen it to make "
                              "changes"));
    return true;
}

static bool form_stored(struct store *s, const char *form_id,
                        const char *version, struct error *err)
{
    sqlite3_stmt *st = db_stmt(s, DB_FORM_GET,
                               "SELECT hash FROM forms WHERE form_id = ?1 "
                               "AND form_version = ?2",
                               err);
    if (!st || !db_bind(s, st, err, "tt", form_id, version))
        return false;
    int rc = db_step(s, st, err);
    db_reset(st);
    if (rc == SQLITE_DONE)
        return error_set_at(err, s->path, 0,
                            _("form %s version %s is not stored in the file"),
                            form_id, version);
    return rc == SQLITE_ROW;
}

static bool record_insert(struct store *s, const char *form_id,
                          const char *version, const char *uuid,
                          struct error *err)
{
    if (!form_stored(s, form_id, version, err))
        return false;
    int64_t now = clock_now_ms();
    /* its number above every answer's (store/sql.h): never a lost
     * record's, whose answers it would show as its own */
    sqlite3_stmt *st = db_stmt(
        s, DB_RECORD_INSERT,
        "INSERT INTO records(rid, record_uuid, form_id, form_version, "
        "state, created_at, revision, updated_at, device_id, author, "
        "deleted) SELECT " STORE_NEXT_RID_SQL("") ", ?1, ?2, ?3, "
        "'draft', ?4, 1, ?4, ?5, ?6, 0",
        err);
    return st &&
           db_bind(s, st, err, "tttitt", uuid, form_id, version, now,
                   s->device_id, s->author) &&
           db_run(s, st, err);
}

bool store_record_create(struct store *s, const char *form_id,
                         const char *form_version, char out_uuid[UUID_STR_LEN],
                         struct error *err)
{
    if (!form_id || !*form_id || !form_version)
        return error_set_at(err, s->path, 0, _("a record needs a form"));
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    if (!db_write_begin(s, err))
        return false;
    if (!db_write_end(s, record_insert(s, form_id, form_version, uuid, err),
                      err))
        return false;
    memcpy(out_uuid, uuid, UUID_STR_LEN);
    return true;
}

bool store_record_forms(struct store *s,
                        bool (*cb)(void *ctx, const char *form_id, const char *form_version),
                        void *ctx, struct error *err)
{
    sqlite3_stmt *st = db_stmt(s, DB_RECORD_FORMS,
                               "SELECT DISTINCT form_id, form_version FROM records "
                               "WHERE deleted = 0 ORDER BY 1, 2",
                               err);
    if (!st)
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW)
        if (!cb(ctx, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1)))
            break;
    db_reset(st);
    return rc >= 0;
}

bool store_record_list(struct store *s, struct store_record **out, size_t *n,
                       struct error *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_RECORD_LIST,
        RECORD_SELECT(s, "WHERE r.deleted = 0 ORDER BY 6 DESC, r.record_uuid"),
        err);
    if (!st)
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        record_read(st, &(*out)[(*n)++]);
    }
    db_reset(st);
    if (rc >= 0)
        return true;
    store_record_list_free(out, *n);
    *n = 0;
    return false;
}

void store_record_clear(struct store_record *r)
{
    xfree(&r->form_id);
    xfree(&r->form_version);
    xfree(&r->state);
    xfree(&r->author);
    xfree(&r->device_id);
}

void store_record_list_free(struct store_record **list, size_t n)
{
    if (!*list)
        return;
    for (size_t i = 0; i < n; i++)
        store_record_clear(&(*list)[i]);
    xfree(list);
}

/* A new revision of the record row (state or tombstone), the old one kept
 * in records_versions, and its audit entry. */
static bool record_change(struct store *s, const char *uuid,
                          const char *state, int deleted, const char *action,
                          const char *reason, struct error *err)
{
    int64_t now = clock_now_ms();
    sqlite3_stmt *keep = db_stmt(
        s, DB_RECORD_VERSION,
        "INSERT OR IGNORE INTO records_versions(record_uuid, revision, "
        "device_id, updated_at, form_id, form_version, state, created_at, "
        "author, deleted, superseded_at, reason, parents) SELECT "
        "record_uuid, revision, device_id, updated_at, form_id, "
        "form_version, state, created_at, author, deleted, ?2, 'edit', "
        "parents FROM records "
        "WHERE record_uuid = ?1",
        err);
    if (!keep || !db_bind(s, keep, err, "ti", uuid, now) ||
        !db_run(s, keep, err))
        return false;
    sqlite3_stmt *st = db_stmt(
        s, DB_RECORD_UPDATE,
        "UPDATE records SET state = ?2, deleted = ?3, revision = revision + "
        "1, updated_at = ?4, device_id = ?5, author = ?6, "
        "parents = " STORE_VID_SQL("records") " WHERE record_uuid = ?1",
        err);
    return st &&
           db_bind(s, st, err, "ttiitt", uuid, state, (int64_t)deleted, now,
                   s->device_id, s->author) &&
           db_run(s, st, err) && audit_add(s, uuid, action, reason, err);
}

enum record_op { OP_FINALIZE, OP_REOPEN, OP_DELETE };

static bool record_op_tx(struct store *s, const char *uuid, enum record_op op,
                         const char *reason, struct error *err)
{
    struct store_record r;
    bool deleted = false, found, ok = false;
    if (!record_load(s, uuid, &r, &deleted, &found, err))
        return false;
    bool draft = found && strcmp(or_empty(r.state), "draft") == 0;
    if (!found || deleted)
        no_record(s, uuid, err);
    else if (op == OP_FINALIZE && !draft)
        error_set_at(err, s->path, 0, _("the record is already finalized"));
    else if (op == OP_REOPEN && draft)
        error_set_at(err, s->path, 0, _("the record is not finalized"));
    else if (op == OP_FINALIZE)
        ok = record_change(s, uuid, "finalized", 0, "finalize", "", err);
    else if (op == OP_REOPEN)
        ok = record_change(s, uuid, "draft", 0, "reopen", reason, err);
    else
        ok = record_change(s, uuid, r.state, 1, "delete", "", err);
    store_record_clear(&r);
    return ok;
}

static bool record_op(struct store *s, const char *uuid, enum record_op op,
                      const char *reason, struct error *err)
{
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(s, record_op_tx(s, uuid, op, reason, err), err);
}

bool store_record_delete(struct store *s, const char *uuid, struct error *err)
{
    return record_op(s, uuid, OP_DELETE, NULL, err);
}

bool store_record_finalize(struct store *s, const char *uuid,
                           struct error *err)
{
    return record_op(s, uuid, OP_FINALIZE, NULL, err);
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

bool store_record_reopen(struct store *s, const char *uuid,
                         const char *reason, struct error *err)
{
    if (blank(reason))
        return error_set_at(err, s->path, 0,
                            _("reopening a record needs a reason"));
    if (!utf8_valid(reason, strlen(reason)))
        return error_set_at(err, s->path, 0,
                            _("the reason is not valid UTF-8 text"));
    return record_op(s, uuid, OP_REOPEN, reason, err);
}
