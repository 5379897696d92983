/* audit.h: who finalized, reopened, resolved or deleted what, when, why.
 *
 * Audit rows are written by the store inside the transaction of the change
 * they describe, so a change is never on disk without its audit entry. */
#ifndef IMAS_STORE_AUDIT_H
#define IMAS_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "store/store.h"

struct store_audit {
    char uuid[UUID_STR_LEN];
    char *record_uuid;
    char *action; /* "finalize", "reopen", "delete", "resolve", "pause",
                   * "resume" */
    char *reason; /* reopen: why; resolve: the field; else "" */
    int64_t at;   /* ms UTC */
    char *device_id;
    char *author;
};

/* The audit entries of one record, oldest first: a fresh array of *n
 * (free with store_audit_list_free). */
bool store_audit_list(struct store *s, const char *record_uuid,
                      struct store_audit **out, size_t *n, struct error *err);
/* The audit entries of every record of one form version (deleted records'
 * too, unless finalized_only: then those of live finalized records), oldest
 * first, as store_audit_list. */
bool store_audit_list_form(struct store *s, const char *form_id, const char *form_version,
                           bool finalized_only, struct store_audit **out, size_t *n,
                           struct error *err);
void store_audit_list_free(struct store_audit **list, size_t n);

/* An event of a record that changes nothing else, such as the capture
 * screen's clock paused ("pause") or started again ("resume"): an audit
 * entry under this store's device and author, in its own transaction. */
bool store_audit_event(struct store *s, const char *record_uuid, const char *action,
                       struct error *err);

/* For the store's own files, inside a write transaction: add one entry
 * for record_uuid under this store's device and author. */
bool audit_add(struct store *s, const char *record_uuid, const char *action,
               const char *reason, struct error *err);

#endif
