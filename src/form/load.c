#include "config.h"

#include "form/load.h"

#include "core/i18n.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "form/body.h"
#include "form/funcs.h"
#include "form/itext.h"
#include "form/xpath.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- safe parsing ----------------------------------------------------- */

struct parse_state {
    long line;  /* of the first problem */
    char *msg;  /* the first problem, or NULL */
    bool ours;  /* msg is ours (DOCTYPE, depth), not libxml2's */
    int depth;
    long elements;
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
};

static void stop(xmlParserCtxtPtr ctxt, const char *msg)
{
    struct parse_state *ps = ctxt->_private;
    if (!ps->msg) {
        ps->msg = xstrdup(msg);
        ps->line = xmlSAX2GetLineNumber(ctxt);
        ps->ours = true;
    }
    xmlStopParser(ctxt);
}

/* Any DOCTYPE stops the parse before an entity is declared or a DTD read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    stop(ctx, _("DOCTYPE is not allowed in a form"));
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *ps = ctxt->_private;
    if (++ps->depth > FORM_MAX_DEPTH) {
        char *msg = xasprintf(_("document is nested deeper than %d elements"), FORM_MAX_DEPTH);
        stop(ctxt, msg);
        free(msg);
        return;
    }
    if (++ps->elements > FORM_MAX_ELEMENTS) {
        char *msg = xasprintf(_("form has more than %d elements"), FORM_MAX_ELEMENTS);
        stop(ctxt, msg);
        free(msg);
        return;
    }
    ps->start(ctx, local, prefix, uri, nns, ns, nattr, ndef, attrs);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *ps = ctxt->_private;
    ps->depth--;
    ps->end(ctx, local, prefix, uri);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *ps = ctxt ? ctxt->_private : NULL;
    if (!ps || ps->msg || !e || e->level < XML_ERR_ERROR)
        return;
    ps->line = e->line;
    ps->msg = xstrdup(e->message ? e->message : "XML error");
    size_t l = strlen(ps->msg);
    while (l && (ps->msg[l - 1] == '\n' || ps->msg[l - 1] == ' '))
        ps->msg[--l] = '\0';
}

/* Line of the first byte that is not UTF-8 (or is NUL), or 0. */
static long invalid_utf8_line(const char *s, size_t n)
{
    long line = 1;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0)
            return line;
        line += cp == '\n';
        i += k;
    }
    return 0;
}

/* Skip from s[i] past the first occurrence of end, counting lines. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *end, long *line)
{
    size_t k = strlen(end);
    for (; i < n; i++) {
        if (n - i >= k && memcmp(s + i, end, k) == 0)
            return i + k;
        *line += s[i] == '\n';
    }
    return n;
}

/* Line of the first start tag with more than FORM_MAX_ATTRS attributes
 * (namespace declarations included), or 0. Read before libxml2 sees the
 * bytes, because it spends quadratic time on such a tag before any
 * callback could stop it. Stops at a DOCTYPE, which the parse refuses. */
static long too_many_attrs_line(const char *s, size_t n)
{
    long line = 1;
    for (size_t i = 0; i < n;) {
        if (s[i] != '<') {
            line += s[i++] == '\n';
            continue;
        }
        if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
            i = skip_past(s, n, i + 4, "-->", &line);
        else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
            i = skip_past(s, n, i + 9, "]]>", &line);
        else if (n - i >= 2 && s[i + 1] == '?')
            i = skip_past(s, n, i + 2, "?>", &line);
        else if (n - i >= 2 && s[i + 1] == '!')
            return 0;
        else {
            long at = line;
            int attrs = 0;
            char quote = 0;
            for (i++; i < n && (quote || s[i] != '>'); i++) {
                line += s[i] == '\n';
                if (quote)
                    quote = s[i] == quote ? 0 : quote;
                else if (s[i] == '"' || s[i] == '\'')
                    quote = s[i];
                else if (s[i] == '=' && ++attrs > FORM_MAX_ATTRS)
                    return at;
            }
        }
    }
    return 0;
}

xmlDocPtr load_parse(const char *name, const char *buf, size_t len, struct error *err)
{
    if (len > FORM_MAX_BYTES) {
        error_set_at(err, name, 0, _("form is larger than %u MiB"), FORM_MAX_BYTES >> 20);
        return NULL;
    }
    long bad = invalid_utf8_line(buf, len);
    if (bad) {
        error_set_at(err, name, bad, "%s", _("text is not valid UTF-8"));
        return NULL;
    }
    if ((bad = too_many_attrs_line(buf, len))) {
        error_set_at(err, name, bad, _("element has more than %d attributes"), FORM_MAX_ATTRS);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        error_set_at(err, name, 0, "%s", _("out of memory"));
        return NULL;
    }
    struct parse_state ps = {.start = ctxt->sax->startElementNs, .end = ctxt->sax->endElementNs};
    ctxt->_private = &ps;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->endElementNs = on_end;
    ctxt->sax->serror = on_error;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
    xmlFreeParserCtxt(ctxt);
    if (!doc || ps.msg) {
        if (ps.ours)
            error_set_at(err, name, ps.line, "%s", ps.msg);
        else
            error_set_at(err, name, ps.line, _("not well-formed XML: %s"),
                         ps.msg ? ps.msg : _("cannot parse"));
        free(ps.msg);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) { /* cannot happen: on_doctype stops first */
        error_set_at(err, name, 1, "%s", _("DOCTYPE is not allowed in a form"));
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ---- the model -------------------------------------------------------- */

static xmlNodePtr first_element(xmlNodePtr n)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static bool read_instances(struct form *f, xmlNodePtr model, struct error *err)
{
    bool main_seen = false;
    for (xmlNodePtr i = model->children; i; i = i->next) {
        if (!model_is_el(i, "instance"))
            continue;
        char *src = model_attr(i, "src"), *id = model_attr(i, "id");
        bool ok = true;
        if (src)
            ok = model_fail(err, f, i, _("external secondary instance (src=\"%s\") is not supported"), src);
        else if (!main_seen) {
            f->instance_root = first_element(i);
            if (!f->instance_root)
                ok = model_fail(err, f, i, "%s", _("the main instance is empty"));
        } else if (!id || !*id)
            ok = model_fail(err, f, i, "%s", _("secondary instance without an id"));
        else {
            for (size_t k = 0; ok && k < f->nsecondary; k++)
                if (strcmp(f->secondary_ids[k], id) == 0)
                    ok = model_fail(err, f, i, _("second instance with id %s"), id);
            if (ok) {
                xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
                xmlNodePtr root = first_element(i);
                if (root) {
                    char *path = xasprintf("/%s", (const char *)root->name);
                    xmlDocSetRootElement(d, model_copy_stripped(f, d, root, path, false));
                    free(path);
                }
                f->secondary = xrealloc(f->secondary, (f->nsecondary + 1) * sizeof *f->secondary);
                f->secondary_ids = xrealloc(f->secondary_ids,
                                            (f->nsecondary + 1) * sizeof *f->secondary_ids);
                f->secondary[f->nsecondary] = d;
                f->secondary_ids[f->nsecondary++] = xstrdup(id);
            }
        }
        main_seen = true;
        free(src);
        free(id);
        if (!ok)
            return false;
    }
    if (!f->instance_root)
        return model_fail(err, f, model, "%s", _("the model has no main instance"));
    f->id = model_attr(f->instance_root, "id");
    if (!f->id || !*f->id)
        return model_fail(err, f, f->instance_root, "%s",
                    _("the main instance's root element has no id attribute"));
    f->version = model_attr(f->instance_root, "version");
    if (!f->version)
        f->version = xstrdup("");
    return true;
}

struct type_name {
    const char *name;
    enum form_type type;
};

static const struct type_name types[] = {
    {"string", FORM_TYPE_STRING}, {"int", FORM_TYPE_INT}, {"integer", FORM_TYPE_INT},
    {"decimal", FORM_TYPE_DECIMAL}, {"date", FORM_TYPE_DATE}, {"time", FORM_TYPE_TIME},
    {"dateTime", FORM_TYPE_DATETIME}, {"boolean", FORM_TYPE_BOOLEAN},
    {"geopoint", FORM_TYPE_GEOPOINT}, {"barcode", FORM_TYPE_BARCODE},
    {"select1", FORM_TYPE_SELECT1}, {"select", FORM_TYPE_SELECT}, {"rank", FORM_TYPE_RANK},
    {"binary", FORM_TYPE_BINARY},
};

static bool read_type(struct form *f, xmlNodePtr b, struct form_bind *bind, struct error *err)
{
    bind->type = FORM_TYPE_STRING;
    if (!bind->type_name)
        return true;
    const char *t = bind->type_name;
    const char *colon = strchr(t, ':');
    const char *local = colon ? colon + 1 : t;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(local, types[i].name) == 0) {
            bind->type = types[i].type;
            return true;
        }
    if (strcmp(local, "geotrace") == 0 || strcmp(local, "geoshape") == 0)
        return model_fail(err, f, b, _("unsupported bind type %s (traces and shapes are not supported)"), t);
    return model_fail(err, f, b, _("unknown bind type %s"), t);
}

/* The jr:preload="property" names of ODK Collect (also as "uri:NAME"). */
static const char *const properties[] = {"deviceid", "subscriberid", "simserial",
                                         "phonenumber", "username", "email", NULL};

static bool known_property(const char *q)
{
    if (strncasecmp(q, "uri:", 4) == 0)
        q += 4;
    for (size_t i = 0; properties[i]; i++)
        if (strcasecmp(q, properties[i]) == 0)
            return true;
    return false;
}

static bool read_preload(struct form *f, xmlNodePtr b, struct form_bind *bind, struct error *err)
{
    const char *p = bind->preload, *q = bind->preload_params ? bind->preload_params : "";
    if (!p)
        return true;
    bool ok = strcasecmp(p, "uid") == 0 ||
              (strcasecmp(p, "timestamp") == 0 &&
               (strcasecmp(q, "start") == 0 || strcasecmp(q, "end") == 0)) ||
              (strcasecmp(p, "date") == 0 && strcasecmp(q, "today") == 0) ||
              (strcasecmp(p, "property") == 0 && known_property(q)) ||
              (strcasecmp(p, "context") == 0 && strcasecmp(q, "UserName") == 0);
    return ok || model_fail(err, f, b, _("unsupported jr:preload=\"%s\" jr:preloadParams=\"%s\""), p, q);
}

static char *expr_attr(xmlNodePtr b, const char *name)
{
    char *v = model_attr(b, name);
    if (v && !*v)
        xfree(&v);
    return v;
}

/* The bind's nodeset as an absolute path: relative ones ("name/first")
 * are relative to the main instance's root, as ODK tools read them. */
static char *bind_path(struct form *f, const char *nodeset)
{
    if (nodeset[strspn(nodeset, " ")] == '/')
        return model_path_normalize(nodeset);
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    char *path = model_path_join(root, nodeset);
    free(root);
    return path;
}

static void read_bind_attrs(xmlNodePtr b, struct form_bind *bind)
{
    bind->type_name = model_attr(b, "type");
    bind->relevant = expr_attr(b, "relevant");
    bind->constraint = expr_attr(b, "constraint");
    bind->required = expr_attr(b, "required");
    bind->calculate = expr_attr(b, "calculate");
    bind->readonly = expr_attr(b, "readonly");
    bind->preload = model_attr_ns(b, "preload", FORM_NS_JR);
    bind->preload_params = model_attr_ns(b, "preloadParams", FORM_NS_JR);
}

/* Does the message attribute raw say what t holds? */
static bool same_text(const struct form_text *t, const char *raw)
{
    char *id = itext_ref_id(raw);
    bool same;
    if (id) {
        same = t->itext && strcmp(t->itext, id) == 0;
    } else {
        size_t a = strspn(raw, " \t\r\n"), n = strlen(raw + a);
        while (n && strchr(" \t\r\n", raw[a + n - 1]))
            n--;
        same = !t->itext && t->text && strlen(t->text) == n && strncmp(t->text, raw + a, n) == 0;
    }
    free(id);
    return same;
}

/* A second bind for the same node: every attribute it has must be absent
 * from the first or the same there; what only it has is added. */
static bool merge_bind(struct form *f, xmlNodePtr b, struct form_bind *first, struct error *err)
{
    struct form_bind two = {0};
    read_bind_attrs(b, &two);
    struct {
        const char *name;
        char **mine, **theirs;
    } attrs[] = {
        {"type", &first->type_name, &two.type_name},
        {"relevant", &first->relevant, &two.relevant},
        {"constraint", &first->constraint, &two.constraint},
        {"required", &first->required, &two.required},
        {"calculate", &first->calculate, &two.calculate},
        {"readonly", &first->readonly, &two.readonly},
        {"jr:preload", &first->preload, &two.preload},
        {"jr:preloadParams", &first->preload_params, &two.preload_params},
    };
    bool ok = true;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        char **a = attrs[i].mine, **t = attrs[i].theirs;
        if (ok && *a && *t && strcmp(*a, *t) != 0)
            ok = model_fail(err, f, b, _("bind for %s says %s=\"%s\", the bind on line %ld says \"%s\""),
                            first->path, attrs[i].name, *t, first->line, *a);
        if (ok && !*a) {
            *a = *t;
            *t = NULL;
        }
        xfree(t);
    }
    char *cmsg = model_attr_ns(b, "constraintMsg", FORM_NS_JR);
    char *rmsg = model_attr_ns(b, "requiredMsg", FORM_NS_JR);
    if (ok && cmsg && !form_text_empty(&first->constraint_msg) && !same_text(&first->constraint_msg, cmsg))
        ok = model_fail(err, f, b, _("bind for %s says %s=\"%s\", the bind on line %ld says \"%s\""),
                        first->path, "jr:constraintMsg", cmsg, first->line,
                        form_text(f, &first->constraint_msg, NULL));
    if (ok && rmsg && !form_text_empty(&first->required_msg) && !same_text(&first->required_msg, rmsg))
        ok = model_fail(err, f, b, _("bind for %s says %s=\"%s\", the bind on line %ld says \"%s\""),
                        first->path, "jr:requiredMsg", rmsg, first->line,
                        form_text(f, &first->required_msg, NULL));
    if (ok && cmsg && form_text_empty(&first->constraint_msg)) {
        model_text_clear(&first->constraint_msg);
        ok = itext_read_attr(f, b, "jr:constraintMsg", cmsg, &first->constraint_msg, err);
    }
    if (ok && rmsg && form_text_empty(&first->required_msg)) {
        model_text_clear(&first->required_msg);
        ok = itext_read_attr(f, b, "jr:requiredMsg", rmsg, &first->required_msg, err);
    }
    free(cmsg);
    free(rmsg);
    return ok && read_type(f, b, first, err) && read_preload(f, b, first, err);
}

static bool read_bind(struct form *f, xmlNodePtr b, struct error *err)
{
    char *nodeset = model_attr(b, "nodeset");
    if (!nodeset)
        nodeset = model_attr(b, "ref");
    if (!nodeset)
        return model_fail(err, f, b, "%s", _("bind without a nodeset"));
    char *path = bind_path(f, nodeset);
    if (path && !model_instance_node(f, path)) {
        /* a bind left behind by a renamed question: ODK Collect loads the
         * form with a warning, so do we (--check-form lists it) */
        f->dead_binds = xrealloc(f->dead_binds, (f->ndead_binds + 1) * sizeof *f->dead_binds);
        f->dead_binds[f->ndead_binds++] = xasprintf("%ld: %s", xmlGetLineNo(b), nodeset);
        free(path);
        free(nodeset);
        return true;
    }
    bool ok = path != NULL;
    if (!ok)
        model_fail(err, f, b, _("bind nodeset %s names no node of the main instance"), nodeset);
    free(nodeset);
    struct form_bind *bind = ok ? xmlHashLookup(f->bind_index, (const xmlChar *)path) : NULL;
    if (!ok || bind) {
        free(path);
        return ok && merge_bind(f, b, bind, err);
    }
    bind = xcalloc(1, sizeof *bind);
    f->binds = xrealloc(f->binds, (f->nbinds + 1) * sizeof *f->binds);
    f->binds[f->nbinds++] = bind;
    xmlHashAddEntry(f->bind_index, (const xmlChar *)path, bind);
    bind->path = path;
    bind->line = xmlGetLineNo(b);
    bind->x = xcalloc(1, sizeof *bind->x);
    bind->x->el = b;
    read_bind_attrs(b, bind);
    char *cmsg = model_attr_ns(b, "constraintMsg", FORM_NS_JR);
    char *rmsg = model_attr_ns(b, "requiredMsg", FORM_NS_JR);
    ok = read_type(f, b, bind, err) && read_preload(f, b, bind, err) &&
         itext_read_attr(f, b, "jr:constraintMsg", cmsg, &bind->constraint_msg, err) &&
         itext_read_attr(f, b, "jr:requiredMsg", rmsg, &bind->required_msg, err);
    free(cmsg);
    free(rmsg);
    return ok;
}

static bool read_model(struct form *f, xmlNodePtr model, struct error *err)
{
    xmlNodePtr itext = NULL;
    for (xmlNodePtr c = model->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *n = (const char *)c->name;
        if (strcmp(n, "itext") == 0 && !itext)
            itext = c;
        else if (strcmp(n, "recordaudio") == 0 || strcmp(n, "setgeopoint") == 0)
            return model_fail(err, f, c, _("unsupported action <odk:%s> (recording and locating are not supported)"), n);
        else if (strcmp(n, "instance") != 0 && strcmp(n, "bind") != 0 &&
                 strcmp(n, "setvalue") != 0 && strcmp(n, "submission") != 0)
            return model_fail(err, f, c, _("unsupported element <%s> in <model>"), n);
    }
    if (!read_instances(f, model, err) || !itext_load(f, itext, err))
        return false;
    f->bind_index = xmlHashCreate(64);
    for (xmlNodePtr c = model->children; c; c = c->next)
        if (model_is_el(c, "bind") && !read_bind(f, c, err))
            return false;
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    bool ok = true;
    for (xmlNodePtr c = model->children; c && ok; c = c->next)
        if (model_is_el(c, "setvalue"))
            ok = body_setvalue(f, c, root, NULL, NULL, err);
    free(root);
    return ok;
}

/* ---- expressions ------------------------------------------------------ */

static bool compile(struct form *f, const char *src, const char *what, const char *where,
                    const char *ctx, xmlNodePtr el, struct form_expr **out, struct error *err)
{
    if (!src)
        return true;
    struct xp_opts o = {.f = f, .what = what, .where = where, .ctx_path = ctx, .el = el};
    *out = xpath_compile(src, &o, err);
    return *out != NULL;
}

static bool compile_binds(struct form *f, struct error *err)
{
    for (size_t i = 0; i < f->nbinds; i++) {
        struct form_bind *b = f->binds[i];
        xmlNodePtr el = b->x->el;
        const char *p = b->path;
        if (!compile(f, b->relevant, "relevant", p, p, el, &b->x->relevant, err) ||
            !compile(f, b->constraint, "constraint", p, p, el, &b->x->constraint, err) ||
            !compile(f, b->required, "required", p, p, el, &b->x->required, err) ||
            !compile(f, b->calculate, "calculate", p, p, el, &b->x->calculate, err) ||
            !compile(f, b->readonly, "readonly", p, p, el, &b->x->readonly, err))
            return false;
    }
    for (size_t i = 0; i < f->nsetvalues; i++) {
        struct setvalue *s = f->setvalues[i];
        if (!compile(f, s->value_src, "setvalue", s->ref, s->ref, s->el, &s->value, err))
            return false;
    }
    return true;
}

/* ---- calculate cycles ------------------------------------------------- */

static size_t bind_index_of(const struct form *f, const struct form_bind *b)
{
    size_t j = 0;
    while (f->binds[j] != b)
        j++;
    return j;
}

/* The calculation that bind i reads through its ref r, or SIZE_MAX. */
static size_t calc_dep(const struct form *f, size_t i, size_t r)
{
    const struct form_expr *e = f->binds[i]->x->calculate;
    const struct form_bind *to = xmlHashLookup(f->bind_index, (const xmlChar *)e->refs[r]);
    return to && to->x->calculate ? bind_index_of(f, to) : SIZE_MAX;
}

/* A calculation that reads itself, directly or through others, never
 * settles: ODK refuses such a form, and so do we. Depth-first with a
 * stack of our own (a hostile form may chain 100,000 calculations);
 * state 1: on the current path, 2: done. */
static bool check_calc_cycles(struct form *f, struct error *err)
{
    unsigned char *state = xcalloc(f->nbinds + 1, 1);
    size_t *stack = xcalloc(f->nbinds + 1, sizeof *stack);
    size_t *next = xcalloc(f->nbinds + 1, sizeof *next); /* next ref to follow */
    bool ok = true;
    for (size_t root = 0; ok && root < f->nbinds; root++) {
        if (!f->binds[root]->x->calculate || state[root])
            continue;
        size_t depth = 0;
        stack[0] = root;
        state[root] = 1;
        while (ok) {
            size_t i = stack[depth];
            if (next[i] == f->binds[i]->x->calculate->nrefs) {
                state[i] = 2;
                if (depth-- == 0)
                    break;
                continue;
            }
            size_t j = calc_dep(f, i, next[i]++);
            if (j == SIZE_MAX || state[j] == 2)
                continue;
            if (state[j] == 0) {
                state[j] = 1;
                stack[++depth] = j;
                continue;
            }
            size_t from = depth;
            while (stack[from] != j)
                from--;
            struct strbuf sb;
            strbuf_init(&sb);
            for (size_t k = from; k <= depth; k++)
                strbuf_addf(&sb, "%s -> ", f->binds[stack[k]]->path);
            strbuf_adds(&sb, f->binds[j]->path);
            /* TRANSLATORS: %s is the loop, "/data/a -> /data/b -> /data/a" */
            ok = model_fail(err, f, f->binds[j]->x->el, _("calculations depend on each other in a cycle: %s"),
                            sb.buf);
            strbuf_free(&sb);
        }
    }
    free(state);
    free(stack);
    free(next);
    return ok;
}

/* ---- loading ---------------------------------------------------------- */

static bool load_doc(struct form *f, struct error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (!model_is_el(root, "html"))
        return model_fail(err, f, root, _("the root element is <%s>, not <h:html>"),
                    root ? (const char *)root->name : "");
    xmlNodePtr head = model_child(root, "head");
    xmlNodePtr model = model_child(head, "model");
    xmlNodePtr body = model_child(root, "body");
    if (!head || !model || !body)
        return model_fail(err, f, head ? head : root, "%s",
                    _("a form needs <h:head> with a <model>, and <h:body>"));
    xmlNodePtr title = model_child(head, "title");
    f->title = title ? model_leaf_text(title) : xstrdup("");
    f->node_index = xmlHashCreate(64);
    return read_model(f, model, err) && body_load(f, body, err) && body_repeats(f, err) &&
           compile_binds(f, err) && check_calc_cycles(f, err) && body_finish(f, err);
}

static struct form *load(const char *name, char *buf, size_t len, struct error *err)
{
    struct form *f = xcalloc(1, sizeof *f);
    f->path = xstrdup(name);
    f->source = buf;
    f->source_len = len;
    char hex[65];
    sha256_hex(buf, len, hex);
    f->hash = xstrdup(hex);
    f->doc = load_parse(name, buf, len, err);
    if (!f->doc || !load_doc(f, err)) {
        form_free(&f);
        return NULL;
    }
    return f;
}

struct form *form_load_memory(const char *xml, size_t len, const char *name, struct error *err)
{
    if (len > FORM_MAX_BYTES) {
        error_set_at(err, name, 0, _("form is larger than %u MiB"), FORM_MAX_BYTES >> 20);
        return NULL;
    }
    char *buf = xmalloc(len + 1);
    memcpy(buf, xml, len);
    buf[len] = '\0';
    return load(name, buf, len, err);
}

struct form *form_load_file(const char *path, struct error *err)
{
    /* O_NONBLOCK: a FIFO named *.xml must not hang the catalog scan */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        error_set_at(err, path, 0, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        error_set_at(err, path, 0, "%s", _("not a regular file"));
        return NULL;
    }
    if ((unsigned long long)st.st_size > FORM_MAX_BYTES) {
        close(fd);
        error_set_at(err, path, 0, _("form is larger than %u MiB"), FORM_MAX_BYTES >> 20);
        return NULL;
    }
    size_t len = 0, want = (size_t)st.st_size;
    char *buf = xmalloc(want + 1);
    while (len < want) {
        ssize_t k = read(fd, buf + len, want - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = k < 0 ? errno : 0;
            if (!e)
                break; /* shrank while we read: take what is there */
            close(fd);
            free(buf);
            error_set_at(err, path, 0, "%s", strerror(e));
            return NULL;
        }
        len += (size_t)k;
    }
    close(fd);
    buf[len] = '\0';
    return load(path, buf, len, err);
}
