#include "config.h"

#include "ui/widgets/textedit.h"

#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void reserve(struct textedit *t, size_t extra)
{
    if (t->len + extra + 1 <= t->cap)
        return;
    while (t->len + extra + 1 > t->cap)
        t->cap = t->cap ? t->cap * 2 : 64;
    t->text = xrealloc(t->text, t->cap);
}

void textedit_init(struct textedit *t, const char *initial, bool multiline)
{
    memset(t, 0, sizeof *t);
    t->multiline = multiline;
    reserve(t, 0);
    t->text[0] = '\0';
    if (initial)
        textedit_insert_text(t, initial);
}

void textedit_free(struct textedit *t)
{
    xfree(&t->text);
    t->len = t->cap = t->cursor = 0;
}

void textedit_set(struct textedit *t, const char *text)
{
    t->len = 0;
    t->cursor = 0;
    t->text[0] = '\0';
    textedit_insert_text(t, text);
}

static bool insert_bytes(struct textedit *t, const char *b, size_t n)
{
    if (t->max_bytes && t->len + n > t->max_bytes)
        return false;
    reserve(t, n);
    memmove(t->text + t->cursor + n, t->text + t->cursor, t->len - t->cursor + 1);
    memcpy(t->text + t->cursor, b, n);
    t->len += n;
    t->cursor += n;
    return true;
}

bool textedit_insert_cp(struct textedit *t, uint32_t cp)
{
    if (cp == '\t')
        cp = ' ';
    if (cp == '\n' || cp == '\r') {
        if (!t->multiline)
            return false;
        cp = '\n';
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
        return false;
    }
    char buf[4];
    size_t n = utf8_encode(cp, buf);
    return n > 0 && insert_bytes(t, buf, n);
}

size_t textedit_insert_text(struct textedit *t, const char *s)
{
    size_t n = strlen(s), i = 0, added = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            i++;
            continue;
        }
        /* CR LF pasted from elsewhere is one newline */
        if (cp == '\r' && i + 1 < n && s[i + 1] == '\n') {
            i++;
            continue;
        }
        size_t before = t->len;
        textedit_insert_cp(t, cp);
        added += t->len - before;
        i += k;
    }
    return added;
}

/* Start of the character cluster (base + combining marks) before `at`. */
static size_t cluster_start_before(const char *s, size_t at)
{
    size_t i = utf8_prev(s, at);
    while (i > 0) {
        uint32_t cp;
        if (utf8_decode(s + i, at - i, &cp) == 0 || utf8_cp_width(cp) != 0)
            break;
        i = utf8_prev(s, i);
    }
    return i;
}

static void delete_range(struct textedit *t, size_t from, size_t to)
{
    memmove(t->text + from, t->text + to, t->len - to + 1);
    t->len -= to - from;
    t->cursor = from;
}

bool textedit_backspace(struct textedit *t)
{
    if (t->cursor == 0)
        return false;
    delete_range(t, cluster_start_before(t->text, t->cursor), t->cursor);
    return true;
}

bool textedit_delete(struct textedit *t)
{
    if (t->cursor >= t->len)
        return false;
    size_t end = utf8_next(t->text, t->len, t->cursor, true);
    size_t keep = t->cursor;
    delete_range(t, t->cursor, end);
    t->cursor = keep;
    return true;
}

void textedit_left(struct textedit *t)
{
    if (t->cursor > 0)
        t->cursor = cluster_start_before(t->text, t->cursor);
}

void textedit_right(struct textedit *t)
{
    t->cursor = utf8_next(t->text, t->len, t->cursor, true);
}

void textedit_home(struct textedit *t)
{
    while (t->cursor > 0 && t->text[t->cursor - 1] != '\n')
        t->cursor--;
}

void textedit_end(struct textedit *t)
{
    while (t->cursor < t->len && t->text[t->cursor] != '\n')
        t->cursor++;
}

void textedit_delete_word(struct textedit *t)
{
    size_t end = t->cursor, i = t->cursor;
    while (i > 0 && t->text[i - 1] == ' ')
        i--;
    while (i > 0 && t->text[i - 1] != ' ' && t->text[i - 1] != '\n')
        i = utf8_prev(t->text, i);
    delete_range(t, i, end);
}

static int cp_width_at(const char *s, size_t n, size_t i, size_t *k)
{
    uint32_t cp;
    *k = utf8_decode(s + i, n - i, &cp);
    if (*k == 0) {
        *k = 1;
        return 1;
    }
    int w = utf8_cp_width(cp);
    return w < 0 ? 1 : w;
}

size_t textedit_wrap(const struct textedit *t, size_t width, struct textedit_line **lines)
{
    if (width < 2)
        width = 2;
    size_t cap = 8, n = 0;
    struct textedit_line *out = xmalloc(cap * sizeof *out);
    size_t start = 0, i = 0, cols = 0, last_break = 0;
    const char *s = t->text;
    while (i <= t->len) {
        if (i == t->len || s[i] == '\n') {
            if (n == cap)
                out = xrealloc(out, (cap *= 2) * sizeof *out);
            out[n++] = (struct textedit_line){start, i};
            if (i == t->len)
                break;
            start = i + 1, i = start, cols = 0, last_break = 0;
            continue;
        }
        size_t k;
        int w = cp_width_at(s, t->len, i, &k);
        if (cols + (size_t)w > width && i > start) {
            /* break after the last space on this line, else here; a
             * space that overflows hangs at the end of its line, so the
             * next one never starts with a blank */
            size_t at = s[i] == ' ' ? i + 1 : last_break > start ? last_break : i;
            if (n == cap)
                out = xrealloc(out, (cap *= 2) * sizeof *out);
            out[n++] = (struct textedit_line){start, at};
            start = at, i = at, cols = 0, last_break = 0;
            continue;
        }
        cols += (size_t)w;
        i += k;
        if (s[i - 1] == ' ')
            last_break = i;
    }
    *lines = out;
    return n;
}

static size_t width_of(const char *s, size_t from, size_t to)
{
    size_t cols = 0, k;
    for (size_t i = from; i < to; i += k)
        cols += (size_t)cp_width_at(s, to, i, &k);
    return cols;
}

static size_t line_of(const struct textedit_line *lines, size_t n, size_t cursor)
{
    /* the cursor at a wrap point belongs to the next line */
    for (size_t i = 0; i < n; i++)
        if (cursor < lines[i].end || (cursor == lines[i].end &&
                                      (i + 1 == n || lines[i + 1].start != cursor)))
            return i;
    return n - 1;
}

void textedit_cursor_pos(const struct textedit *t, size_t width, size_t *row, size_t *col)
{
    struct textedit_line *lines;
    size_t n = textedit_wrap(t, width, &lines);
    size_t r = line_of(lines, n, t->cursor);
    *row = r;
    *col = width_of(t->text, lines[r].start, t->cursor);
    free(lines);
}

bool textedit_vertical(struct textedit *t, size_t width, int direction)
{
    struct textedit_line *lines;
    size_t n = textedit_wrap(t, width, &lines);
    size_t r = line_of(lines, n, t->cursor);
    bool moved = false;
    if ((direction < 0 && r > 0) || (direction > 0 && r + 1 < n)) {
        size_t goal = width_of(t->text, lines[r].start, t->cursor);
        size_t target = direction < 0 ? r - 1 : r + 1;
        size_t i = lines[target].start, cols = 0, k;
        while (i < lines[target].end) {
            int w = cp_width_at(t->text, t->len, i, &k);
            if (cols + (size_t)w > goal)
                break;
            cols += (size_t)w;
            i = utf8_next(t->text, t->len, i, true);
        }
        /* never land after the space a wrapped line ends with */
        if (i == lines[target].end && target + 1 < n &&
            lines[target + 1].start == i && i > lines[target].start)
            i = cluster_start_before(t->text, i);
        t->cursor = i;
        moved = true;
    }
    free(lines);
    return moved;
}
