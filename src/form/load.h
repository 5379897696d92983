/* load.h: reading a form file safely and checking its model.
 *
 * The public entry points are form_load_file() and form_load_memory() in
 * form.h. The XML is parsed by libxml2 with no network, no DTD and no
 * entity substitution; a DOCTYPE stops the parse at once; size, nesting
 * depth and UTF-8 are checked; libxml2's own messages become
 * "FILE:LINE: not well-formed XML: ...". */
#ifndef IMAS_FORM_LOAD_H
#define IMAS_FORM_LOAD_H

#include "form/model.h"

/* Parse buf as a form document; NULL with err set. */
xmlDocPtr load_parse(const char *name, const char *buf, size_t len, struct error *err);

#endif
