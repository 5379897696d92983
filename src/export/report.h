/* report.h: the cross-country comparison of dimension grids (SPEC 7,
 * imas-survey --report).
 *
 * Every live record of a form with an imas-grid group counts (drafts too:
 * the counts say how many are finalized). Per dimension (a row of the
 * grid), each country's gap ratings (mean of the 1..5 ratings, how many,
 * how many "don't know"), status quo and recommendations side by side; a
 * country x dimension table of mean gap ratings (a heat map in HTML, the
 * numbers in every cell so that it reads without colour and in print);
 * and per country the records, visits (distinct school and date) and
 * respondent roles. Text for a terminal (stored text sanitized), Markdown,
 * or one self-contained HTML page (no scripts, fonts or other files). */
#ifndef IMAS_EXPORT_REPORT_H
#define IMAS_EXPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "store/store.h"

enum report_format { REPORT_TEXT, REPORT_MD, REPORT_HTML };

struct report_options {
    enum report_format format;
    const char *lang;    /* form language for labels, or NULL: the default */
    const char *form_id; /* the records of this form only, or NULL: see report_write */
};

/* Write the report of store s to fp. */
bool report_write(struct store *s, const struct report_options *o, FILE *fp,
                  struct error *err);
/* The same into path, written under a temporary name and renamed. */
bool report_write_file(struct store *s, const struct report_options *o,
                       const char *path, struct error *err);

#endif
