#include "config.h"

#include "form/itext.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void parts_free(struct form_part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(parts[i].literal);
        free(parts[i].output);
    }
    free(parts);
}

static void add_part(struct form_part **parts, size_t *n, char *literal, char *output)
{
    *parts = xrealloc(*parts, (*n + 1) * sizeof **parts);
    (*parts)[(*n)++] = (struct form_part){literal, output};
}

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return xstrndup(s, n);
}

/* Mixed content (text and <output value="..."/>) into parts and the
 * display text; the ends are trimmed. */
static bool read_mixed(struct form *f, xmlNodePtr el, struct form_part **parts, size_t *n,
                       char **display, struct error *err)
{
    *parts = NULL;
    *n = 0;
    struct strbuf sb;
    strbuf_init(&sb);
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            add_part(parts, n, xstrdup((const char *)c->content), NULL);
            strbuf_adds(&sb, (const char *)c->content);
        } else if (model_is_el(c, "output")) {
            char *v = model_attr(c, "value");
            if (!v)
                v = model_attr(c, "ref");
            if (!v) {
                strbuf_free(&sb);
                return error_set_at(err, f->path, xmlGetLineNo(c), "%s",
                                    _("<output> without a value attribute"));
            }
            char *expr = trimmed(v);
            free(v);
            strbuf_addf(&sb, "${%s}", expr);
            add_part(parts, n, NULL, expr);
        } else if (c->type == XML_ELEMENT_NODE) {
            strbuf_free(&sb);
            return error_set_at(err, f->path, xmlGetLineNo(c), _("unsupported element <%s> in <%s>"),
                                (const char *)c->name, (const char *)el->name);
        }
    }
    *display = trimmed(sb.buf);
    strbuf_free(&sb);
    if (*n && (*parts)[0].literal) {
        char *t = (*parts)[0].literal, *p = t;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        memmove(t, p, strlen(p) + 1);
    }
    if (*n && (*parts)[*n - 1].literal) {
        char *t = (*parts)[*n - 1].literal;
        size_t len = strlen(t);
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\n' ||
                       t[len - 1] == '\r'))
            t[--len] = '\0';
    }
    return true;
}

static struct itext_entry *entry_for(struct form *f, const char *id)
{
    struct itext_entry *e = xmlHashLookup(f->itext_index, (const xmlChar *)id);
    if (e)
        return e;
    e = xcalloc(1, sizeof *e);
    e->id = xstrdup(id);
    f->itext = xrealloc(f->itext, (f->nitext + 1) * sizeof *f->itext);
    f->itext[f->nitext++] = e;
    xmlHashAddEntry(f->itext_index, (const xmlChar *)id, e);
    return e;
}

/* The <value> to show: plain, else long, else short; media forms and
 * guidance are not text. */
static xmlNodePtr text_value(xmlNodePtr text)
{
    static const char *const order[] = {NULL, "long", "short"};
    for (int k = 0; k < 3; k++)
        for (xmlNodePtr v = text->children; v; v = v->next) {
            if (!model_is_el(v, "value"))
                continue;
            char *form = model_attr(v, "form");
            bool match = order[k] ? form && strcmp(form, order[k]) == 0 : !form;
            free(form);
            if (match)
                return v;
        }
    return NULL;
}

static bool load_translation(struct form *f, xmlNodePtr t, size_t lang, struct error *err)
{
    for (xmlNodePtr x = t->children; x; x = x->next) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        if (!model_is_el(x, "text"))
            return error_set_at(err, f->path, xmlGetLineNo(x), _("unsupported element <%s> in <translation>"),
                                (const char *)x->name);
        char *id = model_attr(x, "id");
        if (!id || !*id) {
            free(id);
            return error_set_at(err, f->path, xmlGetLineNo(x), "%s", _("itext text without an id"));
        }
        struct itext_entry *e = entry_for(f, id);
        free(id);
        if (!e->v)
            e->v = xcalloc(f->nlang, sizeof *e->v);
        struct itext_value *v = &e->v[lang];
        xmlNodePtr val = text_value(x);
        if (v->present || !val)
            continue; /* the first text with an id wins */
        if (!read_mixed(f, val, &v->parts, &v->nparts, &v->display, err))
            return false;
        v->present = true;
    }
    return true;
}

bool itext_load(struct form *f, xmlNodePtr itext, struct error *err)
{
    f->languages = xcalloc(1, sizeof *f->languages);
    f->itext_index = xmlHashCreate(64);
    size_t n = 0;
    for (xmlNodePtr t = itext ? itext->children : NULL; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE)
            continue;
        if (!model_is_el(t, "translation"))
            return error_set_at(err, f->path, xmlGetLineNo(t), _("unsupported element <%s> in <itext>"),
                                (const char *)t->name);
        char *lang = model_attr(t, "lang");
        if (!lang || !*lang) {
            free(lang);
            return error_set_at(err, f->path, xmlGetLineNo(t), "%s",
                                _("translation without a lang attribute"));
        }
        for (size_t i = 0; i < n; i++)
            if (strcmp(f->languages[i], lang) == 0) {
                error_set_at(err, f->path, xmlGetLineNo(t), _("second translation for language %s"), lang);
                free(lang);
                return false;
            }
        char *def = model_attr(t, "default");
        /* any default attribute marks it, as JavaRosa reads it: pyxform
         * writes default="true()", others default="" */
        if (def && strcmp(def, "false()") != 0 && strcmp(def, "false") != 0 && !f->default_lang) {
            f->default_lang = xstrdup(lang);
            f->default_idx = n;
        }
        free(def);
        f->languages = xrealloc(f->languages, (n + 2) * sizeof *f->languages);
        f->languages[n++] = lang;
        f->languages[n] = NULL;
    }
    f->nlang = n;
    if (n && !f->default_lang) {
        f->default_lang = xstrdup(f->languages[0]);
        f->default_idx = 0;
    }
    size_t lang = 0;
    for (xmlNodePtr t = itext ? itext->children : NULL; t; t = t->next)
        if (model_is_el(t, "translation") && !load_translation(f, t, lang++, err))
            return false;
    return true;
}

char *itext_ref_id(const char *ref)
{
    if (!ref)
        return NULL;
    while (*ref == ' ')
        ref++;
    if (strncmp(ref, "jr:itext(", 9) != 0)
        return NULL;
    const char *p = ref + 9;
    while (*p == ' ')
        p++;
    char q = *p;
    if (q != '\'' && q != '"')
        return NULL;
    const char *end = strchr(p + 1, q);
    if (!end)
        return NULL;
    const char *close = end + 1;
    while (*close == ' ')
        close++;
    if (*close != ')')
        return NULL;
    for (close++; *close == ' '; close++)
        ;
    return *close ? NULL : xstrndup(p + 1, (size_t)(end - p - 1));
}

const struct itext_entry *itext_find(const struct form *f, const char *id)
{
    return f->itext_index && id ? xmlHashLookup(f->itext_index, (const xmlChar *)id) : NULL;
}

bool itext_read_element(struct form *f, xmlNodePtr el, struct form_text *t, struct error *err)
{
    memset(t, 0, sizeof *t);
    char *ref = model_attr(el, "ref");
    if (ref) {
        char *id = itext_ref_id(ref);
        bool ok;
        if (!id)
            ok = error_set_at(err, f->path, xmlGetLineNo(el), _("unsupported %s reference %s"),
                              (const char *)el->name, ref);
        else if (!itext_find(f, id))
            ok = error_set_at(err, f->path, xmlGetLineNo(el), _("%s refers to missing itext id %s"),
                              (const char *)el->name, id);
        else
            ok = true;
        free(ref);
        if (ok)
            t->itext = id;
        else
            free(id);
        return ok;
    }
    return read_mixed(f, el, &t->parts, &t->nparts, &t->text, err);
}

bool itext_read_attr(struct form *f, xmlNodePtr el, const char *what, const char *value,
                     struct form_text *t, struct error *err)
{
    memset(t, 0, sizeof *t);
    if (!value)
        return true;
    char *id = itext_ref_id(value);
    if (!id) {
        t->text = trimmed(value);
        add_part(&t->parts, &t->nparts, xstrdup(t->text), NULL);
        return true;
    }
    if (!itext_find(f, id)) {
        error_set_at(err, f->path, xmlGetLineNo(el), _("%s refers to missing itext id %s"), what, id);
        free(id);
        return false;
    }
    t->itext = id;
    return true;
}

/* The language part of a tag: "pt_BR.UTF-8", "pt-BR", "pt" -> 2 ("pt"). */
static size_t lang_part(const char *tag)
{
    return strcspn(tag, "_-.@:");
}

/* The code in a language name's trailing parentheses ("Deutsch (de)"),
 * as pyxform writes them; NULL when there is none. */
static const char *name_code(const char *name, size_t *n)
{
    const char *open = strrchr(name, '(');
    size_t len = strlen(name);
    if (!open || len < 2 || name[len - 1] != ')' || open + 1 >= name + len - 1)
        return NULL;
    *n = (size_t)(name + len - 1 - (open + 1));
    return open + 1;
}

/* The form language want selects: the name itself, else the code in its
 * parentheses (the whole tag, then the language part: "de_AT" finds
 * "Deutsch (de)"), else a name without a code ("Deutsch"). */
static long lang_index(const struct form *f, const char *want)
{
    if (!want || !*want)
        return -1;
    for (size_t i = 0; i < f->nlang; i++)
        if (strcmp(f->languages[i], want) == 0)
            return (long)i;
    size_t wl = lang_part(want), full = strcspn(want, ".@:");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < f->nlang; i++) {
            size_t n;
            const char *code = name_code(f->languages[i], &n);
            if (!code)
                continue;
            size_t cl = pass ? lang_part(code) : n, len = pass ? wl : full;
            if (cl > n)
                cl = n;
            if (cl == len && strncasecmp(code, want, len) == 0)
                return (long)i;
        }
    for (size_t i = 0; i < f->nlang; i++)
        if (strcasecmp(f->languages[i], want) == 0)
            return (long)i;
    return -1;
}

const char *form_language_match(const struct form *f, const char *want)
{
    long i = lang_index(f, want);
    return i >= 0 ? f->languages[i] : NULL;
}

/* An empty <value/> is a missing translation, not an empty label. */
static bool has_text(const struct itext_value *v)
{
    return v->present && v->display && *v->display;
}

/* The value of an itext entry in lang, the default language, or any. */
static const struct itext_value *pick(const struct form *f, const struct itext_entry *e,
                                      const char *lang)
{
    if (!e || !e->v)
        return NULL;
    long i = lang_index(f, lang);
    if (i >= 0 && has_text(&e->v[i]))
        return &e->v[i];
    if (f->nlang && has_text(&e->v[f->default_idx]))
        return &e->v[f->default_idx];
    for (size_t k = 0; k < f->nlang; k++)
        if (has_text(&e->v[k]))
            return &e->v[k];
    return NULL;
}

const char *form_text(const struct form *f, const struct form_text *t, const char *lang)
{
    if (!t)
        return "";
    if (t->itext) {
        const struct itext_value *v = pick(f, itext_find(f, t->itext), lang);
        return v ? v->display : "";
    }
    return t->text ? t->text : "";
}

bool form_text_in(const struct form *f, const struct form_text *t, const char *lang)
{
    if (!t)
        return false;
    if (!t->itext)
        return t->text && *t->text;
    const struct itext_entry *e = itext_find(f, t->itext);
    long i = lang_index(f, lang);
    return e && e->v && i >= 0 && has_text(&e->v[i]);
}

bool form_text_empty(const struct form_text *t)
{
    return !t || (!t->itext && (!t->text || !*t->text));
}

const struct form_part *itext_parts(const struct form *f, const struct form_text *t,
                                    const char *lang, size_t *n)
{
    *n = 0;
    if (!t)
        return NULL;
    if (t->itext) {
        const struct itext_value *v = pick(f, itext_find(f, t->itext), lang);
        if (!v)
            return NULL;
        *n = v->nparts;
        return v->parts;
    }
    *n = t->nparts;
    return t->parts;
}

void itext_free(struct form *f)
{
    for (size_t i = 0; i < f->nitext; i++) {
        struct itext_entry *e = f->itext[i];
        for (size_t k = 0; e->v && k < f->nlang; k++) {
            free(e->v[k].display);
            parts_free(e->v[k].parts, e->v[k].nparts);
        }
        free(e->v);
        free(e->id);
        free(e);
    }
    free(f->itext);
    if (f->itext_index)
        xmlHashFree(f->itext_index, NULL);
    for (char **l = f->languages; l && *l; l++)
        free(*l);
    free(f->languages);
    free(f->default_lang);
}
