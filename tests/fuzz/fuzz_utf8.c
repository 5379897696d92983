/* fuzz_utf8.c: the UTF-8 and display-width code (core/utf8.h) and the
 * text field's state (ui/widgets/textedit.h) on any bytes.
 *
 * The input is a text (checked with every utf8_* function) and, read
 * again as a script, keystrokes and pastes into a text field, whose
 * promises are checked after every step: the text stays valid UTF-8 with
 * no control characters but '\n' (multi-line only), the cursor stays on a
 * character boundary, wrapped lines cover the text in order and fit. */
#include "config.h"

#include "fuzz.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/widgets/textedit.h"

#include <stdbool.h>
#include <string.h>

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

static void check_text(const char *s, size_t cols)
{
    size_t n = strlen(s);
    /* decode and encode agree */
    bool valid = true;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            valid = false;
            i++;
            continue;
        }
        char buf[4];
        FUZZ_CHECK(utf8_encode(cp, buf) == k && memcmp(buf, s + i, k) == 0);
        FUZZ_CHECK(utf8_cp_width(cp) >= -1 && utf8_cp_width(cp) <= 2);
        FUZZ_CHECK(utf8_next(s, n, i, false) == i + k);
        FUZZ_CHECK(utf8_prev(s, i + k) == i);
        i += k;
    }
    FUZZ_CHECK(utf8_valid(s, n) == valid);
    /* the prefix fits and ends on a boundary of what utf8_width counts */
    size_t p = utf8_prefix_for_width(s, cols);
    FUZZ_CHECK(p <= n);
    char *prefix = xstrdup(s);
    prefix[p] = '\0';
    FUZZ_CHECK(utf8_width(prefix) <= cols);
    FUZZ_CHECK(utf8_width(prefix) <= utf8_width(s));
    free(prefix);
    /* sanitized text is safe to print */
    for (int keep = 0; keep < 2; keep++) {
        char *safe = utf8_sanitize(s, keep);
        size_t m = strlen(safe);
        FUZZ_CHECK(utf8_valid(safe, m));
        for (size_t i = 0; i < m;) {
            uint32_t cp;
            size_t k = utf8_decode(safe + i, m - i, &cp);
            FUZZ_CHECK(!is_control(cp) || (keep && (cp == '\n' || cp == '\t')));
            i += k;
        }
        free(safe);
    }
}

static void check_field(const struct textedit *t, size_t width)
{
    FUZZ_CHECK(t->len == strlen(t->text));
    FUZZ_CHECK(t->len < t->cap);
    FUZZ_CHECK(!t->max_bytes || t->len <= t->max_bytes);
    FUZZ_CHECK(utf8_valid(t->text, t->len));
    FUZZ_CHECK(t->cursor <= t->len);
    FUZZ_CHECK(t->cursor == t->len || ((unsigned char)t->text[t->cursor] & 0xC0) != 0x80);
    for (size_t i = 0; i < t->len;) {
        uint32_t cp;
        size_t k = utf8_decode(t->text + i, t->len - i, &cp);
        FUZZ_CHECK(!is_control(cp) || (cp == '\n' && t->multiline));
        i += k;
    }
    struct textedit_line *lines;
    size_t n = textedit_wrap(t, width, &lines);
    FUZZ_CHECK(n >= 1);
    size_t w = width < 2 ? 2 : width;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(lines[i].start <= lines[i].end && lines[i].end <= t->len);
        FUZZ_CHECK(i == 0 ? lines[i].start == 0 : lines[i].start >= lines[i - 1].end);
        char *line = xmalloc(lines[i].end - lines[i].start + 1);
        memcpy(line, t->text + lines[i].start, lines[i].end - lines[i].start);
        line[lines[i].end - lines[i].start] = '\0';
        /* a line wider than the field holds a single too-wide character,
         * or ends in the one space that hangs past the field's edge */
        size_t lw = utf8_width(line);
        if (lw > w && line[0] && line[strlen(line) - 1] == ' ')
            lw--;
        FUZZ_CHECK(lw <= w || utf8_next(line, strlen(line), 0, true) == strlen(line));
        free(line);
    }
    FUZZ_CHECK(lines[n - 1].end == t->len);
    free(lines);
    size_t row, col;
    textedit_cursor_pos(t, width, &row, &col);
    FUZZ_CHECK(row < n);
}

/* Run the bytes as keystrokes: each step takes an opcode byte and what it
 * needs after it. */
static void run_script(const uint8_t *d, size_t n)
{
    struct textedit t;
    textedit_init(&t, NULL, n > 0 && (d[0] & 1));
    size_t width = n > 1 ? d[1] % 50 : 10;
    if (n > 2 && (d[2] & 3) == 0)
        t.max_bytes = d[2];
    for (size_t i = 3; i < n;) {
        uint8_t op = d[i++];
        switch (op % 14) {
        case 0: { /* a key: a code point from up to 3 bytes */
            uint32_t cp = 0;
            for (int k = 0; k < 3 && i < n; k++)
                cp = cp << 8 | d[i++];
            textedit_insert_cp(&t, cp % 0x110000);
            break;
        }
        case 1: { /* a paste of up to 32 raw bytes */
            size_t len = i < n ? d[i++] % 33 : 0;
            if (len > n - i)
                len = n - i;
            char *paste = xmalloc(len + 1);
            memcpy(paste, d + i, len);
            paste[len] = '\0';
            textedit_insert_text(&t, paste);
            free(paste);
            i += len;
            break;
        }
        case 2: textedit_backspace(&t); break;
        case 3: textedit_delete(&t); break;
        case 4: textedit_left(&t); break;
        case 5: textedit_right(&t); break;
        case 6: textedit_home(&t); break;
        case 7: textedit_end(&t); break;
        case 8: textedit_delete_word(&t); break;
        case 9: textedit_vertical(&t, width, -1); break;
        case 10: textedit_vertical(&t, width, +1); break;
        case 11: width = i < n ? d[i++] % 50 : width; break;
        case 12: textedit_insert_cp(&t, op < 128 ? 0x301 : 0x4E2D); break; /* combining, wide */
        default: textedit_insert_cp(&t, op < 128 ? '\n' : 'a'); break;
        }
        check_field(&t, width);
    }
    check_field(&t, width);
    textedit_free(&t);
}

int fuzz_utf8(const uint8_t *data, size_t size)
{
    char *s = xmalloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    check_text(s, size ? data[0] % 40 : 0);
    struct textedit t;
    textedit_init(&t, s, true);
    check_field(&t, 20);
    textedit_set(&t, s);
    check_field(&t, 7);
    textedit_free(&t);
    free(s);
    run_script(data, size);
    return 0;
}
