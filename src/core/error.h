/* error.h: how the core reports a failure without printing.
 *
 * A function that can fail takes a `struct error *err` (which may be NULL)
 * and returns false or an error status; it fills err with what is wrong and,
 * where there is one, the file and line it concerns. Only main.c and the UI
 * turn an error into a message for the user (error_format). */
#ifndef IMAS_CORE_ERROR_H
#define IMAS_CORE_ERROR_H

#include <stdbool.h>

struct error {
    char *file; /* the file concerned, or NULL */
    long line;  /* 1-based line in file, or 0 */
    char *msg;  /* what is wrong, already translated; NULL when no error */
};

#define ERROR_INIT { NULL, 0, NULL }

/* Set err (if not NULL), replacing what it held. Returns false, so a
 * function can `return error_set(err, ...)`. */
bool error_set(struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool error_set_at(struct error *err, const char *file, long line,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prefix the message with "what: " (keeps file and line). */
void error_prefix(struct error *err, const char *what);
bool error_isset(const struct error *err);
void error_clear(struct error *err);
/* "FILE:LINE: msg", "FILE: msg" or "msg"; a fresh string. */
char *error_format(const struct error *err);
/* The same with the message first and only the file's name after it
 * ("the disk is full (survey.sqlite)"), for a status line that may be
 * clipped: what is wrong must be seen first. Fresh. */
char *error_format_brief(const struct error *err);

#endif
