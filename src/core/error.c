#include "config.h"

#include "core/error.h"

#include <string.h>

#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return xstrdup(fmt);
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

bool error_set(struct error *err, const char *fmt, ...)
{
    if (!err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    free(err->msg);
    err->msg = msg;
    return false;
}

bool error_set_at(struct error *err, const char *file, long line,
                  const char *fmt, ...)
{
    if (!err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    free(err->msg);
    free(err->file);
    err->msg = msg;
    err->file = file ? xstrdup(file) : NULL;
    err->line = line;
    return false;
}

void error_prefix(struct error *err, const char *what)
{
    if (!err || !err->msg)
        return;
    char *msg = xasprintf("%s: %s", what, err->msg);
    free(err->msg);
    err->msg = msg;
}

bool error_isset(const struct error *err)
{
    return err && err->msg;
}

void error_clear(struct error *err)
{
    if (!err)
        return;
    xfree(&err->msg);
    xfree(&err->file);
    err->line = 0;
}

char *error_format(const struct error *err)
{
    const char *msg = err && err->msg ? err->msg : "unknown error";
    char *raw;
    if (err && err->file && err->line > 0)
        raw = xasprintf("%s:%ld: %s", err->file, err->line, msg);
    else if (err && err->file)
        raw = xasprintf("%s: %s", err->file, msg);
    else
        raw = xstrdup(msg);
    /* A message may quote a file's name or text (an XPath expression, a
     * label): it goes to a terminal, so never raw. */
    char *safe = utf8_sanitize(raw, true);
    free(raw);
    return safe;
}

char *error_format_brief(const struct error *err)
{
    const char *msg = err && err->msg ? err->msg : "unknown error";
    if (!err || !err->file)
        return xstrdup(msg);
    const char *base = strrchr(err->file, '/');
    base = base && base[1] ? base + 1 : err->file;
    char *raw = err->line > 0 ? xasprintf("%s (%s:%ld)", msg, base, err->line)
                              : xasprintf("%s (%s)", msg, base);
    char *safe = utf8_sanitize(raw, true);
    free(raw);
    return safe;
}
