/* fields.h: what is settled once the body's tree is read: the fields of
 * the main instance with their defaults, jr:count, itemsets (a
 * randomize() taken apart) and <output>s compiled, and the choices of
 * itemsets over a secondary instance read for codebooks. */
#ifndef IMAS_FORM_FIELDS_H
#define IMAS_FORM_FIELDS_H

#include "form/model.h"

bool fields_finish(struct form *f, struct error *err);

#endif
