/* merge_int.h: what the four files of the merge's SQL share, private to
 * src/merge: merge_build.c builds the statements, merge_sql.c runs the
 * merge of one input, merge_check.c checks the input and turns failures
 * into reasons, merge_qc.c runs its quick_check beside the merge,
 * merge_conn.c manages the hardened connection. */
#ifndef IMAS_MERGE_MERGE_INT_H
#define IMAS_MERGE_MERGE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "merge/merge_sql.h"
#include "store/answers.h"

#define BUSY_TIMEOUT_MS 5000
/* the log pages after which a commit copies the log into the file:
 * 256 MB of 4 KB pages (merge_conn.c) */
#define MERGE_CHECKPOINT_PAGES "65536"
#define PROGRESS_OPS 10000
/* A row may hold one value of STORE_VALUE_MAX bytes and its key: longer
 * strings make SQLite fail with SQLITE_TOOBIG before we see them. */
#define MAX_LENGTH (2 * STORE_VALUE_MAX)
#define REASON_MAX 240

/* ---- the tables ------------------------------------------------------- */

/* A table of versioned rows (SPEC 4). Columns are in table order, key
 * first; sig gives each column's type (t text, T text or NULL, i integer,
 * u a UUID, e a UUID or '', r a revision, m a time; merge_check.c);
 * rank is the winner order, '@' standing for the row's alias: SPEC 6's
 * (revision, updated_at, device_id, value), a missing value (tombstone)
 * lowest, then every other column, so that two different rows never tie
 * and the winner is the same whichever file holds which. */
struct vtable {
    const char *name;
    const char *const *cols;
    int nkey;
    const char *sig;
    const char *rank;
    const char *const *vcols; /* <name>_versions, key first */
    int nvkey;
    const char *vsig;
    /* a table with rowids, which a winner keeps (merge_diff's mrow):
     * records (schema 9: the number its answers name it by) and answers
     * (schema 8: the id of the answer's search entry) */
    bool rowid;
    /* answers (schema 9): the target's rows are answer_rows, which name
     * their record and device by number (store/schema_v9.c); the view
     * `answers` cannot be written, nor looked into by a LEFT JOIN */
    bool numbered;
};

enum { T_RECORDS, T_ITEMS, T_ANSWERS, T_COUNT };

/* Statements of one input: K_COUNT per versioned table, then the rest. */
enum { K_CLEAR, K_COLLECT, K_KEEP_IN, K_KEEP_OUT, K_UPDATE, K_ADD, K_IMPORT,
       K_CHECK_NEW, K_COPY, K_COUNT };
enum {
    S_KNOWN = T_COUNT * K_COUNT,
    S_VERSIONS_CLEAR,
    S_VERSIONS_NEW,
    S_TOUCH_VERSIONS,
    S_IMPORT_RELABEL,
    S_CONFLICTS,
    S_UNTOUCH,
    S_EDITS_DIFF,
    S_EDITS_NEW,
    S_EDITS_VERSIONS,
    S_RECORDS_SEEN,
    S_RIDS_IN_ORDER,
    S_RECORDS_COPY_PLAIN,
    S_RECORD_NO_FORM,
    S_RECORD_FORM_MOVED,
    S_ORPHANS,
    S_SEARCH_SWAP,
    S_ANSWERS_TOP,
    S_SEARCH_NEW,
    S_SEARCH_NEW_KEYED,
    S_SEARCH_CLEAR,
    S_DEVICES_DIFF,
    S_DEVICES_COPY,
    S_DEVICES_COPY_NUMBERED,
    S_RID_MAP,
    S_DID_MAP,
    S_SRC_ANSWERS,
    S_DEVICES_CHECK,
    S_COLLECT_SPAN,
    S_COLLECT_FOUND,
    S_ANSWERS_SPAN,
    S_FOUND_PUT,
    S_FOUND_CLEAR,
    S_FORM_CLASH,
    S_FORM_MERGE,
    S_AUDIT_MERGE,
    S_DEVICES_MERGE,
    S_DEVICE_NOTE,
    S_LOG,
    S_COUNT
};
#define SID(t, k) ((t) * K_COUNT + (k))

struct merge_db {
    sqlite3 *db;
    char *path, *author, *device_name;
    char device_id[UUID_STR_LEN];
    sqlite3_stmt *st[S_COUNT];
    int64_t now, deadline_ms;
    bool copy_new; /* no record of the input in the target (merge_sql.c) */
    int src_version; /* the input's schema (merge_check_source) */
    bool timed_out;
    /* a statement on the target's own search index failed: the
     * target's fault (damaged), never the input's */
    bool index_failed;
    char *invalid; /* what imas_valid() found, NULL when nothing */
    int64_t relabeled; /* counted by imas_relabel() (merge_build.c) */
    double *step_ms; /* MERGE_STEP_COUNT, or NULL: where the time went */
    int64_t step_at; /* CLOCK_MONOTONIC µs when the current step began */
    struct merge_qc *qc; /* the input's, while it is merged */
};

/* merge_sql.c: the time since the last mark goes to step. */
void merge_step_mark(struct merge_db *m, enum merge_step step);

extern const struct vtable merge_vtables[T_COUNT];

/* merge_build.c: the number of columns in a NULL-terminated list; */
int merge_ncols(const char *const *cols);
/* prepare every statement of one input (false: SQLite's
 * error is the connection's), and finalize them. */
bool merge_sql_prepare(struct merge_db *m);
void merge_sql_finalize(struct merge_db *m);
/* Whether any row of an input's table fails imas_valid, for merge_qc.c:
 * scan T_RECORDS, T_ITEMS, T_ANSWERS (numbered: its answer_rows), T_COUNT
 * + one of them for its _versions table, or MERGE_VALID_AUDIT; fresh. A
 * row that is the target's, one copied into a target without it, a kept
 * version and an audit entry are not checked as they are read. */
#define MERGE_VALID_AUDIT (2 * T_COUNT)
#define MERGE_VALID_SCANS (MERGE_VALID_AUDIT + 1)
char *merge_sql_valid(int scan, bool numbered);
/* The connection's temp.merge_diff_<table> (merge_build.c's sql_collect). */
bool merge_sql_temp_tables(struct merge_db *m);

/* merge_check.c */
bool merge_set_reason(char **reason, char *msg); /* takes msg; false */
char *merge_one_line(const char *s);
/* What SQLite says of the attached input: schema version and id as of its
 * -wal, exactly our schema objects; its db_uuid (quick_check: merge_qc). */
bool merge_check_source(struct merge_db *m, const char *path,
                        char src_uuid[UUID_STR_LEN], char **reason);
/* imas_valid(table, sig, v...) and the progress handler (the deadline). */
void merge_valid_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* The same check, the message into the char * its user data points to
 * (merge_qc.c's connection). */
void merge_valid_into_fn(sqlite3_context *ctx, int argc,
                         sqlite3_value **argv);
void merge_text_sha256_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void merge_relabel_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
int merge_progress(void *p);
/* A failed statement as the target's failure (err) or, reading the
 * input, a refusal (*reason). */
enum merge_db_status merge_failed(struct merge_db *m, struct error *err);
enum merge_db_status merge_classify(struct merge_db *m, char **reason,
                                    struct error *err);

/* A row the scan found: the input's rowid, the target's row of its key
 * (mrow, NULL: none) and the collect's how and known for it. */
struct merge_found {
    int64_t row, mrow;
    bool has_mrow;
    int how, known;
};

/* merge_prescan.c: the answers' collect shared with merge_qc.c's thread
 * (a schema 9 input). Fields after target under mu. */
struct merge_prescan {
    bool inited;
    char *target; /* the file merged into; NULL: no scan */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool on;       /* the scan runs (and ends with over) */
    bool abandon;  /* the merge collects every row itself */
    bool over;     /* the scan has ended */
    bool has_stop; /* the scan goes no lower than stop + 1 */
    int64_t stop;
    bool claimed;  /* the scan has claimed the rows from low up */
    int64_t low;
    bool scanned;  /* the rows from done up are scanned */
    int64_t done;
    struct merge_found *found; /* ndone of them from done up */
    size_t nfound, cap, ndone;
};
void merge_prescan_init(struct merge_prescan *ps, const char *target);
/* For tests (test_merge_prescan.c), 0 for the defaults: the scan off, its
 * rows per chunk, a pause before each chunk, the most rows found it keeps;
 * and which ways the merge's collect went (PRESCAN_*, or-ed in). */
enum { PRESCAN_MINE = 1, PRESCAN_LEFT = 2, PRESCAN_FOUND = 4 };
struct merge_prescan_test {
    bool off;
    int64_t chunk, pause_us, found_max;
    int seen;
};
extern struct merge_prescan_test merge_prescan_test;
void merge_prescan_clear(struct merge_prescan *ps);
/* the scan, on the thread's connection to the input; then over (also
 * by merge_prescan_end, which the thread calls whatever happened) */
void merge_prescan_run(sqlite3 *db, struct merge_prescan *ps);
void merge_prescan_end(struct merge_prescan *ps);
/* merge_build.c: its SQL (fresh) */
char *merge_sql_prescan(void);
/* The merge at its collect of rows min..max: false when there is no scan
 * (it collects them all). Else *mine: it collects min..*upto first. */
bool merge_prescan_split(struct merge_prescan *ps, int64_t min, int64_t max,
                         int64_t *upto, bool *mine);
/* The merge is past its collect: the scan stops at its next chunk. */
void merge_prescan_abandon(struct merge_prescan *ps);
/* Wait for the scan to end: the rows from *done up are scanned (when
 * *scanned), *found the rows among them the collect takes, with what
 * the scan read of each (in the scan's order). */
void merge_prescan_wait(struct merge_prescan *ps, bool *scanned, int64_t *done,
                        struct merge_found **found, size_t *nfound);

/* merge_qc.c: PRAGMA quick_check of the input's private copy on a
 * connection of its own, in another thread, while the merge runs. */
struct merge_qc {
    struct merge_prescan prescan; /* first, when it has a target */
    pthread_t thread;
    bool running;
    char *copy;
    void (*idle)(void *); /* last, unless stopped: merge_source.hash */
    void *idle_ctx;
    int64_t deadline_ms;
    atomic_bool stop; /* merge_qc_clear: stop early */
    bool timed_out;
    bool numbered; /* schema 9: check the answers' numbers too */
    bool lost;     /* an answer names a record or device the file lacks */
    char *invalid; /* the first bad value of its records, items, answers */
    char *result; /* quick_check's first line; NULL when it failed */
    int rc;       /* then SQLite's error */
    char *errmsg;
};
/* target: the file merged into, for the scan of a numbered input's
 * answers (merge_prescan.c), or NULL; idle(idle_ctx), when not NULL, is
 * run last in the thread's time to spare, unless it was stopped */
void merge_qc_start(struct merge_qc *q, const char *copy, bool numbered,
                    const char *target, int64_t deadline_ms,
                    void (*idle)(void *), void *idle_ctx);
/* Wait for it: true when the file is sound, else *reason says why not. */
bool merge_qc_finish(struct merge_qc *q, char **reason);
/* Stop it if it still runs, and free. */
void merge_qc_clear(struct merge_qc *q);

/* merge_conn.c */
bool merge_exec(struct merge_db *m, const char *sql);
/* "file:///abs/path?query", every byte that could mean something in a
 * URI %-escaped. */
char *merge_file_uri(const char *path, const char *query);
/* ATTACH the input read-only as "src" ("file:...?mode=ro"). */
bool merge_attach(struct merge_db *m, const char *copy);

#endif
