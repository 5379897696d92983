/* records.h: records (one filled-in form each) and their state; with
 * store/items.h, their repeat items (roster entries, notes).
 *
 * A record is a draft until finalized; reopening needs a reason, which the
 * audit keeps. A delete is a tombstone: a new revision with deleted = 1,
 * audited. */
#ifndef IMAS_STORE_RECORDS_H
#define IMAS_STORE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "store/items.h"
#include "store/store.h"

struct store_record {
    char uuid[UUID_STR_LEN];
    char *form_id;
    char *form_version;
    char *state; /* "draft" or "finalized" */
    int64_t created_at;
    /* Last edit of the record or any of its answers (ms UTC). */
    int64_t updated_at;
    int64_t revision; /* of the record row (state changes, delete) */
    char *author;     /* of the last change to the record row */
    char *device_id;
};

/* A new draft record of a form already in the file (store_form_put), with
 * a fresh UUID (v7) written to out_uuid. */
bool store_record_create(struct store *s, const char *form_id,
                         const char *form_version, char out_uuid[UUID_STR_LEN],
                         struct error *err);

/* One record into *out (free with store_record_clear); false with err
 * when it does not exist or was deleted. */
bool store_record_get(struct store *s, const char *uuid,
                      struct store_record *out, struct error *err);

/* The same for a record deleted or not (*deleted says which): the
 * conflicts screen names a record deleted on one laptop. */
bool store_record_get_any(struct store *s, const char *uuid,
                          struct store_record *out, bool *deleted,
                          struct error *err);

/* The records not deleted, last edit first, as a fresh array of *n
 * (free with store_record_list_free). */
bool store_record_list(struct store *s, struct store_record **out, size_t *n,
                       struct error *err);
void store_record_clear(struct store_record *r);
/* Each form (id, version) that some record not deleted is made with,
 * once; cb returns false to stop. */
bool store_record_forms(struct store *s,
                        bool (*cb)(void *ctx, const char *form_id, const char *form_version),
                        void *ctx, struct error *err);
void store_record_list_free(struct store_record **list, size_t n);

/* Tombstone a record (its answers stay, hidden with it), audited. */
bool store_record_delete(struct store *s, const char *uuid,
                         struct error *err);

/* Mark a draft finalized, audited. Its answers can no longer be set
 * until it is reopened. */
bool store_record_finalize(struct store *s, const char *uuid,
                           struct error *err);

/* Make a finalized record a draft again. reason must say why (an empty or
 * blank reason is refused); the audit keeps it. */
bool store_record_reopen(struct store *s, const char *uuid,
                         const char *reason, struct error *err);

/* For the store's own files, inside a write transaction: fail with a clear
 * message unless the record exists, is not deleted and is a draft. */
bool records_editable(struct store *s, const char *record_uuid,
                      struct error *err);

#endif
