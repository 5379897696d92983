#include "config.h"

#include "form/lite.h"

#include "core/i18n.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FORM_MAX_BYTES (8u * 1024 * 1024)
#define FORM_MAX_DEPTH 64

#define NS_XFORMS "http://www.w3.org/2002/xforms"
#define NS_HTML "http://www.w3.org/1999/xhtml"

struct text {
    char *lang;
    char *id;
    char *value;
};

struct form {
    char *path, *id, *version, *title, *hash, *source;
    char **languages; /* NULL-terminated */
    char *default_lang;
    struct text *texts;
    size_t ntexts;
    xmlDocPtr doc;
    xmlNodePtr instance_root; /* main instance's root element */
    xmlNodePtr body;
};

/* ---- helpers ---------------------------------------------------------- */

static bool is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *content(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = xstrdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* Set err to "path:line: message"; returns false. */
__attribute__((format(printf, 4, 5)))
static bool fail_at(struct error *err, const char *path, xmlNodePtr n, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_set_at(err, path, n ? xmlGetLineNo(n) : 0, "%s", msg);
}

/* ---- reading the file ------------------------------------------------- */

static char *read_file(const char *path, size_t *len, struct error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        error_set_at(err, path, 0, "%s", strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        error_set_at(err, path, 0, "%s", _("not a regular file"));
        return NULL;
    }
    if ((size_t)st.st_size > FORM_MAX_BYTES) {
        error_set_at(err, path, 0, _("form is larger than %u MiB"), FORM_MAX_BYTES >> 20);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_set_at(err, path, 0, "%s", strerror(errno));
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Line of the first invalid UTF-8 byte, or 0. */
static long invalid_utf8_line(const char *s, size_t n)
{
    long line = 1;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0)
            return line;
        if (cp == '\n')
            line++;
        i += k;
    }
    return 0;
}

struct parse_err {
    long line;
    char *msg;
};

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct parse_err *pe = ctx;
    if (pe->msg || !e || e->level < XML_ERR_ERROR)
        return;
    pe->line = e->line;
    pe->msg = xstrdup(e->message ? e->message : "XML error");
    size_t l = strlen(pe->msg);
    while (l && (pe->msg[l - 1] == '\n' || pe->msg[l - 1] == ' '))
        pe->msg[--l] = '\0';
}

static int depth_of(xmlNodePtr n, int d)
{
    int max = d;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            int cd = depth_of(c, d + 1);
            if (cd > max)
                max = cd;
            if (max > FORM_MAX_DEPTH)
                break;
        }
    return max;
}

static xmlDocPtr parse(const char *path, const char *buf, size_t len, struct error *err)
{
    if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8)) {
        const char *p = memmem(buf, len, "<!", 2);
        long line = 1;
        for (const char *q = buf; p && q < p; q++)
            line += *q == '\n';
        error_set_at(err, path, line, "%s", _("DOCTYPE is not allowed in a form"));
        return NULL;
    }
    long bad = invalid_utf8_line(buf, len);
    if (bad) {
        error_set_at(err, path, bad, "%s", _("text is not valid UTF-8"));
        return NULL;
    }
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx) {
        error_set_at(err, path, 0, "%s", _("out of memory"));
        return NULL;
    }
    struct parse_err pe = {0, NULL};
    xmlSetStructuredErrorFunc(&pe, on_xml_error);
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, buf, (int)len, path, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeParserCtxt(ctx);
    if (!doc || pe.msg) {
        error_set_at(err, path, pe.line, _("not well-formed XML: %s"),
                     pe.msg ? pe.msg : _("cannot parse"));
        free(pe.msg);
        xmlFreeDoc(doc);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) {
        error_set_at(err, path, 1, "%s", _("DOCTYPE is not allowed in a form"));
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || depth_of(root, 1) > FORM_MAX_DEPTH) {
        error_set_at(err, path, root ? xmlGetLineNo(root) : 1,
                     _("document is nested deeper than %d elements"), FORM_MAX_DEPTH);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* ---- expressions ------------------------------------------------------ */

static const char *const known_functions[] = {
    /* XPath 1.0 */
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after",
    "substring", "string-length", "normalize-space", "translate", "boolean", "not",
    "true", "false", "lang", "number", "sum", "floor", "ceiling", "round",
    /* node tests */
    "node", "text", "comment", "processing-instruction",
    /* ODK XForms */
    "selected", "count-selected", "selected-at", "jr:choice-name", "choice-name", "if",
    "coalesce", "regex", "today", "now", "int", "boolean-from-string", "substr", "join",
    "min", "max", "once", "uuid", "format-date", "format-date-time", "date",
    "date-time", "decimal-date-time", "decimal-time", "instance", "current",
    "count-non-empty", "ends-with", "pow", "abs", "log", "log10", "sqrt", "exp",
    "random", "pi", "indexed-repeat", "checklist", "weighted-checklist", "digest",
    "jr:itext", "itext", NULL,
};

static bool function_known(const char *name)
{
    for (int i = 0; known_functions[i]; i++)
        if (strcmp(known_functions[i], name) == 0)
            return true;
    return false;
}

/* The first unknown function an expression calls, or NULL (a fresh string). */
static char *unknown_function(const char *e)
{
    size_t i = 0, n = strlen(e);
    while (i < n) {
        char c = e[i];
        if (c == '\'' || c == '"') {
            const char *end = strchr(e + i + 1, c);
            i = end ? (size_t)(end - e) + 1 : n;
            continue;
        }
        bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        bool after_ref = i > 0 && (e[i - 1] == '/' || e[i - 1] == '@' || e[i - 1] == '$');
        if (!start) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && (strchr("_-.:", e[j]) || (e[j] >= 'a' && e[j] <= 'z') ||
                         (e[j] >= 'A' && e[j] <= 'Z') || (e[j] >= '0' && e[j] <= '9')))
            j++;
        size_t k = j;
        while (k < n && e[k] == ' ')
            k++;
        if (k < n && e[k] == '(' && !after_ref) {
            char *name = xstrndup(e + i, j - i);
            if (!function_known(name))
                return name;
            free(name);
        }
        i = j;
    }
    return NULL;
}

static void ignore_xml_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static bool check_expr(const char *path, xmlNodePtr n, const char *what,
                       const char *nodeset, const char *expr, struct error *err)
{
    if (!expr || !*expr)
        return true;
    xmlSetStructuredErrorFunc(NULL, ignore_xml_error);
    xmlXPathCompExprPtr c = xmlXPathCompile((const xmlChar *)expr);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!c) {
        error_set_at(err, path, xmlGetLineNo(n), _("XPath syntax error in %s of %s: %s"),
                     what, nodeset, expr);
        return false;
    }
    xmlXPathFreeCompExpr(c);
    char *fn = unknown_function(expr);
    if (fn) {
        error_set_at(err, path, xmlGetLineNo(n), _("unknown XPath function %s() in %s of %s"),
                     fn, what, nodeset);
        free(fn);
        return false;
    }
    return true;
}

/* ---- the model: instance, itext, binds -------------------------------- */

/* The instance element an absolute path names (namespaces ignored, no
 * predicates), or NULL. */
static xmlNodePtr resolve(const struct form *f, const char *p)
{
    if (!p || p[0] != '/')
        return NULL;
    xmlNodePtr cur = NULL;
    char *copy = xstrdup(p + 1), *save = NULL;
    for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        char *colon = strchr(seg, ':');
        const char *name = colon ? colon + 1 : seg;
        if (!cur) {
            cur = is_el(f->instance_root, name) ? f->instance_root : NULL;
        } else {
            xmlNodePtr c = cur->children;
            while (c && !is_el(c, name))
                c = c->next;
            cur = c;
        }
        if (!cur)
            break;
    }
    free(copy);
    return cur;
}

static bool load_itext(struct form *f, xmlNodePtr model, struct error *err)
{
    xmlNodePtr itext = child(model, "itext");
    size_t nlang = 0, cap = 0;
    f->languages = xcalloc(1, sizeof *f->languages);
    for (xmlNodePtr t = itext ? itext->children : NULL; t; t = t->next) {
        if (!is_el(t, "translation"))
            continue;
        char *lang = attr(t, "lang");
        if (!lang)
            return fail_at(err, f->path, t, "%s", _("translation without a lang attribute"));
        char *def = attr(t, "default");
        if ((def && strstr(def, "true")) || !f->default_lang) {
            free(f->default_lang);
            f->default_lang = xstrdup(lang);
        }
        free(def);
        f->languages = xrealloc(f->languages, (nlang + 2) * sizeof *f->languages);
        f->languages[nlang++] = lang;
        f->languages[nlang] = NULL;
        for (xmlNodePtr x = t->children; x; x = x->next) {
            if (!is_el(x, "text"))
                continue;
            char *id = attr(x, "id");
            if (!id)
                return fail_at(err, f->path, x, "%s", _("itext text without an id"));
            char *value = NULL;
            for (xmlNodePtr v = x->children; v; v = v->next) {
                if (!is_el(v, "value"))
                    continue;
                char *form = attr(v, "form");
                bool plain = !form || strcmp(form, "short") == 0 || strcmp(form, "long") == 0;
                free(form);
                if (plain && !value)
                    value = content(v);
            }
            if (f->ntexts == cap)
                f->texts = xrealloc(f->texts, (cap = cap ? cap * 2 : 64) * sizeof *f->texts);
            f->texts[f->ntexts++] = (struct text){xstrdup(lang), id, value ? value : xstrdup("")};
        }
    }
    return true;
}

static const char *lookup(const struct form *f, const char *lang, const char *id)
{
    const char *fallback = NULL;
    for (size_t i = 0; i < f->ntexts; i++) {
        if (strcmp(f->texts[i].id, id) != 0)
            continue;
        if (lang && strcmp(f->texts[i].lang, lang) == 0)
            return f->texts[i].value;
        if (f->default_lang && strcmp(f->texts[i].lang, f->default_lang) == 0)
            fallback = f->texts[i].value;
        else if (!fallback)
            fallback = f->texts[i].value;
    }
    return fallback;
}

/* "jr:itext('x')" → "x" (fresh), else NULL. */
static char *itext_ref(const char *ref)
{
    const char *p = ref ? strstr(ref, "itext(") : NULL;
    if (!p)
        return NULL;
    p += 6;
    while (*p == ' ' || *p == '\'' || *p == '"')
        p++;
    size_t n = strcspn(p, "'\")");
    return xstrndup(p, n);
}

static const char *const known_types[] = {
    "string", "int", "integer", "decimal", "date", "time", "dateTime", "select1",
    "select", "geopoint", "barcode", "boolean", "xsd:string", "xsd:int", "xsd:integer",
    "xsd:decimal", "xsd:date", "xsd:time", "xsd:dateTime", "xsd:boolean", "odk:rank", NULL,
};

static bool check_binds(struct form *f, xmlNodePtr model, struct error *err)
{
    static const char *const exprs[] = {"relevant", "constraint", "required", "calculate",
                                        "readonly", NULL};
    for (xmlNodePtr b = model->children; b; b = b->next) {
        if (!is_el(b, "bind"))
            continue;
        char *ns = attr(b, "nodeset");
        if (!ns)
            return fail_at(err, f->path, b, "%s", _("bind without a nodeset"));
        bool ok = resolve(f, ns) != NULL;
        if (!ok)
            fail_at(err, f->path, b, _("bind nodeset %s names no node of the main instance"), ns);
        char *type = ok ? attr(b, "type") : NULL;
        if (ok && type) {
            bool known = false;
            for (int i = 0; known_types[i]; i++)
                known = known || strcmp(type, known_types[i]) == 0;
            if (strcmp(type, "binary") == 0 || strstr(type, "geotrace") || strstr(type, "geoshape"))
                ok = fail_at(err, f->path, b, _("unsupported bind type %s (media and shapes are not supported)"), type);
            else if (!known)
                ok = fail_at(err, f->path, b, _("unknown bind type %s"), type);
        }
        free(type);
        for (int i = 0; ok && exprs[i]; i++) {
            char *e = attr(b, exprs[i]);
            ok = check_expr(f->path, b, exprs[i], ns, e, err);
            free(e);
        }
        free(ns);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- the body: controls ----------------------------------------------- */

static xmlNodePtr bind_for(const struct form *f, const char *path)
{
    xmlNodePtr model = child(child(xmlDocGetRootElement(f->doc), "head"), "model");
    for (xmlNodePtr b = model ? model->children : NULL; b; b = b->next) {
        if (!is_el(b, "bind"))
            continue;
        xmlChar *ns = xmlGetProp(b, (const xmlChar *)"nodeset");
        bool same = ns && strcmp((const char *)ns, path) == 0;
        xmlFree(ns);
        if (same)
            return b;
    }
    return NULL;
}

static char *absolute(const char *ctx, const char *ref)
{
    if (!ref)
        return ctx ? xstrdup(ctx) : NULL;
    if (ref[0] == '/' || !ctx)
        return xstrdup(ref);
    return xasprintf("%s/%s", ctx, ref);
}

/* The label of a control in lang: itext, else inline text. */
static char *label_of(const struct form *f, xmlNodePtr ctl, const char *lang)
{
    xmlNodePtr l = child(ctl, "label");
    if (!l)
        return xstrdup("");
    char *ref = attr(l, "ref");
    char *id = itext_ref(ref);
    free(ref);
    if (id) {
        const char *v = lookup(f, lang, id);
        free(id);
        return xstrdup(v ? v : "");
    }
    return content(l);
}

static const char *const controls[] = {"group", "repeat", "input", "select1", "select",
                                       "trigger", "range", "rank", NULL};
static const char *const inner[] = {"label", "hint", "item", "itemset", "value",
                                    "setvalue", "help", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void tree_line(const struct form *f, struct strbuf *out, xmlNodePtr n,
                      const char *path, int depth, const char *lang)
{
    char *label = label_of(f, n, lang);
    strbuf_addf(out, "%*s%s %s", depth * 2, "", (const char *)n->name, path ? path : "-");
    if (*label)
        strbuf_addf(out, " \"%s\"", label);
    free(label);
    char *app = attr(n, "appearance");
    if (app) {
        strbuf_addf(out, " [%s]", app);
        free(app);
    }
    char *count = attr(n, "count");
    if (count) {
        strbuf_addf(out, " count: %s", count);
        free(count);
    }
    xmlNodePtr b = path ? bind_for(f, path) : NULL;
    static const char *const marks[] = {"type", "required", "relevant", "constraint",
                                        "calculate", "readonly", NULL};
    for (int i = 0; b && marks[i]; i++) {
        char *v = attr(b, marks[i]);
        if (v && !(i == 1 && strcmp(v, "false()") == 0))
            strbuf_addf(out, " %s: %s", marks[i], v);
        free(v);
    }
    strbuf_addc(out, '\n');
}

static bool check_control(const struct form *f, xmlNodePtr n, const char *path,
                          struct error *err)
{
    if (path && !resolve(f, path))
        return fail_at(err, f->path, n, _("control refers to %s, which is not in the main instance"), path);
    xmlNodePtr l = child(n, "label");
    char *ref = l ? attr(l, "ref") : NULL;
    char *id = itext_ref(ref);
    bool ok = !id || lookup(f, NULL, id) || fail_at(err, f->path, l, _("label refers to missing itext id %s"), id);
    free(ref);
    free(id);
    xmlNodePtr is = child(n, "itemset");
    char *nodeset = is ? attr(is, "nodeset") : NULL;
    if (ok && nodeset && strncmp(nodeset, "instance(", 9) == 0) {
        const char *p = nodeset + 9;
        while (*p == '\'' || *p == '"' || *p == ' ')
            p++;
        char *iid = xstrndup(p, strcspn(p, "'\")"));
        xmlNodePtr model = child(child(xmlDocGetRootElement(f->doc), "head"), "model");
        bool found = false;
        for (xmlNodePtr i = model->children; i; i = i->next) {
            char *v = is_el(i, "instance") ? attr(i, "id") : NULL;
            found = found || (v && strcmp(v, iid) == 0);
            free(v);
        }
        if (!found)
            ok = fail_at(err, f->path, is, _("itemset names instance('%s'), which the form does not have"), iid);
        free(iid);
    }
    free(nodeset);
    return ok;
}

static bool walk(const struct form *f, xmlNodePtr parent, const char *ctx, int depth,
                 struct strbuf *out, const char *lang, struct error *err)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (in_list(inner, name))
            continue;
        if (!in_list(controls, name)) {
            if (strcmp(name, "upload") == 0)
                return fail_at(err, f->path, n, "%s", _("unsupported control <upload> (media uploads are not supported)"));
            return fail_at(err, f->path, n, _("unsupported control <%s>"), name);
        }
        char *ref = attr(n, strcmp(name, "repeat") == 0 ? "nodeset" : "ref");
        char *path = absolute(ctx, ref);
        free(ref);
        bool ok = check_control(f, n, strcmp(name, "group") == 0 && !path ? NULL : path, err);
        if (ok && out)
            tree_line(f, out, n, path, depth, lang);
        if (ok && (strcmp(name, "group") == 0 || strcmp(name, "repeat") == 0))
            ok = walk(f, n, path ? path : ctx, depth + 1, out, lang, err);
        free(path);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- loading ---------------------------------------------------------- */

static bool load_model(struct form *f, struct error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (!is_el(root, "html"))
        return fail_at(err, f->path, root, "%s", _("the root element is not <h:html>"));
    xmlNodePtr head = child(root, "head");
    xmlNodePtr model = child(head, "model");
    f->body = child(root, "body");
    if (!head || !model || !f->body)
        return fail_at(err, f->path, head ? head : root, "%s",
                       _("a form needs <h:head> with a <model>, and <h:body>"));
    xmlNodePtr title = child(head, "title");
    f->title = title ? content(title) : xstrdup("");
    for (xmlNodePtr i = model->children; i; i = i->next) {
        if (!is_el(i, "instance"))
            continue;
        char *src = attr(i, "src");
        if (src) {
            fail_at(err, f->path, i, _("external secondary instance (src=\"%s\") is not supported"), src);
            free(src);
            return false;
        }
        char *iid = attr(i, "id");
        if (!iid && !f->instance_root) {
            for (xmlNodePtr c = i->children; c && !f->instance_root; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                    f->instance_root = c;
        }
        free(iid);
    }
    if (!f->instance_root)
        return fail_at(err, f->path, model, "%s", _("the model has no main instance"));
    f->id = attr(f->instance_root, "id");
    if (!f->id || !*f->id)
        return fail_at(err, f->path, f->instance_root, "%s",
                       _("the main instance's root element has no id attribute"));
    f->version = attr(f->instance_root, "version");
    if (!f->version)
        f->version = xstrdup("");
    return load_itext(f, model, err) && check_binds(f, model, err);
}

struct form *form_load_file(const char *path, struct error *err)
{
    size_t len = 0;
    char *buf = read_file(path, &len, err);
    if (!buf)
        return NULL;
    struct form *f = xcalloc(1, sizeof *f);
    f->path = xstrdup(path);
    f->source = buf;
    char hex[65];
    sha256_hex(buf, len, hex);
    f->hash = xstrdup(hex);
    f->doc = parse(path, buf, len, err);
    if (!f->doc || !load_model(f, err) || !walk(f, f->body, NULL, 1, NULL, NULL, err)) {
        form_free(&f);
        return NULL;
    }
    return f;
}

void form_free(struct form **fp)
{
    struct form *f = *fp;
    if (!f)
        return;
    free(f->path), free(f->id), free(f->version), free(f->title);
    free(f->hash), free(f->source), free(f->default_lang);
    for (char **l = f->languages; l && *l; l++)
        free(*l);
    free(f->languages);
    for (size_t i = 0; i < f->ntexts; i++)
        free(f->texts[i].lang), free(f->texts[i].id), free(f->texts[i].value);
    free(f->texts);
    xmlFreeDoc(f->doc);
    xfree(fp);
}

const char *form_id(const struct form *f) { return f->id; }
const char *form_version(const struct form *f) { return f->version; }
const char *form_title(const struct form *f) { return f->title; }
const char *form_hash(const struct form *f) { return f->hash; }
const char *form_source(const struct form *f) { return f->source; }
const char *const *form_languages(const struct form *f)
{
    return (const char *const *)f->languages;
}

char *form_tree_text(const struct form *f, const char *lang)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "form %s version %s \"%s\" languages:", f->id, f->version, f->title);
    for (char **l = f->languages; l && *l; l++)
        strbuf_addf(&sb, " %s%s", *l,
                    f->default_lang && strcmp(*l, f->default_lang) == 0 ? "*" : "");
    strbuf_addc(&sb, '\n');
    walk(f, f->body, NULL, 1, &sb, lang, NULL);
    return strbuf_detach(&sb);
}
