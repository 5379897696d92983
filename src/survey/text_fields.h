/* survey/text_fields.h: which answers are text that search looks at, the
 * one rule the search screen and the store's lean index share: a note's
 * text, and the answers to string inputs outside a notes log (not a
 * note's speaker, topic, tags or times; never choices, numbers, dates,
 * UUIDs). */
#ifndef IMAS_SURVEY_TEXT_FIELDS_H
#define IMAS_SURVEY_TEXT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "form/form.h"
#include "survey/notes_log.h"

/* Whether node n of the form log describes (survey_log_find; zeroed when
 * the form has no notes log) is searchable text. */
bool survey_text_field(const struct survey_log *log, const struct form_node *n);

/* The searchable field paths of a form definition (XForms XML, len bytes):
 * a fresh array of *n fresh paths, or NULL when it does not load. The
 * store's classifier (store_set_text_fields). */
char **survey_text_fields(const char *definition, size_t len, size_t *n);

#endif
