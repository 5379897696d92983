#include "config.h"

#include "form/model.h"

#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool model_is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr model_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (model_is_el(c, name))
            return c;
    return NULL;
}

static char *own(xmlChar *v)
{
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

char *model_attr(xmlNodePtr n, const char *name)
{
    return own(xmlGetNoNsProp(n, (const xmlChar *)name));
}

char *model_attr_ns(xmlNodePtr n, const char *name, const char *ns)
{
    return own(xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns));
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append the steps of p to the stack of steps (st, n), resolving "." and
 * ".."; false when ".." climbs above the root. */
static bool push_steps(char ***st, size_t *n, const char *p)
{
    char *copy = xstrdup(p), *save = NULL;
    bool ok = true;
    for (char *seg = strtok_r(copy, "/", &save); seg && ok; seg = strtok_r(NULL, "/", &save)) {
        while (is_space(*seg))
            seg++;
        size_t len = strlen(seg);
        while (len && is_space(seg[len - 1]))
            seg[--len] = '\0';
        if (!*seg || strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            if (*n == 0)
                ok = false;
            else
                free((*st)[--*n]);
            continue;
        }
        char *colon = strchr(seg, ':');
        *st = xrealloc(*st, (*n + 1) * sizeof **st);
        (*st)[(*n)++] = xstrdup(colon ? colon + 1 : seg);
    }
    free(copy);
    return ok;
}

static char *join_steps(char **st, size_t n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < n; i++) {
        strbuf_addc(&sb, '/');
        strbuf_adds(&sb, st[i]);
        free(st[i]);
    }
    free(st);
    return strbuf_detach(&sb);
}

char *model_path_join(const char *ctx, const char *ref)
{
    char **st = NULL;
    size_t n = 0;
    while (ref && is_space(*ref))
        ref++;
    bool ok = true;
    if (!ref || ref[0] != '/')
        ok = ctx && push_steps(&st, &n, ctx);
    ok = ok && (!ref || push_steps(&st, &n, ref));
    if (!ok || n == 0) {
        for (size_t i = 0; i < n; i++)
            free(st[i]);
        free(st);
        return NULL;
    }
    return join_steps(st, n);
}

char *model_path_normalize(const char *p)
{
    return model_path_join("/", p);
}

size_t model_path_depth(const char *p)
{
    size_t d = 0;
    for (; p && *p; p++)
        d += *p == '/';
    return d;
}

xmlNodePtr model_instance_node(const struct form *f, const char *path)
{
    if (!path || path[0] != '/' || !f->instance_root)
        return NULL;
    xmlNodePtr cur = NULL;
    char *copy = xstrdup(path + 1), *save = NULL;
    for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (!cur) {
            cur = model_is_el(f->instance_root, seg) ? f->instance_root : NULL;
        } else {
            xmlNodePtr c = cur->children;
            while (c && !model_is_el(c, seg))
                c = c->next;
            cur = c;
        }
        if (!cur)
            break;
    }
    free(copy);
    return cur;
}

char *model_node_path(xmlNodePtr n)
{
    size_t depth = 0;
    for (xmlNodePtr p = n; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        depth++;
    char **st = xcalloc(depth ? depth : 1, sizeof *st);
    size_t i = depth;
    for (xmlNodePtr p = n; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        st[--i] = xstrdup((const char *)p->name);
    return join_steps(st, depth);
}

const struct repeat_info *model_repeat(const struct form *f, const char *path)
{
    for (size_t i = 0; path && i < f->nrepeats; i++)
        if (strcmp(f->repeats[i]->path, path) == 0)
            return f->repeats[i];
    return NULL;
}

const struct repeat_info *model_repeat_of(const struct form *f, const char *path, bool or_self)
{
    const struct repeat_info *best = NULL;
    size_t blen = 0;
    for (size_t i = 0; path && i < f->nrepeats; i++) {
        const char *r = f->repeats[i]->path;
        size_t len = strlen(r);
        bool inside = strncmp(path, r, len) == 0 &&
                      (path[len] == '/' || (or_self && path[len] == '\0'));
        if (inside && len > blen) {
            best = f->repeats[i];
            blen = len;
        }
    }
    return best;
}

char *model_leaf_text(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s = v ? (const char *)v : "";
    const char *p = s;
    while (is_space(*p))
        p++;
    char *out = xstrdup(*p ? s : "");
    xmlFree(v);
    return out;
}

static bool has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

xmlNodePtr model_copy_stripped(const struct form *f, xmlDocPtr doc, xmlNodePtr src,
                               const char *path, bool skip_repeats)
{
    xmlNodePtr el = xmlNewDocNode(doc, NULL, src->name, NULL);
    for (xmlAttrPtr a = src->properties; a; a = a->next) {
        if (a->ns)
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        xmlNewProp(el, a->name, v);
        xmlFree(v);
    }
    if (!has_element_child(src)) {
        char *text = model_leaf_text(src);
        if (*text)
            xmlAddChild(el, xmlNewDocText(doc, (const xmlChar *)text));
        free(text);
        return el;
    }
    for (xmlNodePtr c = src->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        char *cpath = xasprintf("%s/%s", path, (const char *)c->name);
        if (!(skip_repeats && model_repeat(f, cpath)))
            xmlAddChild(el, model_copy_stripped(f, doc, c, cpath, skip_repeats));
        free(cpath);
    }
    return el;
}

void model_text_clear(struct form_text *t)
{
    free(t->itext);
    free(t->text);
    for (size_t i = 0; i < t->nparts; i++) {
        free(t->parts[i].literal);
        free(t->parts[i].output);
    }
    free(t->parts);
    memset(t, 0, sizeof *t);
}

void model_expr_free(struct form_expr **ep)
{
    struct form_expr *e = *ep;
    if (!e)
        return;
    free(e->src);
    free(e->xpath);
    for (size_t i = 0; i < e->nrefs; i++)
        free(e->refs[i]);
    free(e->refs);
    if (e->comp)
        xmlXPathFreeCompExpr(e->comp);
    xfree(ep);
}

void model_node_free(struct form_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nchildren; i++)
        model_node_free(n->children[i]);
    free(n->children);
    free(n->path);
    model_text_clear(&n->label);
    model_text_clear(&n->hint);
    free(n->appearance);
    free(n->default_value);
    for (size_t i = 0; i < n->nchoices; i++) {
        free(n->choices[i].value);
        model_text_clear(&n->choices[i].label);
    }
    free(n->choices);
    if (n->itemset) {
        free(n->itemset->nodeset);
        free(n->itemset->value_ref);
        free(n->itemset->label_ref);
        if (n->itemset->x) {
            model_expr_free(&n->itemset->x->nodeset);
            model_expr_free(&n->itemset->x->seed);
            model_expr_free(&n->itemset->x->value);
            model_expr_free(&n->itemset->x->label);
            free(n->itemset->x);
        }
        free(n->itemset);
    }
    free(n->count);
    free(n->mediatype);
    if (n->x) {
        model_expr_free(&n->x->count);
        free(n->x);
    }
    free(n);
}

bool model_fail(struct error *err, const struct form *f, xmlNodePtr n, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_set_at(err, f->path, n ? xmlGetLineNo(n) : 0, "%s", msg);
}
