/* bind.h: the model's <bind>s: read (relative nodesets, duplicates
 * merged, types, preloads, messages), their expressions compiled, and
 * calculations checked for cycles. */
#ifndef IMAS_FORM_BIND_H
#define IMAS_FORM_BIND_H

#include "form/model.h"

/* Read one <bind> into f->binds (or merge it into the bind for the same
 * node; a contradiction fails naming both lines). A bind naming no node
 * is kept in f->dead_binds, as ODK Collect ignores it. */
bool bind_read(struct form *f, xmlNodePtr b, struct error *err);
/* The ref of el: its attribute attr ("ref" or "nodeset") as written, else
 * the path of the <bind> its bind="ID" names (absolute). NULL when it has
 * neither, or (an error in err) when no bind has that id. Fresh. */
char *bind_el_ref(struct form *f, xmlNodePtr el, const char *attr, struct error *err);
/* Compile every bind's expressions and the setvalues' values. */
bool bind_compile_all(struct form *f, struct error *err);
/* FILE:LINE: of a calculation that depends on itself, naming the cycle. */
bool bind_check_cycles(struct form *f, struct error *err);

#endif
