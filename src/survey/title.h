/* survey/title.h: a record's title, the one rule the records list, the
 * capture screen and search share. */
#ifndef IMAS_SURVEY_TITLE_H
#define IMAS_SURVEY_TITLE_H

#include "form/form.h"
#include "store/store.h"

/* The record's name: the answer of its form's top-level field called
 * instanceName (ODK's), NULL when the form has none or it is blank. */
char *survey_record_name(struct store *s, const struct form *f, const char *uuid);

/* The record's title: "<form title>: <name>", or "<form title> <the first
 * eight characters of its UUID>" when it has no name, so two unnamed
 * records of one form can be told apart. */
char *survey_record_title(struct store *s, const struct form *f, const char *uuid);

#endif
