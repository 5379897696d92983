/* media.h: the files attached to <upload> questions, exported beside a
 * form's tables as DIR/<form>-<version>/media/NAME, where NAME is the
 * first 12 hex digits of the file's SHA-256, '-', and its original name
 * made safe (core/media.h: media_safe_name): two different files of the
 * same name never meet, one content is written once, and a name stays
 * the same from one export to the next. The tables' cells hold NAME. */
#ifndef IMAS_EXPORT_MEDIA_H
#define IMAS_EXPORT_MEDIA_H

#include <stdbool.h>

#include "export/tables.h"

/* When row r is the answer of an upload question naming an attachment:
 * write the file (the first time its hash is met) and set *name to its
 * exported name (valid until export_media_free). *name is NULL for other
 * rows, and when the file's content is not in the survey file (then the
 * cell keeps the answer). False with err when writing failed. */
bool export_media_of(struct export_ctx *x, const struct store_row *r, const char **name,
                     struct error *err);
void export_media_free(struct export_media **m);

#endif
