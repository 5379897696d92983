#include "config.h"

#include "app/conflicts.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/records.h"

#include <stdlib.h>
#include <string.h>

static void describe(struct conflicts *v, struct store *s, const char *lang,
                     struct conflict_row *row)
{
    struct store_record rec;
    struct error err = ERROR_INIT;
    const struct form *f = NULL;
    if (store_record_get(s, row->c.record_uuid, &rec, &err)) {
        row->finalized = rec.state && strcmp(rec.state, "finalized") == 0;
        f = survey_forms_get(v->forms, rec.form_id, rec.form_version);
        row->form_title = xstrdup(f && form_title(f) && *form_title(f) ? form_title(f) : rec.form_id);
        store_record_clear(&rec);
    } else {
        row->form_title = xstrdup("?");
    }
    error_clear(&err);
    const struct form_node *n = f ? form_find(f, row->c.field) : NULL;
    const char *label = n ? form_text(f, &n->label, lang) : "";
    row->label = xstrdup(*label ? label : row->c.field);
}

static void rows_free(struct conflicts *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->rows[i].label);
        free(v->rows[i].form_title);
    }
    /* the store_conflict parts are one array for store_conflict_list_free */
    struct store_conflict *list = v->n ? xmalloc(v->n * sizeof *list) : NULL;
    for (size_t i = 0; i < v->n; i++)
        list[i] = v->rows[i].c;
    store_conflict_list_free(&list, v->n);
    xfree(&v->rows);
    v->n = 0;
}

void conflicts_load(struct conflicts *v, struct store *s, const struct form_catalog *cat,
                        const char *lang)
{
    rows_free(v);
    if (!v->forms)
        v->forms = survey_forms_new(s, cat);
    xfree(&v->error);
    struct store_conflict *list;
    size_t n;
    struct error err = ERROR_INIT;
    if (!store_conflict_list(s, &list, &n, &err)) {
        v->error = error_format(&err);
        error_clear(&err);
        return;
    }
    v->rows = n ? xcalloc(n, sizeof *v->rows) : NULL;
    for (size_t i = 0; i < n; i++) {
        v->rows[i].c = list[i];
        describe(v, s, lang, &v->rows[i]);
    }
    v->n = n;
    free(list); /* its strings now belong to the rows */
}

void conflicts_free(struct conflicts *v)
{
    rows_free(v);
    xfree(&v->error);
    survey_forms_free(&v->forms);
}

bool conflicts_resolve(struct conflicts *v, struct store *s, const char *lang,
                           size_t i, enum conflict_choice choice, const char *edited,
                           struct error *err)
{
    if (i >= v->n)
        return error_set(err, _("no such conflict"));
    const struct store_conflict *c = &v->rows[i].c;
    const char *value = choice == CONFLICT_KEEP_CURRENT ? c->current.value
                        : choice == CONFLICT_KEEP_OTHER ? c->other.value
                        : edited && *edited           ? edited
                                                      : NULL;
    if (v->rows[i].finalized)
        return error_set(err, _("the record is finalized: reopen it on the home screen first"));
    if (!store_answer_resolve(s, c->record_uuid, c->item_uuid, c->field, value, err))
        return false;
    conflicts_load(v, s, NULL, lang);
    return true;
}
