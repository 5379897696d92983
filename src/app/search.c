#include "config.h"

#include "app/search.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/records.h"
#include "store/scan.h"
#include "survey/form_of.h"
#include "survey/notes_log.h"
#include "survey/text_fields.h"
#include "survey/title.h"

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
    size_t n;
};

static bool on_hit(void *ctx, const char *record, const char *item, const char *field,
                   const char *value)
{
    struct raw_list *l = ctx;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = (struct raw){xstrdup(record), xstrdup(item ? item : ""), xstrdup(field),
                                xstrdup(value ? value : "")};
    return true;
}

/* The records met so far: each one's form (survey_forms_get), title and
 * notes log; kept by the scope from keystroke to keystroke, so a form is
 * parsed once per search screen, not once per key. */
struct record_cache {
    struct survey_forms *forms;
    char **record;
    const struct form **form;
    char **label;
    struct survey_log *log; /* zeroed when the form has no notes log */
    size_t n;
};

/* The record's form (NULL when it has none), cached. */
static const struct form *form_of(struct store *st, struct record_cache *rc, const char *record,
                                  const char **label, const struct survey_log **log)
{
    for (size_t i = 0; i < rc->n; i++)
        if (strcmp(rc->record[i], record) == 0) {
            *label = rc->label[i];
            *log = &rc->log[i];
            return rc->form[i];
        }
    const struct form *f = survey_forms_of_record(rc->forms, record);
    rc->record = xrealloc(rc->record, (rc->n + 1) * sizeof *rc->record);
    rc->form = xrealloc(rc->form, (rc->n + 1) * sizeof *rc->form);
    rc->label = xrealloc(rc->label, (rc->n + 1) * sizeof *rc->label);
    rc->log = xrealloc(rc->log, (rc->n + 1) * sizeof *rc->log);
    rc->record[rc->n] = xstrdup(record);
    rc->form[rc->n] = f;
    rc->label[rc->n] = f ? survey_record_title(st, f, record) : NULL;
    rc->log[rc->n] = (struct survey_log){0};
    if (f && !survey_log_find(f, &rc->log[rc->n]))
        survey_log_clear(&rc->log[rc->n]);
    *label = rc->label[rc->n];
    *log = &rc->log[rc->n];
    return rc->form[rc->n++];
}

static void cache_free(struct record_cache *rc)
{
    for (size_t i = 0; i < rc->n; i++) {
        free(rc->record[i]);
        free(rc->label[i]);
        survey_log_clear(&rc->log[i]);
    }
    free(rc->record);
    free(rc->form);
    free(rc->label);
    free(rc->log);
    survey_forms_free(&rc->forms);
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

/* The searchable fields of the forms the file's records use (paths
 * owned by the forms). */
struct field_set {
    struct survey_forms *forms;
    const char **paths;
    size_t n;
};

static bool add_form_fields(void *ctx, const char *form_id, const char *form_version)
{
    struct field_set *fs = ctx;
    const struct form *f = survey_forms_get(fs->forms, form_id, form_version);
    size_t n = 0;
    const struct form_field *fields = f ? form_fields(f, &n) : NULL;
    struct survey_log log = {0};
    if (f)
        survey_log_find(f, &log);
    for (size_t i = 0; i < n; i++) {
        if (!survey_text_field(&log, form_find(f, fields[i].path)))
            continue;
        fs->paths = xrealloc(fs->paths, (fs->n + 1) * sizeof *fs->paths);
        fs->paths[fs->n++] = fields[i].path;
    }
    survey_log_clear(&log);
    return true;
}

/* The fields of the note a hit is in that the results list shows. */
struct note_fields {
    const struct survey_log *log;
    char *speaker, *topic, *started;
};

static bool on_note_field(void *ctx, const char *field, const char *value)
{
    struct note_fields *nf = ctx;
    const struct survey_log *l = nf->log;
    char **slot = l->speaker && strcmp(field, l->speaker) == 0   ? &nf->speaker
                  : l->topic && strcmp(field, l->topic) == 0     ? &nf->topic
                  : l->started_at && strcmp(field, l->started_at) == 0 ? &nf->started
                                                                  : NULL;
    if (slot && !*slot)
        *slot = xstrdup(value);
    return true;
}

/* The note's speaker, topic label and start, read in one lookup. */
static void note_context(struct store *st, const struct form *f, const struct survey_log *log,
                         const char *lang, const struct raw *h, struct search_hit *hit)
{
    struct note_fields nf = {.log = log};
    store_item_answers(st, h->record, h->item, on_note_field, &nf, NULL);
    hit->where = nf.speaker ? nf.speaker : xstrdup("");
    const char *topic = nf.topic ? nf.topic : "";
    const struct form_node *tn = log->topic ? form_find(f, log->topic) : NULL;
    const char *label = tn && *topic ? form_choice_label(f, tn, topic, lang) : "";
    hit->topic = xstrdup(label && *label ? label : topic);
    free(nf.topic);
    hit->when = parse_iso(nf.started);
    free(nf.started);
}

/* Fill hit from raw h; false when it is not a note or text answer. */
static bool enrich(struct store *st, const struct form *f, const struct survey_log *log,
                   const char *lang, const struct raw *h, struct search_hit *hit)
{
    const struct form_node *n = form_find(f, h->field);
    const struct form_node *rep = n ? n->repeat : NULL;
    bool note = rep && (rep->flags & FORM_LOG);
    if (!survey_text_field(log, n))
        return false;
    hit->note = note;
    snprintf(hit->item, sizeof hit->item, "%s", h->item);
    hit->field = xstrdup(h->field);
    hit->text = xstrdup(h->value);
    if (note) {
        note_context(st, f, log, lang, h, hit);
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
    struct record_cache rc;
};

struct search_scope *search_scope_new(struct store *st, const struct form_catalog *cat,
                                      struct error *err)
{
    struct field_set fs = {.forms = survey_forms_new(st, cat)};
    bool ok = store_record_forms(st, add_form_fields, &fs, err);
    struct search_scope *sc = NULL;
    if (ok) {
        sc = xcalloc(1, sizeof *sc);
        sc->fields_json = store_search_fields(fs.paths, fs.n);
        sc->rc.forms = survey_forms_new(st, cat);
    }
    free(fs.paths);
    survey_forms_free(&fs.forms);
    return sc;
}

void search_scope_free(struct search_scope **sc)
{
    if (!*sc)
        return;
    free((*sc)->fields_json);
    cache_free(&(*sc)->rc);
    free(*sc);
    *sc = NULL;
}

static void raw_free(struct raw_list *raw)
{
    for (size_t i = 0; i < raw->n; i++) {
        free(raw->v[i].record);
        free(raw->v[i].item);
        free(raw->v[i].field);
        free(raw->v[i].value);
    }
    free(raw->v);
    *raw = (struct raw_list){0};
}

/* The hits of raw that are notes or text answers of a known form, to out. */
static void keep_hits(struct store *st, struct search_scope *scope, const char *lang,
                      const struct raw_list *raw, struct search_results *out)
{
    for (size_t i = 0; i < raw->n; i++) {
        const char *label = NULL;
        const struct survey_log *log = NULL;
        const struct form *f = form_of(st, &scope->rc, raw->v[i].record, &label, &log);
        if (!f)
            continue;
        struct search_hit hit = {0};
        snprintf(hit.record, sizeof hit.record, "%s", raw->v[i].record);
        if (!enrich(st, f, log, lang, &raw->v[i], &hit))
            continue;
        hit.record_label = xstrdup(label);
        out->hits = xrealloc(out->hits, (out->n + 1) * sizeof *out->hits);
        out->hits[out->n++] = hit;
    }
}

/* Read pages until out holds n more hits (0: all, ranked, in one read)
 * or there are no more; each page asks for what is missing, since a
 * record may lack its form. */
static bool read_more(struct store *st, struct search_scope *scope, const char *lang,
                      size_t n, struct search_results *out, struct error *err)
{
    size_t want = out->n + n;
    /* one snapshot: the hits and what they show are read under one lock,
     * not one per statement */
    if (!store_read_begin(st, err))
        return false;
    bool ok = true;
    do {
        struct raw_list raw = {0};
        ok = store_search_next(st, out->query, scope->fields_json, n ? want - out->n : 0,
                               &out->page, on_hit, &raw, err);
        if (ok)
            keep_hits(st, scope, lang, &raw, out);
        raw_free(&raw);
    } while (ok && out->page.more && out->n < want);
    store_read_end(st);
    out->more = out->page.more;
    return ok;
}

bool search_run(struct store *st, const struct form_catalog *cat,
                struct search_scope *scope, const char *lang, const char *query,
                size_t max, struct search_results *out, struct error *err)
{
    (void)cat; /* the scope's forms came from it */
    memset(out, 0, sizeof *out);
    out->query = xstrdup(query ? query : "");
    if (!read_more(st, scope, lang, max, out, err)) {
        search_results_free(out);
        return false;
    }
    return true;
}

bool search_more(struct store *st, struct search_scope *scope, const char *lang, size_t n,
                 struct search_results *out, struct error *err)
{
    if (!out->more || !out->query || !n)
        return true;
    return read_more(st, scope, lang, n, out, err);
}

char *search_count_text(const struct search_results *r, size_t max)
{
    if (r->more && r->n >= max)
        return xasprintf(ngettext("The first %zu results", "The first %zu results", r->n), r->n);
    if (r->more)
        /* TRANSLATORS: only the first hits are read; moving down reads more */
        return xasprintf(ngettext("The first %zu result; more below",
                                  "The first %zu results; more below", r->n),
                         r->n);
    return xasprintf(ngettext("%zu result", "%zu results", r->n), r->n);
}

size_t search_first_page(size_t visible)
{
    return 2 * visible + 2;
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
    free(r->query);
    memset(r, 0, sizeof *r);
}
