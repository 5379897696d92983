#include "config.h"

#include "form/instance.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool starts_path(const char *path, const char *prefix, size_t *len)
{
    *len = strlen(prefix);
    return strncmp(path, prefix, *len) == 0 && (path[*len] == '/' || path[*len] == '\0');
}

static xmlNodePtr enclosing_item_node(xmlNodePtr n)
{
    for (xmlNodePtr up = n ? n->parent : NULL; up && up->type == XML_ELEMENT_NODE; up = up->parent)
        if (up->_private)
            return up;
    return NULL;
}

/* ---- a walk: many paths resolved in one document ----------------------- */

/* Children scanned for a step before the walk indexes the element's
 * children by name (the small groups of a form are scanned, as without a
 * walk). */
#define WALK_SCAN 32

struct inst_walk {
    xmlHashTablePtr first;   /* (child name, parent) → its first child of that name */
    xmlHashTablePtr indexed; /* parent → itself, once its children are in `first` */
    bool broken;             /* an entry could not be added: scan, as without a walk */
    xmlNodePtr hot;          /* the element indexed or looked in last, */
    char hot_key[2 * sizeof(void *) + 8]; /* and its key */
};

struct inst_walk *inst_walk_new(void)
{
    struct inst_walk *w = xcalloc(1, sizeof *w);
    w->first = xmlHashCreate(0);
    w->indexed = xmlHashCreate(0);
    if (!w->first || !w->indexed)
        inst_walk_free(&w); /* NULL: every step scans */
    return w;
}

void inst_walk_free(struct inst_walk **w)
{
    if (!*w)
        return;
    if ((*w)->first)
        xmlHashFree((*w)->first, NULL);
    if ((*w)->indexed)
        xmlHashFree((*w)->indexed, NULL);
    xfree(w);
}

/* Index n's children by name (one pass), under key; false if out of memory. */
static bool walk_index(struct inst_walk *w, xmlNodePtr n, const xmlChar *key)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        /* -1 when a sibling of that name came first (it is kept), or out of memory */
        if (c->type == XML_ELEMENT_NODE && xmlHashAddEntry2(w->first, c->name, key, c) != 0 &&
            !xmlHashLookup2(w->first, c->name, key))
            return false;
    return xmlHashAddEntry(w->indexed, key, n) == 0;
}

/* The first child of n named seg (len bytes), from the walk's index of
 * n's children, made the first time; NULL with w->broken if it cannot be. */
static xmlNodePtr walk_child(struct inst_walk *w, xmlNodePtr n, const char *seg, size_t len)
{
    if (n != w->hot) {
        snprintf(w->hot_key, sizeof w->hot_key, "%p", (void *)n);
        w->hot = n;
        if (!xmlHashLookup(w->indexed, (const xmlChar *)w->hot_key) &&
            !walk_index(w, n, (const xmlChar *)w->hot_key)) {
            w->broken = true;
            return NULL;
        }
    }
    char buf[128];
    char *name = len < sizeof buf ? buf : xmalloc(len + 1);
    memcpy(name, seg, len);
    name[len] = '\0';
    xmlNodePtr c = xmlHashLookup2(w->first, (const xmlChar *)name, (const xmlChar *)w->hot_key);
    if (name != buf)
        free(name);
    return c;
}

/* The first element child of n named seg (len bytes). Without a walk, a
 * scan of n's children; with one, the scan stops after WALK_SCAN children
 * (at once for the element looked in last) and the walk's index answers:
 * the same element, as none of those matched. */
static xmlNodePtr child_named(struct inst_walk *w, xmlNodePtr n, const char *seg, size_t len)
{
    size_t steps = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (w && !w->broken && (n == w->hot || ++steps > WALK_SCAN)) {
            xmlNodePtr found = walk_child(w, n, seg, len);
            if (!w->broken)
                return found;
        }
        if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == len &&
            strncmp((const char *)c->name, seg, len) == 0)
            return c;
    }
    return NULL;
}

/* Walk down from base along the steps of rest, the end of path after
 * base's own path; a step into a repeat is ambiguous without an item, so
 * it finds nothing. */
static xmlNodePtr descend(const struct form_record *r, struct inst_walk *w, xmlNodePtr base,
                          const char *path, const char *rest)
{
    /* the path of each step is path cut after it */
    char buf[256];
    size_t plen = strlen(path);
    char *cur = plen < sizeof buf ? memcpy(buf, path, plen + 1) : xstrdup(path);
    xmlNodePtr n = base;
    while (n && *rest == '/') {
        const char *seg = rest + 1;
        size_t len = strcspn(seg, "/");
        size_t end = (size_t)(seg + len - path);
        char keep = cur[end];
        cur[end] = '\0';
        bool repeat = model_repeat(r->f, cur) != NULL;
        cur[end] = keep;
        if (repeat) {
            n = NULL;
            break;
        }
        n = child_named(w, n, seg, len);
        rest = seg + len;
    }
    if (cur != buf)
        free(cur);
    return n;
}

xmlNodePtr inst_resolve(const struct form_record *r, const char *path, const char *item_id)
{
    return inst_resolve_walk(r, NULL, path, item_id);
}

xmlNodePtr inst_resolve_walk(const struct form_record *r, struct inst_walk *w, const char *path,
                             const char *item_id)
{
    if (!path || path[0] != '/')
        return NULL;
    size_t len;
    if (item_id && *item_id) {
        const struct item *it = xmlHashLookup(r->items, (const xmlChar *)item_id);
        for (xmlNodePtr n = it ? it->node : NULL; n; n = enclosing_item_node(n)) {
            const struct item *cur = n->_private;
            if (starts_path(path, cur->repeat->path, &len))
                return descend(r, w, n, path, path + len);
        }
        if (!it)
            return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(r->doc);
    len = strlen((const char *)root->name); /* path starts "/<root>" */
    if (strncmp(path + 1, (const char *)root->name, len) != 0 ||
        (path[1 + len] != '/' && path[1 + len] != '\0'))
        return NULL;
    return descend(r, w, root, path, path + 1 + len);
}

xmlNodePtr inst_resolve_in(const struct form_record *r, xmlNodePtr base, const char *base_path,
                           const char *path)
{
    size_t len;
    return path && starts_path(path, base_path, &len) ? descend(r, NULL, base, path, path + len)
                                                       : NULL;
}

const struct item *inst_item_of(xmlNodePtr n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (n->_private)
            return n->_private;
    return NULL;
}

const char *inst_item_id(xmlNodePtr n)
{
    const struct item *it = inst_item_of(n);
    return it ? it->id : "";
}

const char *inst_text(xmlNodePtr n)
{
    if (n && n->children && n->children->type == XML_TEXT_NODE && !n->children->next)
        return (const char *)n->children->content;
    return "";
}

void inst_set_text(xmlNodePtr n, const char *value)
{
    while (n->children) {
        xmlNodePtr c = n->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    if (value && *value)
        xmlAddChild(n, xmlNewDocText(n->doc, (const xmlChar *)value));
}

bool inst_is_leaf(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return false;
    return true;
}

static void each(xmlNodePtr cur, const char *rest, void (*fn)(void *, xmlNodePtr), void *ctx)
{
    if (*rest != '/') {
        fn(ctx, cur);
        return;
    }
    const char *seg = rest + 1;
    size_t len = strcspn(seg, "/");
    for (xmlNodePtr c = cur->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == len &&
            strncmp((const char *)c->name, seg, len) == 0)
            each(c, seg + len, fn, ctx);
}

void inst_each(const struct form_record *r, const char *path, void (*fn)(void *, xmlNodePtr),
               void *ctx)
{
    xmlNodePtr root = xmlDocGetRootElement(r->doc);
    char *rp = xasprintf("/%s", (const char *)root->name);
    size_t len;
    if (path && starts_path(path, rp, &len))
        each(root, path + len, fn, ctx);
    free(rp);
}

xmlNodePtr inst_insert(struct form_record *r, const struct repeat_info *rep, xmlNodePtr parent,
                       xmlNodePtr src)
{
    const char *name = strrchr(rep->path, '/') + 1;
    xmlNodePtr inst = model_copy_stripped(r->f, r->doc, src, rep->path, true);
    xmlNodePtr last = NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (model_is_el(c, name))
            last = c;
    if (last)
        return xmlAddNextSibling(last, inst);
    for (xmlNodePtr c = parent->children; c; c = c->next)
        for (size_t i = 0; c->type == XML_ELEMENT_NODE && i < rep->nafter; i++)
            if (strcmp((const char *)c->name, rep->after[i]) == 0)
                return xmlAddPrevSibling(c, inst);
    return xmlAddChild(parent, inst);
}

xmlXPathObjectPtr inst_eval(struct form_record *r, const struct form_expr *e, xmlNodePtr n)
{
    if (!e || !n)
        return NULL;
    xfree(&r->st.error);
    xmlXPathObjectPtr o = funcs_eval(r->xp, e, n, n);
    if (!o) {
        free(r->error);
        r->error = xasprintf("%s: %s", e->src, r->st.error ? r->st.error : "?");
        xfree(&r->st.error);
    }
    return o;
}

bool inst_eval_bool(struct form_record *r, const struct form_expr *e, xmlNodePtr n, bool dflt)
{
    if (!e || !n)
        return dflt;
    xmlXPathObjectPtr o = inst_eval(r, e, n);
    bool v = o ? funcs_boolean(o) : dflt;
    xmlXPathFreeObject(o);
    return v;
}

char *inst_eval_string(struct form_record *r, const struct form_expr *e, xmlNodePtr n)
{
    xmlXPathObjectPtr o = inst_eval(r, e, n);
    char *s = funcs_string(o);
    xmlXPathFreeObject(o);
    /* A calculation that reads itself (concat(/, /)) grows with every pass:
     * stop it as an evaluation error before memory and time run out. */
    if (strlen(s) > FORM_MAX_VALUE) {
        free(r->error);
        r->error = xasprintf(_("%s: the value is longer than %d bytes"), e->src,
                             FORM_MAX_VALUE);
        free(s);
        s = xstrdup("");
    }
    return s;
}

xmlNodePtr inst_probe(struct form_record *r, const struct repeat_info *rep, const char *parent_item)
{
    char *parent_path = xstrndup(rep->path, (size_t)(strrchr(rep->path, '/') - rep->path));
    xmlNodePtr parent = inst_resolve(r, parent_path, parent_item);
    free(parent_path);
    return parent ? inst_insert(r, rep, parent, rep->tmpl) : NULL;
}

void inst_probe_end(xmlNodePtr probe)
{
    if (!probe)
        return;
    xmlUnlinkNode(probe);
    xmlFreeNode(probe);
}
