#include "config.h"

#include "store/attach.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* Attachments are rare next to answers: their statements are prepared
 * when used, not kept in the store's cache. */
static sqlite3_stmt *prepare(struct store *s, const char *sql, struct error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(s->db, s->path, err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static bool put_tx(struct store *s, const void *data, size_t size, const char *hex,
                   struct error *err)
{
    sqlite3_stmt *st = prepare(s,
                               "INSERT OR IGNORE INTO attachments(sha256, size, added_at, data) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               err);
    bool ok = st && sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_int64(st, 2, (sqlite3_int64)size) == SQLITE_OK &&
              sqlite3_bind_int64(st, 3, clock_now_ms()) == SQLITE_OK &&
              sqlite3_bind_blob64(st, 4, size ? data : "", size, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    if (st && !ok)
        db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return ok;
}

bool store_attach_put(struct store *s, const void *data, size_t size,
                      char hex[MEDIA_HASH_HEX + 1], struct error *err)
{
    if (size > MEDIA_MAX_BYTES)
        return error_set_at(err, s->path, 0, _("a file larger than %d MiB cannot be attached"),
                            MEDIA_MAX_BYTES / (1024 * 1024));
    sha256_hex(data, size, hex);
    if (!db_write_begin(s, err))
        return false;
    return db_write_end(s, put_tx(s, data, size, hex, err), err);
}

/* The row of hex in *row (to finalize) and *found; false with err when
 * SQLite failed. */
static bool find(struct store *s, const char *sql, const char *hex, sqlite3_stmt **row,
                 bool *found, struct error *err)
{
    *found = false;
    *row = NULL;
    sqlite3_stmt *st = prepare(s, sql, err);
    if (!st)
        return false;
    int rc = sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT) == SQLITE_OK
                 ? sqlite3_step(st)
                 : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        *found = true;
        *row = st;
        return true;
    }
    if (rc != SQLITE_DONE)
        db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

bool store_attach_info(struct store *s, const char *hex, bool *found, int64_t *size,
                       unsigned char head[MEDIA_HEAD_BYTES], size_t *nhead,
                       struct error *err)
{
    *size = 0;
    *nhead = 0;
    sqlite3_stmt *st;
    if (!find(s, "SELECT rowid, size FROM attachments WHERE sha256 = ?1", hex, &st, found, err))
        return false;
    if (!st)
        return true;
    sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
    *size = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    /* the first bytes only: a 25 MiB photo is not read to show its type */
    sqlite3_blob *b = NULL;
    if (sqlite3_blob_open(s->db, "main", "attachments", "data", rowid, 0, &b) != SQLITE_OK) {
        sqlite3_blob_close(b);
        return db_fail(s->db, s->path, err);
    }
    int n = sqlite3_blob_bytes(b);
    if (n > MEDIA_HEAD_BYTES)
        n = MEDIA_HEAD_BYTES;
    bool ok = sqlite3_blob_read(b, head, n, 0) == SQLITE_OK;
    if (!ok)
        db_fail(s->db, s->path, err);
    sqlite3_blob_close(b);
    *nhead = ok ? (size_t)n : 0;
    return ok;
}

bool store_attach_read(struct store *s, const char *hex, bool *found, void **data,
                       size_t *size, struct error *err)
{
    *data = NULL;
    *size = 0;
    sqlite3_stmt *st;
    if (!find(s, "SELECT data FROM attachments WHERE sha256 = ?1", hex, &st, found, err))
        return false;
    if (!st)
        return true;
    const void *b = sqlite3_column_blob(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    *data = xmalloc(n ? n : 1);
    if (n)
        memcpy(*data, b, n);
    *size = n;
    sqlite3_finalize(st);
    return true;
}

bool store_attach_check(struct store *s, int64_t *count, int64_t *bad,
                        void (*cb)(void *ctx, const char *hex, const char *problem),
                        void *ctx, struct error *err)
{
    *count = *bad = 0;
    sqlite3_stmt *st = prepare(s, "SELECT sha256, size, data FROM attachments ORDER BY sha256",
                               err);
    if (!st)
        return false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        int64_t size = sqlite3_column_int64(st, 1);
        const void *b = sqlite3_column_blob(st, 2);
        size_t n = (size_t)sqlite3_column_bytes(st, 2);
        char hex[MEDIA_HASH_HEX + 1];
        sha256_hex(b ? b : "", n, hex);
        const char *problem = NULL;
        if (!key || strcmp(hex, key) != 0)
            problem = _("its content does not match its SHA-256");
        else if (size != (int64_t)n)
            problem = _("its size is recorded wrongly");
        else if (n > MEDIA_MAX_BYTES)
            problem = _("it is larger than the limit for attachments");
        (*count)++;
        if (problem) {
            (*bad)++;
            if (cb)
                cb(ctx, key ? key : "", problem);
        }
    }
    if (rc != SQLITE_DONE)
        db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}
