/* survey/form_of.c: which form a record uses (see form_of.h). */
#include "config.h"

#include "survey/form_of.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/forms.h"
#include "store/records.h"

#include <stdlib.h>
#include <string.h>

static bool use_catalog(const struct form_catalog_entry *e, struct survey_form *out,
                        struct error *err)
{
    error_clear(err);
    out->form = e->form;
    out->state = SURVEY_FORM_CATALOG;
    return true;
}

bool survey_form_of(struct store *s, const struct form_catalog *cat, const char *form_id,
                    const char *version, struct survey_form *out, struct error *err)
{
    *out = (struct survey_form){.state = SURVEY_FORM_MISSING};
    struct store_form sf;
    bool found = false;
    if (!store_form_get(s, form_id, version, &sf, &found, err))
        return false;
    const struct form_catalog_entry *same =
        cat ? form_catalog_find_version(cat, form_id, version) : NULL;
    if (!found) {
        if (same)
            return use_catalog(same, out, err);
        error_set(err, _("the form %s (version %s) is neither in the file nor among the forms"),
                  form_id, version);
        return true;
    }
    out->state = SURVEY_FORM_STORED;
    if (same && sf.hash && strcmp(form_hash(same->form), sf.hash) == 0) {
        /* the catalog holds the very same bytes: no need to parse them again */
        out->form = same->form;
    } else {
        out->owned = form_load_memory(sf.definition, strlen(sf.definition), form_id, err);
        out->form = out->owned;
    }
    store_form_clear(&sf);
    if (out->form)
        return true;
    if (same)
        return use_catalog(same, out, err);
    error_prefix(err, _("the form stored with this record"));
    out->state = SURVEY_FORM_BROKEN;
    return true;
}

void survey_form_clear(struct survey_form *sf)
{
    form_free(&sf->owned);
    sf->form = NULL;
}

/* ---- many records ---------------------------------------------------------- */

struct survey_forms {
    struct store *store;
    const struct form_catalog *cat;
    char **keys; /* "id\nversion" */
    struct survey_form *forms;
    size_t n;
};

struct survey_forms *survey_forms_new(struct store *s, const struct form_catalog *cat)
{
    struct survey_forms *fs = xcalloc(1, sizeof *fs);
    fs->store = s;
    fs->cat = cat;
    return fs;
}

void survey_forms_free(struct survey_forms **fsp)
{
    struct survey_forms *fs = *fsp;
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->keys[i]);
        survey_form_clear(&fs->forms[i]);
    }
    free(fs->keys);
    free(fs->forms);
    xfree(fsp);
}

const struct form *survey_forms_get(struct survey_forms *fs, const char *form_id,
                                    const char *version)
{
    char *key = xasprintf("%s\n%s", form_id, version);
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->keys[i], key) == 0) {
            free(key);
            return fs->forms[i].form;
        }
    struct survey_form sf;
    struct error err = ERROR_INIT;
    if (!survey_form_of(fs->store, fs->cat, form_id, version, &sf, &err)) {
        /* the file could not be read: not remembered, the next call tries again */
        error_clear(&err);
        free(key);
        return NULL;
    }
    error_clear(&err);
    fs->keys = xrealloc(fs->keys, (fs->n + 1) * sizeof *fs->keys);
    fs->forms = xrealloc(fs->forms, (fs->n + 1) * sizeof *fs->forms);
    fs->keys[fs->n] = key;
    fs->forms[fs->n] = sf;
    return fs->forms[fs->n++].form;
}

const struct form *survey_forms_of_record(struct survey_forms *fs, const char *uuid)
{
    struct store_record r;
    struct error err = ERROR_INIT;
    if (!store_record_get(fs->store, uuid, &r, &err)) {
        error_clear(&err);
        return NULL;
    }
    const struct form *f = survey_forms_get(fs, r.form_id, r.form_version);
    store_record_clear(&r);
    return f;
}
