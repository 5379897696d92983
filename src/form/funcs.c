#include "config.h"

#include "form/funcs.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "form/dates.h"

#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds the work of one evaluation (hostile forms). */
#define FUNCS_OP_LIMIT 5000000ul

static struct xp_state *state(xmlXPathParserContextPtr ctxt)
{
    return ctxt->context->userData;
}

static void fail(xmlXPathParserContextPtr ctxt, const char *msg)
{
    struct xp_state *st = state(ctxt);
    if (!st->error)
        st->error = xstrdup(msg);
    xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
}

static char *pop_str(xmlXPathParserContextPtr ctxt)
{
    xmlChar *s = xmlXPathPopString(ctxt);
    char *r = xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    return r;
}

static void push_str(xmlXPathParserContextPtr ctxt, const char *s)
{
    valuePush(ctxt, xmlXPathNewString((const xmlChar *)s));
}

/* The arguments as objects, first argument first (freed by free_args). */
static xmlXPathObjectPtr *pop_args(xmlXPathParserContextPtr ctxt, int nargs)
{
    xmlXPathObjectPtr *a = xcalloc((size_t)nargs + 1, sizeof *a);
    for (int i = nargs - 1; i >= 0; i--)
        a[i] = valuePop(ctxt);
    return a;
}

static void free_args(xmlXPathObjectPtr *a, int nargs)
{
    for (int i = 0; i < nargs; i++)
        xmlXPathFreeObject(a[i]);
    free(a);
}

static char *obj_str(xmlXPathObjectPtr o)
{
    xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
    char *r = xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    return r;
}

/* Each value an argument holds: every node of a node-set, else itself. */
static void each_value(xmlXPathObjectPtr o, void (*fn)(void *ctx, const char *v), void *ctx)
{
    if (o && o->type == XPATH_NODESET) {
        for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
            xmlChar *s = xmlXPathCastNodeToString(o->nodesetval->nodeTab[i]);
            fn(ctx, (const char *)s);
            xmlFree(s);
        }
        return;
    }
    char *s = obj_str(o);
    fn(ctx, s);
    free(s);
}

static double str_num(const char *s)
{
    double d = dates_to_days(s);
    return isnan(d) ? xmlXPathCastStringToNumber((const xmlChar *)s) : d;
}

static double trunc_(double x)
{
    if (isnan(x) || x > 9e15 || x < -9e15)
        return x;
    return (double)(long long)x;
}

static double floor_(double x)
{
    double t = trunc_(x);
    return t > x ? t - 1 : t;
}

/* ---- selections ------------------------------------------------------- */

/* The n-th space-separated token of list (fresh), or NULL; *count the total. */
static char *token_at(const char *list, long n, long *count)
{
    long k = 0;
    char *found = NULL;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " \t\n\r");
        if (k == n)
            found = xstrndup(p, len);
        k++;
        p += len;
    }
    if (count)
        *count = k;
    return found;
}

static char *trim(char *s)
{
    char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    memmove(s, p, n);
    s[n] = '\0';
    return s;
}

static void fn_selected(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *v = trim(pop_str(ctxt)), *list = pop_str(ctxt);
    long n = 0;
    bool found = false;
    free(token_at(list, -1, &n));
    for (long i = 0; i < n && !found; i++) {
        char *t = token_at(list, i, NULL);
        found = strcmp(t, v) == 0;
        free(t);
    }
    free(v), free(list);
    valuePush(ctxt, xmlXPathNewBoolean(found));
}

static void fn_count_selected(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    char *list = pop_str(ctxt);
    long n = 0;
    free(token_at(list, -1, &n));
    free(list);
    valuePush(ctxt, xmlXPathNewFloat((double)n));
}

static void fn_selected_at(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    double n = xmlXPathPopNumber(ctxt);
    char *list = pop_str(ctxt);
    char *t = isnan(n) || n < 0 || n > 1e9 ? NULL : token_at(list, (long)n, NULL);
    push_str(ctxt, t ? t : "");
    free(t), free(list);
}

static void fn_choice_name(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *path = trim(pop_str(ctxt)), *value = trim(pop_str(ctxt));
    struct xp_state *st = state(ctxt);
    const char *label = st->choice_label ? st->choice_label(st, path, value) : NULL;
    push_str(ctxt, label ? label : "");
    free(path), free(value);
}

/* ---- logic and strings ------------------------------------------------ */

static void fn_if(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(3);
    xmlXPathObjectPtr *a = pop_args(ctxt, 3);
    int pick = xmlXPathCastToBoolean(a[0]) ? 1 : 2;
    valuePush(ctxt, a[pick]);
    a[pick] = NULL;
    free_args(a, 3);
}

static void fn_coalesce(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *b = pop_str(ctxt), *a = pop_str(ctxt);
    push_str(ctxt, *a ? a : b);
    free(a), free(b);
}

static void add_value(void *ctx, const char *v)
{
    strbuf_adds(ctx, v);
}

static void fn_concat(xmlXPathParserContextPtr ctxt, int nargs)
{
    xmlXPathObjectPtr *a = pop_args(ctxt, nargs);
    struct strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < nargs; i++)
        each_value(a[i], add_value, &sb);
    free_args(a, nargs);
    push_str(ctxt, sb.buf);
    strbuf_free(&sb);
}

struct joiner {
    struct strbuf sb;
    const char *sep;
    bool first;
};

static void join_value(void *ctx, const char *v)
{
    struct joiner *j = ctx;
    if (!j->first)
        strbuf_adds(&j->sb, j->sep);
    strbuf_adds(&j->sb, v);
    j->first = false;
}

static void fn_join(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 1)
        XP_ERROR(XPATH_INVALID_ARITY);
    xmlXPathObjectPtr *a = pop_args(ctxt, nargs);
    char *sep = obj_str(a[0]);
    struct joiner j = {.sep = sep, .first = true};
    strbuf_init(&j.sb);
    for (int i = 1; i < nargs; i++)
        each_value(a[i], join_value, &j);
    free_args(a, nargs);
    push_str(ctxt, j.sb.buf);
    strbuf_free(&j.sb);
    free(sep);
}

/* Java-flavoured regex (as ODK writes them) to POSIX extended. */
static char *regex_posix(const char *re)
{
    struct strbuf sb;
    strbuf_init(&sb);
    bool in_class = false;
    for (const char *p = re; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = *++p;
            if (c == 'd')
                strbuf_adds(&sb, in_class ? "0-9" : "[0-9]");
            else if (c == 'D' && !in_class)
                strbuf_adds(&sb, "[^0-9]");
            else if (c == 'w' && in_class)
                strbuf_adds(&sb, "[:alnum:]_");
            else if (c == 's' && in_class)
                strbuf_adds(&sb, "[:space:]");
            else if (c == 't' || c == 'n')
                strbuf_addc(&sb, c == 't' ? '\t' : '\n');
            else if (in_class)
                strbuf_addc(&sb, c);
            else
                strbuf_addf(&sb, "\\%c", c);
        } else if (*p == '[' && !in_class) {
            in_class = true;
            strbuf_addc(&sb, '[');
            if (p[1] == '^')
                strbuf_addc(&sb, *++p);
            if (p[1] == ']')
                strbuf_addc(&sb, *++p);
        } else if (*p == '[' && in_class && p[1] == ':') {
            const char *end = strstr(p + 2, ":]");
            size_t n = end ? (size_t)(end - p) + 2 : strlen(p);
            strbuf_add(&sb, p, n);
            p += n - 1;
        } else if (*p == ']' && in_class) {
            in_class = false;
            strbuf_addc(&sb, ']');
        } else if (*p == '?' && !in_class && p > re && strchr("*+?}", p[-1]) && sb.len &&
                   sb.buf[sb.len - 1] != '\\') {
            continue; /* lazy quantifiers: POSIX has none; matching is the same for find() */
        } else {
            strbuf_addc(&sb, *p);
        }
    }
    return strbuf_detach(&sb);
}

static void fn_regex(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *re = pop_str(ctxt), *s = pop_str(ctxt);
    char *posix = regex_posix(re);
    regex_t rx;
    if (regcomp(&rx, posix, REG_EXTENDED | REG_NOSUB) != 0) {
        char *msg = xasprintf(_("invalid regular expression %s"), re);
        free(re), free(s), free(posix);
        fail(ctxt, msg);
        free(msg);
        return;
    }
    bool match = regexec(&rx, s, 0, NULL, 0) == 0;
    regfree(&rx);
    free(re), free(s), free(posix);
    valuePush(ctxt, xmlXPathNewBoolean(match));
}

static void fn_boolean_from_string(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    char *s = trim(pop_str(ctxt));
    valuePush(ctxt, xmlXPathNewBoolean(strcmp(s, "true") == 0 || strcmp(s, "1") == 0));
    free(s);
}

/* Code points of a UTF-8 string up to byte n. */
static size_t utf8_offset(const char *s, long chars)
{
    size_t i = 0;
    for (long k = 0; s[i] && k < chars; k++)
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

static void fn_substr(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 3)
        XP_ERROR(XPATH_INVALID_ARITY);
    double end = nargs == 3 ? xmlXPathPopNumber(ctxt) : INFINITY;
    double start = xmlXPathPopNumber(ctxt);
    char *s = pop_str(ctxt);
    if (isnan(start) || start < 0)
        start = 0;
    size_t a = utf8_offset(s, start > 1e9 ? 1000000000L : (long)start);
    size_t b = isnan(end) || end > 1e9 ? strlen(s) : end < 0 ? 0 : utf8_offset(s, (long)end);
    char *r = xstrndup(s + a, b > a ? b - a : 0);
    push_str(ctxt, r);
    free(r), free(s);
}

static void fn_ends_with(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *x = pop_str(ctxt), *s = pop_str(ctxt);
    size_t n = strlen(s), k = strlen(x);
    valuePush(ctxt, xmlXPathNewBoolean(k <= n && strcmp(s + n - k, x) == 0));
    free(x), free(s);
}

static void count_nonempty(void *ctx, const char *v)
{
    *(double *)ctx += *v != '\0';
}

static void fn_count_non_empty(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    xmlXPathObjectPtr *a = pop_args(ctxt, 1);
    double n = 0;
    if (a[0] && a[0]->type == XPATH_NODESET)
        each_value(a[0], count_nonempty, &n);
    free_args(a, 1);
    valuePush(ctxt, xmlXPathNewFloat(n));
}

/* ---- numbers ---------------------------------------------------------- */

static void fn_num(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    xmlXPathObjectPtr o = valuePop(ctxt);
    double d;
    if (!o) {
        XP_ERROR(XPATH_STACK_ERROR);
    } else if (o->type == XPATH_NUMBER || o->type == XPATH_BOOLEAN) {
        d = xmlXPathCastToNumber(o);
    } else {
        char *s = obj_str(o);
        d = str_num(s);
        free(s);
    }
    xmlXPathFreeObject(o);
    valuePush(ctxt, xmlXPathNewFloat(d));
}

static void fn_int(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    valuePush(ctxt, xmlXPathNewFloat(trunc_(xmlXPathPopNumber(ctxt))));
}

static void fn_round(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 1 || nargs > 2)
        XP_ERROR(XPATH_INVALID_ARITY);
    double digits = nargs == 2 ? xmlXPathPopNumber(ctxt) : 0;
    double x = xmlXPathPopNumber(ctxt);
    if (isnan(digits)) { /* round(x, 'abc'): no number, as in ODK */
        valuePush(ctxt, xmlXPathNewFloat(NAN));
        return;
    }
    /* clamped before the conversion, which is undefined out of int's range */
    int places = digits > 15 ? 15 : digits < -15 ? -15 : (int)digits;
    double scale = 1;
    for (int i = 0; i < places; i++)
        scale *= 10;
    for (int i = 0; i > places; i--)
        scale /= 10;
    /* half up on the decimal the form author wrote: 2.345 → 2.35, not 2.34 */
    double v = x * scale;
    double r = isnan(x) || isinf(x) ? x : floor_(v + 0.5 + (v < 0 ? -v : v) * 1e-12) / scale;
    valuePush(ctxt, xmlXPathNewFloat(r));
}

static void fn_abs(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    double x = xmlXPathPopNumber(ctxt);
    valuePush(ctxt, xmlXPathNewFloat(x < 0 ? -x : x));
}

static void fn_pow(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    double e = xmlXPathPopNumber(ctxt), x = xmlXPathPopNumber(ctxt);
    if (isnan(e) || trunc_(e) != e || e > 1e6 || e < -1e6) {
        fail(ctxt, _("pow() takes a whole-number exponent"));
        return;
    }
    double r = 1, b = x;
    for (long n = (long)(e < 0 ? -e : e); n; n >>= 1, b *= b)
        if (n & 1)
            r *= b;
    valuePush(ctxt, xmlXPathNewFloat(e < 0 ? 1 / r : r));
}

static void fn_pi(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    valuePush(ctxt, xmlXPathNewFloat(3.14159265358979323846));
}

static void fn_random(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    char u[UUID_STR_LEN];
    uuid_v4(u);
    double r = 0;
    for (int i = 0; i < 8; i++) /* 32 random bits */
        r = r * 16 + (double)strtol((char[]){u[i], 0}, NULL, 16);
    valuePush(ctxt, xmlXPathNewFloat(r / 4294967296.0));
}

struct extreme {
    double v;
    bool max, nan, any;
};

static void extreme_value(void *ctx, const char *s)
{
    struct extreme *e = ctx;
    double d = str_num(s);
    if (isnan(d))
        e->nan = true;
    else if (!e->any || (e->max ? d > e->v : d < e->v))
        e->v = d;
    e->any = true;
}

static void extreme(xmlXPathParserContextPtr ctxt, int nargs, bool max)
{
    if (nargs < 1)
        XP_ERROR(XPATH_INVALID_ARITY);
    xmlXPathObjectPtr *a = pop_args(ctxt, nargs);
    struct extreme e = {.max = max};
    for (int i = 0; i < nargs; i++) {
        if (a[i] && (a[i]->type == XPATH_NUMBER || a[i]->type == XPATH_BOOLEAN)) {
            char *s = obj_str(a[i]);
            extreme_value(&e, s);
            free(s);
        } else {
            each_value(a[i], extreme_value, &e);
        }
    }
    free_args(a, nargs);
    valuePush(ctxt, xmlXPathNewFloat(e.nan || !e.any ? NAN : e.v));
}

static void fn_min(xmlXPathParserContextPtr ctxt, int nargs)
{
    extreme(ctxt, nargs, false);
}

static void fn_max(xmlXPathParserContextPtr ctxt, int nargs)
{
    extreme(ctxt, nargs, true);
}

static bool truthy(const char *s)
{
    return strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

/* checklist(min, max, v...) and weighted-checklist(min, max, v, w, ...). */
static void checklist(xmlXPathParserContextPtr ctxt, int nargs, bool weighted)
{
    if (nargs < 2 || (weighted && nargs % 2))
        XP_ERROR(XPATH_INVALID_ARITY);
    xmlXPathObjectPtr *a = pop_args(ctxt, nargs);
    double min = xmlXPathCastToNumber(a[0]), max = xmlXPathCastToNumber(a[1]), sum = 0;
    for (int i = 2; i < nargs; i += weighted ? 2 : 1) {
        bool on;
        if (a[i]->type == XPATH_BOOLEAN) {
            on = a[i]->boolval;
        } else {
            char *s = obj_str(a[i]);
            on = truthy(trim(s));
            free(s);
        }
        if (on)
            sum += weighted ? xmlXPathCastToNumber(a[i + 1]) : 1;
    }
    free_args(a, nargs);
    valuePush(ctxt, xmlXPathNewBoolean((min < 0 || sum >= min) && (max < 0 || sum <= max)));
}

static void fn_checklist(xmlXPathParserContextPtr ctxt, int nargs)
{
    checklist(ctxt, nargs, false);
}

static void fn_weighted_checklist(xmlXPathParserContextPtr ctxt, int nargs)
{
    checklist(ctxt, nargs, true);
}

/* ---- dates ------------------------------------------------------------ */

static void fn_today(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    char d[32];
    dates_today(d);
    push_str(ctxt, d);
}

static void fn_now(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    char d[64];
    dates_now(d);
    push_str(ctxt, d);
}

/* A date argument: a number of days, or a date/dateTime string. */
static bool pop_date(xmlXPathParserContextPtr ctxt, struct dates_fields *f)
{
    xmlXPathObjectPtr o = valuePop(ctxt);
    bool ok;
    if (o && o->type == XPATH_NUMBER) {
        double d = o->floatval;
        /* about 27,000 years either way: further is no date, and would
         * overflow the conversion to whole days */
        ok = !isnan(d) && d < 1e7 && d > -1e7;
        if (ok) {
            char s[40];
            dates_from_days(d, d != floor_(d), s);
            ok = dates_parse(s, f);
        }
    } else {
        char *s = trim(obj_str(o));
        ok = dates_parse(s, f);
        free(s);
    }
    xmlXPathFreeObject(o);
    return ok;
}

static void fn_format_date(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(2);
    char *fmt = pop_str(ctxt);
    struct dates_fields f;
    char *r = pop_date(ctxt, &f) ? dates_format(&f, fmt) : xstrdup("");
    push_str(ctxt, r);
    free(r), free(fmt);
}

static void to_date(xmlXPathParserContextPtr ctxt, int nargs, bool with_time)
{
    CHECK_ARITY(1);
    struct dates_fields f;
    char out[48] = "";
    if (pop_date(ctxt, &f) && f.has_date) {
        if (!with_time)
            snprintf(out, sizeof out, "%04d-%02d-%02d", f.y, f.mo, f.d);
        else
            snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%06.3f", f.y, f.mo, f.d, f.h,
                     f.mi, f.s);
    }
    push_str(ctxt, out);
}

static void fn_date(xmlXPathParserContextPtr ctxt, int nargs)
{
    to_date(ctxt, nargs, false);
}

static void fn_date_time(xmlXPathParserContextPtr ctxt, int nargs)
{
    to_date(ctxt, nargs, true);
}

static void fn_decimal_date_time(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    xmlXPathObjectPtr o = valuePop(ctxt);
    double d;
    if (!o) {
        XP_ERROR(XPATH_STACK_ERROR);
    } else if (o->type == XPATH_NUMBER) {
        d = o->floatval;
    } else {
        char *s = trim(obj_str(o));
        d = dates_to_days(s);
        free(s);
    }
    xmlXPathFreeObject(o);
    valuePush(ctxt, xmlXPathNewFloat(d));
}

static void fn_decimal_time(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    char *s = trim(pop_str(ctxt));
    double d = dates_valid_time(s) ? dates_to_days(s) : NAN;
    free(s);
    valuePush(ctxt, xmlXPathNewFloat(d));
}

/* ---- nodes ------------------------------------------------------------ */

static void fn_position(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs == 0) {
        valuePush(ctxt, xmlXPathNewFloat(ctxt->context->proximityPosition));
        return;
    }
    CHECK_ARITY(1);
    xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
    if (ctxt->error) {
        xmlXPathFreeNodeSet(ns);
        return;
    }
    if (!ns || ns->nodeNr == 0) {
        xmlXPathFreeNodeSet(ns);
        valuePush(ctxt, xmlXPathNewFloat(NAN));
        return;
    }
    xmlNodePtr n = ns->nodeTab[0];
    double pos = 1;
    for (xmlNodePtr s = n->prev; s; s = s->prev)
        pos += s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, n->name);
    xmlXPathFreeNodeSet(ns);
    valuePush(ctxt, xmlXPathNewFloat(pos));
}

static void fn_current(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    valuePush(ctxt, xmlXPathNewNodeSet(state(ctxt)->current));
}

static void fn_instance(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    char *id = trim(pop_str(ctxt));
    struct xp_state *st = state(ctxt);
    xmlNodePtr doc = NULL;
    if (st->f->id && strcmp(id, st->f->id) == 0)
        doc = (xmlNodePtr)st->main;
    for (size_t i = 0; !doc && i < st->f->nsecondary; i++)
        if (strcmp(st->f->secondary_ids[i], id) == 0)
            doc = (xmlNodePtr)st->f->secondary[i];
    free(id);
    valuePush(ctxt, xmlXPathNewNodeSet(doc));
}

static void fn_once(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    char *v = pop_str(ctxt);
    xmlNodePtr cur = state(ctxt)->current;
    xmlChar *have = cur ? xmlNodeGetContent(cur) : NULL;
    push_str(ctxt, have && *have ? (const char *)have : v);
    xmlFree(have);
    free(v);
}

static void fn_uuid(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs > 1)
        XP_ERROR(XPATH_INVALID_ARITY);
    double len = nargs ? xmlXPathPopNumber(ctxt) : -1;
    char u[UUID_STR_LEN];
    if (len < 0 || isnan(len)) {
        uuid_v4(u);
        push_str(ctxt, u);
        return;
    }
    struct strbuf sb;
    strbuf_init(&sb);
    while (sb.len < (size_t)len && sb.len < 4096) {
        uuid_v4(u);
        for (int i = 0; u[i] && sb.len < (size_t)len; i++)
            if (u[i] != '-' && i != 14) /* not the version digit */
                strbuf_addc(&sb, u[i]);
    }
    push_str(ctxt, sb.buf);
    strbuf_free(&sb);
}

/* indexed-repeat(field, repeat1, index1 [, repeat2, index2 ...]) */
static void fn_indexed_repeat(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 3 || nargs % 2 == 0)
        XP_ERROR(XPATH_INVALID_ARITY);
    xmlXPathObjectPtr *a = pop_args(ctxt, nargs);
    xmlNodePtr within = NULL;
    bool ok = true;
    for (int i = 1; ok && i + 1 < nargs; i += 2) {
        double idx = xmlXPathCastToNumber(a[i + 1]);
        xmlNodeSetPtr rs = a[i]->type == XPATH_NODESET ? a[i]->nodesetval : NULL;
        int k = 0, want = isnan(idx) || idx < 1 || idx > 1e9 ? -1 : (int)idx;
        within = NULL;
        for (int j = 0; rs && j < rs->nodeNr && !within; j++)
            if (++k == want)
                within = rs->nodeTab[j];
        ok = within != NULL;
    }
    xmlNodePtr found = NULL;
    xmlNodeSetPtr fs = a[0]->type == XPATH_NODESET ? a[0]->nodesetval : NULL;
    for (int j = 0; ok && fs && j < fs->nodeNr && !found; j++)
        for (xmlNodePtr up = fs->nodeTab[j]; up && !found; up = up->parent)
            if (up == within)
                found = fs->nodeTab[j];
    free_args(a, nargs);
    valuePush(ctxt, xmlXPathNewNodeSet(found));
}

/* jr:itext('id'): the text of an itext id in the language shown (the
 * default language where it has none), "" for an unknown id. */
static void fn_itext(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1)
        XP_ERROR(XPATH_INVALID_ARITY);
    char *id = pop_str(ctxt);
    struct xp_state *st = state(ctxt);
    struct form_text t = {.itext = id};
    push_str(ctxt, st->f ? form_text(st->f, &t, st->lang) : "");
    free(id);
}

void funcs_shuffle(xmlNodePtr *nodes, int n, double seed)
{
    uint64_t x = (uint64_t)(int64_t)(isnan(seed) ? 0 : seed);
    if (isnan(seed)) {
        char u[UUID_STR_LEN];
        uuid_v4(u);
        for (int i = 0; i < 16; i++) /* 64 random bits */
            x = x << 4 | (uint64_t)strtol((char[]){u[i < 8 ? i : i + 1], 0}, NULL, 16);
    }
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    for (int i = n - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        int j = (int)(x % (uint64_t)(i + 1));
        xmlNodePtr t = nodes[i];
        nodes[i] = nodes[j];
        nodes[j] = t;
    }
}

/* randomize(nodeset [, seed]): the nodes shuffled. libxml2 puts a node-set
 * back into document order when the expression ends, so this matters only
 * inside an expression; itemsets shuffle their choices themselves. */
static void fn_randomize(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 1 || nargs > 2)
        XP_ERROR(XPATH_INVALID_ARITY);
    double seed = nargs == 2 ? xmlXPathPopNumber(ctxt) : NAN;
    xmlXPathObjectPtr o = valuePop(ctxt);
    if (!o || o->type != XPATH_NODESET) {
        xmlXPathFreeObject(o);
        fail(ctxt, "randomize() needs a node-set");
        return;
    }
    if (o->nodesetval)
        funcs_shuffle(o->nodesetval->nodeTab, o->nodesetval->nodeNr, seed);
    valuePush(ctxt, o);
}

/* imas:main(): the record's main instance (its document node), which
 * xpath.c puts before absolute paths into it. */
static void fn_main(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(0);
    struct xp_state *st = state(ctxt);
    valuePush(ctxt, xmlXPathNewNodeSet(st->main ? (xmlNodePtr)st->main : NULL));
}

/* ---- the table -------------------------------------------------------- */

struct fn {
    const char *uri;
    const char *name;
    int min, max;
    xmlXPathFunction impl; /* NULL: libxml2's own */
};

static const struct fn functions[] = {
    /* XPath 1.0, as libxml2 has them */
    {NULL, "last", 0, 0, NULL}, {NULL, "count", 1, 1, NULL}, {NULL, "id", 1, 1, NULL},
    {NULL, "local-name", 0, 1, NULL}, {NULL, "namespace-uri", 0, 1, NULL},
    {NULL, "name", 0, 1, NULL}, {NULL, "string", 0, 1, NULL},
    {NULL, "starts-with", 2, 2, NULL}, {NULL, "contains", 2, 2, NULL},
    {NULL, "substring-before", 2, 2, NULL}, {NULL, "substring-after", 2, 2, NULL},
    {NULL, "substring", 2, 3, NULL}, {NULL, "string-length", 0, 1, NULL},
    {NULL, "normalize-space", 0, 1, NULL}, {NULL, "translate", 3, 3, NULL},
    {NULL, "boolean", 1, 1, NULL}, {NULL, "not", 1, 1, NULL}, {NULL, "true", 0, 0, NULL},
    {NULL, "false", 0, 0, NULL}, {NULL, "lang", 1, 1, NULL}, {NULL, "number", 0, 1, NULL},
    {NULL, "sum", 1, 1, NULL}, {NULL, "floor", 1, 1, NULL}, {NULL, "ceiling", 1, 1, NULL},
    /* XPath 1.0, widened as ODK has them */
    {NULL, "position", 0, 1, fn_position}, {NULL, "concat", 0, -1, fn_concat},
    {NULL, "round", 1, 2, fn_round},
    /* ODK XForms */
    {NULL, "selected", 2, 2, fn_selected}, {NULL, "count-selected", 1, 1, fn_count_selected},
    {NULL, "selected-at", 2, 2, fn_selected_at}, {FORM_NS_JR, "choice-name", 2, 2, fn_choice_name},
    {FORM_NS_JR, "itext", 1, 1, fn_itext}, {NULL, "randomize", 1, 2, fn_randomize},
    {NULL, "if", 3, 3, fn_if}, {NULL, "coalesce", 2, 2, fn_coalesce},
    {NULL, "regex", 2, 2, fn_regex}, {NULL, "today", 0, 0, fn_today}, {NULL, "now", 0, 0, fn_now},
    {NULL, "int", 1, 1, fn_int}, {NULL, "boolean-from-string", 1, 1, fn_boolean_from_string},
    {NULL, "substr", 2, 3, fn_substr}, {NULL, "join", 1, -1, fn_join},
    {NULL, "min", 1, -1, fn_min}, {NULL, "max", 1, -1, fn_max}, {NULL, "once", 1, 1, fn_once},
    {NULL, "uuid", 0, 1, fn_uuid}, {NULL, "format-date", 2, 2, fn_format_date},
    {NULL, "format-date-time", 2, 2, fn_format_date}, {NULL, "date", 1, 1, fn_date},
    {NULL, "date-time", 1, 1, fn_date_time},
    {NULL, "decimal-date-time", 1, 1, fn_decimal_date_time},
    {NULL, "decimal-time", 1, 1, fn_decimal_time}, {NULL, "instance", 1, 1, fn_instance},
    {NULL, "current", 0, 0, fn_current}, {NULL, "count-non-empty", 1, 1, fn_count_non_empty},
    {NULL, "ends-with", 2, 2, fn_ends_with}, {NULL, "abs", 1, 1, fn_abs},
    {NULL, "pow", 2, 2, fn_pow}, {NULL, "pi", 0, 0, fn_pi}, {NULL, "random", 0, 0, fn_random},
    {NULL, "indexed-repeat", 3, -1, fn_indexed_repeat},
    {NULL, "checklist", 2, -1, fn_checklist},
    {NULL, "weighted-checklist", 2, -1, fn_weighted_checklist},
    /* ours, inserted by xpath.c */
    {FORM_NS_IMAS, "num", 1, 1, fn_num}, {FORM_NS_IMAS, "main", 0, 0, fn_main},
};

#define NFUNCTIONS (sizeof functions / sizeof functions[0])

bool funcs_lookup(const char *uri, const char *name, int *min, int *max)
{
    for (size_t i = 0; i < NFUNCTIONS; i++) {
        const struct fn *f = &functions[i];
        bool same_ns = (!uri && !f->uri) || (uri && f->uri && strcmp(uri, f->uri) == 0);
        if (same_ns && strcmp(f->name, name) == 0) {
            *min = f->min;
            *max = f->max;
            return true;
        }
    }
    return false;
}

const char *funcs_prefix(const char *uri)
{
    if (!uri)
        return NULL;
    if (strcmp(uri, FORM_NS_JR) == 0)
        return "jr";
    if (strcmp(uri, FORM_NS_ODK) == 0)
        return "odk";
    if (strcmp(uri, FORM_NS_ORX) == 0)
        return "orx";
    if (strcmp(uri, FORM_NS_IMAS) == 0)
        return "imas";
    return NULL;
}

static void on_error(void *data, xmlErrorPtr e)
{
    struct xp_state *st = data;
    if (st->error || !e)
        return;
    st->error = trim(xstrdup(e->message ? e->message : "XPath error"));
}

xmlXPathContextPtr funcs_context_new(struct xp_state *st)
{
    xmlXPathContextPtr c = xmlXPathNewContext(st->main);
    c->userData = st;
    c->error = on_error;
    static const char *const ns[] = {FORM_NS_JR, FORM_NS_ODK, FORM_NS_ORX, FORM_NS_IMAS};
    for (size_t i = 0; i < 4; i++)
        xmlXPathRegisterNs(c, (const xmlChar *)funcs_prefix(ns[i]), (const xmlChar *)ns[i]);
    for (size_t i = 0; i < NFUNCTIONS; i++) {
        const struct fn *f = &functions[i];
        if (!f->impl)
            continue;
        const xmlChar *name = (const xmlChar *)f->name, *uri = (const xmlChar *)f->uri;
        xmlXPathRegisterFuncNS(c, name, uri, NULL); /* drop libxml2's version */
        xmlXPathRegisterFuncNS(c, name, uri, f->impl);
    }
    c->opLimit = FUNCS_OP_LIMIT;
    xmlXPathContextSetCache(c, 1, -1, 0);
    return c;
}

void funcs_context_free(xmlXPathContextPtr *c)
{
    if (*c)
        xmlXPathFreeContext(*c);
    *c = NULL;
}

xmlXPathObjectPtr funcs_eval(xmlXPathContextPtr c, const struct form_expr *e, xmlNodePtr node,
                             xmlNodePtr current)
{
    struct xp_state *st = c->userData;
    c->doc = st->main;
    c->node = node;
    c->contextSize = 1;
    c->proximityPosition = 1;
    c->opCount = 0;
    st->current = current ? current : node;
    xmlXPathObjectPtr o = xmlXPathCompiledEval(e->comp, c);
    if (!o && !st->error)
        st->error = xstrdup("XPath evaluation failed");
    return o;
}

char *funcs_string(xmlXPathObjectPtr o)
{
    if (!o)
        return xstrdup("");
    if (o->type == XPATH_NUMBER && isnan(o->floatval))
        return xstrdup("");
    return obj_str(o);
}

bool funcs_boolean(xmlXPathObjectPtr o)
{
    return o && xmlXPathCastToBoolean(o);
}
