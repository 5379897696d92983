/* survey/notes_log.h: the notes log's fields, described once for the
 * capture screen, search and export.
 *
 * A focus-group form keeps its live notes in a repeat with appearance
 * imas-log (form_log_repeat): each note's speaker (a code from the roster
 * repeat its itemset lists), topic, phase, text, tags, quote flag and the
 * two timestamps. Fields are found by name; a form may lack any but text. */
#ifndef IMAS_SURVEY_NOTES_LOG_H
#define IMAS_SURVEY_NOTES_LOG_H

#include <stdbool.h>

#include "form/form.h"

struct survey_log {
    const struct form_node *repeat; /* the notes (/data/note), NULL when none */
    const struct form_node *roster; /* the participants (/data/participant), or NULL */
    /* field paths, NULL when the form lacks them */
    char *speaker, *topic, *phase, *text, *tags, *quote, *started_at, *committed_at;
    char *code, *consent, *role; /* the roster's fields; a roster always has code */
};

/* Describe f's notes log into *out (free with survey_log_clear): false
 * when f has no notes log or the log has no text field. */
bool survey_log_find(const struct form *f, struct survey_log *out);
void survey_log_clear(struct survey_log *l);

/* Whether path is the text of a note (not its tags, speaker, ...). */
bool survey_log_is_text(const struct survey_log *l, const char *path);

#endif
