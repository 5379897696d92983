/* app/attach.h: an <upload> question's answer: attaching a file from a
 * path the user typed, removing it, and what the question shows. No
 * curses; the questionnaire screen calls these.
 *
 * The file is read once, checked (a regular file, at most MEDIA_MAX_BYTES,
 * of the kind the question's mediatype asks for), stored in the survey
 * file under its SHA-256 and named by the answer, all in one committed
 * transaction. A file that is refused changes nothing. */
#ifndef IMAS_APP_ATTACH_H
#define IMAS_APP_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "app/session.h"

/* Attach the file at path ("~/" is the home directory) as the answer of
 * upload question (n, item), replacing the file it had. On refusal *msg
 * (fresh) says why: missing, unreadable, a directory, too large, not of
 * the kind asked for, or the form or the file refused the answer. */
enum session_set_result session_attach(struct session *s, const struct form_node *n,
                                       const char *item, const char *path, char **msg);
/* Clear the question's answer (the file's content stays in the history). */
enum session_set_result session_detach(struct session *s, const struct form_node *n,
                                       const char *item, char **msg);

/* What an upload question's answer shows. */
struct session_attachment {
    bool attached; /* the answer names a file */
    bool stored;   /* and its content is in the survey file */
    char *name;    /* the file's original name (fresh), or NULL */
    int64_t size;
    const char *type; /* MIME type from content and name (static), or NULL */
};

/* The attachment of (n, item); false only when the file cannot be read
 * (then *out says nothing is attached). Free with
 * session_attachment_clear. */
bool session_attachment(struct session *s, const struct form_node *n, const char *item,
                        struct session_attachment *out);
void session_attachment_clear(struct session_attachment *a);

#endif
