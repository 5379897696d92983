/* export.h: a survey file exported for analysis (SPEC 7, imas-survey
 * --export DIR).
 *
 * For every form version that live records use, a directory
 * DIR/<form_id>-<version>/ with:
 *   wide.csv           one row per record: record_uuid, state, created_at,
 *                      then every top-level field in form order
 *   repeat-<name>.csv  one row per repeat instance: record_uuid,
 *                      parent_uuid (the enclosing instance, or the record),
 *                      item_uuid, then the repeat's fields
 *   long.csv           one row per answer: record_uuid, item_uuid, field,
 *                      value, revision, updated_at, device_id, author
 *   codebook.csv       every field: type, label per language, choices
 *   audit.csv          finalize, reopen (why), delete, resolve (which
 *                      field), pause and resume of its records: who, when,
 *                      on which laptop (export/audit.h)
 * and for a form with an imas-log repeat (a focus group):
 *   participants.csv   the roster of every session, labels and notes count
 *   transcripts/NAME.txt one per session: "[hh:mm:ss] CODE (role): text"
 * With EXPORT_JSON the same data as .json files (transcripts stay text).
 * Deleted records, deleted repeat instances and cleared answers are never
 * exported. Files are written under temporary names and renamed when all
 * are complete. The file is only read, in one snapshot. */
#ifndef IMAS_EXPORT_EXPORT_H
#define IMAS_EXPORT_EXPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

enum export_format { EXPORT_CSV, EXPORT_JSON };

struct export_options {
    enum export_format format;
    bool finalized_only; /* drafts left out */
    bool bom;            /* UTF-8 byte order mark on CSV and text files */
    bool raw;            /* no ' before formula-like CSV cells */
    volatile sig_atomic_t *stop; /* when set (by a signal), give up cleanly */
};

/* What an export wrote, and what it could not do. */
struct export_summary {
    size_t forms;    /* form versions exported */
    int64_t records; /* records exported */
    int64_t answers; /* rows of the long tables */
    size_t files;    /* files written */
    char **dirs;     /* the forms' directories, n = forms */
    char **problems; /* one message per form that was not fully exported */
    size_t nproblems;
};

/* Export every form of store s into dir (made when missing; its parent
 * must exist). False with err when nothing could be written; true with
 * sum->problems when a form's definition is missing or cannot be loaded
 * (its long table is still written). Free sum with export_summary_clear. */
bool export_run(struct store *s, const char *dir,
                const struct export_options *o, struct export_summary *sum,
                struct error *err);
void export_summary_clear(struct export_summary *sum);

#endif
