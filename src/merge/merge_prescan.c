/* merge_prescan.c: the collect of a schema 9 input's answers shared with
 * the second core (issue 15). Most rows of a later copy of a file are the
 * target's column for column; finding the few that are not took a third
 * of the merge of such an input (one look-up in the target per row).
 *
 * The thread of merge_qc.c scans the input's answer rows from the top,
 * in chunks of CHUNK rows, on its own connection (the input as main, the
 * target attached read-only as tgt), and notes the rows the collect
 * takes (merge_build.c's merge_sql_prescan and add_taken: the collect's
 * own terms; also rows that name no record or device of the input, which
 * the collect drops), with what it read of each: the target's row, how,
 * known. It reads the target as the merge found it: the merge holds the
 * write lock from before the thread starts until after it ends, and
 * changes no answer row, kept version or device id before its collect,
 * so the two read the same rows (records new in this transaction have no
 * row in either).
 *
 * When the merge comes to its collect, it takes the rows below those the
 * scan has claimed, split in two: the lower half it compares itself, the
 * scan goes on down to it. Then it waits for the scan, compares whatever
 * the scan left (it stopped early: an error, the deadline, too many rows
 * found), and last the rows found, so every row is added in the input's
 * rowid order, as the one statement added them. */
#include "config.h"

#include "merge/merge_int.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* rows per chunk: the most the merge waits for beyond its own half */
#define CHUNK 2048
/* the most rows found that are kept (32 bytes each): past it the merge
 * compares the rest itself */
#define FOUND_MAX (1 << 15)

struct merge_prescan_test merge_prescan_test;

static int64_t chunk_rows(void)
{
    return merge_prescan_test.chunk > 0 ? merge_prescan_test.chunk : CHUNK;
}

static size_t found_max(void)
{
    return merge_prescan_test.found_max > 0
               ? (size_t)merge_prescan_test.found_max
               : FOUND_MAX;
}

void merge_prescan_init(struct merge_prescan *ps, const char *target)
{
    memset(ps, 0, sizeof *ps);
    pthread_mutex_init(&ps->mu, NULL);
    pthread_cond_init(&ps->cv, NULL);
    ps->target = target && !merge_prescan_test.off ? xstrdup(target) : NULL;
    ps->inited = true;
}

void merge_prescan_clear(struct merge_prescan *ps)
{
    if (!ps->inited)
        return;
    pthread_mutex_destroy(&ps->mu);
    pthread_cond_destroy(&ps->cv);
    free(ps->target);
    free(ps->found);
    memset(ps, 0, sizeof *ps);
}

/* ---- the scan, in merge_qc.c's thread ------------------------------------ */

static bool exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* The lowest rowid of the next chunk, the rows at or below hi: *last
 * when it holds all of them. */
static bool chunk_low(sqlite3_stmt *st, int64_t hi, int64_t *low, bool *last)
{
    bool ok = sqlite3_bind_int64(st, 1, hi) == SQLITE_OK;
    int rc = ok ? sqlite3_step(st) : SQLITE_ERROR;
    *last = rc != SQLITE_ROW;
    *low = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : INT64_MIN;
    if (*low == INT64_MIN)
        *last = true;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static bool is_true(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) != SQLITE_NULL &&
           sqlite3_column_int(st, col) != 0;
}

/* A row of merge_sql_prescan the collect takes: add_taken's terms (rank
 * comparisons NULL where the target's rank has a NULL), or one it will
 * drop itself (its record or device unnamed) */
static bool taken(sqlite3_stmt *st)
{
    return is_true(st, 5) || sqlite3_column_type(st, 1) == SQLITE_NULL ||
           is_true(st, 2) || (is_true(st, 3) && !is_true(st, 4));
}

/* The rows found in lo..hi, appended; false on an error or when too
 * many (the chunk's own are then not counted: ps->ndone). */
static bool scan_chunk(sqlite3_stmt *st, struct merge_prescan *ps,
                       int64_t lo, int64_t hi)
{
    bool ok = sqlite3_bind_int64(st, 1, lo) == SQLITE_OK &&
              sqlite3_bind_int64(st, 2, hi) == SQLITE_OK;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!taken(st))
            continue;
        if (ps->nfound == found_max()) {
            ok = false;
            break;
        }
        if (ps->nfound == ps->cap) {
            ps->cap = ps->cap ? 2 * ps->cap : 1024;
            ps->found = xrealloc(ps->found, ps->cap * sizeof *ps->found);
        }
        bool has_mrow = sqlite3_column_type(st, 1) != SQLITE_NULL;
        ps->found[ps->nfound++] = (struct merge_found){
            .row = sqlite3_column_int64(st, 0),
            .mrow = sqlite3_column_int64(st, 1),
            .has_mrow = has_mrow,
            .how = !has_mrow ? 2 : is_true(st, 2) ? 1 : 0,
            .known = sqlite3_column_int(st, 4)};
    }
    sqlite3_reset(st);
    return ok && rc == SQLITE_DONE;
}

static void scan(sqlite3 *db, struct merge_prescan *ps)
{
    sqlite3_stmt *low_st = NULL, *scan_st = NULL;
    char *sql = merge_sql_prescan();
    bool ok = sqlite3_prepare_v2(db,
                                 "SELECT rowid FROM main.answer_rows NOT "
                                 "INDEXED WHERE rowid <= ?1 ORDER BY rowid "
                                 "DESC LIMIT 1 OFFSET ?2",
                                 -1, &low_st, NULL) == SQLITE_OK &&
              sqlite3_bind_int64(low_st, 2, chunk_rows() - 1) == SQLITE_OK &&
              sqlite3_prepare_v2(db, sql, -1, &scan_st, NULL) == SQLITE_OK;
    free(sql);
    pthread_mutex_lock(&ps->mu);
    ps->on = ok = ok && !ps->abandon;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    int64_t hi = INT64_MAX;
    while (ok) {
        int64_t lo = 0;
        bool last = false;
        if (merge_prescan_test.pause_us > 0)
            usleep((useconds_t)merge_prescan_test.pause_us);
        if (!chunk_low(low_st, hi, &lo, &last))
            break;
        pthread_mutex_lock(&ps->mu);
        bool go = !(ps->has_stop && hi <= ps->stop);
        if (go && ps->has_stop && lo <= ps->stop) {
            lo = ps->stop + 1;
            last = true;
        }
        if (go) {
            ps->claimed = true;
            ps->low = lo;
        }
        pthread_mutex_unlock(&ps->mu);
        if (!go || !scan_chunk(scan_st, ps, lo, hi))
            break;
        pthread_mutex_lock(&ps->mu);
        ps->scanned = true;
        ps->done = lo;
        ps->ndone = ps->nfound;
        pthread_mutex_unlock(&ps->mu);
        if (last)
            break;
        hi = lo - 1;
    }
    sqlite3_finalize(low_st);
    sqlite3_finalize(scan_st);
}

void merge_prescan_run(sqlite3 *db, struct merge_prescan *ps)
{
    char *uri = ps->target ? merge_file_uri(ps->target, "mode=ro") : NULL;
    char *attach = uri ? sqlite3_mprintf("ATTACH %Q AS tgt", uri) : NULL;
    free(uri);
    bool attached = attach && exec(db, attach);
    sqlite3_free(attach);
    /* a small cache: it reads each page of the target's answers about
     * once, in order; one snapshot of both; the target's numbers of the
     * input's records and devices, as the merge's S_RID_MAP and S_DID_MAP
     * (a record the target lacks has none: its rows are all found) */
    bool ok = attached && exec(db, "PRAGMA tgt.cache_size = -512") &&
              exec(db, "PRAGMA temp.cache_size = -512") &&
              exec(db, "BEGIN") &&
              exec(db, "CREATE TEMP TABLE prescan_rid(n INTEGER PRIMARY "
                       "KEY, rid INTEGER, record_uuid TEXT); CREATE TEMP "
                       "TABLE prescan_did(n INTEGER PRIMARY KEY, did "
                       "INTEGER, device_id TEXT)") &&
              exec(db, "INSERT INTO temp.prescan_rid SELECT s.rid, m.rid, "
                       "s.record_uuid FROM main.records AS s NOT INDEXED "
                       "LEFT JOIN tgt.records AS m ON m.record_uuid = "
                       "s.record_uuid") &&
              exec(db, "INSERT INTO temp.prescan_did SELECT s.did, m.did, "
                       "s.device_id FROM main.device_ids AS s NOT INDEXED "
                       "LEFT JOIN tgt.device_ids AS m ON m.device_id = "
                       "s.device_id");
    /* an input none of whose records the target holds is copied whole
     * (merge_sql.c's copy_new): nothing to compare */
    sqlite3_stmt *st = NULL;
    ok = ok &&
         sqlite3_prepare_v2(db, "SELECT 1 FROM temp.prescan_rid WHERE rid "
                                "IS NOT NULL LIMIT 1", -1,
                            &st, NULL) == SQLITE_OK &&
         sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (ok)
        scan(db, ps);
    merge_prescan_end(ps);
    /* the thread's checks read main alone (main.quick_check), whether
     * or not this cleans up */
    if (attached) {
        (void)exec(db, "ROLLBACK");
        (void)exec(db, "DROP TABLE IF EXISTS temp.prescan_rid");
        (void)exec(db, "DROP TABLE IF EXISTS temp.prescan_did");
        (void)exec(db, "DETACH tgt");
    }
}

void merge_prescan_end(struct merge_prescan *ps)
{
    if (!ps->inited)
        return;
    pthread_mutex_lock(&ps->mu);
    ps->over = true;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

/* ---- the merge's side ------------------------------------------------------ */

bool merge_prescan_split(struct merge_prescan *ps, int64_t min, int64_t max,
                         int64_t *upto, bool *mine)
{
    if (!ps->inited || !ps->target)
        return false;
    pthread_mutex_lock(&ps->mu);
    /* it decides once it has the target's numbers (a few ms) */
    while (!ps->on && !ps->over)
        pthread_cond_wait(&ps->cv, &ps->mu);
    bool on = ps->on;
    *mine = false;
    if (on && !ps->over && !(ps->claimed && ps->low <= min)) {
        /* the highest row not claimed, halved: the lower half is ours,
         * the scan stops above it */
        int64_t top = ps->claimed && ps->low - 1 < max ? ps->low - 1 : max;
        uint64_t span = (uint64_t)top - (uint64_t)min;
        *upto = (int64_t)((uint64_t)min + span / 2);
        *mine = true;
        ps->has_stop = true;
        ps->stop = *upto;
    }
    pthread_mutex_unlock(&ps->mu);
    return on;
}

void merge_prescan_abandon(struct merge_prescan *ps)
{
    if (!ps->inited)
        return;
    pthread_mutex_lock(&ps->mu);
    ps->abandon = true;
    ps->has_stop = true;
    ps->stop = INT64_MAX;
    pthread_mutex_unlock(&ps->mu);
}

void merge_prescan_wait(struct merge_prescan *ps, bool *scanned, int64_t *done,
                        struct merge_found **found, size_t *nfound)
{
    pthread_mutex_lock(&ps->mu);
    while (!ps->over)
        pthread_cond_wait(&ps->cv, &ps->mu);
    *scanned = ps->scanned;
    *done = ps->done;
    *found = ps->found;
    *nfound = ps->ndone;
    pthread_mutex_unlock(&ps->mu);
}
