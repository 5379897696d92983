#include "config.h"

#include "form/form.h"

#include "core/xalloc.h"
#include "form/itext.h"
#include "form/model.h"

#include <stdlib.h>
#include <string.h>

static void free_bind(struct form_bind *b)
{
    free(b->path);
    free(b->type_name);
    free(b->relevant), free(b->constraint), free(b->required);
    free(b->calculate), free(b->readonly);
    model_text_clear(&b->constraint_msg);
    model_text_clear(&b->required_msg);
    free(b->preload), free(b->preload_params);
    if (b->x) {
        model_expr_free(&b->x->relevant);
        model_expr_free(&b->x->constraint);
        model_expr_free(&b->x->required);
        model_expr_free(&b->x->calculate);
        model_expr_free(&b->x->readonly);
        free(b->x);
    }
    free(b);
}

static void free_repeat(struct repeat_info *r)
{
    free(r->path);
    free(r->prefilled);
    for (size_t i = 0; i < r->nafter; i++)
        free(r->after[i]);
    free(r->after);
    free(r);
}

static void free_setvalue(struct setvalue *s)
{
    free(s->ref);
    free(s->literal);
    free(s->value_src);
    free(s->control);
    model_expr_free(&s->value);
    free(s);
}

void form_free(struct form **fp)
{
    struct form *f = *fp;
    if (!f)
        return;
    free(f->path), free(f->id), free(f->version), free(f->title);
    free(f->hash), free(f->source);
    itext_free(f);
    for (size_t i = 0; i < f->nbinds; i++)
        free_bind(f->binds[i]);
    free(f->binds);
    if (f->bind_index)
        xmlHashFree(f->bind_index, NULL);
    if (f->bind_ids)
        xmlHashFree(f->bind_ids, NULL);
    model_node_free(f->root);
    if (f->node_index)
        xmlHashFree(f->node_index, NULL);
    for (size_t i = 0; i < f->nfields; i++) {
        free(f->fields[i].path);
        free(f->fields[i].default_value);
    }
    free(f->fields);
    for (size_t i = 0; i < f->nrepeats; i++)
        free_repeat(f->repeats[i]);
    free(f->repeats);
    for (size_t i = 0; i < f->nsetvalues; i++)
        free_setvalue(f->setvalues[i]);
    free(f->setvalues);
    for (size_t i = 0; i < f->ndead_binds; i++)
        free(f->dead_binds[i]);
    free(f->dead_binds);
    for (size_t i = 0; i < f->nsecondary; i++) {
        xmlFreeDoc(f->secondary[i]);
        free(f->secondary_ids[i]);
    }
    free(f->secondary);
    free(f->secondary_ids);
    xmlFreeDoc(f->doc);
    xfree(fp);
}

const char *form_id(const struct form *f) { return f->id; }
const char *form_version(const struct form *f) { return f->version; }
const char *form_title(const struct form *f) { return f->title; }
const char *form_hash(const struct form *f) { return f->hash; }
const char *form_source(const struct form *f) { return f->source; }
size_t form_source_len(const struct form *f) { return f->source_len; }
const char *form_path(const struct form *f) { return f->path; }
const char *form_default_language(const struct form *f) { return f->default_lang; }
const struct form_node *form_root(const struct form *f) { return f->root; }

const char *const *form_languages(const struct form *f)
{
    return (const char *const *)f->languages;
}

const struct form_node *form_find(const struct form *f, const char *path)
{
    return path && f->node_index ? xmlHashLookup(f->node_index, (const xmlChar *)path) : NULL;
}

static const struct form_node *find_log(const struct form_node *n)
{
    if (n->kind == FORM_REPEAT && (n->flags & FORM_LOG))
        return n;
    for (size_t i = 0; i < n->nchildren; i++) {
        const struct form_node *found = find_log(n->children[i]);
        if (found)
            return found;
    }
    return NULL;
}

const struct form_node *form_log_repeat(const struct form *f)
{
    return find_log(form_root(f));
}

const struct form_bind *form_bind(const struct form *f, const char *path)
{
    return path && f->bind_index ? xmlHashLookup(f->bind_index, (const xmlChar *)path) : NULL;
}

const struct form_field *form_fields(const struct form *f, size_t *n)
{
    *n = f->nfields;
    return f->fields;
}

bool form_is_repeat(const struct form *f, const char *path)
{
    return model_repeat(f, path) != NULL;
}

const char *form_choice_label(const struct form *f, const struct form_node *n,
                              const char *value, const char *lang)
{
    for (size_t i = 0; n && value && i < n->nchoices; i++)
        if (strcmp(n->choices[i].value, value) == 0)
            return form_text(f, &n->choices[i].label, lang);
    return "";
}

const char *form_kind_name(enum form_kind k)
{
    static const char *const names[] = {"group", "repeat", "input", "select1", "select",
                                        "note",  "trigger", "range", "rank", "upload"};
    return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *form_type_name(enum form_type t)
{
    static const char *const names[] = {"",        "string",   "int",     "decimal",  "date",
                                        "time",    "dateTime", "boolean", "geopoint", "barcode",
                                        "select1", "select",   "rank",    "binary"};
    return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}
