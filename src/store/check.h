/* check.h: the integrity report of a survey file (imas-survey --check). */
#ifndef IMAS_STORE_CHECK_H
#define IMAS_STORE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"

/* One row of merge_log: an input merged into the file. */
struct store_merge_entry {
    char *source_path, *source_sha256, *source_db_uuid, *author;
    int64_t merged_at; /* ms UTC */
    int64_t records_new, records_updated, items_new, answers_new,
        answers_updated, versions_kept, conflicts;
};

/* A laptop that wrote into the file (the devices table). */
struct store_device {
    char *id, *name;
};

struct store_check_report {
    char *quick_check; /* "ok", or SQLite's list of problems */
    char *schema_problem; /* NULL, or what differs from our schema */
    int schema_version;
    char db_uuid[UUID_STR_LEN];
    char device_id[UUID_STR_LEN]; /* this laptop's (core/device.h) */
    char *device_name;
    struct store_device *devices; /* by name, then id */
    size_t ndevices;
    int64_t records;  /* all rows: drafts + finalized + deleted */
    int64_t drafts;   /* not deleted */
    int64_t finalized; /* not deleted */
    int64_t deleted_records;
    int64_t answers; /* current, not cleared */
    /* schema 9: answer rows naming a record or device the file does not
     * hold (damaged; the view answers does not show them) */
    int64_t lost_answers;
    int64_t items;   /* not deleted */
    int64_t forms, audit, merges;
    bool readonly_newer; /* written by a newer version: counts may be 0 */
    bool older; /* an older schema, upgraded when next opened for writing;
                 * version 1: no devices, conflicts not counted */
    int64_t conflicts;   /* answers in conflict (store/conflicts.h) */
    int64_t attachments; /* files attached to <upload> questions */
    char **bad_attachments; /* "HEX: what is wrong", one per damaged one */
    size_t nbad_attachments;
    struct store_merge_entry *merge_log; /* oldest first */
    size_t nmerge_log;
};

/* Open path read-only (never writing to it; refusals as store_open), run
 * PRAGMA quick_check, compare the schema with ours and count what the file
 * holds. False with err only when the file cannot be opened or read; a
 * damaged file gives true with quick_check (or schema_problem) saying so.
 * Free the report with store_check_report_clear. */
bool store_check(const char *path, struct store_check_report *r,
                 struct error *err);
void store_check_report_clear(struct store_check_report *r);

#endif
