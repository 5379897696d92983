/* scan.h: reading a whole survey file in order, for export and the report.
 *
 * A cursor streams rows from one query, so a file of any size is read in
 * flat memory; several cursors may be open at once. Only what a user sees
 * is returned: deleted records, deleted repeat items (and everything
 * nested in them), items the file does not hold and cleared answers are
 * never seen. Records come in record_uuid order (UUID v7: creation time),
 * repeat items in the store's order (created_at, device_id, item_uuid)
 * within their record, answers by field. Wrap a series of scans in
 * store_read_begin/store_read_end so that they see one snapshot even while
 * another program writes to the file. */
#ifndef IMAS_STORE_SCAN_H
#define IMAS_STORE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* Which records a scan reads. */
struct store_scan_filter {
    const char *form_id;      /* required */
    const char *form_version; /* required ("" for a form without one) */
    bool finalized_only;      /* drafts left out */
    const char *record_uuid;  /* one record, or NULL for all */
};

/* One row of a cursor. The pointers stay valid until the next
 * store_cursor_next or store_cursor_free. field is NULL on a record or item
 * row that has no answer (so a record without answers is still seen);
 * value is then NULL too. */
struct store_row {
    const char *record_uuid;
    const char *state; /* "draft" or "finalized" */
    int64_t created_at;
    const char *parent_uuid; /* items: the enclosing item, "" at top level */
    const char *item_uuid;   /* "" for top-level answers */
    const char *field;
    const char *value; /* not NUL-safe: value_len bytes */
    size_t value_len;
    int64_t revision, updated_at; /* of the answer */
    const char *device_id, *author;
    int64_t count; /* store_scan_value_counts only */
};

struct store_cursor;

/* Every record of the filter with its top-level answers: one row per
 * answer, or one row with field NULL for a record without answers. */
bool store_scan_records(struct store *s, const struct store_scan_filter *f,
                        struct store_cursor **out, struct error *err);

/* Every live instance of the repeat at repeat_path with its answers (one
 * row per answer, or one with field NULL). */
bool store_scan_items(struct store *s, const struct store_scan_filter *f,
                      const char *repeat_path, struct store_cursor **out,
                      struct error *err);

/* Every live answer of the filter's records, top level and in items,
 * ordered (record_uuid, item_uuid, field): the long table. A record
 * without answers gives one row with field NULL, so that the wide table
 * can be written from the same pass (its answers come first: item ""). */
bool store_scan_answers(struct store *s, const struct store_scan_filter *f,
                        struct store_cursor **out, struct error *err);

/* How many live items of repeat_path answer field with each value, per
 * record: rows of record_uuid, value, count. */
bool store_scan_value_counts(struct store *s,
                             const struct store_scan_filter *f,
                             const char *repeat_path, const char *field,
                             struct store_cursor **out, struct error *err);

/* The next row into *row: 1, or 0 at the end, or -1 with err set. */
int store_cursor_next(struct store_cursor *c, struct store_row *row,
                      struct error *err);
void store_cursor_free(struct store_cursor **c);

/* A form version that live records use, with their number. */
struct store_form_use {
    char *form_id;
    char *form_version;
    int64_t records;
};

/* The forms of the live records (finalized ones only when asked), by
 * form_id and version: a fresh array of *n (free with
 * store_form_uses_free). */
bool store_scan_forms(struct store *s, bool finalized_only,
                      struct store_form_use **out, size_t *n,
                      struct error *err);
void store_form_uses_free(struct store_form_use **list, size_t n);

/* One read transaction around several scans (a consistent snapshot). */
bool store_read_begin(struct store *s, struct error *err);
void store_read_end(struct store *s);

#endif
