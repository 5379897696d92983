#include "config.h"

#include "form/load.h"

#include "core/i18n.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "form/bind.h"
#include "form/body.h"
#include "form/fields.h"
#include "form/itext.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
        if (model_is_el(c, "bind") && !bind_read(f, c, err))
            return false;
    char *root = xasprintf("/%s", (const char *)f->instance_root->name);
    bool ok = true;
    for (xmlNodePtr c = model->children; c && ok; c = c->next)
        if (model_is_el(c, "setvalue"))
            ok = body_setvalue(f, c, root, NULL, NULL, err);
    free(root);
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
           bind_compile_all(f, err) && bind_check_cycles(f, err) && fields_finish(f, err);
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
