/* survey/form_of.h: which form a record uses, the one answer every screen
 * and export share.
 *
 * The rule: the definition stored in the survey file beside the record
 * (what the record was made with) comes first; when the catalog holds the
 * very same bytes (same SHA-256) its already loaded form is used instead of
 * parsing them again. When the file lacks the definition, or it does not
 * load, the catalog's form of the same id and version is used. Otherwise
 * the record has no form, and the state says why. */
#ifndef IMAS_SURVEY_FORM_OF_H
#define IMAS_SURVEY_FORM_OF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "form/catalog.h"
#include "form/form.h"
#include "store/store.h"

enum survey_form_state {
    SURVEY_FORM_STORED,  /* the definition kept in the file */
    SURVEY_FORM_CATALOG, /* not (loadable) in the file: the catalog's same version */
    SURVEY_FORM_MISSING, /* neither in the file nor in the catalog */
    SURVEY_FORM_BROKEN,  /* in the file but it does not load, and not in the catalog */
};

struct survey_form {
    const struct form *form; /* NULL when MISSING or BROKEN */
    enum survey_form_state state;
    struct form *owned; /* parsed here from the file; freed by survey_form_clear */
};

/* The form of id and version into *out (free with survey_form_clear). cat
 * may be NULL (export reads only the file). False only when the file could
 * not be read (err set); when the record has no form, true with state
 * MISSING or BROKEN and err saying why, in a sentence for the user. */
bool survey_form_of(struct store *s, const struct form_catalog *cat, const char *form_id,
                    const char *version, struct survey_form *out, struct error *err);
void survey_form_clear(struct survey_form *sf);

/* The forms of many records, each (id, version) resolved once by
 * survey_form_of and kept until survey_forms_free: what the records list,
 * search and the conflicts screen hold. */
struct survey_forms;
struct survey_forms *survey_forms_new(struct store *s, const struct form_catalog *cat);
void survey_forms_free(struct survey_forms **fs);
/* The form of id and version, or NULL when it has none (or the file could
 * not be read). */
const struct form *survey_forms_get(struct survey_forms *fs, const char *form_id,
                                    const char *version);
/* The form of the record uuid (NULL when the record or its form is not
 * there). */
const struct form *survey_forms_of_record(struct survey_forms *fs, const char *uuid);

#endif
