/* audit.h: a form version's audit table for analysis (audit.csv or
 * audit.json beside wide.csv): every finalize, reopen (with its reason),
 * delete, conflict resolution (with the field) and capture clock pause or
 * restart of its records, deleted records too: who, when and on which
 * laptop (device id). One row per entry, oldest first:
 *
 *   record_uuid, at, action, reason, field, device_id, author, audit_uuid */
#ifndef IMAS_EXPORT_AUDIT_H
#define IMAS_EXPORT_AUDIT_H

#include "export/tables.h"

bool export_audit(struct export_ctx *x, struct error *err);

#endif
