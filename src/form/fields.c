#include "config.h"

#include "form/fields.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/dates.h"
#include "form/funcs.h"
#include "form/itext.h"
#include "form/xpath.h"

#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX_CHOICES 100000


/* A date default written "1900-1-1" is the date ODK reads it as: the
 * template (and so every record made from it) holds it as 1900-01-01. */
static void pad_date_default(struct form_field *fd, xmlNodePtr el)
{
    enum form_type t = fd->bind ? fd->bind->type : FORM_TYPE_NONE;
    if (t != FORM_TYPE_DATE && t != FORM_TYPE_TIME && t != FORM_TYPE_DATETIME)
        return;
    char *v = *fd->default_value ? dates_normalize(fd->default_value) : NULL;
    if (v && strcmp(v, fd->default_value) != 0) {
        xmlNodeSetContent(el, NULL);
        xmlNodeAddContent(el, (const xmlChar *)v);
        free(fd->default_value);
        fd->default_value = v;
        v = NULL;
    }
    free(v);
}

static void collect_fields(struct form *f, xmlNodePtr el, const char *path)
{
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        char *cpath = xasprintf("%s/%s", path, (const char *)c->name);
        const struct repeat_info *r = model_repeat(f, cpath);
        bool leaf = true;
        for (xmlNodePtr k = c->children; k && leaf; k = k->next)
            leaf = k->type != XML_ELEMENT_NODE;
        if (r && c != r->tmpl) {
            free(cpath);
            continue;
        }
        if (!leaf || r) {
            collect_fields(f, c, cpath);
            free(cpath);
            continue;
        }
        f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
        struct form_field *fd = &f->fields[f->nfields++];
        fd->path = cpath;
        fd->name = strrchr(cpath, '/') + 1;
        fd->bind = xmlHashLookup(f->bind_index, (const xmlChar *)cpath);
        const struct form_node *n = xmlHashLookup(f->node_index, (const xmlChar *)cpath);
        fd->control = n && n->kind != FORM_GROUP && n->kind != FORM_REPEAT ? n : NULL;
        const struct repeat_info *in = model_repeat_of(f, cpath, false);
        fd->repeat_path = in ? in->path : NULL;
        fd->default_value = model_leaf_text(c);
        pad_date_default(fd, c);
    }
}

static bool check(struct form *f, const char *src, const char *what, const char *where,
                  const char *ctx, xmlNodePtr el, struct form_expr **out, struct error *err)
{
    struct xp_opts o = {.f = f, .what = what, .where = where, .ctx_path = ctx, .el = el};
    struct form_expr *e = xpath_compile(src, &o, err);
    bool ok = e != NULL;
    if (out)
        *out = e;
    else
        model_expr_free(&e);
    return ok;
}

static bool check_parts(struct form *f, const struct form_part *p, size_t n,
                        const struct form_node *node, struct error *err)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].output && !check(f, p[i].output, "output", node->path, node->path,
                                  node->x->el, NULL, err))
            return false;
    return true;
}

static bool check_text(struct form *f, const struct form_text *t, const struct form_node *n,
                       struct error *err)
{
    if (!check_parts(f, t->parts, t->nparts, n, err))
        return false;
    const struct itext_entry *e = t->itext ? itext_find(f, t->itext) : NULL;
    for (size_t k = 0; e && e->v && k < f->nlang; k++)
        if (!check_parts(f, e->v[k].parts, e->v[k].nparts, n, err))
            return false;
    return true;
}

/* The choices of an itemset over a secondary instance, for codebooks and
 * labels without a record (predicates left out). */
static bool static_choices(struct form *f, struct form_node *n, struct error *err)
{
    struct form_itemset *is = n->itemset;
    const char *ns = is->nodeset + strspn(is->nodeset, " ");
    if (strncmp(ns, "instance(", 9) != 0)
        return true;
    is->dynamic = strchr(ns, '[') || strstr(ns, "current()");
    char *prefix = xstrndup(ns, strcspn(ns, "["));
    struct xp_opts o = {.f = f, .what = "itemset", .where = n->path, .el = is->x->el};
    struct form_expr *e = xpath_compile(prefix, &o, NULL);
    free(prefix);
    if (!e)
        return true;
    struct xp_state st = {.f = f};
    xmlXPathContextPtr c = funcs_context_new(&st);
    xmlXPathObjectPtr items = funcs_eval(c, e, f->nsecondary ? (xmlNodePtr)f->secondary[0] : NULL, NULL);
    bool ok = true;
    for (int i = 0; ok && items && items->nodesetval && i < items->nodesetval->nodeNr &&
                    n->nchoices < FIELDS_MAX_CHOICES; i++) {
        xmlNodePtr item = items->nodesetval->nodeTab[i];
        xmlXPathObjectPtr v = funcs_eval(c, is->x->value, item, NULL);
        xmlXPathObjectPtr l = funcs_eval(c, is->x->label, item, NULL);
        char *value = funcs_string(v), *label = funcs_string(l);
        xmlXPathFreeObject(v);
        xmlXPathFreeObject(l);
        if (is->label_itext && !itext_find(f, label))
            ok = model_fail(err, f, is->x->el, _("itemset label refers to missing itext id %s"), label);
        if (!ok || !*value) {
            free(value);
            free(label);
            continue;
        }
        n->choices = xrealloc(n->choices, (n->nchoices + 1) * sizeof *n->choices);
        struct form_choice *ch = &n->choices[n->nchoices++];
        memset(ch, 0, sizeof *ch);
        ch->value = value;
        if (is->label_itext) {
            ch->label.itext = label;
        } else {
            ch->label.text = label;
            ch->label.parts = xcalloc(1, sizeof *ch->label.parts);
            ch->label.parts[0].literal = xstrdup(label);
            ch->label.nparts = 1;
        }
    }
    xmlXPathFreeObject(items);
    funcs_context_free(&c);
    free(st.error);
    model_expr_free(&e);
    return ok;
}

/* The end of the argument starting at s: a top-level ',' or ')' (fresh
 * parentheses, brackets and quotes skipped). */
static const char *arg_end(const char *s)
{
    int depth = 0;
    for (char q = 0; *s; s++) {
        if (q)
            q = *s == q ? 0 : q;
        else if (*s == '\'' || *s == '"')
            q = *s;
        else if (*s == '(' || *s == '[')
            depth++;
        else if ((*s == ')' || *s == ']') && depth)
            depth--;
        else if (!depth && (*s == ',' || *s == ')'))
            return s;
    }
    return s;
}

/* Compile the itemset's nodeset; randomize(NODES[, SEED]) is taken apart
 * so that the choices are shuffled after evaluation (see form_itemset_x). */
static bool itemset_nodeset(struct form *f, struct form_node *n, struct error *err)
{
    struct form_itemset *is = n->itemset;
    const char *p = n->path, *ns = is->nodeset + strspn(is->nodeset, " \t\r\n");
    if (strncmp(ns, "randomize", 9) == 0 && ns[9 + strspn(ns + 9, " ")] == '(') {
        const char *a = strchr(ns, '(') + 1, *e = arg_end(a);
        const char *b = *e == ',' ? e + 1 : NULL, *e2 = b ? arg_end(b) : e;
        if (*e2 == ')' && !e2[1 + strspn(e2 + 1, " \t\r\n")]) {
            char *nodes = xstrndup(a, (size_t)(e - a));
            char *seed = b ? xstrndup(b, (size_t)(e2 - b)) : NULL;
            bool ok = check(f, nodes, "itemset", p, p, is->x->el, &is->x->nodeset, err) &&
                      (!seed || check(f, seed, "randomize seed", p, p, is->x->el, &is->x->seed, err));
            is->x->randomize = true;
            free(nodes);
            free(seed);
            return ok;
        }
    }
    return check(f, is->nodeset, "itemset", p, p, is->x->el, &is->x->nodeset, err);
}

static bool finish_node(struct form *f, struct form_node *n, struct error *err)
{
    const char *p = n->path;
    if (n->count) {
        char *parent = xstrndup(p, (size_t)(strrchr(p, '/') - p));
        bool ok = check(f, n->count, "jr:count", p, parent, n->x->el, &n->x->count, err);
        free(parent);
        if (!ok)
            return false;
    }
    if (n->itemset) {
        struct form_itemset *is = n->itemset;
        if (!itemset_nodeset(f, n, err) ||
            !check(f, is->value_ref, "itemset value", p, NULL, is->x->el, &is->x->value, err) ||
            !check(f, is->label_ref, "itemset label", p, NULL, is->x->el, &is->x->label, err) ||
            !static_choices(f, n, err))
            return false;
    }
    if (*p && !check_text(f, &n->label, n, err))
        return false;
    if (*p && !check_text(f, &n->hint, n, err))
        return false;
    for (size_t i = 0; i < n->nchildren; i++)
        if (!finish_node(f, n->children[i], err))
            return false;
    return true;
}

bool fields_finish(struct form *f, struct error *err)
{
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    collect_fields(f, f->instance_root, root);
    free(root);
    for (size_t i = 0; i < f->nfields; i++) {
        struct form_node *n = xmlHashLookup(f->node_index, (const xmlChar *)f->fields[i].path);
        if (n && n->kind != FORM_GROUP && n->kind != FORM_REPEAT) {
            free(n->default_value);
            n->default_value = xstrdup(f->fields[i].default_value);
        }
    }
    return finish_node(f, f->root, err);
}
