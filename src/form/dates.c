#include "config.h"

#include "form/dates.h"

#include "core/clock.h"
#include "core/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* H. Hinnant's civil-from-days algorithms (proleptic Gregorian). */
long dates_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dates_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* One or two digits, as JavaRosa reads a month, day, hour, minute or
 * second ("1900-1-1", "9:05"); a third digit is not part of it. Returns
 * how many were read, 0 when none. */
static int digits12(const char *s, int *out)
{
    if (s[0] < '0' || s[0] > '9')
        return 0;
    int n = s[1] >= '0' && s[1] <= '9' ? 2 : 1;
    if (s[n] >= '0' && s[n] <= '9')
        return 0;
    *out = n == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
    return n;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static const char *parse_date(const char *s, struct dates_fields *f)
{
    int n;
    if (!digits(s, 4, &f->y) || s[4] != '-' || !(n = digits12(s + 5, &f->mo)))
        return NULL;
    s += 5 + n;
    if (*s != '-' || !(n = digits12(s + 1, &f->d)))
        return NULL;
    if (f->mo < 1 || f->mo > 12 || f->d < 1 || f->d > month_days(f->y, f->mo))
        return NULL;
    f->has_date = true;
    return s + 1 + n;
}

static const char *parse_time(const char *s, struct dates_fields *f)
{
    int n;
    if (!(n = digits12(s, &f->h)) || s[n] != ':')
        return NULL;
    s += n + 1;
    if (!(n = digits12(s, &f->mi)))
        return NULL;
    s += n;
    f->s = 0;
    if (*s == ':') {
        int sec;
        if (!(n = digits12(s + 1, &sec)))
            return NULL;
        f->s = sec;
        s += 1 + n;
        if (*s == '.') {
            double scale = 0.1;
            if (s[1] < '0' || s[1] > '9')
                return NULL;
            for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
                f->s += (*s - '0') * scale;
        }
    }
    if (f->h > 24 || f->mi > 59 || f->s >= 61 || (f->h == 24 && (f->mi || f->s)))
        return NULL;
    if (*s == 'Z') {
        f->has_tz = true;
        s++;
    } else if (*s == '+' || *s == '-') {
        int th, tm;
        if (!digits(s + 1, 2, &th) || s[3] != ':' || !digits(s + 4, 2, &tm) || th > 14 ||
            tm > 59)
            return NULL;
        f->has_tz = true;
        f->tz_min = (*s == '-' ? -1 : 1) * (th * 60 + tm);
        s += 6;
    }
    f->has_time = true;
    return s;
}

bool dates_parse(const char *s, struct dates_fields *f)
{
    memset(f, 0, sizeof *f);
    if (!s)
        return false;
    const char *e = parse_date(s, f);
    if (e && *e == 'T')
        e = parse_time(e + 1, f);
    else if (!e)
        e = parse_time(s, f);
    return e && *e == '\0';
}

bool dates_valid_date(const char *s)
{
    struct dates_fields f;
    return dates_parse(s, &f) && f.has_date && !f.has_time;
}

bool dates_valid_time(const char *s)
{
    struct dates_fields f;
    return dates_parse(s, &f) && !f.has_date && f.has_time;
}

bool dates_valid_datetime(const char *s)
{
    struct dates_fields f;
    return dates_parse(s, &f) && f.has_date && f.has_time;
}

char *dates_normalize(const char *s)
{
    struct dates_fields f;
    if (!dates_parse(s, &f))
        return NULL;
    /* Parsed, so every lone digit is a month, day, hour, minute or second
     * (the year has four, a zone two), except a fraction's first: pad
     * those with a 0 and keep the rest as written. */
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s; *p; p++) {
        bool digit = *p >= '0' && *p <= '9';
        bool lone = digit && (p == s || p[-1] < '0' || p[-1] > '9') && (p[1] < '0' || p[1] > '9');
        if (lone && (p == s || p[-1] != '.'))
            strbuf_addc(&sb, '0');
        strbuf_addc(&sb, *p);
    }
    return strbuf_detach(&sb);
}

double dates_to_days(const char *s)
{
    struct dates_fields f;
    if (!dates_parse(s, &f))
        return NAN;
    double secs = f.h * 3600.0 + f.mi * 60.0 + f.s;
    if (!f.has_date)
        return secs / 86400.0;
    long days = dates_days_from_civil(f.y, f.mo, f.d);
    if (!f.has_time)
        return (double)days;
    if (f.has_tz)
        return days + (secs - f.tz_min * 60.0) / 86400.0;
    struct tm tm = {.tm_year = f.y - 1900, .tm_mon = f.mo - 1, .tm_mday = f.d, .tm_hour = f.h,
                    .tm_min = f.mi, .tm_sec = (int)f.s, .tm_isdst = -1};
    time_t t = mktime(&tm);
    return (double)t / 86400.0 + (f.s - (int)f.s) / 86400.0;
}

static void local_now(struct tm *tm, int *ms)
{
    int64_t now = clock_now_ms();
    time_t t = (time_t)(now / 1000);
    localtime_r(&t, tm);
    *ms = (int)(now % 1000);
}

void dates_today(char out[32])
{
    struct tm tm;
    int ms;
    local_now(&tm, &ms);
    snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void dates_now(char out[64])
{
    struct tm tm;
    int ms;
    local_now(&tm, &ms);
    long off = tm.tm_gmtoff / 60;
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms,
             off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

void dates_from_days(double days, bool with_time, char out[40])
{
    long whole = (long)days;
    if ((double)whole > days)
        whole--;
    int y, m, d;
    dates_civil_from_days(whole, &y, &m, &d);
    if (!with_time) {
        snprintf(out, 40, "%04d-%02d-%02d", y, m, d);
        return;
    }
    long ms = (long)((days - (double)whole) * 86400000.0 + 0.5);
    snprintf(out, 40, "%04d-%02d-%02dT%02ld:%02ld:%02ld.%03ldZ", y, m, d, ms / 3600000,
             ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

char *dates_format(const struct dates_fields *f, const char *fmt)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%' || !p[1]) {
            strbuf_addc(&sb, *p);
            continue;
        }
        int sec = (int)f->s;
        switch (*++p) {
        case 'Y': strbuf_addf(&sb, "%04d", f->y); break;
        case 'y': strbuf_addf(&sb, "%02d", f->y % 100); break;
        case 'm': strbuf_addf(&sb, "%02d", f->mo); break;
        case 'n': strbuf_addf(&sb, "%d", f->mo); break;
        case 'b': strbuf_adds(&sb, f->mo >= 1 && f->mo <= 12 ? months[f->mo - 1] : ""); break;
        case 'd': strbuf_addf(&sb, "%02d", f->d); break;
        case 'e': strbuf_addf(&sb, "%d", f->d); break;
        case 'a': {
            long z = dates_days_from_civil(f->y, f->mo, f->d) % 7;
            strbuf_adds(&sb, days[z < 0 ? z + 7 : z]);
            break;
        }
        case 'H': strbuf_addf(&sb, "%02d", f->h); break;
        case 'h': strbuf_addf(&sb, "%d", f->h); break;
        case 'M': strbuf_addf(&sb, "%02d", f->mi); break;
        case 'S': strbuf_addf(&sb, "%02d", sec); break;
        case '3': strbuf_addf(&sb, "%03d", (int)((f->s - sec) * 1000 + 0.5)); break;
        case '%': strbuf_addc(&sb, '%'); break;
        default: strbuf_addc(&sb, '%'); strbuf_addc(&sb, *p); break;
        }
    }
    return strbuf_detach(&sb);
}
