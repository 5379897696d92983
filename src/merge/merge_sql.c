#include "config.h"

#include "merge/merge_sql.h"
#include "merge/merge_int.h"
#include "merge/merge_attach.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/sql.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- where the time goes ------------------------------------------------- */

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void merge_step_mark(struct merge_db *m, enum merge_step step)
{
    int64_t t = now_us();
    if (m->step_ms)
        m->step_ms[step] += (double)(t - m->step_at) / 1000.0;
    m->step_at = t;
}

/* ---- running statements ----------------------------------------------- */

/* Step a statement that returns no rows, and reset it so it holds no
 * read open (the reset only repeats the step's result). */
static bool run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

/* ---- merging ------------------------------------------------------------ */

/* The record and device numbers of a schema 9 input mapped to the
 * target's (merge_build.c's S_RID_MAP, S_DID_MAP), its records merged
 * by then. */
static bool map_numbers(struct merge_db *m)
{
    return merge_exec(m, "DELETE FROM temp.merge_rid_map") &&
           merge_exec(m, "DELETE FROM temp.merge_did_map") &&
           run(m->st[S_RID_MAP]) && run(m->st[S_DID_MAP]);
}

/* S_COLLECT_SPAN: the rows of rowids lo..hi */
static bool collect_span(struct merge_db *m, int64_t lo, int64_t hi)
{
    sqlite3_stmt *st = m->st[S_COLLECT_SPAN];
    return sqlite3_bind_int64(st, 1, lo) == SQLITE_OK &&
           sqlite3_bind_int64(st, 2, hi) == SQLITE_OK && run(st);
}

/* S_COLLECT_FOUND: the rows the scan found, through temp.merge_found
 * (emptied first: a rolled-back input's rows go with its transaction) */
static bool collect_found(struct merge_db *m, const struct merge_found *rows,
                          size_t n)
{
    if (n == 0)
        return true;
    /* (in the scan's order: the table keeps them by rowid) */
    sqlite3_stmt *put = m->st[S_FOUND_PUT];
    bool ok = run(m->st[S_FOUND_CLEAR]);
    for (size_t i = 0; ok && i < n; i++)
        ok = sqlite3_bind_int64(put, 1, rows[i].row) == SQLITE_OK &&
             (rows[i].has_mrow
                  ? sqlite3_bind_int64(put, 2, rows[i].mrow)
                  : sqlite3_bind_null(put, 2)) == SQLITE_OK &&
             sqlite3_bind_int(put, 3, rows[i].how) == SQLITE_OK &&
             sqlite3_bind_int(put, 4, rows[i].known) == SQLITE_OK &&
             run(put);
    return ok && run(m->st[S_COLLECT_FOUND]);
}

/* A schema 9 input's answers, shared with the scan beside the merge
 * (merge_prescan.c): its lower half of the rows not scanned yet, the
 * rows the scan left, then those it found. */
static bool collect_answers(struct merge_db *m)
{
    int64_t lo = 0, hi = 0, upto = 0;
    bool mine = false, scanned = false;
    sqlite3_stmt *span = m->st[S_ANSWERS_SPAN];
    int rc = sqlite3_step(span);
    bool any = rc == SQLITE_ROW &&
               sqlite3_column_type(span, 0) == SQLITE_INTEGER;
    if (any) {
        lo = sqlite3_column_int64(span, 0);
        hi = sqlite3_column_int64(span, 1);
    }
    sqlite3_reset(span);
    if (rc != SQLITE_ROW)
        return false;
    if (!any || !m->qc ||
        !merge_prescan_split(&m->qc->prescan, lo, hi, &upto, &mine))
        return run(m->st[SID(T_ANSWERS, K_COLLECT)]);
    if (mine && !collect_span(m, lo, upto))
        return false;
    merge_prescan_test.seen |= mine ? PRESCAN_MINE : 0;
    int64_t done = 0;
    struct merge_found *found = NULL;
    size_t n = 0;
    merge_prescan_wait(&m->qc->prescan, &scanned, &done, &found, &n);
    /* the rows between ours and the scan's */
    if (!(mine && upto == hi) && !(scanned && done <= lo)) {
        /* (then upto < hi and done > lo: no overflow) */
        int64_t from = mine ? upto + 1 : lo, to = scanned ? done - 1 : hi;
        merge_prescan_test.seen |= from <= to ? PRESCAN_LEFT : 0;
        if (from <= to && !collect_span(m, from, to))
            return false;
    }
    merge_prescan_test.seen |= n ? PRESCAN_FOUND : 0;
    return collect_found(m, found, n);
}

/* The incoming rows that are new or differ, set aside (sql_collect; a
 * schema 9 input's answers by number, sql_collect_numbered). */
static bool collect_rows(struct merge_db *m, int t)
{
    if (t == T_ANSWERS && m->src_version >= 9)
        return map_numbers(m) && run(m->st[SID(t, K_CLEAR)]) &&
               collect_answers(m);
    return run(m->st[SID(t, K_CLEAR)]) && run(m->st[SID(t, K_COLLECT)]);
}

/* run() with ?1 = top. */
static bool run_top(sqlite3_stmt *st, int64_t top)
{
    return sqlite3_bind_int64(st, 1, top) == SQLITE_OK && run(st);
}

/* Step a statement of one row: its first integer column into *a, the
 * second into *b (either may be NULL); false when no row came. */
static bool row_ints(sqlite3_stmt *st, int64_t *a, int64_t *b)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (a)
            *a = sqlite3_column_int64(st, 0);
        if (b)
            *b = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW;
}

/* The top rowid of the target's answers (the rows added after it get
 * rowids above it), and whether it has none. */
static bool answers_top(struct merge_db *m, int64_t *top, int64_t *none)
{
    return row_ints(m->st[S_ANSWERS_TOP], top, none);
}

/* The search entries of the rows added (above top), in rowid order:
 * FTS5 writes a sorted run (the winners' went in with S_SEARCH_SWAP).
 * SQLite gives the added rows top + 1, top + 2, ... while these stay
 * below 2^63, then free rowids at random: a target with a top that
 * high (damaged, or made so) has its new rows found by key. */
static bool search_in(struct merge_db *m, int64_t top, int64_t added)
{
    merge_step_mark(m, MERGE_STEP_DATA);
    bool above = top <= INT64_MAX - added;
    sqlite3_stmt *st = m->st[above ? S_SEARCH_NEW : S_SEARCH_NEW_KEYED];
    bool ok = (!above || sqlite3_bind_int64(st, 1, top) == SQLITE_OK) &&
              run(st);
    m->index_failed = !ok;
    merge_step_mark(m, MERGE_STEP_INDEX);
    return ok;
}

/* The differing rows: the answers among them that bring a version the
 * target does not keep are touched; the loser of each pair is kept in
 * <table>_versions, the winner takes the target's row; then the new rows
 * are added. Counted as they change. */
static bool apply_rows(struct merge_db *m, int t, struct merge_counts *c)
{
    int64_t unused = 0;
    int64_t *newer = t == T_RECORDS ? &c->records_updated
                     : t == T_ANSWERS ? &c->answers_updated
                                      : &unused;
    int64_t *added = t == T_RECORDS ? &c->records_new
                     : t == T_ITEMS ? &c->items_new
                                    : &c->answers_new;
    if (t == T_ANSWERS && !run(m->st[S_KNOWN]))
        return false;
    for (int k = K_KEEP_IN; k <= K_KEEP_OUT; k++) {
        sqlite3_stmt *st = m->st[SID(t, k)];
        if (sqlite3_bind_int64(st, 1, m->now) != SQLITE_OK || !run(st))
            return false;
        c->versions_kept += sqlite3_changes64(m->db);
    }
    if ((t == T_ANSWERS && !run(m->st[S_DEVICES_DIFF])) ||
        !run(m->st[SID(t, K_UPDATE)]))
        return false;
    *newer += sqlite3_changes64(m->db);
    int64_t top = 0;
    if (t == T_ANSWERS && !answers_top(m, &top, NULL))
        return false;
    if (!run(m->st[SID(t, K_ADD)]))
        return false;
    int64_t n = sqlite3_changes64(m->db);
    *added += n;
    if (t == T_ANSWERS &&
        !(run(m->st[S_EDITS_DIFF]) && search_in(m, top, n)))
        return false;
    return run(m->st[SID(t, K_CLEAR)]);
}

/* A schema 9 input's devices into the target, and its record and
 * device numbers mapped to the target's (merge_build.c's S_RID_MAP). */
static bool copy_numbers(struct merge_db *m)
{
    return run(m->st[S_DEVICES_COPY_NUMBERED]) && map_numbers(m);
}

/* copy_new: every row of table t checked and counted, and copied in one
 * statement (K_COPY) when the target has none of them; for the answers
 * then their last edits and search entries, above the top rowid before.
 * *copied false when the target has some (a file with rows of records it
 * lacks): they are then merged row by row. */
static bool copy_table(struct merge_db *m, int t, struct merge_counts *c,
                       bool *copied)
{
    int64_t rows = 0, seen = 0;
    *copied = false;
    /* Answers of schema 9 name their record by number: the records of an
     * input that the target has none of get new numbers, so the target
     * has none of their answers; the rows are copied in one pass over
     * the input and checked beside it (merge_qc.c), before commit. */
    bool check_in_copy = t == T_ANSWERS && m->src_version >= 9;
    if (!check_in_copy &&
        !row_ints(m->st[SID(t, K_CHECK_NEW)], &rows, &seen))
        return false;
    if (seen)
        return true;
    int64_t top = 0, none = 0;
    if (t == T_ANSWERS) {
        if (!answers_top(m, &top, &none))
            return false;
        /* rowids that would not all come above top (a damaged target's
         * top near 2^63): row by row, where the new rows are found by
         * key */
        if (check_in_copy ? top > INT64_MAX / 2 : top > INT64_MAX - rows)
            return true;
        /* a target without answers has no entries (search_in) */
        if (none && !run(m->st[S_SEARCH_CLEAR])) {
            m->index_failed = true;
            return false;
        }
    }
    if (t == T_ANSWERS && !(check_in_copy ? copy_numbers(m)
                                          : run(m->st[S_DEVICES_COPY])))
        return false;
    int64_t in_order = 0;
    if (t == T_RECORDS &&
        !row_ints(m->st[S_RIDS_IN_ORDER], &in_order, NULL))
        return false;
    if (!run(m->st[in_order ? S_RECORDS_COPY_PLAIN : SID(t, K_COPY)]))
        return false;
    /* every row checked was copied (an answer whose record or device had
     * no number would not be) */
    int64_t held = rows;
    rows = sqlite3_changes64(m->db);
    if (check_in_copy && !row_ints(m->st[S_SRC_ANSWERS], &held, NULL))
        return false;
    if (rows != held) {
        free(m->invalid);
        m->invalid = xstrdup(_("it holds answers of a record or device it "
                               "does not name"));
        return false;
    }
    *copied = true;
    *(t == T_RECORDS ? &c->records_new
      : t == T_ITEMS ? &c->items_new
                     : &c->answers_new) += rows;
    if (t != T_ANSWERS)
        return true;
    merge_step_mark(m, MERGE_STEP_DATA);
    return run_top(m->st[S_EDITS_NEW], top) && search_in(m, top, rows);
}

/* One versioned table: the rows that are new or differ, the search
 * entries of the answers whose winner changes (out and in, before the
 * rows change), the rows (and the new entries), then the input's kept
 * versions and their reasons. */
static bool records_sound(struct merge_db *m, int which, char **reason);

static bool merge_table(struct merge_db *m, int t, struct merge_counts *c,
                        char **reason)
{
    bool copied = false;
    if (m->copy_new && !copy_table(m, t, c, &copied))
        return false;
    if (!copied) {
        if (!collect_rows(m, t))
            return false;
        /* a record of the target's that names another form is refused */
        if (t == T_RECORDS && !records_sound(m, S_RECORD_FORM_MOVED, reason))
            return false;
        if (t == T_ANSWERS) {
            merge_step_mark(m, MERGE_STEP_DATA);
            bool ok = run(m->st[S_SEARCH_SWAP]);
            m->index_failed = !ok;
            merge_step_mark(m, MERGE_STEP_INDEX);
            if (!ok)
                return false;
        }
        if (!apply_rows(m, t, c))
            return false;
    }
    m->relabeled = 0;
    if (!run(m->st[SID(t, K_IMPORT)]))
        return false;
    c->versions_kept += sqlite3_changes64(m->db) - m->relabeled;
    if (t != T_ANSWERS)
        return true;
    m->relabeled = 0;
    if (!run(m->st[S_IMPORT_RELABEL]))
        return false;
    c->versions_kept += sqlite3_changes64(m->db) - m->relabeled;
    return run(m->st[S_EDITS_VERSIONS]);
}

/* The input's kept versions of answers the target lacks (or relabels),
 * and which answers the input touches, before anything changes. */
static bool touch_answers(struct merge_db *m)
{
    return run(m->st[S_VERSIONS_CLEAR]) && run(m->st[S_VERSIONS_NEW]) &&
           run(m->st[S_UNTOUCH]) && run(m->st[S_TOUCH_VERSIONS]);
}

/* The touched answers in conflict, once everything is merged. */
static bool count_conflicts(struct merge_db *m, struct merge_counts *c)
{
    return row_ints(m->st[S_CONFLICTS], &c->conflicts, NULL) &&
           run(m->st[S_UNTOUCH]);
}

/* A form version is stored once and never changes (store/forms.h): the
 * same id and version with other content is refused, not guessed at. */
static bool forms_clash(struct merge_db *m, char **reason)
{
    /* a form's hash names its content: one whose definition is not what
     * its hash says would take the place of the real form in the target */
    sqlite3_stmt *bad = NULL;
    int brc = sqlite3_prepare_v2(m->db, "SELECT form_id, form_version FROM "
                                 "src.forms WHERE hash IS NOT "
                                 "imas_text_sha256(definition) LIMIT 1",
                                 -1, &bad, NULL);
    if (brc == SQLITE_OK)
        brc = sqlite3_step(bad);
    if (brc == SQLITE_ROW) {
        char *id = merge_one_line((const char *)sqlite3_column_text(bad, 0));
        char *ver = merge_one_line((const char *)sqlite3_column_text(bad, 1));
        *reason = xasprintf(_("its form %s version %s does not match its "
                              "SHA-256 (changed or damaged); nothing was "
                              "merged"),
                            id, ver);
        free(id);
        free(ver);
    }
    sqlite3_finalize(bad);
    if (brc != SQLITE_DONE)
        return false;
    sqlite3_stmt *st = m->st[S_FORM_CLASH];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        char *id = utf8_sanitize(a ? a : "", false);
        char *ver = utf8_sanitize(b ? b : "", false);
        *reason = xasprintf(_("its form %s version %s differs from the "
                              "target's; a changed form needs a new "
                              "version"),
                            id, ver);
        free(id);
        free(ver);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

/* The first row of statement which, its first three columns made one
 * line each (fresh, into v): 1; 0 when there is none, -1 on error. */
static int first_row(struct merge_db *m, int which, char *v[3])
{
    sqlite3_stmt *st = m->st[which];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < 3; i++) {
            const char *t = i < sqlite3_column_count(st)
                                ? (const char *)sqlite3_column_text(st, i)
                                : NULL;
            v[i] = merge_one_line(t ? t : "");
        }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void free3(char *v[3])
{
    for (int i = 0; i < 3; i++)
        free(v[i]);
}

/* A record names a form the file holds and keeps it (the search index's
 * rule reads it), and every answer and item has its record: else the
 * input is refused (*reason, false). which: S_RECORD_NO_FORM,
 * S_RECORD_FORM_MOVED or S_ORPHANS. */
static bool records_sound(struct merge_db *m, int which, char **reason)
{
    char *v[3] = {NULL, NULL, NULL};
    int found = first_row(m, which, v);
    if (found == 1) {
        if (which == S_RECORD_NO_FORM)
            *reason = xasprintf(_("its record %s names form %s version %s, "
                                  "which neither it nor the target holds; "
                                  "nothing was merged"),
                                v[0], v[1], v[2]);
        else if (which == S_RECORD_FORM_MOVED)
            *reason = xasprintf(_("its record %s names another form than "
                                  "the target's record of that id; nothing "
                                  "was merged"),
                                v[0]);
        else
            *reason = xasprintf(_("it holds answers or repeat items of "
                                  "record %s, which neither it nor the "
                                  "target holds; nothing was merged"),
                                v[0]);
        free3(v);
    }
    return found == 0;
}

/* The tables, records first; then every answer and item must have its
 * record. */
static bool merge_tables(struct merge_db *m, struct merge_counts *c,
                         char **reason)
{
    for (int t = 0; t < T_COUNT; t++) {
        if (t == T_ITEMS && !records_sound(m, S_ORPHANS, reason))
            return false;
        if (!merge_table(m, t, c, reason))
            return false;
    }
    return true;
}

/* FTS5 merges its index's segments as it writes them ("automerge", 4
 * unless the file says otherwise), which rewrote the first input's
 * large segment for later inputs (220 of 2,700 M instructions of a later
 * diverging input). A merge writes its entries with that off, and puts
 * the file's own setting back in the same transaction: the segments it
 * added are merged as the file's next writes go on (FTS5 also merges
 * any level that reaches 16 segments, whatever the setting). *was is
 * the setting to put back: the one FTS5 works with, which is its
 * default 4 where the file's row is not a number of 0..64. */
static bool automerge_off(struct merge_db *m, int64_t *was)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db,
                                 "SELECT coalesce((SELECT CAST(v AS "
                                 "INTEGER) FROM main.search_config WHERE "
                                 "k = 'automerge' AND CAST(CAST(v AS "
                                 "INTEGER) AS TEXT) = CAST(v AS TEXT) AND "
                                 "CAST(v AS INTEGER) BETWEEN 0 AND 64), 4)",
                                 -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    *was = ok ? sqlite3_column_int64(st, 0) : 4;
    sqlite3_finalize(st);
    ok = ok && merge_exec(m, "INSERT INTO main.search(search, rank) "
                             "VALUES ('automerge', 0)");
    m->index_failed = !ok;
    return ok;
}

static bool automerge_back(struct merge_db *m, int64_t was)
{
    char sql[96];
    snprintf(sql, sizeof sql,
             "INSERT INTO main.search(search, rank) VALUES ('automerge', "
             "%lld)",
             (long long)was);
    bool ok = merge_exec(m, sql);
    m->index_failed = !ok;
    return ok;
}

static bool merge_all(struct merge_db *m, struct merge_counts *c,
                      char **reason)
{
    if (!forms_clash(m, reason))
        return false;
    if (!run(m->st[S_FORM_MERGE]) || !merge_attachments(m, reason))
        return false;
    if (!records_sound(m, S_RECORD_NO_FORM, reason))
        return false;
    int64_t seen = 1;
    if (!row_ints(m->st[S_DEVICES_CHECK], NULL, NULL) ||
        !row_ints(m->st[S_RECORDS_SEEN], &seen, NULL))
        return false;
    m->copy_new = !seen;
    merge_step_mark(m, MERGE_STEP_DATA);
    if (!touch_answers(m))
        return false;
    merge_step_mark(m, MERGE_STEP_CONFLICTS);
    if (!merge_tables(m, c, reason))
        return false;
    merge_step_mark(m, MERGE_STEP_DATA);
    if (!count_conflicts(m, c))
        return false;
    merge_step_mark(m, MERGE_STEP_CONFLICTS);
    sqlite3_stmt *note = m->st[S_DEVICE_NOTE];
    return run(m->st[S_AUDIT_MERGE]) &&
           run(m->st[S_DEVICES_MERGE]) &&
           sqlite3_bind_text(note, 1, m->device_id, -1, SQLITE_STATIC) ==
               SQLITE_OK &&
           sqlite3_bind_text(note, 2, m->device_name, -1, SQLITE_STATIC) ==
               SQLITE_OK &&
           sqlite3_bind_int64(note, 3, m->now) == SQLITE_OK && run(note);
}

static bool write_log(struct merge_db *m, const struct merge_source *src,
                      const char *sha256, const char *src_uuid,
                      const struct merge_counts *c)
{
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    char *path = utf8_sanitize(src->path, false);
    sqlite3_stmt *st = m->st[S_LOG];
    const int64_t nums[] = {c->records_new,     c->records_updated,
                            c->items_new,       c->answers_new,
                            c->answers_updated, c->versions_kept,
                            c->conflicts};
    const char *text[] = {uuid, path, sha256, src_uuid};
    bool ok = sqlite3_bind_int64(st, 5, clock_now_ms()) == SQLITE_OK &&
              sqlite3_bind_text(st, 13, m->device_id, -1, SQLITE_STATIC) ==
                  SQLITE_OK &&
              sqlite3_bind_text(st, 14, m->author, -1, SQLITE_STATIC) ==
                  SQLITE_OK;
    for (int i = 0; ok && i < 4; i++)
        ok = sqlite3_bind_text(st, 1 + i, text[i], -1, SQLITE_STATIC) ==
             SQLITE_OK;
    for (int i = 0; ok && i < 7; i++)
        ok = sqlite3_bind_int64(st, 6 + i, nums[i]) == SQLITE_OK;
    ok = ok && run(st);
    /* The bound strings are ours and freed now. */
    ok = sqlite3_clear_bindings(st) == SQLITE_OK && ok;
    free(path);
    return ok;
}

/* ---- one input ---------------------------------------------------------- */



/* Inside the transaction: check, merge, log. */
static enum merge_db_status merge_tx(struct merge_db *m,
                                     const struct merge_source *src,
                                     struct merge_qc *qc,
                                     struct merge_counts *c, char **reason,
                                     struct error *err)
{
    char src_uuid[UUID_STR_LEN];
    if (!merge_check_source(m, src->copy, src_uuid, reason))
        return merge_classify(m, reason, err);
    /* Once this connection reads the input (its -wal indexed), so that
     * the two never wait on each other. */
    merge_qc_start(qc, src->copy, m->src_version >= 9,
                   sqlite3_db_filename(m->db, "main"), src->deadline_ms,
                   src->hash, src->ctx);
    m->qc = qc;
    merge_step_mark(m, MERGE_STEP_CHECK);
    int64_t automerge = 4;
    if (!merge_sql_prepare(m) || !automerge_off(m, &automerge) ||
        !merge_all(m, c, reason) || !automerge_back(m, automerge)) {
        enum merge_db_status st = merge_classify(m, reason, err);
        /* A damaged or hostile file is refused as such, as when
         * quick_check ran first, whatever the merge tripped over: also a
         * statement on the target's search index, which reads values not
         * checked yet (invalid UTF-8 folds to up to 3 times its bytes,
         * past SQLite's length limit); the target is blamed only when
         * the check beside the merge finds the input sound. */
        char *bad = NULL;
        if ((st == MERGE_DB_REFUSED || m->index_failed) &&
            !merge_qc_finish(qc, &bad)) {
            error_clear(err);
            free(*reason);
            *reason = bad;
            return MERGE_DB_REFUSED;
        }
        return st;
    }
    merge_step_mark(m, MERGE_STEP_DATA);
    bool sound = merge_qc_finish(qc, reason);
    merge_step_mark(m, MERGE_STEP_CHECK);
    if (!sound)
        return MERGE_DB_REFUSED;
    const char *sha = src->sha256(src->ctx);
    if (!sha) {
        merge_set_reason(reason, xstrdup(_("cannot read it")));
        return MERGE_DB_REFUSED;
    }
    if (!write_log(m, src, sha, src_uuid, c))
        return merge_failed(m, err);
    return MERGE_DB_OK;
}

enum merge_db_status merge_db_input(struct merge_db *m,
                                    const struct merge_source *src,
                                    struct merge_counts *counts,
                                    char **reason, struct error *err)
{
    memset(counts, 0, sizeof *counts);
    *reason = NULL;
    xfree(&m->invalid);
    m->timed_out = false;
    m->index_failed = false;
    m->deadline_ms = src->deadline_ms;
    m->step_ms = src->step_ms;
    m->now = clock_now_ms();
    m->step_at = now_us();
    enum merge_db_status s;
    struct merge_qc qc = {.running = false};
    /* imas_text_field keeps each form it read: afresh for every input,
     * so a form of an input that was refused (rolled back) never decides
     * what the next one indexes */
    if (!store_sql_functions(m->db)) {
        s = merge_failed(m, err);
        goto done;
    }
    if (!merge_attach(m, src->copy)) {
        s = merge_classify(m, reason, err);
        goto done;
    }
    if (!merge_exec(m, "BEGIN IMMEDIATE")) {
        s = merge_failed(m, err);
        goto detach;
    }
    s = merge_tx(m, src, &qc, counts, reason, err);
    merge_sql_finalize(m);
    if (s == MERGE_DB_OK && !merge_exec(m, "COMMIT"))
        s = merge_failed(m, err);
    merge_step_mark(m, MERGE_STEP_COMMIT);
    if (!sqlite3_get_autocommit(m->db))
        merge_exec(m, "ROLLBACK");
detach:
    merge_sql_finalize(m);
    if (!merge_exec(m, "DETACH src") && s == MERGE_DB_OK)
        s = merge_failed(m, err);
done:
    m->qc = NULL;
    merge_qc_clear(&qc);
    m->deadline_ms = 0;
    m->step_ms = NULL;
    if (s != MERGE_DB_OK)
        memset(counts, 0, sizeof *counts);
    return s;
}

