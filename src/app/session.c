#include "config.h"

#include "app/session.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "survey/form_of.h"
#include "app/session_int.h"

#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void session_items_push(struct session *s, const char *uuid, const char *repeat_path,
                       const char *parent)
{
    if (s->nitems == s->items_cap) {
        s->items_cap = s->items_cap ? s->items_cap * 2 : 16;
        s->items = xrealloc(s->items, s->items_cap * sizeof *s->items);
    }
    s->items[s->nitems++] = (struct session_item){xstrdup(uuid), xstrdup(repeat_path),
                                                  xstrdup(or_empty(parent))};
}

static void items_clear(struct session *s)
{
    for (size_t i = 0; i < s->nitems; i++) {
        free(s->items[i].uuid);
        free(s->items[i].repeat_path);
        free(s->items[i].parent);
    }
    xfree(&s->items);
    s->nitems = s->items_cap = 0;
}

void session_free(struct session **sp)
{
    struct session *s = *sp;
    if (!s)
        return;
    session_pages_free(s);
    items_clear(s);
    form_record_free(&s->rec);
    form_free(&s->owned_form);
    store_record_clear(&s->info);
    free(s->lang);
    free(s);
    *sp = NULL;
}

static struct session *session_new(struct store *st, const char *lang)
{
    struct session *s = xcalloc(1, sizeof *s);
    s->store = st;
    s->lang = lang ? xstrdup(lang) : NULL;
    /* what is read from here on is the file as of now */
    (void)store_changed_since(st, &s->data_version);
    return s;
}

/* The record's form, by the one rule (survey_form_of). */
static bool load_form(struct session *s, const struct form_catalog *cat, struct error *err)
{
    struct survey_form sf;
    if (!survey_form_of(s->store, cat, s->info.form_id, s->info.form_version, &sf, err))
        return false;
    s->owned_form = sf.owned;
    s->form = sf.form;
    return s->form != NULL;
}

/* Every live item of the repeats below node, parents first. */
static bool load_items(struct session *s, const struct form_node *n, const char *parent,
                       struct error *err)
{
    if (n->kind == FORM_REPEAT) {
        char **uuids = NULL;
        size_t k = 0;
        if (!store_item_list(s->store, s->info.uuid, parent, n->path, &uuids, &k, err))
            return false;
        bool ok = true;
        for (size_t i = 0; i < k && ok; i++) {
            session_items_push(s, uuids[i], n->path, parent);
            ok = form_record_add_item(s->rec, n->path, parent, uuids[i], err);
            for (size_t c = 0; c < n->nchildren && ok; c++)
                ok = load_items(s, n->children[c], uuids[i], err);
        }
        store_item_list_free(&uuids, k);
        return ok;
    }
    for (size_t c = 0; c < n->nchildren; c++)
        if (!load_items(s, n->children[c], parent, err))
            return false;
    return true;
}

/* The template's defaults are in a fresh record; what the file holds is
 * the truth (a default the user cleared stays cleared), so empty every
 * field first. Defaults were saved when the record was created. */
static void blank_fields(struct session *s)
{
    size_t n;
    const struct form_field *fields = form_fields(s->form, &n);
    for (size_t i = 0; i < n; i++) {
        if (!fields[i].repeat_path) {
            form_record_set(s->rec, fields[i].path, "", "", NULL);
            continue;
        }
        for (size_t k = 0; k < s->nitems; k++)
            if (strcmp(s->items[k].repeat_path, fields[i].repeat_path) == 0)
                form_record_set(s->rec, fields[i].path, s->items[k].uuid, "", NULL);
    }
}

static bool set_stored(void *ctx, const char *item, const char *field, const char *value)
{
    struct session *s = ctx;
    /* a field the form no longer has is kept in the file, not shown */
    form_record_set(s->rec, field, item, value, NULL);
    return true;
}

struct session *session_open(struct store *st, const struct form_catalog *cat,
                             const char *record_uuid, const char *lang, struct error *err)
{
    struct session *s = session_new(st, lang);
    if (!store_record_get(st, record_uuid, &s->info, err) || !load_form(s, cat, err))
        goto fail;
    s->rec = form_record_new(s->form);
    if (!load_items(s, form_root(s->form), "", err))
        goto fail;
    blank_fields(s);
    if (!store_answer_foreach(st, s->info.uuid, set_stored, s, err))
        goto fail;
    session_build_pages(s);
    return s;
fail:
    session_free(&s);
    return NULL;
}

bool session_stale(struct session *s)
{
    return store_changed_since(s->store, &s->data_version);
}

bool session_differs(const struct session *a, const struct session *b, const char *path,
                     const char *item)
{
    const char *va = form_record_get(a->rec, path, item);
    const char *vb = form_record_get(b->rec, path, item);
    return strcmp(va ? va : "", vb ? vb : "") != 0;
}

/* ---- a new record -------------------------------------------------------- */

static void on_item(void *ctx, const char *repeat_path, const char *parent, const char *item)
{
    struct pending *p = ctx;
    p->items = xrealloc(p->items, (p->nitems + 1) * sizeof *p->items);
    p->items[p->nitems++] = (struct session_item){xstrdup(item), xstrdup(repeat_path),
                                                  xstrdup(or_empty(parent))};
}

void session_on_value(void *ctx, const char *field, const char *item, const char *value)
{
    struct pending *p = ctx;
    size_t n = p->nvalues + 1;
    p->fields = xrealloc(p->fields, n * sizeof *p->fields);
    p->item_ids = xrealloc(p->item_ids, n * sizeof *p->item_ids);
    p->values = xrealloc(p->values, n * sizeof *p->values);
    p->fields[p->nvalues] = xstrdup(field);
    p->item_ids[p->nvalues] = xstrdup(or_empty(item));
    p->values[p->nvalues] = xstrdup(or_empty(value));
    p->nvalues = n;
}

void session_pending_free(struct pending *p)
{
    for (size_t i = 0; i < p->nitems; i++) {
        free(p->items[i].uuid);
        free(p->items[i].repeat_path);
        free(p->items[i].parent);
    }
    for (size_t i = 0; i < p->nvalues; i++) {
        free(p->fields[i]);
        free(p->item_ids[i]);
        free(p->values[i]);
    }
    free(p->items);
    free(p->fields);
    free(p->item_ids);
    free(p->values);
    memset(p, 0, sizeof *p);
}

/* Items first (values inside them need them), then the values. The last
 * write of a field wins, as it did in the record. */
bool session_pending_save(struct session *s, struct pending *p, struct error *err)
{
    for (size_t i = 0; i < p->nitems; i++) {
        const struct session_item *it = &p->items[i];
        if (!store_item_add_uuid(s->store, s->info.uuid, it->parent, it->repeat_path, it->uuid,
                                 err))
            return false;
        session_items_push(s, it->uuid, it->repeat_path, it->parent);
    }
    for (size_t i = 0; i < p->nvalues; i++) {
        const char *v = p->values[i];
        if (!store_answer_set(s->store, s->info.uuid, p->item_ids[i], p->fields[i],
                              *v ? v : NULL, err))
            return false;
    }
    return true;
}

/* The form's text of field's default in lang (itext "<field>:default",
 * as the grid's target states give), or NULL. */
static const char *default_in(const struct form *f, const char *field, const char *lang)
{
    char *id = xasprintf("%s:default", field);
    struct form_text t = {.itext = id};
    const char *v = lang && form_text_in(f, &t, lang) ? form_text(f, &t, lang) : NULL;
    free(id);
    return v;
}

/* A new record starts with the defaults in the session's language where
 * the form has them, not the instance's (English) text. */
static void localize_defaults(struct session *s, struct pending *p)
{
    const char *lang = s->lang ? form_language_match(s->form, s->lang) : NULL;
    for (size_t i = 0; lang && i < p->nvalues; i++) {
        const char *v = *p->item_ids[i] ? NULL : default_in(s->form, p->fields[i], lang);
        if (v && form_record_set(s->rec, p->fields[i], NULL, v, NULL)) {
            free(p->values[i]);
            p->values[i] = xstrdup(v);
        }
    }
}

bool session_is_default(const struct session *s, const struct form_node *n, const char *value)
{
    if (!*n->default_value || !value)
        return false;
    if (strcmp(value, n->default_value) == 0)
        return true;
    const char *const *langs = form_languages(s->form);
    for (size_t i = 0; langs[i]; i++) {
        const char *v = default_in(s->form, n->path, langs[i]);
        if (v && strcmp(value, v) == 0)
            return true;
    }
    return false;
}

struct session *session_create(struct store *st, const struct form *f, const char *lang,
                               struct error *err)
{
    struct session *s = session_new(st, lang);
    struct pending p = {0};
    char uuid[UUID_STR_LEN];
    s->form = f;
    if (!store_form_put(st, form_id(f), form_version(f), form_hash(f), form_title(f),
                        form_source(f), err) ||
        !store_record_create(st, form_id(f), form_version(f), uuid, err) ||
        !store_record_get(st, uuid, &s->info, err))
        goto fail;
    s->rec = form_record_new(f);
    struct form_env env = {store_device_id(st), store_author(st)};
    struct form_events ev = {session_on_value, on_item, &p};
    if (!form_record_first_load(s->rec, &env, &ev, err))
        goto fail;
    localize_defaults(s, &p);
    if (!session_pending_save(s, &p, err))
        goto fail;
    session_pending_free(&p);
    session_build_pages(s);
    return s;
fail:
    session_pending_free(&p);
    session_free(&s);
    return NULL;
}

/* ---- accessors ----------------------------------------------------------- */

const char *session_uuid(const struct session *s)
{
    return s->info.uuid;
}

const struct form *session_form(const struct session *s)
{
    return s->form;
}

struct form_record *session_record(const struct session *s)
{
    return s->rec;
}

const char *session_lang(const struct session *s)
{
    return s->lang;
}

void session_set_lang(struct session *s, const char *lang)
{
    free(s->lang);
    s->lang = lang ? xstrdup(lang) : NULL;
}

bool session_finalized(const struct session *s)
{
    return s->info.state && strcmp(s->info.state, "finalized") == 0;
}

bool session_editable(const struct session *s)
{
    return !session_finalized(s) && !store_readonly(s->store);
}

const char *session_get(const struct session *s, const struct form_node *n, const char *item)
{
    const char *v = n && *n->path ? form_record_get(s->rec, n->path, or_empty(item)) : NULL;
    return v ? v : "";
}
