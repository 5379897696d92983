/* body.h: the form's <h:body> read into the tree of form_node, and what
 * is settled once the tree is known (repeats, fields, defaults, choices). */
#ifndef IMAS_FORM_BODY_H
#define IMAS_FORM_BODY_H

#include "form/model.h"

/* Read the controls (binds and itext already read). */
bool body_load(struct form *f, xmlNodePtr body, struct error *err);
/* A <setvalue> in the model or the body, its ref relative to ctx; repeat
 * is the path of the enclosing repeat control, if any; control the path
 * of the control it sits in (whose xforms-value-changed runs it), or NULL. */
bool body_setvalue(struct form *f, xmlNodePtr el, const char *ctx, const char *repeat,
                   const char *control, struct error *err);
/* Find every repeat's template and pre-filled instances (also repeats
 * marked only by jr:template). */
bool body_repeats(struct form *f, struct error *err);

#endif
