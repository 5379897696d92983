#include "config.h"

#include "ui/conflict_view.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"

#include <stdlib.h>
#include <string.h>

/* The form of a record, loaded once per view from the file's own copy
 * (a merged file may hold forms this laptop never had). NULL when it
 * cannot be loaded: rows then show field paths. */
static const struct form *form_of(struct conflict_view *v, struct store *s, const char *id,
                                  const char *version)
{
    char *key = xasprintf("%s\n%s", id, version);
    for (size_t i = 0; i < v->nforms; i++) {
        if (strcmp(v->form_keys[i], key) == 0) {
            free(key);
            return v->forms[i];
        }
    }
    struct store_form sf;
    bool found = false;
    struct error err = ERROR_INIT;
    struct form *f = NULL;
    if (store_form_get(s, id, version, &sf, &found, &err) && found) {
        f = form_load_memory(sf.definition, strlen(sf.definition), id, &err);
        store_form_clear(&sf);
    }
    error_clear(&err);
    v->forms = xrealloc(v->forms, (v->nforms + 1) * sizeof *v->forms);
    v->form_keys = xrealloc(v->form_keys, (v->nforms + 1) * sizeof *v->form_keys);
    v->forms[v->nforms] = f;
    v->form_keys[v->nforms++] = key;
    return f;
}

static void describe(struct conflict_view *v, struct store *s, const char *lang,
                     struct conflict_row *row)
{
    struct store_record rec;
    struct error err = ERROR_INIT;
    const struct form *f = NULL;
    if (store_record_get(s, row->c.record_uuid, &rec, &err)) {
        row->finalized = rec.state && strcmp(rec.state, "finalized") == 0;
        f = form_of(v, s, rec.form_id, rec.form_version);
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

static void rows_free(struct conflict_view *v)
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

void conflict_view_load(struct conflict_view *v, struct store *s, const char *lang)
{
    rows_free(v);
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

void conflict_view_free(struct conflict_view *v)
{
    rows_free(v);
    xfree(&v->error);
    for (size_t i = 0; i < v->nforms; i++) {
        form_free(&v->forms[i]);
        free(v->form_keys[i]);
    }
    xfree(&v->forms);
    xfree(&v->form_keys);
    v->nforms = 0;
}

bool conflict_view_resolve(struct conflict_view *v, struct store *s, const char *lang,
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
    conflict_view_load(v, s, lang);
    return true;
}
