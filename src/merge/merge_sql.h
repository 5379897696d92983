/* merge_sql.h: the SQL of the merge, on one hardened connection to the
 * file merged into. Five files hold it (merge_int.h says which does what):
 * merge_build.c builds the statements, merge_sql.c runs the merge of one
 * input, merge_check.c checks the input, merge_qc.c runs its quick_check
 * (on a read-only connection of its own, in a second thread, while the
 * merge runs), merge_conn.c manages the connection; no other file of
 * src/merge has SQL in it.
 *
 * An input is ATTACHed read-only ("file:...?mode=ro", never immutable, so
 * its -wal is read) and checked inside the transaction that merges it, so
 * the checks and the merge see one snapshot: its application_id and
 * user_version as SQLite sees them, its schema objects exactly ours, its
 * quick_check ok (the private copy never changes, so the second
 * connection sees the same file; the merge commits only after it said
 * "ok"), every value of the type its column wants, text valid
 * UTF-8 without NUL bytes and no longer than 16 MB (checked by an SQL
 * function while the rows are read, so nothing is read twice). A failed
 * check rolls the whole transaction back. */
#ifndef IMAS_MERGE_MERGE_SQL_H
#define IMAS_MERGE_MERGE_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "merge/merge.h"

struct merge_db;

struct merge_source {
    const char *path; /* as the user named it, for merge_log */
    const char *copy; /* the file to attach */
    /* The SHA-256 of the input file, asked for when the merge is done
     * (so it can be computed meanwhile); NULL when it could not be. */
    const char *(*sha256)(void *ctx);
    /* Work that SHA-256 out now (or NULL): the checking thread beside the
     * merge does, once its checks are done, before sha256 is asked. */
    void (*hash)(void *ctx);
    void *ctx;
    int64_t deadline_ms; /* CLOCK_MONOTONIC; SQLite is interrupted after */
    double *step_ms;     /* MERGE_STEP_COUNT: where the time went, or NULL */
};

enum merge_db_status {
    MERGE_DB_OK,      /* merged and committed */
    MERGE_DB_REFUSED, /* the input is refused (*reason); nothing changed */
    MERGE_DB_FAILED,  /* the target failed (err); nothing changed */
};

/* Who merges: written into merge_log and the devices table. */
struct merge_writer {
    const char *author;
    const char *device_id; /* this laptop's (core/device.h) */
    const char *device_name;
};

/* Open the survey file at path (already checked and brought to our schema
 * by store_open) for merging into it. durable: synchronous=FULL (else OFF,
 * for a private scratch copy). */
struct merge_db *merge_db_open(const char *path, bool durable,
                               const struct merge_writer *who,
                               struct error *err);
/* The name the target's errors give (a dry run's private copy names the
 * user's target). */
void merge_db_set_name(struct merge_db *m, const char *name);

/* The columns the merge copies of a versioned table ("records", "items",
 * "answers" and their "_versions"), in table order, NULL-terminated; NULL
 * for another table. Written out by hand beside their types and the
 * winner rule, so a unit test holds them to the schema (PRAGMA
 * table_info of a new file). */
const char *const *merge_sql_columns(const char *table);

/* Merge one input in one transaction; *counts says what changed. */
enum merge_db_status merge_db_input(struct merge_db *m,
                                    const struct merge_source *src,
                                    struct merge_counts *counts,
                                    char **reason, struct error *err);

/* Copy the log into the file (PASSIVE: it never waits; what a reader
 * still needs stays in the log), as merge_db_close does first. */
void merge_db_checkpoint(struct merge_db *m);

/* Close (the last close checkpoints the log into the file) and free *m.
 * False with err when SQLite could not close cleanly. */
bool merge_db_close(struct merge_db **m, struct error *err);

#endif
