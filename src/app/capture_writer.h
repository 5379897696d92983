/* app/capture_writer.h: saving focus-group notes without making the typist
 * wait. No curses here.
 *
 * A job is one change of a record that must reach the disk whole: a new
 * repeat item with its answers (a note, a participant), new values for an
 * item's answers (a correction), or a tombstone. capture_job_run writes one
 * job as ONE transaction (store_batch_begin/end). The writer runs jobs in
 * order on its own thread with its own connection to the survey file (WAL
 * lets the screen's connection keep reading), so a slow or stalled disk
 * delays the "saved" mark, never the keyboard. */
#ifndef IMAS_APP_CAPTURE_WRITER_H
#define IMAS_APP_CAPTURE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "store/store.h"

enum capture_job_kind {
    CAPTURE_JOB_ADD,    /* store_item_add_uuid(item) + its answers */
    CAPTURE_JOB_SET,    /* new revisions of some answers of item */
    CAPTURE_JOB_DELETE, /* tombstone item */
};

struct capture_answer {
    char *field; /* "/data/note/text" */
    char *value; /* NULL clears */
};

struct capture_job {
    unsigned long id; /* set by the caller, to find the note again */
    enum capture_job_kind kind;
    char record[UUID_STR_LEN];
    char item[UUID_STR_LEN];
    char *repeat_path; /* CAPTURE_JOB_ADD */
    struct capture_answer *answers;
    size_t nanswers;
    /* the result, filled when the job has run */
    bool ok;
    char *error;        /* why it failed (fresh), or NULL */
    int64_t elapsed_us; /* the transaction, begin to durable commit */
};

/* A new job; answers are added with capture_job_answer. */
struct capture_job *capture_job_new(enum capture_job_kind kind, const char *record,
                                    const char *item, const char *repeat_path);
void capture_job_answer(struct capture_job *j, const char *field, const char *value);
void capture_job_free(struct capture_job **j);

/* Write the job in one transaction on s and fill its result (ok, error,
 * elapsed_us). Either everything of the job is on disk or nothing is. */
bool capture_job_run(struct store *s, struct capture_job *j);
/* Between jobs, when none is waiting: a little of the search index's
 * merging (store_search_tidy), and the log copied into the file once it
 * has grown (store_defer_checkpoints), so no note's commit pays for
 * either. A failure here loses nothing: the log keeps it all. */
void capture_job_idle(struct store *s);

struct capture_writer;

/* Open a second connection to the survey file st has open (store_open_peer:
 * same author) and start the writer thread. NULL with err when the file
 * cannot be written or the thread cannot start. */
struct capture_writer *capture_writer_start(const struct store *st, struct error *err);
/* Queue a job (the writer owns it until capture_writer_take returns it).
 * Never waits on the disk. */
void capture_writer_submit(struct capture_writer *w, struct capture_job *j);
/* The next job that has run (in submission order), or NULL; the caller
 * frees it. Never waits on the disk. */
struct capture_job *capture_writer_take(struct capture_writer *w);
/* Jobs submitted and not yet run. */
size_t capture_writer_pending(struct capture_writer *w);
/* Block until every submitted job has run, or until timeout_ms passes
 * (-1: no limit); true when none is left. For leaving the screen. */
bool capture_writer_drain(struct capture_writer *w, int timeout_ms);
/* Run what is queued, stop the thread, close its connection and free the
 * jobs not taken. Harmless on NULL; sets *w to NULL. */
void capture_writer_stop(struct capture_writer **w);

#endif
