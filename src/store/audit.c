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

bool store_audit_list(struct store *s, const char *record_uuid,
                      struct store_audit **out, size_t *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = db_stmt(
        s, DB_AUDIT_LIST,
        "SELECT audit_uuid, record_uuid, action, reason, at, device_id, "
        "author FROM audit WHERE record_uuid = ?1 ORDER BY at, audit_uuid",
        err);
    if (!st || !db_bind(s, st, err, "t", record_uuid))
        return false;
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

void store_audit_list_free(struct store_audit **list, size_t n)
{
    if (!*list)
        return;
    for (size_t i = 0; i < n; i++)
        audit_clear(&(*list)[i]);
    xfree(list);
}
