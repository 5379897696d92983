/* app/conflicts.h: what the conflicts screen shows and does, without
 * curses (SPEC 5.5): the conflicts of the file (answers, records' states,
 * items deleted on one laptop and changed on another; store/conflicts.h),
 * each named as a person reads it, and resolving one by keeping this
 * file's side, the other one, or an edited text. Unit-tested in
 * tests/unit/test_app_conflicts.c. */
#ifndef IMAS_APP_CONFLICTS_H
#define IMAS_APP_CONFLICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "store/conflicts.h"
#include "store/store.h"
#include "survey/form_of.h"

struct form;

/* One conflict: a key (an answer, a record's state, an item) with the
 * first other head; the rows store_conflict_list gives for it, grouped. */
struct conflict_row {
    struct store_conflict c;
    size_t more;  /* other heads (or answers of the item) not shown */
    char *title;  /* the record's title (survey/title.h), "(deleted)" marked */
    char *name;   /* the record's name (the school and date, the session)
                   * for a narrow column, else its title; marked alike */
    char *label;  /* what: "dimension › column", the question's label,
                   * "the record's state", "note by P01 at 10:42:13" */
    char *current_shown, *other_shown; /* the sides as read: choice labels,
                                        * the state in words, "(deleted)";
                                        * NULL when cleared */
    bool finalized; /* the record is finalized: reopen it to resolve (not
                     * for a record's own state) */
    bool editable;  /* e can type the value (not a record's state, not a file) */
    bool upload;    /* an attached file's question: chosen, never typed */
    bool note_text; /* the notes log's text: an edit re-derives its tags */
};

struct conflicts {
    struct conflict_row *rows;
    size_t n; /* = store_conflict_count */
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

/* Resolve row i: a new version naming every head, audited, then the list
 * re-read. An answer takes the value chosen (edited: the text given, NULL
 * or "" clears it); a record the state chosen; an item deleted on one side
 * stays deleted or lives again with the edit (edited: the text given for
 * the field shown, and when that is a note's text its tags from it).
 * False with err when refused (a finalized record, a record's state
 * edited, the store refusing). */
bool conflicts_resolve(struct conflicts *v, struct store *s, const char *lang,
                           size_t i, enum conflict_choice choice, const char *edited,
                           struct error *err);

#endif
