#include "config.h"

#include "form/tree.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "form/model.h"

#include <string.h>

/* Text on one line: newlines and tabs become spaces, ends trimmed. */
static void add_flat(struct strbuf *sb, const char *s)
{
    s += strspn(s, " \t\n\r");
    size_t n = strlen(s);
    while (n && strchr(" \t\n\r", s[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++)
        strbuf_addc(sb, strchr("\t\n\r", s[i]) ? ' ' : s[i]);
}

static void add_expr(struct strbuf *sb, const char *name, const char *e)
{
    if (!e)
        return;
    strbuf_addf(sb, " %s: ", name);
    add_flat(sb, e);
}

static bool is_literal(const char *e, const char *lit)
{
    if (!e)
        return false;
    e += strspn(e, " ");
    size_t n = strlen(lit);
    return strncmp(e, lit, n) == 0 && e[n + strspn(e + n, " ")] == '\0';
}

static void add_bind(struct strbuf *sb, const struct form_bind *b)
{
    if (!b)
        return;
    if (is_literal(b->required, "true()"))
        strbuf_adds(sb, " required");
    else if (b->required && !is_literal(b->required, "false()"))
        add_expr(sb, "required", b->required);
    if (is_literal(b->readonly, "true()"))
        strbuf_adds(sb, " readonly");
    else if (b->readonly && !is_literal(b->readonly, "false()"))
        add_expr(sb, "readonly", b->readonly);
    add_expr(sb, "relevant", b->relevant);
    add_expr(sb, "constraint", b->constraint);
    add_expr(sb, "calculate", b->calculate);
    if (b->preload)
        strbuf_addf(sb, " preload: %s%s%s", b->preload, b->preload_params ? " " : "",
                    b->preload_params ? b->preload_params : "");
}

/* The setvalues a change of n or a new instance of repeat n runs. */
static void add_setvalues(const struct form *f, struct strbuf *sb, const struct form_node *n)
{
    for (size_t i = 0; i < f->nsetvalues && *n->path; i++) {
        const struct setvalue *s = f->setvalues[i];
        const char *when = NULL;
        if ((s->events & SETVALUE_VALUE_CHANGED) && strcmp(s->control, n->path) == 0)
            when = "on change";
        else if ((s->events & SETVALUE_NEW_REPEAT) && n->kind == FORM_REPEAT &&
                 strcmp(s->repeat, n->path) == 0)
            when = "on new";
        if (!when)
            continue;
        strbuf_addf(sb, " %s: %s = ", when, s->ref);
        if (s->value_src)
            add_flat(sb, s->value_src);
        else {
            strbuf_addc(sb, '"');
            add_flat(sb, s->literal);
            strbuf_addc(sb, '"');
        }
    }
}

static void node_line(const struct form *f, struct strbuf *sb, const struct form_node *n,
                      int depth, const char *lang)
{
    strbuf_addf(sb, "%*s%s %s", depth * 2, "", form_kind_name(n->kind), *n->path ? n->path : "-");
    const char *label = form_text(f, &n->label, lang);
    if (*label) {
        strbuf_adds(sb, " \"");
        add_flat(sb, label);
        strbuf_addc(sb, '"');
    }
    const char *type = form_type_name(n->type);
    if (*type && strcmp(type, form_kind_name(n->kind)) != 0)
        strbuf_addf(sb, " %s", type);
    if (n->appearance)
        strbuf_addf(sb, " [%s]", n->appearance);
    if (n->flags & FORM_GRID)
        strbuf_adds(sb, " grid");
    if (n->flags & FORM_LOG)
        strbuf_adds(sb, " log");
    add_bind(sb, n->bind);
    if (n->kind == FORM_REPEAT) {
        if (n->count)
            add_expr(sb, "count", n->count);
        if (n->prefilled)
            strbuf_addf(sb, " prefilled: %zu", n->prefilled);
    }
    if (n->kind == FORM_RANGE)
        strbuf_addf(sb, " range: %g..%g step %g", n->range_start, n->range_end, n->range_step);
    if (n->kind == FORM_UPLOAD)
        strbuf_addf(sb, " mediatype: %s", n->mediatype ? n->mediatype : "any");
    add_setvalues(f, sb, n);
    if (n->itemset && n->itemset->dynamic)
        add_expr(sb, "itemset", n->itemset->nodeset);
    else if (n->nchoices)
        strbuf_addf(sb, " choices: %zu", n->nchoices);
    if (*n->default_value) {
        strbuf_adds(sb, " default: \"");
        add_flat(sb, n->default_value);
        strbuf_addc(sb, '"');
    }
    strbuf_addc(sb, '\n');
}

/* One text in every language: "label [Deutsch (de)]: Text", or
 * "label: Text" in a form without translations; "(missing)" where a
 * language has none of its own (the default language's is shown then). */
static void text_lines(const struct form *f, struct strbuf *sb, const char *what,
                       const char *value, const struct form_text *t, int depth)
{
    if (!t || form_text_empty(t))
        return;
    const char *const *langs = form_languages(f);
    if (!*langs) {
        strbuf_addf(sb, "%*s%s%s%s: ", depth * 2, "", what, value ? " " : "", value ? value : "");
        add_flat(sb, form_text(f, t, NULL));
        strbuf_addc(sb, '\n');
        return;
    }
    for (const char *const *l = langs; *l; l++) {
        strbuf_addf(sb, "%*s%s%s%s [%s]: ", depth * 2, "", what, value ? " " : "",
                    value ? value : "", *l);
        if (form_text_in(f, t, *l))
            add_flat(sb, form_text(f, t, *l));
        else
            strbuf_adds(sb, "(missing)");
        strbuf_addc(sb, '\n');
    }
}

static void node_texts(const struct form *f, struct strbuf *sb, const struct form_node *n,
                       int depth)
{
    text_lines(f, sb, "label", NULL, &n->label, depth);
    text_lines(f, sb, "hint", NULL, &n->hint, depth);
    text_lines(f, sb, "constraint message", NULL, n->constraint_msg, depth);
    text_lines(f, sb, "required message", NULL, n->required_msg, depth);
    if (n->itemset && n->itemset->dynamic)
        return;
    for (size_t i = 0; i < n->nchoices; i++)
        text_lines(f, sb, "choice", n->choices[i].value, &n->choices[i].label, depth);
}

static void walk(const struct form *f, struct strbuf *sb, const struct form_node *n, int depth,
                 const char *lang, bool all)
{
    for (size_t i = 0; i < n->nchildren; i++) {
        node_line(f, sb, n->children[i], depth, lang);
        if (all)
            node_texts(f, sb, n->children[i], depth + 1);
        walk(f, sb, n->children[i], depth + 1, lang, all);
    }
}

static char *tree_text(const struct form *f, const char *lang, bool all)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "form %s version %s \"", form_id(f), form_version(f));
    add_flat(&sb, form_title(f));
    strbuf_adds(&sb, "\" languages:");
    const char *def = form_default_language(f);
    for (const char *const *l = form_languages(f); *l; l++)
        strbuf_addf(&sb, " %s%s", *l, def && strcmp(*l, def) == 0 ? "*" : "");
    strbuf_addc(&sb, '\n');
    walk(f, &sb, form_root(f), 1, lang, all);
    size_t n;
    const struct form_field *fields = form_fields(f, &n);
    bool header = false;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].control)
            continue;
        if (!header)
            strbuf_addf(&sb, "%s\n", _("fields without a control:"));
        header = true;
        const struct form_bind *b = fields[i].bind;
        strbuf_addf(&sb, "  %s %s", fields[i].path, form_type_name(b ? b->type : FORM_TYPE_STRING));
        add_bind(&sb, b);
        if (*fields[i].default_value) {
            strbuf_adds(&sb, " default: \"");
            add_flat(&sb, fields[i].default_value);
            strbuf_addc(&sb, '"');
        }
        strbuf_addc(&sb, '\n');
    }
    if (f->ndead_binds)
        strbuf_addf(&sb, "%s\n", _("binds naming no node of the main instance (ignored, as ODK does):"));
    for (size_t i = 0; i < f->ndead_binds; i++)
        strbuf_addf(&sb, "  %s\n", f->dead_binds[i]);
    return strbuf_detach(&sb);
}

char *form_tree_text(const struct form *f, const char *lang)
{
    return tree_text(f, lang, false);
}

char *form_tree_text_all(const struct form *f)
{
    return tree_text(f, NULL, true);
}
