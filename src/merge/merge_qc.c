/* merge_qc.c: the input's PRAGMA quick_check (and, from schema 9, that
 * its answers' numbers name its records and devices; and that every row
 * of its records, items and answers passes imas_valid), on a read-only
 * connection of its own in a second thread, while the merge reads the
 * same private copy (issue 15: quick_check read the whole input before
 * the merge read it again, a sixth of the merge's time on 2 cores). The
 * merge commits only once it has said "ok"; until then nothing is
 * visible, and SQLite reads a damaged file safely (it fails with
 * SQLITE_CORRUPT, which refuses the input as before). */
#include "config.h"

#include "merge/merge_int.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "merge/input.h"

#include <stdlib.h>
#include <string.h>

static int qc_progress(void *p)
{
    struct merge_qc *q = p;
    if (atomic_load(&q->stop))
        return 1;
    if (q->deadline_ms && input_now_ms() > q->deadline_ms) {
        q->timed_out = true;
        return 1;
    }
    return 0;
}

/* The same hardening as the merge's connection (merge_conn.c). */
static bool qc_harden(sqlite3 *db, struct merge_qc *q)
{
    static const int off[] = {SQLITE_DBCONFIG_ENABLE_TRIGGER,
                              SQLITE_DBCONFIG_ENABLE_VIEW,
                              SQLITE_DBCONFIG_TRUSTED_SCHEMA,
                              SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        if (sqlite3_db_config(db, off[i], 0, (int *)NULL) != SQLITE_OK)
            return false;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) !=
        SQLITE_OK)
        return false;
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
    sqlite3_progress_handler(db, PROGRESS_OPS, qc_progress, q);
    /* It reads each page once: a small cache (the merge's own has the
     * default 2 MB), which kept the merge's peak memory 4 MB lower and
     * cost no time. */
    return sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS) == SQLITE_OK &&
           sqlite3_exec(db, "PRAGMA cache_size = -256", NULL, NULL, NULL) ==
               SQLITE_OK;
}

/* Schema 9: every answer row's record and device numbers name a record
 * and a device of the file. The view `answers`, which the merge reads,
 * would not show a row that names none; so it is refused, not lost.
 * Every row of the table, not its key index (NOT INDEXED): quick_check
 * does not compare the two, and an index that lacks a row would hide it
 * (one scan, two look-ups by number: no slower than the rids from the
 * index and the dids sorted apart). Beside the merge, as the
 * quick_check, since it reads the input alone. */
static const char numbers_sql[] =
    "SELECT EXISTS (SELECT 1 FROM answer_rows AS a NOT INDEXED WHERE NOT "
    "EXISTS (SELECT 1 FROM records AS r WHERE r.rid = a.rid) OR NOT EXISTS "
    "(SELECT 1 FROM device_ids AS d WHERE d.did = a.did))";

/* The first column of sql's one row, as text (fresh) into *out. */
static int qc_text(sqlite3 *db, const char *sql, char **out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        *out = xstrdup(r ? r : "");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static void *qc_run(void *p)
{
    struct merge_qc *q = p;
    sqlite3 *db = NULL;
    char *uri = merge_file_uri(q->copy, "mode=ro");
    int rc = sqlite3_open_v2(uri, &db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_EXRESCODE,
                             NULL);
    free(uri);
    if (rc == SQLITE_OK && !qc_harden(db, q))
        rc = SQLITE_ERROR;
    /* first, while the merge has not come to its answers */
    if (rc == SQLITE_OK && q->prescan.target)
        merge_prescan_run(db, &q->prescan);
    merge_prescan_end(&q->prescan);
    if (rc == SQLITE_OK)
        rc = qc_text(db, "PRAGMA main.quick_check(1)", &q->result);
    char *lost = NULL;
    if (rc == SQLITE_OK && q->numbered && strcmp(q->result, "ok") == 0 &&
        (rc = qc_text(db, numbers_sql, &lost)) == SQLITE_OK)
        q->lost = strcmp(lost, "0") != 0;
    free(lost);
    /* every row of its records, items and answers, of their kept
     * versions and of its audit (imas_valid): the merge does not check a
     * row that is the target's column for column (where IS counts a REAL
     * 5.0 the INTEGER 5) nor, of schema 9, the answers it copies whole,
     * nor the versions and audit entries it imports; a bad value stops
     * the scan, its message the answer */
    if (rc == SQLITE_OK && strcmp(q->result, "ok") == 0)
        rc = sqlite3_create_function_v2(db, "imas_valid", -1, SQLITE_UTF8,
                                        &q->invalid, merge_valid_into_fn,
                                        NULL, NULL, NULL);
    for (int t = 0;
         rc == SQLITE_OK && !q->invalid && strcmp(q->result, "ok") == 0 &&
         t < MERGE_VALID_SCANS;
         t++) {
        char *sql = merge_sql_valid(t, q->numbered), *any = NULL;
        rc = qc_text(db, sql, &any);
        if (rc != SQLITE_OK && q->invalid)
            rc = SQLITE_OK;
        free(any);
        free(sql);
    }
    if (rc != SQLITE_OK) {
        xfree(&q->result);
        q->rc = db ? sqlite3_extended_errcode(db) : rc;
        q->errmsg = xstrdup(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    sqlite3_close(db);
    merge_prescan_end(&q->prescan);
    /* the merge goes on meanwhile; it asks for this once it has joined
     * the thread (merge_qc_finish); not for a file these checks refuse */
    bool sound = q->result && strcmp(q->result, "ok") == 0 && !q->lost &&
                 !q->invalid;
    if (sound && q->idle && !atomic_load(&q->stop))
        q->idle(q->idle_ctx);
    return NULL;
}

void merge_qc_start(struct merge_qc *q, const char *copy, bool numbered,
                    const char *target, int64_t deadline_ms,
                    void (*idle)(void *), void *idle_ctx)
{
    memset(q, 0, sizeof *q);
    merge_prescan_init(&q->prescan, numbered ? target : NULL);
    atomic_init(&q->stop, false);
    q->numbered = numbered;
    q->copy = xstrdup(copy);
    q->deadline_ms = deadline_ms;
    q->idle = idle;
    q->idle_ctx = idle_ctx;
    q->running = pthread_create(&q->thread, NULL, qc_run, q) == 0;
    if (!q->running)
        qc_run(q);
}

static void qc_join(struct merge_qc *q)
{
    if (q->running) {
        pthread_join(q->thread, NULL);
        q->running = false;
    }
}

bool merge_qc_finish(struct merge_qc *q, char **reason)
{
    merge_prescan_abandon(&q->prescan);
    qc_join(q);
    if (q->result && strcmp(q->result, "ok") == 0 && q->lost)
        return merge_set_reason(reason,
                                xstrdup(_("it holds answers of a record or "
                                          "device it does not name")));
    if (q->result && strcmp(q->result, "ok") == 0 && q->invalid)
        return merge_set_reason(reason, xstrdup(q->invalid));
    if (q->result && strcmp(q->result, "ok") == 0)
        return true;
    if (q->result) {
        char *line = merge_one_line(q->result);
        merge_set_reason(reason, xasprintf(_("the file is damaged (%s)"),
                                           line));
        free(line);
    } else if (q->timed_out) {
        merge_set_reason(reason, xstrdup(_("reading it took too long; the "
                                           "file may be damaged")));
    } else {
        char *line = merge_one_line(q->errmsg);
        int code = q->rc & 0xff;
        merge_set_reason(reason,
                         code == SQLITE_CORRUPT || code == SQLITE_NOTADB ||
                                 code == SQLITE_NOMEM
                             ? xasprintf(_("the file is damaged (%s)"), line)
                             : xasprintf(_("cannot read it: %s"), line));
        free(line);
    }
    return false;
}

void merge_qc_clear(struct merge_qc *q)
{
    if (!q->copy)
        return; /* never started */
    atomic_store(&q->stop, true);
    qc_join(q);
    merge_prescan_clear(&q->prescan);
    xfree(&q->copy);
    xfree(&q->result);
    xfree(&q->errmsg);
    xfree(&q->invalid);
}
