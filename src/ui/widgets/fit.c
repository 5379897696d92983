#include "config.h"

#include "ui/widgets/fit.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/widgets/textedit.h"

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
