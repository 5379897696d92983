/* app/conflicts.h: what the conflicts screen shows and does, without
 * curses (SPEC 5.5): the conflicts of the file with the field's label and
 * the record's form, and resolving one by keeping this file's value, the
 * other one, or an edited text. Unit-tested in tests/unit/test_app_conflicts.c. */
#ifndef IMAS_APP_CONFLICTS_H
#define IMAS_APP_CONFLICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "store/conflicts.h"
#include "store/store.h"
#include "survey/form_of.h"

struct form;

struct conflict_row {
    struct store_conflict c;
    char *label;      /* the question in the form's language, or the field */
    char *form_title; /* the record's form, or its id */
    bool finalized;   /* the record is finalized: reopen it to resolve */
};

struct conflicts {
    struct conflict_row *rows;
    size_t n;
    char *error; /* why the list could not be read, or NULL */
    struct survey_forms *forms; /* the records' forms, each loaded once */
};

enum conflict_choice {
    CONFLICT_KEEP_CURRENT, /* the value this file has now */
    CONFLICT_KEEP_OTHER,   /* the other laptop's value */
    CONFLICT_EDITED,       /* a text the user typed */
};

/* (Re)read the conflicts of the store; labels in lang (NULL: the form's
 * default), from each record's form (survey_form_of with cat, which may be
 * NULL; the first load decides). On failure v->error says why and v->n is 0. */
void conflicts_load(struct conflicts *v, struct store *s, const struct form_catalog *cat,
                        const char *lang);
void conflicts_free(struct conflicts *v);

/* Resolve row i: a new revision with the value chosen (edited: the text
 * given, NULL or "" clears the answer), audited, then the list re-read.
 * False with err when the store refused (a finalized record, say). */
bool conflicts_resolve(struct conflicts *v, struct store *s, const char *lang,
                           size_t i, enum conflict_choice choice, const char *edited,
                           struct error *err);

#endif
