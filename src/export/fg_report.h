/* fg_report.h: the focus groups' report (SPEC 7, imas-survey --report on
 * focus-group records): the raw material of a country report, in the
 * manner of QDA tools' code frequencies, co-occurrence and retrieval of
 * coded text:
 *   - per country and session (date, place, theme) the participants by
 *     role, counted, and their codes;
 *   - per topic and phase (context, state of play, future plans) the notes
 *     with their speakers, and how many notes each speaker gave;
 *   - tag frequencies (notes, quotes, sessions, countries), a tag x topic
 *     and a tag x country table (heat maps in HTML, numbers in the cells);
 *   - every quote grouped by tag, with speaker code, role, session and
 *     time (counted from the session's first note, as in the transcripts);
 *   - the notes tagged as recommendations grouped by level (policy,
 *     practice, research; see fg_data.h for the tags).
 * Every name in the report language. */
#ifndef IMAS_EXPORT_FG_REPORT_H
#define IMAS_EXPORT_FG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "export/report.h"
#include "store/store.h"

bool fg_report_write(struct store *s, const struct report_options *o, FILE *fp,
                     struct error *err);

#endif
