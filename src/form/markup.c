/* markup.c: the markdown and HTML that ODK labels may hold, reduced to the
 * plain text a terminal shows, by the rules ODK Collect renders them with
 * (its markdownToHtml, then Android's Html.fromHtml). */
#include "config.h"

#include "form/markup.h"

#include "core/strbuf.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bytes an escaped \* \_ \# \\ stands as until the end, so that no rule
 * takes it for markup; control bytes a label never holds (markup_plain()
 * drops them from its input first). */
enum { ESC_STAR = 0x02, ESC_UNDER, ESC_HASH, ESC_BACKSLASH };

static char *unescape_protect(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\n' && c != '\t' && c != MARKUP_SLOT)
            continue;
        if (c == '\\' && p[1] && strchr("*_#\\", p[1])) {
            p++;
            strbuf_addc(&sb, *p == '*' ? ESC_STAR : *p == '_' ? ESC_UNDER
                             : *p == '#' ? ESC_HASH : ESC_BACKSLASH);
            continue;
        }
        strbuf_addc(&sb, (char)c);
    }
    return strbuf_detach(&sb);
}

/* __x__ and **x** (x may be empty and span lines): x. */
static char *strong(const char *s, const char *mark)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *p = s;
    for (;;) {
        const char *open = strstr(p, mark);
        const char *close = open ? strstr(open + 2, mark) : NULL;
        if (!close)
            break;
        strbuf_add(&sb, p, (size_t)(open - p));
        strbuf_add(&sb, open + 2, (size_t)(close - open - 2));
        p = close + 2;
    }
    strbuf_adds(&sb, p);
    return strbuf_detach(&sb);
}

/* _x_ and *x*: x starts with other than white space, and holds neither the
 * mark nor a line break. */
static char *emphasis(const char *s, char mark)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *p = s;
    while (*p) {
        if (*p == mark && p[1] && !isspace((unsigned char)p[1]) && p[1] != mark) {
            size_t n = strcspn(p + 1, (char[]){mark, '\n', '\0'});
            if (p[1 + n] == mark) {
                strbuf_add(&sb, p + 1, n);
                p += n + 2;
                continue;
            }
        }
        strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb);
}

/* [text](url): the text, and the url after it in brackets when it says more. */
static char *links(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *p = s;
    while (*p) {
        if (*p == '[') {
            size_t t = strcspn(p + 1, "]");
            const char *paren = p + 1 + t;
            if (*paren == ']' && paren[1] == '(') {
                size_t u = strcspn(paren + 2, ")");
                if (u && paren[2 + u] == ')') {
                    strbuf_add(&sb, p + 1, t);
                    if (t != u || strncmp(p + 1, paren + 2, u) != 0) {
                        strbuf_adds(&sb, t ? " (" : "");
                        for (size_t i = 0; i < u; i++) /* no emphasis in a url */
                            strbuf_addc(&sb, paren[2 + i] == '_' ? ESC_UNDER
                                             : paren[2 + i] == '*' ? ESC_STAR : paren[2 + i]);
                        strbuf_adds(&sb, t ? ")" : "");
                    }
                    p = paren + 3 + u;
                    continue;
                }
            }
        }
        strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb);
}

/* "# Heading" at the start of a line: the heading. */
static char *headings(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    bool line_start = true;
    for (const char *p = s; *p;) {
        if (line_start && *p == '#') {
            p += strspn(p, "#");
            p += strspn(p, " \t");
            line_start = false;
            continue;
        }
        line_start = *p == '\n';
        strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb);
}

static bool tag_is(const char *tag, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n > k && strncasecmp(tag + 1, name, k) == 0 &&
           (tag[1 + k] == '>' || tag[1 + k] == '/' || isspace((unsigned char)tag[1 + k]));
}

/* <tag ...> and </tag> go, <br> is a line break; a < that starts no tag
 * ("2 < 3", "<5 years") stays. */
static char *tags(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s; *p;) {
        const char *name = p[1] == '/' ? p + 2 : p + 1;
        if (*p == '<' && isalpha((unsigned char)*name)) {
            const char *end = strchr(p, '>');
            if (end) {
                if (tag_is(p, (size_t)(end - p + 1), "br"))
                    strbuf_addc(&sb, '\n');
                p = end + 1;
                continue;
            }
        }
        strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb);
}

/* White space as HTML shows it, line breaks kept: a run of spaces and
 * tabs is one space, none at the start or end of a line (a label's text
 * indented in the XML, "Value: \n\t\t<output/>", shows unindented). */
static char *spaces(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    bool line_start = true, pending = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t') {
            pending = !line_start;
            continue;
        }
        if (*p != '\n' && pending)
            strbuf_addc(&sb, ' ');
        pending = false;
        line_start = *p == '\n';
        strbuf_addc(&sb, *p);
    }
    return strbuf_detach(&sb);
}

static void add_utf8(struct strbuf *sb, unsigned long c)
{
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (c < 0x20 && c != '\n' && c != '\t'))
        return;
    if (c < 0x80) {
        strbuf_addc(sb, (char)c);
    } else if (c < 0x800) {
        strbuf_addc(sb, (char)(0xC0 | (c >> 6)));
        strbuf_addc(sb, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        strbuf_addc(sb, (char)(0xE0 | (c >> 12)));
        strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3F)));
        strbuf_addc(sb, (char)(0x80 | (c & 0x3F)));
    } else {
        strbuf_addc(sb, (char)(0xF0 | (c >> 18)));
        strbuf_addc(sb, (char)(0x80 | ((c >> 12) & 0x3F)));
        strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3F)));
        strbuf_addc(sb, (char)(0x80 | (c & 0x3F)));
    }
}

/* &lt; &gt; &amp; &quot; &apos; &#39; &nbsp; &#NN; &#xHH;, and the escaped
 * marks put back. */
static char *entities(const char *s)
{
    static const struct { const char *name, *text; } named[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", "\""},
        {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"},
    };
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c >= ESC_STAR && c <= ESC_BACKSLASH) {
            strbuf_addc(&sb, "*_#\\"[c - ESC_STAR]);
            p++;
            continue;
        }
        if (c == '&') {
            bool done = false;
            for (size_t i = 0; i < sizeof named / sizeof *named && !done; i++) {
                size_t n = strlen(named[i].name);
                if (strncmp(p, named[i].name, n) == 0) {
                    strbuf_adds(&sb, named[i].text);
                    p += n;
                    done = true;
                }
            }
            if (!done && p[1] == '#') {
                bool hex = p[2] == 'x' || p[2] == 'X';
                const char *digits = p + (hex ? 3 : 2);
                char *end;
                unsigned long v = strtoul(digits, &end, hex ? 16 : 10);
                if (end != digits && *end == ';' && isxdigit((unsigned char)*digits)) {
                    add_utf8(&sb, v);
                    p = end + 1;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb);
}

static char *strong_under(const char *s) { return strong(s, "__"); }
static char *strong_star(const char *s) { return strong(s, "**"); }
static char *em_under(const char *s) { return emphasis(s, '_'); }
static char *em_star(const char *s) { return emphasis(s, '*'); }

char *markup_plain(const char *s)
{
    /* tags first, so that no mark pairs with one inside a tag */
    char *(*const steps[])(const char *) = {tags, spaces, headings, links, strong_under,
                                            strong_star, em_under, em_star, entities};
    char *t = unescape_protect(s ? s : "");
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char *u = steps[i](t);
        free(t);
        t = u;
    }
    return t;
}
