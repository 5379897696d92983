#include "config.h"

#include "core/utf8.h"

#include "core/strbuf.h"

#include <string.h>
#include <wchar.h>

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return 0;
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    } else if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

/* Eight bytes of ASCII without a NUL among them. */
static bool ascii8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    return (w & highs) == 0 && ((w - ones) & ~w & highs) == 0;
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        /* Most text is ASCII: eight bytes at a time (the merge checks
         * every value of every input). */
        if (i + 8 <= n && ascii8(s + i)) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80 && s[i] != 0) {
            i++;
            continue;
        }
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0)
            return false;
        i += k;
    }
    return true;
}

/* C0, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A to
 * U+202E, U+2066 to U+2069), which reorder what a terminal shows: a value
 * from another file must not make text on screen read otherwise. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int utf8_cp_width(uint32_t cp)
{
    if (is_control(cp))
        return -1;
    int w = wcwidth((wchar_t)cp);
    if (w < 0)
        return 1; /* unassigned: shown as one replacement column */
    return w;
}

size_t utf8_width(const char *s)
{
    size_t n = strlen(s), i = 0, cols = 0;
    uint32_t cp;
    while (i < n) {
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            cols++;
            i++;
            continue;
        }
        int w = utf8_cp_width(cp);
        cols += w < 0 ? 1 : (size_t)w;
        i += k;
    }
    return cols;
}

static int width_at(const char *s, size_t n, size_t i, size_t *len)
{
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k == 0) {
        *len = 1;
        return 1;
    }
    *len = k;
    int w = utf8_cp_width(cp);
    return w < 0 ? 1 : w;
}

size_t utf8_prefix_for_width(const char *s, size_t cols)
{
    size_t n = strlen(s), i = 0, used = 0;
    while (i < n) {
        size_t k;
        int w = width_at(s, n, i, &k);
        if (used + (size_t)w > cols)
            break;
        used += (size_t)w;
        i += k;
        /* keep the combining marks that follow with their base */
        while (i < n) {
            size_t k2;
            if (width_at(s, n, i, &k2) != 0)
                break;
            i += k2;
        }
    }
    return i;
}

size_t utf8_prev(const char *s, size_t at)
{
    if (at == 0)
        return 0;
    size_t i = at - 1;
    size_t back = 0;
    while (i > 0 && back < 3 && ((unsigned char)s[i] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    uint32_t cp;
    if (utf8_decode(s + i, at - i, &cp) == at - i)
        return i;
    return at - 1; /* invalid byte: step over it alone */
}

size_t utf8_next(const char *s, size_t len, size_t at, bool cluster)
{
    if (at >= len)
        return len;
    size_t k;
    width_at(s, len, at, &k);
    at += k;
    while (cluster && at < len) {
        size_t k2;
        if (width_at(s, len, at, &k2) != 0)
            break;
        at += k2;
    }
    return at;
}

char *utf8_sanitize(const char *s, bool keep_newlines)
{
    static const char repl[] = "\xEF\xBF\xBD";
    struct strbuf sb;
    strbuf_init(&sb);
    size_t n = strlen(s), i = 0;
    uint32_t cp;
    while (i < n) {
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            strbuf_adds(&sb, repl);
            i++;
            continue;
        }
        if (is_control(cp) && !(keep_newlines && (cp == '\n' || cp == '\t')))
            strbuf_adds(&sb, repl);
        else
            strbuf_add(&sb, s + i, k);
        i += k;
    }
    return strbuf_detach(&sb);
}
