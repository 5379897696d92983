/* forms.h: the form definitions stored in the survey file.
 *
 * Each record names its form by id and version; the form's XML source is
 * kept in the file beside it, so a merged file can show records of forms
 * the receiving laptop never had. A (form_id, version) pair is stored once
 * and never changes. */
#ifndef IMAS_STORE_FORMS_H
#define IMAS_STORE_FORMS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

struct store_form {
    char *form_id;
    char *form_version;
    char *hash; /* SHA-256 of the definition, lower-case hex */
    char *title;
    char *definition; /* the XForms XML source */
    int64_t added_at; /* ms UTC */
};

/* Store a form definition (idempotent). hash NULL: the SHA-256 of
 * definition is used. Storing the same id and version again is a no-op
 * when the hash matches and refused when it differs: a changed form needs
 * a new version. */
bool store_form_put(struct store *s, const char *form_id, const char *version,
                    const char *hash, const char *title,
                    const char *definition, struct error *err);

/* The stored form into *out (free with store_form_clear); *found false
 * when the file does not hold it. */
bool store_form_get(struct store *s, const char *form_id, const char *version,
                    struct store_form *out, bool *found, struct error *err);
void store_form_clear(struct store_form *f);

#endif
