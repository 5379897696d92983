#include "config.h"

#include "export/out.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OUT_BUFSIZE (1 << 16)

static const char bom_bytes[] = "\xEF\xBB\xBF";
static const char replacement[] = "\xEF\xBF\xBD";

struct out_file *out_open(struct out_set *set, const char *dir,
                          const char *name, bool bom, struct error *err)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
    int fd = mkostemp(tmp, O_CLOEXEC);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");
    if (!fp) {
        error_set_at(err, path, 0, _("cannot write the file: %s"),
                     strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(path);
        free(tmp);
        return NULL;
    }
    /* mkostemp makes 0600: give the file the mode any new file gets */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    /* a buffer of our own: with NULL, glibc would use 4 KiB (one write
     * call per 4 KiB of a table of hundreds of MB) */
    char *buf = xmalloc(OUT_BUFSIZE);
    setvbuf(fp, buf, _IOFBF, OUT_BUFSIZE);
    if (bom)
        fputs(bom_bytes, fp);
    struct out_file *f = xmalloc(sizeof *f);
    *f = (struct out_file){.path = path, .tmp = tmp, .fp = fp, .buf = buf};
    set->files = xrealloc(set->files, (set->n + 1) * sizeof *set->files);
    set->files[set->n++] = f;
    return f;
}

static bool sync_dir_of(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    free(dir);
    return ok;
}

static bool close_file(struct out_file *f, struct error *err)
{
    bool ok = fflush(f->fp) == 0 && !ferror(f->fp) && fsync(fileno(f->fp)) == 0;
    int saved = errno;
    if (fclose(f->fp) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    f->fp = NULL;
    if (!ok)
        error_set_at(err, f->path, 0, _("cannot write the file: %s"),
                     strerror(saved));
    return ok;
}

static void free_files(struct out_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct out_file *f = set->files[i];
        if (f->fp)
            fclose(f->fp);
        if (f->tmp)
            unlink(f->tmp);
        free(f->buf);
        free(f->tmp);
        free(f->path);
        free(f);
    }
    xfree(&set->files);
    set->n = 0;
}

/* The directories made, the last first (each inside one made before or
 * none); with remove, each that is empty is removed. */
static void free_dirs(struct out_set *set, bool remove)
{
    for (size_t i = set->ndirs; i-- > 0;) {
        if (remove)
            rmdir(set->dirs[i]);
        free(set->dirs[i]);
    }
    xfree(&set->dirs);
    set->ndirs = 0;
}

bool out_commit(struct out_set *set, struct error *err)
{
    bool ok = true;
    for (size_t i = 0; ok && i < set->n; i++)
        ok = !set->files[i]->fp || close_file(set->files[i], err);
    for (size_t i = 0; ok && i < set->n; i++) {
        struct out_file *f = set->files[i];
        if (rename(f->tmp, f->path) != 0) {
            error_set_at(err, f->path, 0, _("cannot write the file: %s"),
                         strerror(errno));
            ok = false;
            break;
        }
        xfree(&f->tmp);
    }
    /* the renames are durable once their directories are synced */
    for (size_t i = 0; ok && i < set->n; i++)
        if (!sync_dir_of(set->files[i]->path))
            ok = error_set_at(err, set->files[i]->path, 0,
                              _("cannot write the file: %s"),
                              strerror(errno));
    free_files(set);
    if (ok)
        free_dirs(set, false);
    return ok;
}

bool out_close_early(struct out_file *f, struct error *err)
{
    return close_file(f, err);
}

void out_abort(struct out_set *set)
{
    free_files(set);
    free_dirs(set, true);
}

bool out_stopped(const struct out_set *set, struct error *err)
{
    if (!set->stop || !*set->stop)
        return false;
    return !error_set(err, _("interrupted; no file was written"));
}

bool out_mkdir(struct out_set *set, const char *dir, struct error *err)
{
    struct stat st;
    if (mkdir(dir, 0755) == 0) {
        set->dirs = xrealloc(set->dirs, (set->ndirs + 1) * sizeof *set->dirs);
        set->dirs[set->ndirs++] = xstrdup(dir);
        return true;
    }
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    if (errno == EEXIST)
        return error_set_at(err, dir, 0, _("not a directory"));
    return error_set_at(err, dir, 0, _("cannot make the directory: %s"),
                        strerror(errno));
}

char *out_safe_name(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 2);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (c == '.' && j > 0);
        out[j++] = keep ? (char)c : '_';
    }
    if (j == 0)
        out[j++] = '_';
    out[j] = '\0';
    return out;
}

/* The date of a day counted from 1970-01-01, proleptic Gregorian (Howard
 * Hinnant's civil_from_days), as gmtime_r would give it. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static char *digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Years outside 0..9999, through the C library (the export of a hostile
 * file may hold any number). */
static void time_iso_slow(int64_t ms, char buf[32])
{
    char tmp[64];
    time_t t = (time_t)(ms / 1000);
    int frac = (int)(ms % 1000);
    if (frac < 0) {
        frac += 1000;
        t--;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, 32, "%" PRId64, ms);
        return;
    }
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, frac);
    size_t len = strlen(tmp) < 31 ? strlen(tmp) : 31; /* years past 9999 */
    memcpy(buf, tmp, len);
    buf[len] = '\0';
}

/* Once per cell of a million-row table: no gmtime_r, no snprintf. */
void out_time_iso(int64_t ms, char buf[32])
{
    /* beyond ~292 million years either way the day count would overflow */
    const int64_t limit = INT64_C(1) << 53;
    if (ms < -limit || ms > limit) {
        time_iso_slow(ms, buf);
        return;
    }
    int64_t days = ms / 86400000, rest = ms % 86400000;
    if (rest < 0) {
        rest += 86400000;
        days--;
    }
    int64_t y;
    unsigned mon, day;
    civil_from_days(days, &y, &mon, &day);
    if (y < 0 || y > 9999) {
        time_iso_slow(ms, buf);
        return;
    }
    unsigned r = (unsigned)rest;
    char *p = digits(buf, (unsigned)y, 4);
    *p++ = '-';
    p = digits(p, mon, 2);
    *p++ = '-';
    p = digits(p, day, 2);
    *p++ = 'T';
    p = digits(p, r / 3600000, 2);
    *p++ = ':';
    p = digits(p, r / 60000 % 60, 2);
    *p++ = ':';
    p = digits(p, r / 1000 % 60, 2);
    *p++ = '.';
    p = digits(p, r % 1000, 3);
    *p++ = 'Z';
    *p = '\0';
}

void out_utf8(FILE *fp, const char *s, size_t n)
{
    if (utf8_valid(s, n)) {
        fwrite_unlocked(s, 1, n, fp);
        return;
    }
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp == 0) {
            fwrite_unlocked(replacement, 1, 3, fp);
            i++;
        } else {
            fwrite_unlocked(s + i, 1, len, fp);
            i += len;
        }
    }
}

/* ---- CSV ----------------------------------------------------------------- */

void csv_init(struct csv *c, FILE *fp, bool guard)
{
    c->fp = fp;
    c->guard = guard;
    c->at_row_start = true;
    c->len = 0;
}

static void csv_flush(struct csv *c)
{
    if (c->len)
        fwrite_unlocked(c->buf, 1, c->len, c->fp);
    c->len = 0;
}

static void csv_put(struct csv *c, const char *s, size_t n)
{
    if (c->len + n > sizeof c->buf) {
        csv_flush(c);
        if (n > sizeof c->buf) {
            fwrite_unlocked(s, 1, n, c->fp);
            return;
        }
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
}

static void csv_putc(struct csv *c, char ch)
{
    if (c->len == sizeof c->buf)
        csv_flush(c);
    c->buf[c->len++] = ch;
}

/* out_utf8 into the row: invalid bytes (and NUL) as U+FFFD */
static void csv_put_utf8(struct csv *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp == 0) {
            csv_put(c, replacement, 3);
            i++;
        } else {
            csv_put(c, s + i, len);
            i += len;
        }
    }
}

/* A number as strtod reads the whole cell (-1.5e3, +5, -0.5): a spreadsheet
 * reads it as that number, never as a formula, so it keeps no '. Only a
 * cell that starts with a sign is asked: strtod would skip a leading tab.
 * The program reads numbers in the C locale (i18n_init). */
static bool plain_number(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '-' && s[0] != '+'))
        return false;
    char small[64];
    char *buf = n < sizeof small ? small : xmalloc(n + 1);
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    (void)strtod(buf, &end);
    bool whole = end != buf && end == buf + n; /* a NUL inside stops short */
    if (buf != small)
        free(buf);
    return whole;
}

bool csv_formula_like(const char *s, size_t n)
{
    if (n == 0)
        return false;
    switch (s[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
    case '\0': /* strchr() found its terminator: kept, so output is unchanged */
        return !plain_number(s, n);
    default:
        return false;
    }
}

/* What a byte asks of a CSV cell: nothing, quotes around the cell (, CR
 * LF), quotes and its doubling ("), or a closer look (NUL, non-ASCII). */
enum { CELL_PLAIN, CELL_QUOTE, CELL_DQUOTE, CELL_CHECK };

static const unsigned char cell_class[256] = {
    [0] = CELL_CHECK, [','] = CELL_QUOTE, ['\n'] = CELL_QUOTE,
    ['\r'] = CELL_QUOTE, ['"'] = CELL_DQUOTE,
#define C8(n) [n] = CELL_CHECK, [n + 1] = CELL_CHECK, [n + 2] = CELL_CHECK,  \
              [n + 3] = CELL_CHECK, [n + 4] = CELL_CHECK,                    \
              [n + 5] = CELL_CHECK, [n + 6] = CELL_CHECK, [n + 7] = CELL_CHECK
#define C32(n) C8(n), C8(n + 8), C8(n + 16), C8(n + 24)
    C32(0x80), C32(0xA0), C32(0xC0), C32(0xE0),
#undef C32
#undef C8
};

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Eight ASCII bytes (no high bit set) hold a zero byte, or a byte of
 * value b? (Any false alarm is above a real one; either way the byte by
 * byte path decides.) */
#define HAS_ZERO7(w) (((w) - ONES) & HIGHS)
#define HAS_BYTE7(w, b) HAS_ZERO7((w) ^ (ONES * (b)))

/* Eight bytes that need no second look: ASCII, none of NUL , " CR LF. */
static bool plain8(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    if (w & HIGHS)
        return false;
    return !(HAS_ZERO7(w) | HAS_BYTE7(w, ',') | HAS_BYTE7(w, '"') |
             HAS_BYTE7(w, '\n') | HAS_BYTE7(w, '\r'));
}

/* One pass over a cell: whether it needs quotes, holds a '"', and is
 * valid UTF-8 without NUL. */
static void cell_scan(const char *str, size_t n, bool *quote, bool *dquote,
                      bool *valid)
{
    const unsigned char *s = (const unsigned char *)str;
    bool q = false, dq = false;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && plain8(s + i)) {
            i += 8;
            continue;
        }
        unsigned char ch = s[i];
        switch (cell_class[ch]) {
        case CELL_PLAIN:
            i++;
            continue;
        case CELL_QUOTE:
            q = true;
            i++;
            continue;
        case CELL_DQUOTE:
            q = dq = true;
            i++;
            continue;
        default:
            break;
        }
        /* two-byte letters (Cyrillic, Slovak) without a call */
        if (ch >= 0xC2 && ch <= 0xDF && i + 1 < n &&
            (s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(str + i, n - i, &cp);
        if (len == 0 || cp == 0) {
            *valid = false;
            *quote = true; /* not known: the slow path looks again */
            *dquote = true;
            return;
        }
        i += len;
    }
    *valid = true;
    *quote = q;
    *dquote = dq;
}

void csv_cell(struct csv *c, const char *s, size_t n)
{
    if (!c->at_row_start)
        csv_putc(c, ',');
    c->at_row_start = false;
    bool prefix = c->guard && csv_formula_like(s, n);
    bool quote, dquote, valid;
    cell_scan(s, n, &quote, &dquote, &valid);
    if (!valid) {
        /* the cell as written before: look for quotes byte by byte */
        quote = dquote = false;
        for (size_t i = 0; i < n; i++) {
            quote = quote || s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
                    s[i] == '\r';
            dquote = dquote || s[i] == '"';
        }
    }
    if (quote)
        csv_putc(c, '"');
    if (prefix)
        csv_putc(c, '\'');
    if (valid && !dquote) {
        csv_put(c, s, n);
    } else {
        size_t start = 0;
        for (size_t i = 0; dquote && i < n; i++) {
            if (s[i] != '"')
                continue;
            csv_put_utf8(c, s + start, i + 1 - start);
            csv_putc(c, '"');
            start = i + 1;
        }
        csv_put_utf8(c, s + start, n - start);
    }
    if (quote)
        csv_putc(c, '"');
}

void csv_cells(struct csv *c, const char *s)
{
    csv_cell(c, s ? s : "", s ? strlen(s) : 0);
}

void csv_int(struct csv *c, int64_t v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    if (!c->at_row_start)
        csv_putc(c, ',');
    c->at_row_start = false;
    csv_put(c, p, (size_t)(buf + sizeof buf - p));
}

void csv_end_row(struct csv *c)
{
    csv_put(c, "\r\n", 2);
    csv_flush(c);
    c->at_row_start = true;
}

/* ---- JSON ---------------------------------------------------------------- */

void json_string(FILE *fp, const char *s, size_t n)
{
    putc_unlocked('"', fp);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        out_utf8(fp, s + start, i - start);
        start = i + 1;
        switch (ch) {
        case '"': fputs_unlocked("\\\"", fp); break;
        case '\\': fputs_unlocked("\\\\", fp); break;
        case '\n': fputs_unlocked("\\n", fp); break;
        case '\r': fputs_unlocked("\\r", fp); break;
        case '\t': fputs_unlocked("\\t", fp); break;
        default: fprintf(fp, "\\u%04x", ch); break;
        }
    }
    out_utf8(fp, s + start, n - start);
    putc_unlocked('"', fp);
}

void json_strings(FILE *fp, const char *s)
{
    if (!s)
        fputs_unlocked("null", fp);
    else
        json_string(fp, s, strlen(s));
}
