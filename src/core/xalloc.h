/* xalloc.h: allocation that never returns NULL.
 *
 * Out of memory is the one error the program does not try to survive:
 * every x* function prints one line and aborts, so callers never check. */
#ifndef IMAS_CORE_XALLOC_H
#define IMAS_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Free *p and set it to NULL. */
void xfree(void *pp);

#endif
