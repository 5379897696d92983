#include "config.h"

#include "form/bind.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/funcs.h"
#include "form/itext.h"
#include "form/xpath.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- reading ---------------------------------------------------------- */

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

/* Controls and setvalues may name a bind by its id instead of the node. */
static void note_id(struct form *f, xmlNodePtr b, const struct form_bind *bind)
{
    char *id = model_attr(b, "id");
    if (!id)
        return;
    if (!f->bind_ids)
        f->bind_ids = xmlHashCreate(16);
    xmlHashAddEntry(f->bind_ids, (const xmlChar *)id, bind->path);
    free(id);
}

bool bind_read(struct form *f, xmlNodePtr b, struct error *err)
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
        if (ok)
            note_id(f, b, bind);
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
    note_id(f, b, bind);
    char *cmsg = model_attr_ns(b, "constraintMsg", FORM_NS_JR);
    char *rmsg = model_attr_ns(b, "requiredMsg", FORM_NS_JR);
    ok = read_type(f, b, bind, err) && read_preload(f, b, bind, err) &&
         itext_read_attr(f, b, "jr:constraintMsg", cmsg, &bind->constraint_msg, err) &&
         itext_read_attr(f, b, "jr:requiredMsg", rmsg, &bind->required_msg, err);
    free(cmsg);
    free(rmsg);
    return ok;
}

char *bind_el_ref(struct form *f, xmlNodePtr el, const char *attr, struct error *err)
{
    char *ref = model_attr(el, attr);
    if (ref)
        return ref;
    char *id = model_attr(el, "bind");
    if (!id)
        return NULL;
    const char *path = f->bind_ids ? xmlHashLookup(f->bind_ids, (const xmlChar *)id) : NULL;
    if (!path)
        model_fail(err, f, el, _("<%s bind=\"%s\">: no <bind> in the model has that id"),
                   (const char *)el->name, id);
    free(id);
    return path ? xstrdup(path) : NULL;
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

bool bind_compile_all(struct form *f, struct error *err)
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
bool bind_check_cycles(struct form *f, struct error *err)
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
