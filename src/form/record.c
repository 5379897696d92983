#include "config.h"

#include "form/record.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "form/dates.h"
#include "form/instance.h"
#include "form/itext.h"
#include "form/markup.h"
#include "form/xpath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Calculations feeding each other settle within this many rounds. */
#define RECORD_CALC_PASSES 16

static const char *choice_label(struct xp_state *st, const char *path, const char *value);

struct form_record *form_record_new(const struct form *f)
{
    struct form_record *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->doc = xmlNewDoc((const xmlChar *)"1.0");
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    xmlDocSetRootElement(r->doc, model_copy_stripped(f, r->doc, f->instance_root, root, true));
    free(root);
    r->items = xmlHashCreate(16);
    r->st.f = f;
    r->st.main = r->doc;
    r->st.choice_label = choice_label;
    r->st.data = r;
    r->xp = funcs_context_new(&r->st);
    return r;
}

static void free_item(void *payload, const xmlChar *name)
{
    (void)name;
    struct item *it = payload;
    free(it->id);
    free(it);
}

void form_record_free(struct form_record **rp)
{
    struct form_record *r = *rp;
    if (!r)
        return;
    funcs_context_free(&r->xp);
    xmlHashFree(r->items, free_item);
    xmlFreeDoc(r->doc);
    free(r->st.error);
    free(r->error);
    free(r->scratch);
    xfree(rp);
}

const struct form *form_record_form(const struct form_record *r)
{
    return r->f;
}

const char *form_record_error(const struct form_record *r)
{
    return r->error;
}

/* ---- items ------------------------------------------------------------ */

static bool add_item(struct form_record *r, const char *repeat_path, const char *parent_item,
                     const char *item_id, xmlNodePtr src, struct error *err)
{
    const struct repeat_info *rep = model_repeat(r->f, repeat_path);
    if (!rep)
        return error_set(err, _("%s is not a repeat of the form"), repeat_path ? repeat_path : "");
    if (!item_id || !*item_id || xmlHashLookup(r->items, (const xmlChar *)item_id))
        return error_set(err, _("item %s is missing or already in the record"),
                         item_id ? item_id : "");
    const struct repeat_info *outer = model_repeat_of(r->f, repeat_path, false);
    const struct item *pi = parent_item && *parent_item
                                ? xmlHashLookup(r->items, (const xmlChar *)parent_item)
                                : NULL;
    if (outer && (!pi || pi->repeat != outer))
        return error_set(err, _("%s needs the item of %s it belongs to"), repeat_path, outer->path);
    char *parent_path = xstrndup(repeat_path, (size_t)(strrchr(repeat_path, '/') - repeat_path));
    xmlNodePtr parent = inst_resolve(r, parent_path, outer ? parent_item : NULL);
    free(parent_path);
    if (!parent)
        return error_set(err, _("no place for an instance of %s"), repeat_path);
    struct item *it = xcalloc(1, sizeof *it);
    it->id = xstrdup(item_id);
    it->repeat = rep;
    it->node = inst_insert(r, rep, parent, src ? src : rep->tmpl);
    it->node->_private = it;
    xmlHashAddEntry(r->items, (const xmlChar *)it->id, it);
    return true;
}

bool form_record_add_item(struct form_record *r, const char *repeat_path,
                          const char *parent_item, const char *item_id, struct error *err)
{
    return add_item(r, repeat_path, parent_item, item_id, NULL, err);
}

static void forget_items(struct form_record *r, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            forget_items(r, c);
    if (n->_private) {
        struct item *it = n->_private;
        n->_private = NULL;
        xmlHashRemoveEntry(r->items, (const xmlChar *)it->id, free_item);
    }
}

bool form_record_remove_item(struct form_record *r, const char *item_id)
{
    struct item *it = item_id ? xmlHashLookup(r->items, (const xmlChar *)item_id) : NULL;
    if (!it)
        return false;
    xmlNodePtr n = it->node;
    forget_items(r, n);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    return true;
}

static void count_node(void *ctx, xmlNodePtr n)
{
    (void)n;
    ++*(size_t *)ctx;
}

size_t form_record_item_count(const struct form_record *r, const char *repeat_path,
                              const char *parent_item)
{
    const struct repeat_info *rep = model_repeat(r->f, repeat_path);
    if (!rep)
        return 0;
    char *parent_path = xstrndup(repeat_path, (size_t)(strrchr(repeat_path, '/') - repeat_path));
    xmlNodePtr parent = inst_resolve(r, parent_path, parent_item);
    free(parent_path);
    size_t n = 0;
    const char *name = strrchr(repeat_path, '/') + 1;
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (model_is_el(c, name))
            count_node(&n, c);
    return n;
}

/* ---- values ----------------------------------------------------------- */

bool form_record_set(struct form_record *r, const char *field, const char *item_id,
                     const char *value, struct error *err)
{
    xmlNodePtr n = inst_resolve(r, field, item_id);
    if (!n)
        return error_set(err, _("the record has no field %s%s%s"), field ? field : "",
                         item_id && *item_id ? _(" in item ") : "", item_id ? item_id : "");
    if (!inst_is_leaf(n))
        return error_set(err, _("%s is a group, not a field"), field);
    if (value && !utf8_valid(value, strlen(value)))
        return error_set(err, _("the value of %s is not valid UTF-8"), field);
    inst_set_text(n, value);
    return true;
}

const char *form_record_get(const struct form_record *r, const char *field, const char *item_id)
{
    xmlNodePtr n = inst_resolve(r, field, item_id);
    return n && inst_is_leaf(n) ? inst_text(n) : NULL;
}

static void report(const struct form_events *ev, xmlNodePtr n)
{
    if (!ev || !ev->changed)
        return;
    char *path = model_node_path(n);
    ev->changed(ev->ctx, path, inst_item_id(n), inst_text(n));
    free(path);
}

/* Report every non-empty leaf under n. */
static void report_values(const struct form_events *ev, xmlNodePtr n)
{
    if (inst_is_leaf(n)) {
        if (*inst_text(n))
            report(ev, n);
        return;
    }
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !c->_private)
            report_values(ev, c);
}

/* jr:preload="property" and "context" on a laptop: the device id is the
 * laptop's (and user's), the user name is the author; what only a phone
 * has (SIM serial, subscriber id, phone number) and an account e-mail
 * are empty. */
static char *property_value(const char *q, const struct form_env *env)
{
    if (strncasecmp(q, "uri:", 4) == 0)
        q += 4;
    const char *v = NULL;
    if (env && strcasecmp(q, "deviceid") == 0)
        v = env->device_id;
    else if (env && strcasecmp(q, "username") == 0)
        v = env->username;
    return xstrdup(v ? v : "");
}

static char *preload_value(const struct form_bind *b, const struct form_env *env)
{
    const char *p = b->preload, *q = b->preload_params ? b->preload_params : "";
    if (strcasecmp(p, "uid") == 0) {
        char u[UUID_STR_LEN];
        uuid_v4(u);
        return xasprintf("uuid:%s", u);
    }
    if (strcasecmp(p, "timestamp") == 0 && strcasecmp(q, "start") == 0) {
        char now[64];
        dates_now(now);
        return xstrdup(now);
    }
    if (strcasecmp(p, "date") == 0) {
        char today[32];
        dates_today(today);
        return xstrdup(today);
    }
    if (strcasecmp(p, "property") == 0 || strcasecmp(p, "context") == 0)
        return property_value(q, env); /* context: only UserName is accepted */
    return NULL; /* timestamp end: on finalize */
}

struct setvalue_run {
    struct form_record *r;
    const struct setvalue *s;
    const struct form_events *ev;
};

static void run_setvalue_at(void *ctx, xmlNodePtr n)
{
    struct setvalue_run *sr = ctx;
    if (!inst_is_leaf(n))
        return;
    char *v = sr->s->value ? inst_eval_string(sr->r, sr->s->value, n) : xstrdup(sr->s->literal);
    if (strcmp(v, inst_text(n)) != 0) {
        inst_set_text(n, v);
        report(sr->ev, n);
    }
    free(v);
}

bool form_record_first_load(struct form_record *r, const struct form_env *env,
                            const struct form_events *ev, struct error *err)
{
    const struct form *f = r->f;
    for (size_t i = 0; i < f->nfields; i++) {
        const struct form_field *fd = &f->fields[i];
        if (!fd->repeat_path && *fd->default_value && ev && ev->changed)
            ev->changed(ev->ctx, fd->path, "", fd->default_value);
    }
    for (size_t i = 0; i < f->nbinds; i++) {
        const struct form_bind *b = f->binds[i];
        xmlNodePtr n = b->preload ? inst_resolve(r, b->path, NULL) : NULL;
        char *v = n && inst_is_leaf(n) ? preload_value(b, env) : NULL;
        if (v) {
            inst_set_text(n, v);
            report(ev, n);
        }
        free(v);
    }
    for (size_t i = 0; i < f->nrepeats; i++) {
        const struct repeat_info *rep = f->repeats[i];
        if (model_repeat_of(f, rep->path, false))
            continue; /* nested: instances come with their parent's */
        for (size_t k = 0; k < rep->nprefilled; k++) {
            char id[UUID_STR_LEN];
            uuid_v7(id);
            if (!add_item(r, rep->path, NULL, id, rep->prefilled[k], err))
                return false;
            if (ev && ev->item_added)
                ev->item_added(ev->ctx, rep->path, "", id);
            report_values(ev, inst_resolve(r, rep->path, id));
        }
    }
    for (size_t i = 0; i < f->nsetvalues; i++) {
        struct setvalue_run sr = {r, f->setvalues[i], ev};
        if (sr.s->events & SETVALUE_FIRST_LOAD)
            inst_each(r, sr.s->ref, run_setvalue_at, &sr);
    }
    form_record_calculate(r, ev ? ev->changed : NULL, ev ? ev->ctx : NULL);
    return true;
}

bool form_record_new_item(struct form_record *r, const char *repeat_path,
                          const char *parent_item, const char *item_id,
                          const struct form_events *ev, struct error *err)
{
    if (!add_item(r, repeat_path, parent_item, item_id, NULL, err))
        return false;
    const struct form *f = r->f;
    report_values(ev, inst_resolve(r, repeat_path, item_id));
    for (size_t i = 0; i < f->nsetvalues; i++) {
        struct setvalue_run sr = {r, f->setvalues[i], ev};
        if (!(sr.s->events & SETVALUE_NEW_REPEAT) || strcmp(sr.s->repeat, repeat_path) != 0)
            continue;
        xmlNodePtr n = inst_resolve(r, sr.s->ref, item_id);
        if (n)
            run_setvalue_at(&sr, n);
    }
    form_record_calculate(r, ev ? ev->changed : NULL, ev ? ev->ctx : NULL);
    return true;
}

bool form_record_value_changed(struct form_record *r, const char *field, const char *item_id,
                               const struct form_events *ev)
{
    const struct form *f = r->f;
    bool any = false;
    xmlNodePtr at = inst_resolve(r, field, item_id);
    if (!at)
        return false;
    for (size_t i = 0; i < f->nsetvalues; i++) {
        struct setvalue_run sr = {r, f->setvalues[i], ev};
        if (!(sr.s->events & SETVALUE_VALUE_CHANGED) || strcmp(sr.s->control, field) != 0)
            continue;
        /* the target in the same repeat instance as the control */
        const struct item *it = inst_item_of(at);
        xmlNodePtr n = inst_resolve(r, sr.s->ref, it ? it->id : NULL);
        if (!n)
            n = inst_resolve(r, sr.s->ref, NULL);
        if (n) {
            run_setvalue_at(&sr, n);
            any = true;
        }
    }
    if (any)
        form_record_calculate(r, ev ? ev->changed : NULL, ev ? ev->ctx : NULL);
    return any;
}

void form_record_finalize(struct form_record *r, const struct form_events *ev)
{
    for (size_t i = 0; i < r->f->nbinds; i++) {
        const struct form_bind *b = r->f->binds[i];
        if (!b->preload || strcasecmp(b->preload, "timestamp") != 0 || !b->preload_params ||
            strcasecmp(b->preload_params, "end") != 0)
            continue;
        xmlNodePtr n = inst_resolve(r, b->path, NULL);
        if (n && inst_is_leaf(n)) {
            char now[64];
            dates_now(now);
            inst_set_text(n, now);
            report(ev, n);
        }
    }
    form_record_calculate(r, ev ? ev->changed : NULL, ev ? ev->ctx : NULL);
}

/* ---- calculations ----------------------------------------------------- */

struct calc {
    struct form_record *r;
    const struct form_expr *e;
    xmlNodePtr *changed;
    size_t nchanged;
    bool any;
};

static void calc_at(void *ctx, xmlNodePtr n)
{
    struct calc *c = ctx;
    if (!inst_is_leaf(n))
        return;
    char *v = inst_eval_string(c->r, c->e, n);
    if (strcmp(v, inst_text(n)) != 0) {
        inst_set_text(n, v);
        c->any = true;
        size_t i = 0;
        while (i < c->nchanged && c->changed[i] != n)
            i++;
        if (i == c->nchanged) {
            c->changed = xrealloc(c->changed, (c->nchanged + 1) * sizeof *c->changed);
            c->changed[c->nchanged++] = n;
        }
    }
    free(v);
}

void form_record_calculate(struct form_record *r, form_changed_fn *changed, void *ctx)
{
    struct calc c = {.r = r};
    r->st.lang = NULL; /* stored values do not depend on the language shown */
    for (int pass = 0; pass < RECORD_CALC_PASSES; pass++) {
        c.any = false;
        for (size_t i = 0; i < r->f->nbinds; i++) {
            c.e = r->f->binds[i]->x->calculate;
            if (c.e)
                inst_each(r, r->f->binds[i]->path, calc_at, &c);
        }
        if (!c.any)
            break;
    }
    struct form_events ev = {changed, NULL, ctx};
    for (size_t i = 0; i < c.nchanged; i++)
        report(&ev, c.changed[i]);
    free(c.changed);
}

/* ---- texts and choices ------------------------------------------------ */

/* The element a node's expressions run at: its own, or for a ref-less
 * group or a missing instance the nearest one found above it. */
static xmlNodePtr context_of(struct form_record *r, const struct form_node *n, const char *item)
{
    for (; n; n = n->parent) {
        xmlNodePtr x = *n->path ? inst_resolve(r, n->path, item) : NULL;
        if (x)
            return x;
    }
    return xmlDocGetRootElement(r->doc);
}

char *form_record_text(struct form_record *r, const struct form_text *t,
                       const struct form_node *n, const char *item_id, const char *lang)
{
    size_t np;
    const struct form_part *p = itext_parts(r->f, t, lang, &np);
    /* the form's own text loses its markup; the values of its <output>s
     * (answers, often typed) are put in the slots as they are */
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < np; i++)
        if (p[i].literal)
            strbuf_adds(&sb, p[i].literal);
        else
            strbuf_addc(&sb, MARKUP_SLOT);
    char *plain = markup_plain(sb.buf ? sb.buf : "");
    strbuf_free(&sb);
    strbuf_init(&sb);
    xmlNodePtr at = np ? context_of(r, n, item_id) : NULL;
    r->st.lang = lang;
    size_t i = 0;
    for (const char *q = plain; *q; q++) {
        if (*q != MARKUP_SLOT) {
            strbuf_addc(&sb, *q);
            continue;
        }
        while (i < np && p[i].literal)
            i++;
        if (i == np)
            continue;
        struct xp_opts o = {.f = r->f, .what = "output", .where = n ? n->path : "",
                            .ctx_path = n && *n->path ? n->path : NULL};
        struct form_expr *e = xpath_compile(p[i++].output, &o, NULL);
        if (e) {
            char *v = inst_eval_string(r, e, at);
            strbuf_adds(&sb, v);
            free(v);
            model_expr_free(&e);
        }
    }
    free(plain);
    return strbuf_detach(&sb);
}

static size_t add_option(struct form_option **out, size_t n, const char *value, char *label)
{
    *out = xrealloc(*out, (n + 1) * sizeof **out);
    (*out)[n].value = xstrdup(value);
    (*out)[n].label = label;
    return n + 1;
}

/* The itemset of n evaluated at `at` on context c (whose state is st). */
static size_t itemset_options(struct form_record *r, xmlXPathContextPtr c, const struct form_node *n,
                              xmlNodePtr at, const char *lang, struct form_option **out)
{
    const struct form_itemset_x *x = n->itemset->x;
    size_t count = 0;
    xmlXPathObjectPtr items = funcs_eval(c, x->nodeset, at, at);
    if (x->randomize && items && items->nodesetval) {
        double seed = NAN;
        if (x->seed) {
            xmlXPathObjectPtr s = funcs_eval(c, x->seed, at, at);
            seed = s ? xmlXPathCastToNumber(s) : NAN;
            xmlXPathFreeObject(s);
        }
        funcs_shuffle(items->nodesetval->nodeTab, items->nodesetval->nodeNr, seed);
    }
    for (int i = 0; items && items->nodesetval && i < items->nodesetval->nodeNr; i++) {
        xmlNodePtr item = items->nodesetval->nodeTab[i];
        xmlXPathObjectPtr v = funcs_eval(c, x->value, item, at);
        xmlXPathObjectPtr l = funcs_eval(c, x->label, item, at);
        char *value = funcs_string(v), *label = funcs_string(l);
        xmlXPathFreeObject(v);
        xmlXPathFreeObject(l);
        if (*value && n->itemset->label_itext) {
            struct form_text t = {.itext = label};
            char *shown = markup_plain(form_text(r->f, &t, lang));
            free(label);
            label = shown;
        } else if (*value && item->doc != r->st.main) { /* the form's text, not an answer */
            char *shown = markup_plain(label);
            free(label);
            label = shown;
        }
        if (*value)
            count = add_option(out, count, value, label);
        else
            free(label);
        free(value);
    }
    xmlXPathFreeObject(items);
    return count;
}

size_t form_record_options(struct form_record *r, const struct form_node *n,
                           const char *item_id, const char *lang, struct form_option **out)
{
    *out = NULL;
    size_t count = 0;
    if (!n->itemset) {
        for (size_t i = 0; i < n->nchoices; i++)
            count = add_option(out, count, n->choices[i].value,
                               markup_plain(form_text(r->f, &n->choices[i].label, lang)));
        return count;
    }
    r->st.lang = lang;
    xmlNodePtr at = context_of(r, n, item_id);
    count = itemset_options(r, r->xp, n, at, lang, out);
    return count;
}

void form_options_free(struct form_option **o, size_t n)
{
    for (size_t i = 0; *o && i < n; i++) {
        free((*o)[i].value);
        free((*o)[i].label);
    }
    xfree(o);
}

/* jr:choice-name(): the label of value among the choices of the control
 * at path, evaluated (for itemsets) on a context of its own, since the
 * record's context is busy with the expression that called it. */
static const char *choice_label(struct xp_state *st, const char *path, const char *value)
{
    struct form_record *r = st->data;
    char *norm = model_path_normalize(path);
    const struct form_node *n = norm ? form_find(r->f, norm) : NULL;
    free(norm);
    if (!n)
        return NULL;
    if (!n->itemset || !n->itemset->dynamic) {
        const char *l = form_choice_label(r->f, n, value, st->lang);
        return *l ? l : NULL;
    }
    struct xp_state inner = *st;
    inner.error = NULL;
    xmlXPathContextPtr c = funcs_context_new(&inner);
    xmlNodePtr at = st->current;
    const struct item *it = inst_item_of(at);
    xmlNodePtr q = inst_resolve(r, n->path, it ? it->id : NULL);
    struct form_option *opts = NULL;
    size_t k = itemset_options(r, c, n, q ? q : at, st->lang, &opts);
    const char *found = NULL;
    for (size_t i = 0; i < k && !found; i++)
        if (strcmp(opts[i].value, value) == 0) {
            free(r->scratch);
            r->scratch = xstrdup(opts[i].label);
            found = r->scratch;
        }
    form_options_free(&opts, k);
    funcs_context_free(&c);
    free(inner.error);
    return found;
}
