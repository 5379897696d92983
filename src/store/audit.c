#include "config.h"

#include "store/audit.h"

#include "core/clock.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool audit_add(struct store *s, const char *record_uuid, const char *action,
               const char *reason, struct error *err)
{
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    /* A record's entries are ordered by time: two in one millisecond
     * (finalize, then reopen) still get distinct, rising times. */
    int64_t last, now = clock_now_ms();
    sqlite3_stmt *st = db_stmt(
        s, DB_AUDIT_LAST, "SELECT MAX(at) FROM audit WHERE record_uuid = ?1",
        err);
    if (!st || !db_bind(s, st, err, "t", record_uuid) ||
        !db_int(s, st, &last, err))
        return false;
    if (now <= last)
        now = last + 1;
    st = db_stmt(
        s, DB_AUDIT_INSERT,
        "INSERT INTO audit(audit_uuid, record_uuid, action, reason, at, "
        "device_id, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        err);
    return st &&
           db_bind(s, st, err, "ttttitt", uuid, record_uuid, action,
                   reason ? reason : "", now, s->device_id,
                   s->author) &&
           db_run(s, st, err);
}

static void audit_clear(struct store_audit *a)
{
    xfree(&a->record_uuid);
    xfree(&a->action);
    xfree(&a->reason);
    xfree(&a->device_id);
    xfree(&a->author);
}

static void audit_read(sqlite3_stmt *st, struct store_audit *a)
{
    const char *uuid = (const char *)sqlite3_column_text(st, 0);
    snprintf(a->uuid, sizeof a->uuid, "%s", uuid ? uuid : "");
    a->record_uuid = db_column_dup(st, 1);
    a->action = db_column_dup(st, 2);
    a->reason = db_column_dup(st, 3);
    a->at = sqlite3_column_int64(st, 4);
    a->device_id = db_column_dup(st, 5);
    a->author = db_column_dup(st, 6);
}

/* Read every row of st (bound) into a fresh array. */
static bool audit_rows(struct store *s, sqlite3_stmt *st, struct store_audit **out,
                       size_t *n, struct error *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        audit_read(st, &(*out)[(*n)++]);
    }
    db_reset(st);
    if (rc < 0) {
        store_audit_list_free(out, *n);
        *n = 0;
        return false;
    }
    return true;
}

bool store_audit_list(struct store *s, const char *record_uuid,
                      struct store_audit **out, size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_AUDIT_LIST,
        "SELECT audit_uuid, record_uuid, action, reason, at, device_id, "
        "author FROM audit WHERE record_uuid = ?1 ORDER BY at, audit_uuid",
        err);
    return st && db_bind(s, st, err, "t", record_uuid) && audit_rows(s, st, out, n, err);
}

bool store_audit_list_form(struct store *s, const char *form_id, const char *form_version,
                           bool finalized_only, struct store_audit **out, size_t *n,
                           struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_AUDIT_FORM,
        "SELECT a.audit_uuid, a.record_uuid, a.action, a.reason, a.at, "
        "a.device_id, a.author FROM audit AS a JOIN records AS r "
        "ON r.record_uuid = a.record_uuid WHERE r.form_id = ?1 AND "
        "r.form_version = ?2 AND (?3 = 0 OR (r.state = 'finalized' AND "
        "r.deleted = 0)) ORDER BY a.at, a.audit_uuid",
        err);
    return st && db_bind(s, st, err, "tti", form_id, form_version, (int64_t)finalized_only) &&
           audit_rows(s, st, out, n, err);
}

bool store_audit_event(struct store *s, const char *record_uuid, const char *action,
                       struct error *err)
{
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(s, audit_add(s, record_uuid, action, "", err), err);
}

void store_audit_list_free(struct store_audit **list, size_t n)
{
    if (!*list)
        return;
    for (size_t i = 0; i < n; i++)
        audit_clear(&(*list)[i]);
    xfree(list);
}
