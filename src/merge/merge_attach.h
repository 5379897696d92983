/* merge_attach.h: the input's attachments (files attached to <upload>
 * questions), merged after its rows are checked and before they are
 * merged. Kept apart from the rest of the merge's SQL. */
#ifndef IMAS_MERGE_MERGE_ATTACH_H
#define IMAS_MERGE_MERGE_ATTACH_H

#include <stdbool.h>

struct merge_db;

/* Refuse the input (*reason, false) when any of its attachments has
 * bytes whose SHA-256 is not its key, a wrong size or more than
 * MEDIA_MAX_BYTES; else copy the attachments the target lacks (the same
 * key is the same content, stored once). False without *reason: SQLite
 * failed. */
bool merge_attachments(struct merge_db *m, char **reason);

/* When an answer's value names an attachment with a file name that could
 * leave a directory (a '/', "." or "..", a control character): the
 * refusal's message (fresh), else NULL. imas_valid asks it of every
 * value of answers and answers_versions as it checks their rows. */
char *merge_attach_bad_name(const char *value);

#endif
