/* merge_attach.h: the input's attachments (files attached to <upload>
 * questions), merged after its rows are checked and before they are
 * merged. Kept apart from the rest of the merge's SQL. */
#ifndef IMAS_MERGE_MERGE_ATTACH_H
#define IMAS_MERGE_MERGE_ATTACH_H

#include <stdbool.h>

struct merge_db;

/* Refuse the input (*reason, false) when any of its attachments has
 * bytes whose SHA-256 is not its key, a wrong size or more than
 * MEDIA_MAX_BYTES, or when an answer names an attachment with a file name
 * that could leave a directory (a '/', "." or "..", a control
 * character); else copy the attachments the target lacks (the same key is
 * the same content, stored once). False without *reason: SQLite failed. */
bool merge_attachments(struct merge_db *m, char **reason);

#endif
