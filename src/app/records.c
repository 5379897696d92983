/* app/records.c: the records list (see records.h). */
#include "config.h"

#include "app/records.h"

#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/conflicts.h"
#include "survey/title.h"

#include <stdlib.h>
#include <string.h>

void records_init(struct records *r, struct store *s, const struct form_catalog *cat,
                  const char *lang)
{
    *r = (struct records){.store = s, .cat = cat, .lang = lang};
}

static void rows_clear(struct records *r)
{
    for (size_t i = 0; r->cells && i < r->n; i++) {
        free(r->cells[i].title);
        free(r->cells[i].country);
        free(r->cells[i].school);
    }
    xfree(&r->cells);
    store_record_list_free(&r->rows, r->n);
    r->n = 0;
    xfree(&r->error);
}

void records_load(struct records *r)
{
    rows_clear(r);
    struct error err = ERROR_INIT;
    if (!store_record_list(r->store, &r->rows, &r->n, &err)) {
        r->error = error_format(&err);
        error_clear(&err);
        r->n = 0;
    }
    r->cells = xcalloc(r->n ? r->n : 1, sizeof *r->cells);
    if (!store_conflict_count(r->store, &r->conflicts, &err)) {
        r->conflicts = 0;
        error_clear(&err);
    }
}

void records_clear(struct records *r)
{
    rows_clear(r);
    survey_forms_free(&r->forms);
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
