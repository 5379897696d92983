#include "config.h"

#include "merge/merge_int.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/schema.h"
#include "store/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool merge_exec(struct merge_db *m, const char *sql)
{
    return sqlite3_exec(m->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

char *merge_file_uri(const char *path, const char *query)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "file://");
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd) {
            strbuf_adds(&sb, cwd);
            strbuf_addc(&sb, '/');
            free(cwd);
        }
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
            strbuf_addc(&sb, (char)*p);
        else
            strbuf_addf(&sb, "%%%02X", *p);
    }
    if (query)
        strbuf_addf(&sb, "?%s", query);
    return strbuf_detach(&sb);
}

bool merge_attach(struct merge_db *m, const char *copy)
{
    char *uri = merge_file_uri(copy, "mode=ro");
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, "ATTACH ?1 AS src", -1, &st,
                                 NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    /* The step's error stays the connection's after finalize. */
    sqlite3_finalize(st);
    free(uri);
    return ok;
}

/* ---- the connection ----------------------------------------------------- */

/* Views stay on for schema 9's `answers`: an input's schema objects are
 * compared with ours (merge_check_source) before any statement reads it. */
static bool harden(struct merge_db *m)
{
    static const int off[] = {SQLITE_DBCONFIG_ENABLE_TRIGGER,
                              SQLITE_DBCONFIG_TRUSTED_SCHEMA,
                              SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        if (sqlite3_db_config(m->db, off[i], 0, (int *)NULL) != SQLITE_OK)
            return false;
    if (sqlite3_db_config(m->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
                          (int *)NULL) != SQLITE_OK)
        return false;
    sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
    sqlite3_limit(m->db, SQLITE_LIMIT_ATTACHED, 1);
    sqlite3_progress_handler(m->db, PROGRESS_OPS, merge_progress, m);
    return sqlite3_busy_timeout(m->db, BUSY_TIMEOUT_MS) == SQLITE_OK &&
           sqlite3_create_function_v2(m->db, "imas_valid", -1, SQLITE_UTF8,
                                      m, merge_valid_fn, NULL, NULL,
                                      NULL) == SQLITE_OK &&
           sqlite3_create_function_v2(m->db, "imas_text_sha256", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                          SQLITE_INNOCUOUS,
                                      NULL, merge_text_sha256_fn, NULL, NULL,
                                      NULL) == SQLITE_OK &&
           sqlite3_create_function_v2(m->db, "imas_relabel", 1,
                                      SQLITE_UTF8 | SQLITE_DIRECTONLY, m,
                                      merge_relabel_fn, NULL, NULL,
                                      NULL) == SQLITE_OK &&
           store_sql_functions(m->db) && /* imas_fts_rowid, as the store's */
           merge_exec(m, "PRAGMA trusted_schema = OFF") &&
           merge_exec(m, "CREATE TEMP TABLE merge_touched(record_uuid TEXT, "
                   "item_uuid TEXT, field TEXT, PRIMARY KEY(record_uuid, "
                   "item_uuid, field)) WITHOUT ROWID") &&
           merge_sql_temp_tables(m);
}

static bool set_durable(struct merge_db *m, bool durable)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, "PRAGMA journal_mode = WAL", -1,
                                 &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    /* Each input's commit syncs the log (FULL); the copy of the log into
     * the file waits until the log holds MERGE_CHECKPOINT_PAGES or the
     * connection closes, not after every input: a page that several
     * inputs change is written and synced into the file once (issue 15:
     * the syncs of the file after each input took 0.3 s of the diverging
     * bench's 6), and the log stays bounded. */
    ok = ok && merge_exec(m, "PRAGMA wal_autocheckpoint = "
                             MERGE_CHECKPOINT_PAGES);
    return ok && merge_exec(m, durable ? "PRAGMA synchronous = FULL"
                                 : "PRAGMA synchronous = OFF");
}

void merge_db_set_name(struct merge_db *m, const char *name)
{
    free(m->path);
    m->path = xstrdup(name);
}

struct merge_db *merge_db_open(const char *path, bool durable,
                               const struct merge_writer *who,
                               struct error *err)
{
    struct merge_db *m = xcalloc(1, sizeof *m);
    m->path = xstrdup(path);
    m->author = xstrdup(who->author);
    m->device_name = xstrdup(who->device_name);
    snprintf(m->device_id, sizeof m->device_id, "%s", who->device_id);
    char *uri = merge_file_uri(path, NULL);
    int rc = sqlite3_open_v2(uri, &m->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_EXRESCODE,
                             NULL);
    free(uri);
    if (rc != SQLITE_OK || !harden(m) || !set_durable(m, durable)) {
        merge_failed(m, err);
        goto fail;
    }
    if (!schema_verify(m->db, "main", path, err))
        goto fail;
    return m;
fail:
    merge_db_close(&m, NULL);
    return NULL;
}

void merge_db_checkpoint(struct merge_db *m)
{
    merge_sql_finalize(m);
    /* The log into the file before the close, which does so only as the
     * file's last connection: where the program has the file open, its
     * next save would otherwise copy the whole log the merge left
     * (set_durable defers the merge's checkpoints). PASSIVE never waits,
     * and what a reader still needs stays in the log. A failure (a full
     * disk: the file grows) leaves the merged rows in the log, committed
     * and synced, for the next checkpoint: not the merge's failure. */
    if (m->db)
        (void)sqlite3_wal_checkpoint_v2(m->db, "main",
                                        SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

bool merge_db_close(struct merge_db **mp, struct error *err)
{
    struct merge_db *m = *mp;
    if (!m)
        return true;
    /* (after merge_db_checkpoint, nothing is left to copy) */
    merge_db_checkpoint(m);
    bool ok = sqlite3_close(m->db) == SQLITE_OK;
    if (!ok)
        error_set_at(err, m->path, 0, _("cannot close the file: %s"),
                     sqlite3_errmsg(m->db));
    free(m->path);
    free(m->author);
    free(m->device_name);
    free(m->invalid);
    free(m);
    *mp = NULL;
    return ok;
}

