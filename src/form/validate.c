#include "config.h"

#include "form/record.h"

#include "core/i18n.h"
#include "core/media.h"
#include "core/xalloc.h"
#include "form/dates.h"
#include "form/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPEAT_COUNT 10000

/* ---- relevance and friends -------------------------------------------- */

/* Evaluate the bind attribute `which` of x and every element above it;
 * true when any says yes (want == true) or any says no (want == false). */
static bool any_ancestor(struct form_record *r, xmlNodePtr x, bool readonly)
{
    /* each element's path is its child's cut at the last '/' */
    char *p = model_node_path(x);
    bool any = false;
    for (xmlNodePtr a = x; !any && a && a->type == XML_ELEMENT_NODE; a = a->parent) {
        const struct form_bind *b = form_bind(r->f, p);
        if (b && readonly && b->x->readonly)
            any = inst_eval_bool(r, b->x->readonly, a, false);
        else if (b && !readonly && b->x->relevant)
            any = !inst_eval_bool(r, b->x->relevant, a, true);
        char *slash = strrchr(p, '/');
        if (slash)
            *slash = '\0';
    }
    free(p);
    return any;
}

/* The element of n in item; for a repeat (or a field in one) without an
 * instance, in a throwaway instance returned in *probe. */
static xmlNodePtr element_of(struct form_record *r, const struct form_node *n, const char *item,
                             xmlNodePtr *probe)
{
    *probe = NULL;
    while (n && !*n->path)
        n = n->parent;
    if (!n)
        return NULL;
    xmlNodePtr x = inst_resolve(r, n->path, item);
    if (x)
        return x;
    const struct repeat_info *rep = model_repeat_of(r->f, n->path, true);
    *probe = rep ? inst_probe(r, rep, item) : NULL;
    return *probe ? inst_resolve_in(r, *probe, rep->path, n->path) : NULL;
}

bool form_record_relevant(struct form_record *r, const struct form_node *n, const char *item_id)
{
    xmlNodePtr probe;
    xmlNodePtr x = element_of(r, n, item_id, &probe);
    bool relevant = !x || !any_ancestor(r, x, false);
    inst_probe_end(probe);
    return relevant;
}

bool form_record_readonly(struct form_record *r, const struct form_node *n, const char *item_id)
{
    xmlNodePtr probe;
    xmlNodePtr x = element_of(r, n, item_id, &probe);
    bool ro = x && any_ancestor(r, x, true);
    inst_probe_end(probe);
    return ro;
}

bool form_record_required(struct form_record *r, const struct form_node *n, const char *item_id)
{
    if (!n->bind || !n->bind->x->required)
        return false;
    xmlNodePtr probe;
    xmlNodePtr x = element_of(r, n, item_id, &probe);
    bool req = x && inst_eval_bool(r, n->bind->x->required, x, false);
    inst_probe_end(probe);
    return req;
}

long form_record_repeat_count(struct form_record *r, const struct form_node *n,
                              const char *parent_item)
{
    if (n->kind != FORM_REPEAT || !n->x->count)
        return -1;
    char *parent = xstrndup(n->path, (size_t)(strrchr(n->path, '/') - n->path));
    xmlNodePtr x = inst_resolve(r, parent, parent_item);
    free(parent);
    xmlXPathObjectPtr o = x ? inst_eval(r, n->x->count, x) : NULL;
    double d = o ? xmlXPathCastToNumber(o) : 0;
    xmlXPathFreeObject(o);
    if (!(d > 0))
        return 0;
    return d > MAX_REPEAT_COUNT ? MAX_REPEAT_COUNT : (long)d;
}

/* ---- types ------------------------------------------------------------ */

static bool is_int(const char *v)
{
    const char *p = v + (*v == '+' || *v == '-');
    if (!*p || strspn(p, "0123456789") != strlen(p))
        return false;
    long long x = strtoll(v, NULL, 10);
    return x >= -2147483648LL && x <= 2147483647LL;
}

static bool is_decimal(const char *v)
{
    const char *p = v + (*v == '+' || *v == '-');
    size_t a = strspn(p, "0123456789");
    p += a;
    size_t b = 0;
    if (*p == '.') {
        b = strspn(p + 1, "0123456789");
        p += 1 + b;
    }
    return (a || b) && !*p;
}

static bool number_in(const char *s, double lo, double hi, const char **end)
{
    char *e;
    double d = strtod(s, &e);
    if (e == s || d < lo || d > hi)
        return false;
    *end = e;
    return true;
}

static bool is_geopoint(const char *v)
{
    const double lo[] = {-90, -180, -1e7, 0}, hi[] = {90, 180, 1e7, 1e9};
    const char *p = v;
    int n = 0;
    while (*p && n < 4) {
        if (!number_in(p, lo[n], hi[n], &p))
            return false;
        n++;
        if (*p && *p != ' ')
            return false;
        p += strspn(p, " ");
    }
    return n >= 2 && !*p;
}

static bool is_choice(const struct form_option *o, size_t n, const char *v, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(o[i].value) == len && strncmp(o[i].value, v, len) == 0)
            return true;
    return false;
}

/* A select1 value is one choice, spaces and all. */
static bool is_choice_whole(struct form_record *r, const struct form_node *n, const char *item,
                            const char *v)
{
    struct form_option *o;
    size_t count = form_record_options(r, n, item, NULL, &o);
    bool ok = is_choice(o, count, v, strlen(v));
    form_options_free(&o, count);
    return ok;
}

/* Every value of a selection is a choice, one for select1, each once for a rank. */
static bool choices_ok(struct form_record *r, const struct form_node *n, const char *item,
                       const char *v)
{
    if (n->kind == FORM_SELECT1)
        return is_choice_whole(r, n, item, v);
    struct form_option *o;
    size_t count = form_record_options(r, n, item, NULL, &o);
    const char *tok[256];
    size_t len[256], k = 0;
    bool ok = true;
    for (const char *p = v + strspn(v, " "); ok && *p; p += strspn(p, " ")) {
        size_t l = strcspn(p, " ");
        ok = k < 256 && is_choice(o, count, p, l);
        for (size_t i = 0; ok && n->kind == FORM_RANK && i < k; i++)
            ok = !(len[i] == l && strncmp(tok[i], p, l) == 0);
        if (ok) {
            tok[k] = p;
            len[k++] = l;
        }
        p += l;
    }
    form_options_free(&o, count);
    return ok;
}

static bool range_ok(const struct form_node *n, const char *v)
{
    if (!is_decimal(v))
        return false;
    double d = strtod(v, NULL);
    double lo = n->range_start < n->range_end ? n->range_start : n->range_end;
    double hi = n->range_start < n->range_end ? n->range_end : n->range_start;
    if (d < lo - 1e-9 || d > hi + 1e-9)
        return false;
    double steps = (d - n->range_start) / n->range_step;
    if (steps < 0)
        steps = -steps;
    double frac = steps - (double)(long long)steps;
    return frac < 1e-9 || frac > 1 - 1e-9;
}

/* NULL when v suits n's type, else what to say (fresh). */
static char *type_problem(struct form_record *r, const struct form_node *n, const char *item,
                          const char *v)
{
    switch (n->type) {
    case FORM_TYPE_INT:
        if (!is_int(v))
            return xstrdup(_("Enter a whole number."));
        break;
    case FORM_TYPE_DECIMAL:
        if (!is_decimal(v))
            return xstrdup(_("Enter a number."));
        break;
    case FORM_TYPE_DATE:
        if (!dates_valid_date(v))
            return xstrdup(_("Enter a date as YYYY-MM-DD."));
        break;
    case FORM_TYPE_TIME:
        if (!dates_valid_time(v))
            return xstrdup(_("Enter a time as HH:MM."));
        break;
    case FORM_TYPE_DATETIME:
        if (!dates_valid_datetime(v))
            return xstrdup(_("Enter a date and time as YYYY-MM-DDTHH:MM."));
        break;
    case FORM_TYPE_BOOLEAN:
        if (strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "1") && strcmp(v, "0"))
            return xstrdup(_("Enter true or false."));
        break;
    case FORM_TYPE_GEOPOINT:
        if (!is_geopoint(v))
            /* TRANSLATORS: a geopoint is typed as "46.05 14.51" (altitude and accuracy optional) */
            return xstrdup(_("Enter latitude and longitude in degrees, separated by a space."));
        break;
    case FORM_TYPE_BINARY: {
        /* an attachment's answer names it: "HEX NAME" (core/media.h) */
        char hex[MEDIA_HASH_HEX + 1];
        if (!media_value_parse(v, hex, NULL))
            return xstrdup(_("Attach a file: type its path, then Enter."));
        break;
    }
    default:
        break;
    }
    if ((n->kind == FORM_SELECT1 || n->kind == FORM_SELECT || n->kind == FORM_RANK) &&
        !choices_ok(r, n, item, v))
        return xstrdup(_("Choose among the listed answers."));
    if (n->kind == FORM_RANGE && !range_ok(n, v))
        return xasprintf(_("Choose a number from %g to %g in steps of %g."), n->range_start,
                         n->range_end, n->range_step);
    return NULL;
}

/* form_record_check() of x, n's element in item. */
static bool check_element(struct form_record *r, const struct form_node *n, const char *item_id,
                          xmlNodePtr x, const char *lang, char **msg)
{
    if (msg)
        *msg = NULL;
    if (!x || !inst_is_leaf(x) || !*inst_text(x))
        return true;
    char *why = type_problem(r, n, item_id, inst_text(x));
    if (!why && n->bind && n->bind->x->constraint) {
        r->st.lang = lang;
        if (!inst_eval_bool(r, n->bind->x->constraint, x, false))
            why = n->constraint_msg ? form_record_text(r, n->constraint_msg, n, item_id, lang)
                                    : xstrdup(_("This answer is not accepted by the form."));
    }
    if (why && msg)
        *msg = why;
    else
        free(why);
    return why == NULL;
}

bool form_record_check(struct form_record *r, const struct form_node *n, const char *item_id,
                       const char *lang, char **msg)
{
    xmlNodePtr x = *n->path ? inst_resolve(r, n->path, item_id) : NULL;
    return check_element(r, n, item_id, x, lang, msg);
}

/* ---- the state of questions ------------------------------------------- */

/* One question's state from the five functions, one by one: where its
 * element is not found by its own path (a repeat without an instance). */
static enum form_qstate qstate_slow(struct form_record *r, const struct form_qref *q,
                                    const char *lang)
{
    if (!form_record_relevant(r, q->node, q->item))
        return FORM_Q_IRRELEVANT;
    if (q->relevance)
        return FORM_Q_EMPTY;
    if (q->node->kind == FORM_NOTE || form_record_readonly(r, q->node, q->item))
        return FORM_Q_NOTE;
    const char *v = form_record_get(r, q->node->path, q->item);
    if (!v || !*v)
        return form_record_required(r, q->node, q->item) ? FORM_Q_MISSING : FORM_Q_EMPTY;
    return form_record_check(r, q->node, q->item, lang, NULL) ? FORM_Q_ANSWERED : FORM_Q_INVALID;
}

/* The same from x, the element the node's path names in the item: what
 * each of those functions finds first, so they are asked of it. */
static enum form_qstate qstate_at(struct form_record *r, const struct form_qref *q, xmlNodePtr x,
                                  const char *lang)
{
    const struct form_node *n = q->node;
    if (any_ancestor(r, x, false))
        return FORM_Q_IRRELEVANT;
    if (q->relevance)
        return FORM_Q_EMPTY;
    if (n->kind == FORM_NOTE || any_ancestor(r, x, true))
        return FORM_Q_NOTE;
    const char *v = inst_is_leaf(x) ? inst_text(x) : NULL;
    if (!v || !*v)
        return n->bind && n->bind->x->required &&
                       inst_eval_bool(r, n->bind->x->required, x, false)
                   ? FORM_Q_MISSING
                   : FORM_Q_EMPTY;
    return check_element(r, n, q->item, x, lang, NULL) ? FORM_Q_ANSWERED : FORM_Q_INVALID;
}

static enum form_qstate qstate(struct form_record *r, struct inst_walk *w,
                               const struct form_qref *q, const char *lang)
{
    if (!q->node)
        return FORM_Q_IRRELEVANT;
    xmlNodePtr x = *q->node->path ? inst_resolve_walk(r, w, q->node->path, q->item) : NULL;
    return x ? qstate_at(r, q, x, lang) : qstate_slow(r, q, lang);
}

enum form_qstate form_record_qstate(struct form_record *r, const struct form_node *n,
                                    const char *item_id, const char *lang)
{
    struct form_qref q = {.node = n, .item = item_id};
    return qstate(r, NULL, &q, lang);
}

void form_record_qstates(struct form_record *r, const struct form_qref *q, size_t n,
                         const char *lang, enum form_qstate *out)
{
    /* nothing below changes the instance (a probe of qstate_slow is gone
     * when it returns), so the walk's pointers stay good while it lives */
    struct inst_walk *w = n > 1 ? inst_walk_new() : NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = qstate(r, w, &q[i], lang);
    inst_walk_free(&w);
}

/* ---- finalize --------------------------------------------------------- */

struct problems {
    struct form_record *r;
    const struct form_node *n;
    const char *lang;
    form_problem_fn *fn;
    void *ctx;
    size_t count;
};

static void check_at(void *ctx, xmlNodePtr x)
{
    struct problems *p = ctx;
    const char *item = inst_item_id(x);
    if (!inst_is_leaf(x) || !form_record_relevant(p->r, p->n, item) ||
        form_record_readonly(p->r, p->n, item))
        return;
    char *msg = NULL;
    if (!*inst_text(x)) {
        if (form_record_required(p->r, p->n, item))
            msg = p->n->required_msg
                      ? form_record_text(p->r, p->n->required_msg, p->n, item, p->lang)
                      : xstrdup(_("An answer is required."));
    } else {
        form_record_check(p->r, p->n, item, p->lang, &msg);
    }
    if (msg) {
        if (!*msg) {
            free(msg);
            msg = xstrdup(_("An answer is required."));
        }
        p->count++;
        if (p->fn)
            p->fn(p->ctx, p->n, item, msg);
        free(msg);
    }
}

static void walk(struct problems *p, const struct form_node *n)
{
    if (n->kind != FORM_GROUP && n->kind != FORM_REPEAT && n->kind != FORM_NOTE && *n->path) {
        p->n = n;
        inst_each(p->r, n->path, check_at, p);
    }
    for (size_t i = 0; i < n->nchildren; i++)
        walk(p, n->children[i]);
}

size_t form_record_problems(struct form_record *r, const char *lang, form_problem_fn *fn,
                            void *ctx)
{
    struct problems p = {.r = r, .lang = lang, .fn = fn, .ctx = ctx};
    walk(&p, r->f->root);
    return p.count;
}
