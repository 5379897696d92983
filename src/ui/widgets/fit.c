#include "config.h"

#include "ui/widgets/fit.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/widgets/textedit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *fit_clip(const char *s, size_t width)
{
    if (!s)
        s = "";
    size_t bytes = utf8_prefix_for_width(s, width);
    if (!s[bytes + strspn(s + bytes, " ")])
        return xstrndup(s, bytes);
    if (width < 2) /* no room for a letter and the mark: the mark alone */
        return xstrdup(width ? "\u2026" : "");
    bytes = utf8_prefix_for_width(s, width - 1);
    /* "Word …" would read as a whole word: the mark follows the last letter */
    while (bytes > 0 && s[bytes - 1] == ' ')
        bytes--;
    return xasprintf("%.*s\u2026", (int)bytes, s);
}

size_t fit_rows(const char *s, size_t width)
{
    struct textedit t;
    textedit_init(&t, s ? s : "", true);
    struct textedit_line *lines = NULL;
    size_t n = textedit_wrap(&t, width, &lines);
    free(lines);
    textedit_free(&t);
    return n ? n : 1;
}

/* Columns of the character cluster at p[i], and where the next starts. */
static size_t cluster_width(const char *p, size_t len, size_t i, size_t *next)
{
    size_t nx = utf8_next(p, len, i, true);
    if (nx <= i)
        nx = i + 1;
    size_t w = 0;
    for (size_t k = i; k < nx;) {
        uint32_t cp;
        size_t n = utf8_decode(p + k, nx - k, &cp);
        int cw = n ? utf8_cp_width(cp) : 1;
        w += cw < 0 ? 1 : (size_t)cw;
        k += n ? n : 1;
    }
    *next = nx;
    return w;
}

/* The bytes of p that go on a line of width columns: all of it when it
 * fits, else up to the last space or word hyphen, else (a word wider
 * than the line) as much of the word as fits. */
static size_t line_end(const char *p, size_t width)
{
    size_t len = strlen(p), i = 0, cols = 0, brk = 0, next;
    while (i < len) {
        size_t w = cluster_width(p, len, i, &next);
        if (cols + w > width)
            break;
        cols += w;
        i = next;
        if (p[i - 1] == ' ' || (p[i - 1] == '-' && i >= 2 && p[i - 2] != ' '))
            brk = i;
    }
    if (i == len || p[i] == ' ' || !brk)
        return i;
    return brk;
}

static char *trimmed(const char *p, size_t end, const char *tail)
{
    while (end > 0 && p[end - 1] == ' ')
        end--;
    return xasprintf("%.*s%s", (int)end, p, tail);
}

size_t fit_words(const char *s, size_t width, size_t rows, char **out)
{
    const char *p = s ? s : "";
    size_t n = 0;
    do {
        p += strspn(p, " ");
        size_t end = line_end(p, width);
        const char *rest = p + end + strspn(p + end, " ");
        if (*rest && n + 1 >= rows) { /* the last row: what fits, then "…" */
            out[n++] = width ? trimmed(p, line_end(p, width - 1), "\u2026") : xstrdup("");
            break;
        }
        out[n++] = trimmed(p, end, "");
        p = rest;
    } while (*p && n < rows);
    return n;
}

void fit_columns(size_t cols, const size_t *want, const size_t *least, size_t n, size_t flex,
                 size_t *out)
{
    size_t others = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = want[i];
        if (i != flex)
            others += want[i];
    }
    /* take one column at a time from the widest that can still give one */
    while (others + want[flex] > cols) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (i != flex && out[i] > least[i] && (best == n || out[i] > out[best]))
                best = i;
        if (best == n)
            break;
        out[best]--;
        others--;
    }
    out[flex] = cols > others && cols - others > least[flex] ? cols - others : least[flex];
}
