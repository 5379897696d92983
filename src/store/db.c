#include "config.h"

#include "store/db.h"

#include "store/history.h"
#include "store/search_index.h"
#include "store/sql.h"

#include "core/clock.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/answers.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool db_fail(sqlite3 *db, const char *path, struct error *err)
{
    int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
    const char *detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    switch (code & 0xff) {
    case SQLITE_FULL:
        return error_set_at(err, path, 0, _("the disk is full"));
    case SQLITE_READONLY:
        return error_set_at(err, path, 0, _("file is read-only"));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return error_set_at(err, path, 0,
                            _("the file is in use by another program"));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return error_set_at(err, path, 0, _("the file is damaged (%s)"),
                            detail);
    case SQLITE_IOERR:
        return error_set_at(err, path, 0, _("input/output error (%s)"),
                            detail);
    case SQLITE_CANTOPEN:
        return error_set_at(err, path, 0, _("cannot open the file (%s)"),
                            detail);
    default:
        return error_set_at(err, path, 0, _("database error: %s"), detail);
    }
}

sqlite3_stmt *db_stmt(struct store *s, enum db_stmt_id id, const char *sql,
                      struct error *err)
{
    sqlite3_stmt *st = s->stmt[id];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                               &st, NULL) != SQLITE_OK) {
            db_fail(s->db, s->path, err);
            return NULL;
        }
        s->stmt[id] = st;
        return st;
    }
    db_reset(st);
    if (sqlite3_clear_bindings(st) != SQLITE_OK) {
        db_fail(s->db, s->path, err);
        return NULL;
    }
    return st;
}

bool db_bind(struct store *s, sqlite3_stmt *st, struct error *err,
             const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        if (types[i] == 't') {
            const char *v = va_arg(ap, const char *);
            rc = v ? sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
        } else {
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        }
    }
    va_end(ap);
    return rc == SQLITE_OK || db_fail(s->db, s->path, err);
}

int db_step(struct store *s, sqlite3_stmt *st, struct error *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
    db_fail(s->db, s->path, err);
    return -1;
}

bool db_run(struct store *s, sqlite3_stmt *st, struct error *err)
{
    bool ok = db_step(s, st, err) == SQLITE_DONE;
    db_reset(st);
    return ok;
}

bool db_int(struct store *s, sqlite3_stmt *st, int64_t *out,
            struct error *err)
{
    int rc = db_step(s, st, err);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_reset(st);
    return rc >= 0;
}

void db_reset(sqlite3_stmt *st)
{
    if (st)
        (void)sqlite3_reset(st);
}

char *db_column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    if (!v)
        return NULL;
    return xstrndup((const char *)v, (size_t)sqlite3_column_bytes(st, col));
}

bool db_exec(sqlite3 *db, const char *path, const char *sql,
             struct error *err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, path, err);
    return true;
}

bool db_write_begin(struct store *s, struct error *err)
{
    if (s->readonly)
        return error_set_at(err, s->path, 0, _("cannot save: %s"),
                            s->readonly_reason);
    if (s->batch)
        return !s->batch_failed ||
               error_set_at(err, s->path, 0, _("an earlier change of this group failed"));
    sqlite3_stmt *st = db_stmt(s, DB_BEGIN, "BEGIN IMMEDIATE", err);
    if (!st || !db_run(s, st, err))
        return false;
    s->in_tx = true;
    if (s->device_noted)
        return true;
    /* The file keeps the name of every laptop that wrote into it, written
     * with the first change this laptop makes to it. */
    st = db_stmt(s, DB_DEVICE_NOTE,
                 "INSERT INTO devices(device_id, name, updated_at) VALUES "
                 "(?1, ?2, ?3) ON CONFLICT(device_id) DO UPDATE SET name = "
                 "excluded.name, updated_at = max(updated_at + 1, "
                 "excluded.updated_at) WHERE name IS NOT excluded.name",
                 err);
    if (st && db_bind(s, st, err, "tti", s->device_id, s->device_name,
                      clock_now_ms()) &&
        db_run(s, st, err))
        return true;
    db_write_end(s, false, NULL);
    return false;
}

static void rollback(struct store *s)
{
    sqlite3_stmt *st = db_stmt(s, DB_ROLLBACK, "ROLLBACK", NULL);
    /* A failed COMMIT may already have ended the transaction. */
    if (st && !sqlite3_get_autocommit(s->db))
        db_run(s, st, NULL);
    s->in_tx = false;
}

bool db_write_end(struct store *s, bool ok, struct error *err)
{
    if (!s->in_tx)
        return false;
    if (s->batch) {
        /* the batch commits or rolls back the whole; a failed write may
         * have left part of itself in the transaction */
        if (!ok)
            s->batch_failed = true;
        return ok;
    }
    if (ok) {
        sqlite3_stmt *st = db_stmt(s, DB_COMMIT, "COMMIT", err);
        if (st && db_run(s, st, err)) {
            s->in_tx = false;
            s->device_noted = true;
            return true;
        }
        error_prefix(err, _("the change was not saved"));
    }
    rollback(s);
    return false;
}

static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *v = argc == 1 ? (const char *)sqlite3_value_text(argv[0]) : NULL;
    if (!v) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text(ctx, fold_text(v), -1, free);
}

bool store_sql_functions(sqlite3 *db)
{
    return db_register_functions(db);
}

bool db_register_functions(sqlite3 *db)
{
    return search_index_functions(db) && store_history_functions(db) &&
           sqlite3_create_function_v2(
               db, "imas_fold", 1,
               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
               sql_fold, NULL, NULL, NULL) == SQLITE_OK;
}

bool store_batch_begin(struct store *s, struct error *err)
{
    if (s->batch)
        return error_set_at(err, s->path, 0, "store_batch_begin: already in a batch");
    if (!db_write_begin(s, err))
        return false;
    s->batch = true;
    s->batch_failed = false;
    return true;
}

bool store_batch_end(struct store *s, bool ok, struct error *err)
{
    if (!s->batch)
        return error_set_at(err, s->path, 0, "store_batch_end: not in a batch");
    bool failed = s->batch_failed;
    s->batch = false;
    s->batch_failed = false;
    if (failed && ok)
        ok = error_set_at(err, s->path, 0, _("a change of this group failed; none was saved"));
    return db_write_end(s, ok, err);
}
