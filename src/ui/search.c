#include "config.h"

#include "ui/search.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What store_search found, before it is looked at. */
struct raw {
    char *record, *item, *field, *value;
};

struct raw_list {
    struct raw *v;
    size_t n, max;
};

static bool on_hit(void *ctx, const char *record, const char *item, const char *field,
                   const char *value)
{
    struct raw_list *l = ctx;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (struct raw){xstrdup(record), xstrdup(item ? item : ""), xstrdup(field),
                                xstrdup(value ? value : "")};
    return l->n < l->max;
}

/* The forms of the records met so far: the catalog's, else the copy kept
 * in the file (loaded once, owned here). */
struct form_cache {
    char **record;
    const struct form **form;
    char **label;
    struct form **owned;
    size_t n, nowned;
};

static const struct form *stored_form(struct store *st, struct form_cache *fc,
                                      const char *form_id, const char *form_version)
{
    struct store_form sf;
    bool found = false;
    if (!store_form_get(st, form_id, form_version, &sf, &found, NULL) || !found)
        return NULL;
    struct form *f = form_load_memory(sf.definition, strlen(sf.definition), form_id, NULL);
    store_form_clear(&sf);
    if (f) {
        fc->owned = xrealloc(fc->owned, (fc->nowned + 1) * sizeof *fc->owned);
        fc->owned[fc->nowned++] = f;
    }
    return f;
}

static char *record_label(struct store *st, const struct form *f, const char *record)
{
    size_t n = 0;
    const struct form_field *fields = form_fields(f, &n);
    char *name = NULL;
    for (size_t i = 0; i < n && !name; i++)
        if (!fields[i].repeat_path && strcmp(fields[i].name, "instanceName") == 0)
            store_answer_get(st, record, "", fields[i].path, &name, NULL);
    bool blank = !name || strspn(name, " ") == strlen(name);
    char *label = !blank ? xasprintf("%s: %s", form_title(f), name)
                                : xasprintf("%s %.8s", form_title(f), record);
    free(name);
    return label;
}

/* The record's form (NULL when neither the file nor cat has it), cached. */
static const struct form *form_of(struct store *st, const struct form_catalog *cat,
                                  struct form_cache *fc, const char *record, const char **label)
{
    for (size_t i = 0; i < fc->n; i++)
        if (strcmp(fc->record[i], record) == 0) {
            *label = fc->label[i];
            return fc->form[i];
        }
    struct store_record r;
    const struct form *f = NULL;
    if (store_record_get(st, record, &r, NULL)) {
        const struct form_catalog_entry *e =
            cat ? form_catalog_find_version(cat, r.form_id, r.form_version) : NULL;
        f = e ? e->form : stored_form(st, fc, r.form_id, r.form_version);
        store_record_clear(&r);
    }
    fc->record = xrealloc(fc->record, (fc->n + 1) * sizeof *fc->record);
    fc->form = xrealloc(fc->form, (fc->n + 1) * sizeof *fc->form);
    fc->label = xrealloc(fc->label, (fc->n + 1) * sizeof *fc->label);
    fc->record[fc->n] = xstrdup(record);
    fc->form[fc->n] = f;
    fc->label[fc->n] = f ? record_label(st, f, record) : NULL;
    *label = fc->label[fc->n];
    return fc->form[fc->n++];
}

static void cache_free(struct form_cache *fc)
{
    for (size_t i = 0; i < fc->n; i++) {
        free(fc->record[i]);
        free(fc->label[i]);
    }
    for (size_t i = 0; i < fc->nowned; i++)
        form_free(&fc->owned[i]);
    free(fc->record);
    free(fc->form);
    free(fc->label);
    free(fc->owned);
}

static int64_t parse_iso(const char *s)
{
    struct tm tm = {0};
    int ms = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

/* A sibling answer of a note's field ("/data/note/speaker" beside
 * "/data/note/text"), fresh; "" when unset. */
static char *sibling(struct store *st, const struct raw *h, const struct form_node *log,
                     const char *name)
{
    char *path = xasprintf("%s/%s", log->path, name);
    char *v = NULL;
    store_answer_get(st, h->record, h->item, path, &v, NULL);
    free(path);
    return v ? v : xstrdup("");
}

/* A note's text or a text answer: what search looks in (a note's tags
 * are in its text; codes, choices, numbers and times are not text). */
static bool searchable(const struct form_node *n)
{
    if (!n || n->kind != FORM_INPUT || n->type != FORM_TYPE_STRING)
        return false;
    const struct form_node *rep = n->repeat;
    return !(rep && (rep->flags & FORM_LOG)) || strcmp(n->name, "text") == 0;
}

/* The searchable fields of the forms the file's records use, as a JSON
 * array of paths for store_search_in. */
struct field_set {
    struct store *st;
    const struct form_catalog *cat;
    struct form_cache *fc;
    struct strbuf json;
    size_t n;
};

static void json_string(struct strbuf *sb, const char *s)
{
    strbuf_addc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            strbuf_addc(sb, '\\');
            strbuf_addc(sb, (char)c);
        } else if (c < 0x20) {
            strbuf_addf(sb, "\\u%04x", c);
        } else {
            strbuf_addc(sb, (char)c);
        }
    }
    strbuf_addc(sb, '"');
}

static bool add_form_fields(void *ctx, const char *form_id, const char *form_version)
{
    struct field_set *fs = ctx;
    const struct form_catalog_entry *e =
        fs->cat ? form_catalog_find_version(fs->cat, form_id, form_version) : NULL;
    const struct form *f = e ? e->form : stored_form(fs->st, fs->fc, form_id, form_version);
    size_t n = 0;
    const struct form_field *fields = f ? form_fields(f, &n) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (!searchable(form_find(f, fields[i].path)))
            continue;
        strbuf_addc(&fs->json, fs->n++ ? ',' : '[');
        json_string(&fs->json, fields[i].path);
    }
    return true;
}

/* Fill hit from raw h; false when it is not a note or text answer. */
static bool enrich(struct store *st, const struct form *f, const char *lang, const struct raw *h,
                   struct search_hit *hit)
{
    const struct form_node *n = form_find(f, h->field);
    if (!searchable(n))
        return false;
    const struct form_node *rep = n->repeat;
    bool note = rep && (rep->flags & FORM_LOG);
    hit->note = note;
    snprintf(hit->item, sizeof hit->item, "%s", h->item);
    hit->field = xstrdup(h->field);
    hit->text = xstrdup(h->value);
    if (note) {
        hit->where = sibling(st, h, rep, "speaker");
        char *topic = sibling(st, h, rep, "topic");
        char *tpath = xasprintf("%s/topic", rep->path);
        const struct form_node *tn = form_find(f, tpath);
        free(tpath);
        const char *label = tn && *topic ? form_choice_label(f, tn, topic, lang) : "";
        hit->topic = xstrdup(label && *label ? label : topic);
        free(topic);
        char *started = sibling(st, h, rep, "started_at");
        hit->when = parse_iso(started);
        free(started);
    } else {
        hit->where = xstrdup(form_text(f, &n->label, lang));
        hit->topic = xstrdup("");
    }
    if (!hit->when) {
        struct store_answer a;
        bool found = false;
        if (store_answer_info(st, h->record, h->item, h->field, &a, &found, NULL) && found)
            hit->when = a.updated_at;
        if (found)
            store_answer_clear(&a);
    }
    return true;
}

struct search_scope {
    char *fields_json;
};

struct search_scope *search_scope_new(struct store *st, const struct form_catalog *cat,
                                      struct error *err)
{
    struct form_cache fc = {0};
    struct field_set fs = {.st = st, .cat = cat, .fc = &fc};
    strbuf_init(&fs.json);
    bool ok = store_record_forms(st, add_form_fields, &fs, err);
    cache_free(&fc);
    if (!ok) {
        strbuf_free(&fs.json);
        return NULL;
    }
    if (!fs.n)
        strbuf_addc(&fs.json, '[');
    strbuf_addc(&fs.json, ']');
    struct search_scope *sc = xcalloc(1, sizeof *sc);
    sc->fields_json = strbuf_detach(&fs.json);
    return sc;
}

void search_scope_free(struct search_scope **sc)
{
    if (!*sc)
        return;
    free((*sc)->fields_json);
    free(*sc);
    *sc = NULL;
}

bool search_run(struct store *st, const struct form_catalog *cat,
                const struct search_scope *scope, const char *lang, const char *query,
                size_t max, struct search_results *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    /* some hits are tags: read more than will be kept */
    struct raw_list raw = {.max = max * 4 + 64};
    struct form_cache fc = {0};
    bool ok = store_search_in(st, query, scope->fields_json, on_hit, &raw, err);
    for (size_t i = 0; ok && i < raw.n; i++) {
        const char *label = NULL;
        const struct form *f = form_of(st, cat, &fc, raw.v[i].record, &label);
        if (!f)
            continue;
        if (out->n == max) {
            out->more = true;
            break;
        }
        struct search_hit hit = {0};
        snprintf(hit.record, sizeof hit.record, "%s", raw.v[i].record);
        if (!enrich(st, f, lang, &raw.v[i], &hit))
            continue;
        hit.record_label = xstrdup(label);
        out->hits = xrealloc(out->hits, (out->n + 1) * sizeof *out->hits);
        out->hits[out->n++] = hit;
    }
    if (raw.n == raw.max)
        out->more = true;
    for (size_t i = 0; i < raw.n; i++) {
        free(raw.v[i].record);
        free(raw.v[i].item);
        free(raw.v[i].field);
        free(raw.v[i].value);
    }
    free(raw.v);
    cache_free(&fc);
    if (!ok)
        search_results_free(out);
    return ok;
}

void search_results_free(struct search_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->hits[i].field);
        free(r->hits[i].record_label);
        free(r->hits[i].where);
        free(r->hits[i].topic);
        free(r->hits[i].text);
    }
    free(r->hits);
    memset(r, 0, sizeof *r);
}
