/* strbuf.h: a growable, always NUL-terminated byte string. */
#ifndef IMAS_CORE_STRBUF_H
#define IMAS_CORE_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *buf; /* never NULL after strbuf_init */
    size_t len;
    size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* Hand the buffer to the caller (who frees it); sb needs strbuf_init
 * before it is used again (strbuf_free on it is harmless). */
char *strbuf_detach(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

#endif
