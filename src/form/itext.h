/* itext.h: the form's translations (<itext>) and the texts that use them
 * (labels, hints, constraint and required messages, choice labels). */
#ifndef IMAS_FORM_ITEXT_H
#define IMAS_FORM_ITEXT_H

#include "form/model.h"

/* Read <itext> (may be NULL): languages in document order, the default
 * language (default="true()", else the first), every text. */
bool itext_load(struct form *f, xmlNodePtr itext, struct error *err);
/* A <label> or <hint> element into t: ref="jr:itext('id')" (which must
 * exist) or inline text with <output>s. */
bool itext_read_element(struct form *f, xmlNodePtr el, struct form_text *t, struct error *err);
/* A message attribute (jr:constraintMsg="..."): jr:itext('id') or text. */
bool itext_read_attr(struct form *f, xmlNodePtr el, const char *what, const char *value,
                     struct form_text *t, struct error *err);
/* "jr:itext('x')" → "x" (fresh); NULL when ref is not of that form. */
char *itext_ref_id(const char *ref);
const struct itext_entry *itext_find(const struct form *f, const char *id);
/* The parts of t in lang, falling back as form_text() does; NULL (and
 * *n = 0) when the text has none. */
const struct form_part *itext_parts(const struct form *f, const struct form_text *t,
                                    const char *lang, size_t *n);
void itext_free(struct form *f);

#endif
