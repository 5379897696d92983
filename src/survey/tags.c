#include "config.h"

#include "survey/tags.h"

#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* Part of a tag: a letter or digit of any script, a combining mark, '_' or '-'. */
static bool tag_char(uint32_t cp)
{
    if (cp == '_' || cp == '-')
        return true;
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return iswalnum((wint_t)cp) || (cp >= 0x300 && utf8_cp_width(cp) == 0);
}

static bool tag_start(uint32_t cp)
{
    return cp != '_' && cp != '-' && tag_char(cp) && !(cp >= 0x300 && utf8_cp_width(cp) == 0);
}

/* s[0, n) lower-cased code point by code point, appended to out. */
static void add_lower(struct strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k) {
            strbuf_add(out, s + i, 1);
            i++;
            continue;
        }
        char enc[4];
        size_t m = utf8_encode((uint32_t)towlower((wint_t)cp), enc);
        if (m)
            strbuf_add(out, enc, m);
        else
            strbuf_add(out, s + i, k);
        i += k;
    }
}

/* Whether the space-separated list holds word t. */
static bool list_has(const char *list, const char *t)
{
    size_t len = strlen(t);
    for (const char *p = list; *p;) {
        size_t w = strcspn(p, " ");
        if (w == len && memcmp(p, t, len) == 0)
            return true;
        p += w + (p[w] == ' ');
    }
    return false;
}

/* Append the tag text[from, to) lower-cased to sb unless it is there. */
static void tag_add(struct strbuf *sb, const char *text, size_t from, size_t to)
{
    struct strbuf tag;
    strbuf_init(&tag);
    add_lower(&tag, text + from, to - from);
    const char *t = tag.buf ? tag.buf : "";
    if (!list_has(sb->buf ? sb->buf : "", t)) {
        if (sb->len)
            strbuf_addc(sb, ' ');
        strbuf_adds(sb, t);
    }
    strbuf_free(&tag);
}

char *survey_tags_of(const char *text)
{
    struct strbuf sb;
    strbuf_init(&sb);
    size_t len = strlen(text);
    bool after_word = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(text + i, len - i, &cp);
        if (!n) {
            i++;
            after_word = false;
            continue;
        }
        if (cp == '#' && !after_word) {
            size_t j = i + 1, end = j;
            uint32_t c2;
            size_t m = utf8_decode(text + j, len - j, &c2);
            if (m && tag_start(c2)) {
                while (j < len && (m = utf8_decode(text + j, len - j, &c2)) && tag_char(c2)) {
                    j += m;
                    if (c2 != '-')
                        end = j; /* a tag does not end in '-' */
                }
                tag_add(&sb, text, i + 1, end);
                i = j;
                after_word = true;
                continue;
            }
        }
        after_word = tag_char(cp);
        i += n;
    }
    char *out = strbuf_detach(&sb);
    return out ? out : xstrdup("");
}

bool survey_text_has_tag(const char *text, const char *tag)
{
    if (*tag == '#')
        tag++;
    if (!*tag)
        return true; /* nothing to show */
    struct strbuf want;
    strbuf_init(&want);
    add_lower(&want, tag, strlen(tag));
    char *have = survey_tags_of(text ? text : "");
    bool has = list_has(have, want.buf ? want.buf : "");
    free(have);
    strbuf_free(&want);
    return has;
}
