/* codebook.h: what every exported column means: for each field in form
 * order its name, repeat, type, label in every language of the form,
 * required/relevant/constraint as written, and its choices with their
 * labels (codebook.csv: one row per field, then one per choice). */
#ifndef IMAS_EXPORT_CODEBOOK_H
#define IMAS_EXPORT_CODEBOOK_H

#include "export/tables.h"

/* The type shown for a field: select1, select, rank, or the bind's type. */
const char *codebook_type(const struct form_field *fld);

bool export_codebook(struct export_ctx *x, struct error *err);

#endif
