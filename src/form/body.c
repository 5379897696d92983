#include "config.h"

#include "form/body.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/bind.h"
#include "form/funcs.h"
#include "form/itext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    enum form_kind kind;
} controls[] = {
    {"group", FORM_GROUP},     {"repeat", FORM_REPEAT}, {"input", FORM_INPUT},
    {"select1", FORM_SELECT1}, {"select", FORM_SELECT}, {"trigger", FORM_TRIGGER},
    {"range", FORM_RANGE},     {"rank", FORM_RANK},     {"upload", FORM_UPLOAD},
};

/* "odk:rank" for a prefixed element, else its name (fresh). */
static char *shown_name(xmlNodePtr el)
{
    if (el->ns && el->ns->prefix)
        return xasprintf("%s:%s", (const char *)el->ns->prefix, (const char *)el->name);
    return xstrdup((const char *)el->name);
}

static bool unsupported(struct form *f, xmlNodePtr c, struct error *err)
{
    const char *n = (const char *)c->name;
    if (strcmp(n, "recordaudio") == 0 || strcmp(n, "setgeopoint") == 0)
        return model_fail(err, f, c, _("unsupported action <odk:%s> (recording and locating are not supported)"), n);
    char *s = shown_name(c);
    model_fail(err, f, c, _("unsupported control <%s>"), s);
    free(s);
    return false;
}

static unsigned appearance_flags(const char *a)
{
    static const struct {
        const char *word;
        unsigned flag;
    } words[] = {{"field-list", FORM_FIELD_LIST}, {"imas-grid", FORM_GRID}, {"imas-log", FORM_LOG}};
    unsigned flags = 0;
    for (const char *p = a; p && *p;) {
        p += strspn(p, " \t\n");
        size_t n = strcspn(p, " \t\n");
        for (size_t i = 0; i < 3; i++)
            if (n == strlen(words[i].word) && strncmp(p, words[i].word, n) == 0)
                flags |= words[i].flag;
        p += n;
    }
    return flags;
}

static bool is_true(const char *e)
{
    if (!e)
        return false;
    while (*e == ' ')
        e++;
    return strncmp(e, "true()", 6) == 0 && e[6 + strspn(e + 6, " ")] == '\0';
}

static enum form_type value_type(enum form_kind k, const struct form_bind *b)
{
    enum form_type t = b ? b->type : FORM_TYPE_STRING;
    switch (k) {
    case FORM_GROUP:
    case FORM_REPEAT:
        return FORM_TYPE_NONE;
    case FORM_SELECT1:
        return t == FORM_TYPE_STRING ? FORM_TYPE_SELECT1 : t;
    case FORM_SELECT:
        return t == FORM_TYPE_STRING ? FORM_TYPE_SELECT : t;
    case FORM_RANK:
        return FORM_TYPE_RANK;
    case FORM_TRIGGER:
        return FORM_TYPE_STRING;
    case FORM_RANGE:
        return t == FORM_TYPE_STRING ? FORM_TYPE_DECIMAL : t;
    case FORM_UPLOAD:
        return FORM_TYPE_BINARY;
    default:
        return t;
    }
}

/* ---- choices ---------------------------------------------------------- */

static bool read_item(struct form *f, struct form_node *n, xmlNodePtr it, struct error *err)
{
    struct form_choice ch = {0};
    for (xmlNodePtr c = it->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (model_is_el(c, "label") && form_text_empty(&ch.label)) {
            model_text_clear(&ch.label);
            if (!itext_read_element(f, c, &ch.label, err))
                goto fail;
        } else if (model_is_el(c, "value") && !ch.value) {
            ch.value = model_leaf_text(c);
        } else {
            char *s = shown_name(c);
            model_fail(err, f, c, _("unsupported element <%s> in <item>"), s);
            free(s);
            goto fail;
        }
    }
    if (!ch.value || !*ch.value) {
        model_fail(err, f, it, "%s", _("<item> without a <value>"));
        goto fail;
    }
    n->choices = xrealloc(n->choices, (n->nchoices + 1) * sizeof *n->choices);
    n->choices[n->nchoices++] = ch;
    return true;
fail:
    free(ch.value);
    model_text_clear(&ch.label);
    return false;
}

static bool read_itemset(struct form *f, struct form_node *n, xmlNodePtr el, struct error *err)
{
    if (n->itemset)
        return model_fail(err, f, el, "%s", _("second <itemset> in one control"));
    struct form_itemset *is = xcalloc(1, sizeof *is);
    n->itemset = is;
    is->x = xcalloc(1, sizeof *is->x);
    is->x->el = el;
    is->nodeset = model_attr(el, "nodeset");
    is->dynamic = true;
    char *label = NULL;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (model_is_el(c, "value") && !is->value_ref)
            is->value_ref = model_attr(c, "ref");
        else if (model_is_el(c, "label") && !label)
            label = model_attr(c, "ref");
    }
    if (!is->nodeset || !is->value_ref || !label) {
        free(label);
        return model_fail(err, f, el, "%s", _("<itemset> needs a nodeset, <value ref> and <label ref>"));
    }
    const char *l = label + strspn(label, " ");
    size_t len = strlen(l);
    while (len && l[len - 1] == ' ')
        len--;
    if (strncmp(l, "jr:itext(", 9) == 0 && len > 10 && l[len - 1] == ')') {
        is->label_itext = true;
        is->label_ref = xstrndup(l + 9, len - 10);
    } else {
        is->label_ref = xstrndup(l, len);
    }
    free(label);
    return true;
}

static bool read_range(struct form *f, struct form_node *n, xmlNodePtr el, struct error *err)
{
    static const char *const names[] = {"start", "end", "step"};
    double *out[] = {&n->range_start, &n->range_end, &n->range_step};
    for (int i = 0; i < 3; i++) {
        char *v = model_attr(el, names[i]), *end = NULL;
        bool ok = v && *v;
        if (ok)
            *out[i] = strtod(v, &end);
        ok = ok && end && *end == '\0';
        free(v);
        if (!ok)
            return model_fail(err, f, el, "%s", _("<range> needs numeric start, end and step attributes"));
    }
    if (n->range_step <= 0 || n->range_start == n->range_end)
        return model_fail(err, f, el, "%s", _("<range> needs a positive step and different start and end"));
    return true;
}

/* <upload mediatype="image/...">: what kind of file; the bind, when there
 * is one, must say binary (or nothing, which means the same here). */
static bool read_upload(struct form *f, struct form_node *n, xmlNodePtr el, struct error *err)
{
    static const char *const kinds[] = {"image/", "audio/", "video/", "application/", "text/", NULL};
    n->mediatype = model_attr(el, "mediatype");
    if (n->mediatype && !*n->mediatype)
        xfree(&n->mediatype);
    bool known = !n->mediatype || strcmp(n->mediatype, "*/*") == 0;
    for (size_t i = 0; !known && kinds[i]; i++)
        known = strncmp(n->mediatype, kinds[i], strlen(kinds[i])) == 0;
    if (!known)
        return model_fail(err, f, el, _("unknown mediatype %s on <upload>"), n->mediatype);
    if (n->bind && n->bind->type_name && n->bind->type != FORM_TYPE_BINARY &&
        n->bind->type != FORM_TYPE_STRING)
        return model_fail(err, f, el, _("<upload> bound to type %s, not binary"), n->bind->type_name);
    return true;
}

/* ---- controls --------------------------------------------------------- */

static bool walk(struct form *f, xmlNodePtr el, struct form_node *parent, const char *ctx,
                 struct error *err);

static const char *enclosing_repeat(const struct form_node *n)
{
    for (; n; n = n->parent)
        if (n->kind == FORM_REPEAT)
            return n->path;
    return NULL;
}

static bool read_inner(struct form *f, struct form_node *n, xmlNodePtr el, const char *ctx,
                       struct error *err)
{
    bool leaf = n->kind != FORM_GROUP && n->kind != FORM_REPEAT;
    bool choices = n->kind == FORM_SELECT1 || n->kind == FORM_SELECT || n->kind == FORM_RANK;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        bool ok = true;
        if (model_is_el(c, "label") && !n->label.itext && !n->label.text)
            ok = itext_read_element(f, c, &n->label, err);
        else if (model_is_el(c, "hint") && !n->hint.itext && !n->hint.text)
            ok = itext_read_element(f, c, &n->hint, err);
        else if (leaf && model_is_el(c, "setvalue"))
            ok = body_setvalue(f, c, n->path, enclosing_repeat(n), n->path, err);
        else if (choices && model_is_el(c, "item"))
            ok = read_item(f, n, c, err);
        else if (choices && model_is_el(c, "itemset"))
            ok = read_itemset(f, n, c, err);
        else if (leaf || model_is_el(c, "label") || model_is_el(c, "hint")) {
            char *s = shown_name(c), *p = shown_name(el);
            ok = model_fail(err, f, c, _("unsupported element <%s> in <%s>"), s, p);
            free(s);
            free(p);
        }
        if (!ok)
            return false;
    }
    if (choices && !n->nchoices && !n->itemset)
        return model_fail(err, f, el, "%s", _("a select without <item>s or <itemset>"));
    return !leaf ? walk(f, el, n, n->path[0] ? n->path : ctx, err) : true;
}

static bool add_repeat(struct form *f, struct form_node *n, struct error *err)
{
    if (model_repeat(f, n->path))
        return model_fail(err, f, n->x->el, _("second repeat for %s"), n->path);
    struct repeat_info *r = xcalloc(1, sizeof *r);
    r->path = xstrdup(n->path);
    r->node = n;
    f->repeats = xrealloc(f->repeats, (f->nrepeats + 1) * sizeof *f->repeats);
    f->repeats[f->nrepeats++] = r;
    char *count = model_attr_ns(n->x->el, "count", FORM_NS_JR);
    if (count && *count)
        n->count = count;
    else
        free(count);
    return true;
}

static bool control(struct form *f, xmlNodePtr el, enum form_kind kind, struct form_node *parent,
                    const char *ctx, struct error *err)
{
    char *query = model_attr(el, "query");
    if (query) { /* select_one_external: choices from an external CSV */
        model_fail(err, f, el, _("unsupported control <%s query=\"%s\"> (external choices are not supported)"),
             (const char *)el->name, query);
        free(query);
        return false;
    }
    char *appearance = model_attr(el, "appearance");
    if (appearance && strstr(appearance, "search(")) { /* choices from a CSV file beside the form */
        model_fail(err, f, el, _("unsupported appearance \"%s\" (choices from an external CSV file are not supported)"),
                   appearance);
        free(appearance);
        return false;
    }
    free(appearance);
    char *ref = bind_el_ref(f, el, kind == FORM_REPEAT ? "nodeset" : "ref", err);
    if (!ref && xmlHasNsProp(el, (const xmlChar *)"bind", NULL))
        return false; /* no bind has that id */
    char *path = ref ? model_path_join(ctx, ref) : NULL;
    bool ok = true;
    if (!ref && kind == FORM_REPEAT)
        ok = model_fail(err, f, el, "%s", _("<repeat> without a nodeset"));
    else if (!ref && kind != FORM_GROUP)
        ok = model_fail(err, f, el, _("<%s> without a ref"), (const char *)el->name);
    else if (ref && (!path || !model_instance_node(f, path)))
        ok = model_fail(err, f, el, _("control refers to %s, which is not in the main instance"), ref);
    free(ref);
    if (!ok) {
        free(path);
        return false;
    }
    struct form_node *n = xcalloc(1, sizeof *n);
    n->x = xcalloc(1, sizeof *n->x);
    n->x->el = el;
    n->kind = kind;
    n->path = path ? path : xstrdup("");
    const char *slash = strrchr(n->path, '/');
    n->name = slash ? slash + 1 : n->path;
    n->line = xmlGetLineNo(el);
    n->parent = parent;
    n->default_value = xstrdup("");
    parent->children = xrealloc(parent->children, (parent->nchildren + 1) * sizeof *parent->children);
    parent->children[parent->nchildren++] = n;
    for (const struct form_node *p = parent; p && !n->repeat; p = p->parent)
        if (p->kind == FORM_REPEAT)
            n->repeat = p;
    n->appearance = model_attr(el, "appearance");
    n->flags = appearance_flags(n->appearance);
    const struct form_bind *b = *n->path ? xmlHashLookup(f->bind_index, (const xmlChar *)n->path) : NULL;
    n->bind = b;
    if (b) {
        n->relevant = b->relevant, n->constraint = b->constraint;
        n->required = b->required, n->calculate = b->calculate;
        n->constraint_msg = form_text_empty(&b->constraint_msg) ? NULL : &b->constraint_msg;
        n->required_msg = form_text_empty(&b->required_msg) ? NULL : &b->required_msg;
        n->readonly = is_true(b->readonly);
    }
    if (kind == FORM_INPUT && n->readonly && (!b || b->type == FORM_TYPE_STRING))
        n->kind = FORM_NOTE;
    n->type = value_type(kind, b);
    if (kind == FORM_UPLOAD && !read_upload(f, n, el, err))
        return false;
    if (kind != FORM_UPLOAD && b && b->type == FORM_TYPE_BINARY) {
        model_fail(err, f, el, _("<%s> cannot hold bind type binary (a file is an <upload>)"),
                   (const char *)el->name);
        return false;
    }
    if (*n->path)
        xmlHashUpdateEntry(f->node_index, (const xmlChar *)n->path, n, NULL);
    if (kind == FORM_RANGE && !read_range(f, n, el, err))
        return false;
    if (kind == FORM_REPEAT && !add_repeat(f, n, err))
        return false;
    return read_inner(f, n, el, ctx, err);
}

static bool walk(struct form *f, xmlNodePtr el, struct form_node *parent, const char *ctx,
                 struct error *err)
{
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)c->name;
        if (parent->parent && (strcmp(name, "label") == 0 || strcmp(name, "hint") == 0))
            continue; /* the group's own, read by read_inner */
        if (strcmp(name, "setvalue") == 0) {
            if (!body_setvalue(f, c, ctx, enclosing_repeat(parent), NULL, err))
                return false;
            continue;
        }
        bool found = false;
        for (size_t i = 0; i < sizeof controls / sizeof controls[0] && !found; i++) {
            if (strcmp(name, controls[i].name) != 0)
                continue;
            if (controls[i].kind == FORM_RANK &&
                !(c->ns && strcmp((const char *)c->ns->href, FORM_NS_ODK) == 0))
                break;
            found = true;
            if (!control(f, c, controls[i].kind, parent, ctx, err))
                return false;
        }
        if (!found)
            return unsupported(f, c, err);
    }
    return true;
}

bool body_load(struct form *f, xmlNodePtr body, struct error *err)
{
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    f->root = xcalloc(1, sizeof *f->root);
    f->root->kind = FORM_GROUP;
    f->root->path = xstrdup("");
    f->root->name = f->root->path;
    f->root->default_value = xstrdup("");
    f->root->line = xmlGetLineNo(body);
    bool ok = walk(f, body, f->root, root, err); /* refs may be relative to the root */
    free(root);
    return ok;
}

bool body_setvalue(struct form *f, xmlNodePtr el, const char *ctx, const char *repeat,
                   const char *control, struct error *err)
{
    char *ref = bind_el_ref(f, el, "ref", err);
    if (!ref && xmlHasNsProp(el, (const xmlChar *)"bind", NULL))
        return false; /* no bind has that id */
    char *event = model_attr(el, "event");
    unsigned events = 0;
    bool ok = true;
    for (const char *p = event ? event : ""; ok && *p;) {
        p += strspn(p, " \t\n");
        size_t n = strcspn(p, " \t\n");
        if (n == 23 && strncmp(p, "odk-instance-first-load", n) == 0)
            events |= SETVALUE_FIRST_LOAD;
        else if (n == 14 && strncmp(p, "odk-new-repeat", n) == 0)
            events |= SETVALUE_NEW_REPEAT;
        else if (n == 20 && strncmp(p, "xforms-value-changed", n) == 0)
            events |= SETVALUE_VALUE_CHANGED;
        else if (n) {
            char *e = xstrndup(p, n);
            ok = model_fail(err, f, el, _("unsupported setvalue event %s"), e);
            free(e);
        }
        p += n;
    }
    char *path = ok && ref ? model_path_join(ctx, ref) : NULL;
    if (ok && !events)
        ok = model_fail(err, f, el, "%s", _("<setvalue> without an event"));
    else if (ok && (!path || !model_instance_node(f, path)))
        ok = ref ? model_fail(err, f, el, _("setvalue ref %s names no node of the main instance"), ref)
                 : model_fail(err, f, el, _("<%s> without a ref"), (const char *)el->name);
    else if (ok && (events & SETVALUE_NEW_REPEAT) && !repeat)
        ok = model_fail(err, f, el, "%s", _("odk-new-repeat setvalue outside a repeat"));
    else if (ok && (events & SETVALUE_VALUE_CHANGED) && !control)
        ok = model_fail(err, f, el, "%s", _("xforms-value-changed setvalue outside a control"));
    free(event);
    free(ref);
    if (!ok) {
        free(path);
        return false;
    }
    struct setvalue *s = xcalloc(1, sizeof *s);
    s->events = events;
    s->ref = path;
    s->value_src = model_attr(el, "value");
    if (s->value_src && !s->value_src[strspn(s->value_src, " \t\r\n")]) /* value="": empties */
        xfree(&s->value_src), s->literal = xstrdup("");
    else if (!s->value_src)
        s->literal = model_leaf_text(el);
    s->repeat = repeat;
    s->control = control ? xstrdup(control) : NULL;
    s->el = el;
    s->line = xmlGetLineNo(el);
    f->setvalues = xrealloc(f->setvalues, (f->nsetvalues + 1) * sizeof *f->setvalues);
    f->setvalues[f->nsetvalues++] = s;
    return true;
}

/* ---- repeats ---------------------------------------------------------- */

static bool is_template(xmlNodePtr n)
{
    return xmlHasNsProp(n, (const xmlChar *)"template", (const xmlChar *)FORM_NS_JR) != NULL;
}

static void fill_instances(const struct form *f, struct repeat_info *r)
{
    xmlNodePtr first = model_instance_node(f, r->path);
    xmlNodePtr last = NULL;
    for (xmlNodePtr s = first; s; s = s->next) {
        if (!model_is_el(s, (const char *)first->name))
            continue;
        last = s;
        if (is_template(s) && !r->tmpl) {
            r->tmpl = s;
            continue;
        }
        r->prefilled = xrealloc(r->prefilled, (r->nprefilled + 1) * sizeof *r->prefilled);
        r->prefilled[r->nprefilled++] = s;
    }
    if (!r->tmpl)
        r->tmpl = first;
    for (xmlNodePtr s = last ? last->next : NULL; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE || model_is_el(s, (const char *)first->name))
            continue;
        r->after = xrealloc(r->after, (r->nafter + 1) * sizeof *r->after);
        r->after[r->nafter++] = xstrdup((const char *)s->name);
    }
}

static void find_templates(struct form *f, xmlNodePtr el, const char *path)
{
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        char *cpath = xasprintf("%s/%s", path, (const char *)c->name);
        if (is_template(c) && !model_repeat(f, cpath)) {
            struct repeat_info *r = xcalloc(1, sizeof *r);
            r->path = xstrdup(cpath);
            f->repeats = xrealloc(f->repeats, (f->nrepeats + 1) * sizeof *f->repeats);
            f->repeats[f->nrepeats++] = r;
        }
        find_templates(f, c, cpath);
        free(cpath);
    }
}

bool body_repeats(struct form *f, struct error *err)
{
    (void)err;
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    find_templates(f, f->instance_root, root);
    free(root);
    for (size_t i = 0; i < f->nrepeats; i++) {
        struct repeat_info *r = f->repeats[i];
        fill_instances(f, r);
        if (r->node)
            ((struct form_node *)r->node)->prefilled = r->nprefilled;
    }
    return true;
}
