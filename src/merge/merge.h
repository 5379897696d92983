/* merge.h: combine survey files (imas-survey --merge, SPEC 6).
 *
 * Each input is checked with plain system calls first (kind of file, the
 * target itself, header, application id, schema version, hot journal),
 * then read from a private copy through a hardened read-only ATTACH
 * (exact schema, quick_check, types, UTF-8, lengths), and merged in one
 * transaction of its own. For every row the winner is the highest
 * (revision, updated_at, device_id, value); the loser is kept in
 * <table>_versions; an answer with two heads in its history that hold
 * different values is a conflict (store/conflicts.h). The result is the same whatever the
 * order or grouping of the inputs, and merging a file again changes no
 * data. The merge never prints: results and err say what happened. */
#ifndef IMAS_MERGE_MERGE_H
#define IMAS_MERGE_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* What one input changed (or, for a dry run, would change). */
struct merge_counts {
    int64_t records_new;     /* records the target did not have */
    int64_t records_updated; /* records whose newer row replaced the target's */
    int64_t items_new;       /* repeat items the target did not have */
    int64_t answers_new;     /* answers the target did not have */
    int64_t answers_updated; /* answers whose newer value replaced the target's */
    int64_t versions_kept;   /* rows added to the *_versions tables */
    int64_t conflicts;       /* answers the input touched that are in conflict
                              * (the file's total: merge_run_counted) */
};

/* Where one input's time went (bench/merge-bench prints it): the checks
 * and private copy before SQLite, SQLite's own checks of the input
 * (quick_check, schema; and waiting for the checking thread, which also
 * works out the input's SHA-256), the rows of every table, the search
 * index, the conflict count, and the commit. */
enum merge_step {
    MERGE_STEP_COPY,
    MERGE_STEP_CHECK,
    MERGE_STEP_DATA,
    MERGE_STEP_INDEX,
    MERGE_STEP_CONFLICTS,
    MERGE_STEP_COMMIT,
    MERGE_STEP_COUNT
};
extern const char *const merge_step_names[MERGE_STEP_COUNT];

struct merge_input_result {
    const char *path; /* the input as given (not copied) */
    bool refused;
    char *reason; /* when refused: one line, without the path; else NULL */
    struct merge_counts counts;
    double step_ms[MERGE_STEP_COUNT]; /* wall time of each step */
};

/* Merge inputs[0..ninputs-1] into target, one by one, each in its own
 * transaction; results[i] (ninputs entries, filled by this call) says what
 * happened to inputs[i]. A refused input leaves the target byte for byte
 * as it was and does not stop the others. A missing target is created
 * when the first input is accepted (never by a refusal). dry_run merges
 * into a private copy of the target instead, so the counts are exactly
 * those of the real run and nothing is changed.
 *
 * Returns false with err set only when the target cannot be opened or
 * written (then the inputs not yet merged are marked refused with that
 * reason). Free each result with merge_input_result_clear. */
bool merge_run(const char *target, const char *const *inputs, size_t ninputs,
               bool dry_run, struct merge_input_result *results,
               struct error *err);

/* As merge_run; then *file_conflicts is the number of conflicts in the
 * file merged into (for a dry run, in its merged copy), counted by
 * store_conflict_count, the one count --check, home and the conflicts
 * screen show; 0 when there is no file. The per-input counts.conflicts
 * only count answers that input touched, so their sum can differ. */
bool merge_run_counted(const char *target, const char *const *inputs,
                       size_t ninputs, bool dry_run,
                       struct merge_input_result *results,
                       int64_t *file_conflicts, struct error *err);

void merge_input_result_clear(struct merge_input_result *r);

#endif
