/* app/records.c: the records list (see records.h). */
#include "config.h"

#include "app/records.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/audit.h"
#include "core/clock.h"
#include "store/conflicts.h"
#include "survey/title.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

static void view(struct records *r);

void records_init(struct records *r, struct store *s, const struct form_catalog *cat,
                  const char *lang)
{
    *r = (struct records){.store = s, .cat = cat, .lang = lang};
}

static void rows_clear(struct records *r)
{
    for (size_t i = 0; r->cells && i < r->total; i++) {
        free(r->cells[i].title);
        free(r->cells[i].country);
        free(r->cells[i].school);
    }
    xfree(&r->cells);
    store_record_list_free(&r->rows, r->total);
    r->n = r->total = 0;
    xfree(&r->error);
}

void records_load(struct records *r)
{
    (void)store_changed_since(r->store, &r->data_version); /* what is read now */
    rows_clear(r);
    struct error err = ERROR_INIT;
    if (!store_record_list(r->store, &r->rows, &r->n, &err)) {
        r->error = error_format(&err);
        error_clear(&err);
        r->n = 0;
    }
    r->total = r->n;
    r->cells = xcalloc(r->n ? r->n : 1, sizeof *r->cells);
    view(r);
    if (!store_conflict_count(r->store, &r->conflicts, &err)) {
        r->conflicts = 0;
        error_clear(&err);
    }
}

bool records_refresh(struct records *r)
{
    int64_t v = r->data_version;
    if (!store_changed_since(r->store, &v))
        return false;
    records_load(r);
    return true;
}

void records_clear(struct records *r)
{
    rows_clear(r);
    survey_forms_free(&r->forms);
    xfree(&r->filter);
}

static const struct form *form_of(struct records *r, const struct store_record *rec)
{
    if (!r->forms)
        r->forms = survey_forms_new(r->store, r->cat);
    return survey_forms_get(r->forms, rec->form_id, rec->form_version);
}

/* The answer of the record's top-level field called name, as shown (a
 * choice as its label); NULL when the form has no such field. */
static char *answer_named(struct records *r, const struct form *f, const char *uuid,
                          const char *name)
{
    size_t n = 0;
    const struct form_field *fields = f ? form_fields(f, &n) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].repeat_path || strcmp(fields[i].name, name) != 0)
            continue;
        char *v = NULL;
        if (!store_answer_get(r->store, uuid, "", fields[i].path, &v, NULL) || !v)
            return NULL;
        const struct form_node *node = form_find(f, fields[i].path);
        const char *label = node ? form_choice_label(f, node, v, r->lang) : "";
        if (label && *label) {
            free(v);
            return xstrdup(label);
        }
        return v;
    }
    return NULL;
}

const struct records_cells *records_cells(struct records *r, size_t i)
{
    struct records_cells *c = &r->cells[i];
    if (c->loaded)
        return c;
    const struct store_record *rec = &r->rows[i];
    const struct form *f = form_of(r, rec);
    c->form = f && form_title(f) && *form_title(f) ? form_title(f) : rec->form_id;
    c->title = survey_record_name(r->store, f, rec->uuid);
    c->country = answer_named(r, f, rec->uuid, "country");
    c->school = answer_named(r, f, rec->uuid, "school");
    c->loaded = true;
    return c;
}

size_t records_find(const struct records *r, const char *uuid)
{
    size_t i = 0;
    while (uuid && i < r->n && strcmp(r->rows[i].uuid, uuid) != 0)
        i++;
    return uuid ? i : r->n;
}

const char *records_file(const struct records *r)
{
    return store_path(r->store);
}

bool records_finalized(const struct records *r, size_t i)
{
    return i < r->n && r->rows[i].state && strcmp(r->rows[i].state, "finalized") == 0;
}

bool records_delete(struct records *r, size_t i, struct error *err)
{
    if (i >= r->n)
        return true;
    if (!store_record_delete(r->store, r->rows[i].uuid, err))
        return false;
    records_load(r);
    return true;
}

bool records_reopen(struct records *r, size_t i, const char *reason, struct error *err)
{
    if (i >= r->n)
        return true;
    if (!store_record_reopen(r->store, r->rows[i].uuid, reason, err))
        return false;
    records_load(r);
    return true;
}

/* s in lower case, code point by code point (towlower under the UTF-8
 * locale: Ä to ä, Б to б); invalid bytes are kept as they are. */
static char *fold(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    char *out = xmalloc(len * 4 + 1), *o = out;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            *o++ = s[i++];
            continue;
        }
        size_t e = utf8_encode((uint32_t)towlower((wint_t)cp), o);
        if (e == 0) {
            memcpy(o, s + i, k);
            e = k;
        }
        o += e;
        i += k;
    }
    *o = '\0';
    return out;
}

static bool has(const char *field, const char *needle)
{
    if (!field || !*field)
        return false;
    char *f = fold(field);
    bool yes = strstr(f, needle) != NULL;
    free(f);
    return yes;
}

static bool matches(struct records *r, size_t i)
{
    if (!records_filtered(r))
        return true;
    const struct store_record *rec = &r->rows[i];
    const struct records_cells *c = records_cells(r, i);
    bool fin = rec->state && strcmp(rec->state, "finalized") == 0;
    return has(c->form, r->filter) || has(c->title, r->filter) || has(c->country, r->filter) ||
           has(c->school, r->filter) || has(rec->state, r->filter) ||
           has(r->state_words[fin], r->filter) || has(rec->author, r->filter);
}

struct sort_row {
    size_t i;
    char *key; /* folded; NULL sorts last */
    int64_t edit;
    const char *uuid;
    bool pass;
};

static int by_key(const void *pa, const void *pb)
{
    const struct sort_row *a = pa, *b = pb;
    if (a->key || b->key) {
        if (!a->key)
            return 1;
        if (!b->key)
            return -1;
        int c = strcmp(a->key, b->key);
        if (c)
            return c;
    }
    if (a->edit != b->edit) /* newest first */
        return a->edit < b->edit ? 1 : -1;
    return strcmp(b->uuid, a->uuid);
}

static char *sort_key(struct records *r, size_t i)
{
    const struct store_record *rec = &r->rows[i];
    const char *k = NULL;
    switch (r->sort) {
    case RECORDS_SORT_FORM:
        k = records_cells(r, i)->form;
        break;
    case RECORDS_SORT_TITLE:
        k = records_cells(r, i)->title;
        break;
    case RECORDS_SORT_COUNTRY:
        k = records_cells(r, i)->country;
        break;
    case RECORDS_SORT_STATE:
        k = rec->state;
        break;
    case RECORDS_SORT_AUTHOR:
        k = rec->author;
        break;
    default:
        return NULL;
    }
    return k && *k ? fold(k) : NULL;
}

/* Order rows[0..total) by the sort, those the filter lets through first
 * (the cells move with their rows); n is how many pass. */
static void view(struct records *r)
{
    if (r->total == 0) {
        r->n = 0;
        return;
    }
    struct sort_row *v = xcalloc(r->total, sizeof *v);
    for (size_t i = 0; i < r->total; i++)
        v[i] = (struct sort_row){.i = i, .key = sort_key(r, i), .edit = r->rows[i].updated_at,
                                 .uuid = r->rows[i].uuid, .pass = matches(r, i)};
    qsort(v, r->total, sizeof *v, by_key);
    struct store_record *rows = xcalloc(r->total, sizeof *rows);
    struct records_cells *cells = xcalloc(r->total, sizeof *cells);
    size_t at = 0, n = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (size_t k = 0; k < r->total; k++) {
            if (v[k].pass != (pass == 1))
                continue;
            rows[at] = r->rows[v[k].i];
            cells[at++] = r->cells[v[k].i];
            n += pass;
        }
    for (size_t k = 0; k < r->total; k++)
        free(v[k].key);
    free(v);
    free(r->rows);
    free(r->cells);
    r->rows = rows;
    r->cells = cells;
    r->n = n;
}

void records_set_sort(struct records *r, enum records_sort key)
{
    r->sort = key < RECORDS_SORT_COUNT ? key : RECORDS_SORT_EDIT;
    view(r);
}

enum records_sort records_sort_next(enum records_sort key)
{
    return (enum records_sort)((key + 1) % RECORDS_SORT_COUNT);
}

const char *records_sort_name(enum records_sort key)
{
    static const char *const names[RECORDS_SORT_COUNT] = {
        /* TRANSLATORS: what the records on home are sorted by */
        N_("last edit"), N_("form"), N_("title"), N_("country"), N_("state"), N_("author"),
    };
    return names[key < RECORDS_SORT_COUNT ? key : 0];
}

void records_set_filter(struct records *r, const char *text, const char *const state_words[2])
{
    xfree(&r->filter);
    r->filter = text && *text ? fold(text) : NULL;
    r->state_words[0] = state_words ? state_words[0] : NULL;
    r->state_words[1] = state_words ? state_words[1] : NULL;
    view(r);
}

bool records_filtered(const struct records *r)
{
    return r->filter && *r->filter;
}

char *records_history_line(struct records *r, size_t i)
{
    if (i >= r->n)
        return NULL;
    struct store_audit *a = NULL;
    size_t n = 0;
    struct error err = ERROR_INIT;
    if (!store_audit_list(r->store, r->rows[i].uuid, &a, &n, &err)) {
        error_clear(&err);
        return NULL;
    }
    char *line = NULL;
    for (size_t k = n; k-- > 0 && !line;) {
        if (strcmp(a[k].action, "reopen") != 0)
            continue;
        char when[32];
        clock_format_local(a[k].at, when);
        char *why = utf8_sanitize(a[k].reason ? a[k].reason : "", false);
        /* TRANSLATORS: home, under the list: the highlighted record's last
         * reopen: when, who, the reason given */
        line = xasprintf(_("Reopened %s by %s: %s"), when, a[k].author ? a[k].author : "?", why);
        free(why);
    }
    store_audit_list_free(&a, n);
    return line;
}
