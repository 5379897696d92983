/* app/records.h: the records list of the home screen without curses: the
 * records in the file (in the store's order), each row's cells read when
 * first shown, the count of merge conflicts, and what the list does to a
 * record (delete, reopen). Unit-tested in tests/unit/test_app_records.c. */
#ifndef IMAS_APP_RECORDS_H
#define IMAS_APP_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "form/catalog.h"
#include "store/records.h"
#include "store/store.h"
#include "survey/form_of.h"

/* What a row shows beyond the record itself. NULL when the form has no
 * such field or it is unanswered. */
struct records_cells {
    const char *form;    /* the form's title, else its id */
    char *title;         /* survey_record_name */
    char *country;       /* as shown: a choice as its label */
    char *school;
    bool loaded;
};

struct records {
    struct store *store;
    const struct form_catalog *cat;
    const char *lang;            /* the caller's; NULL: the forms' default */
    struct store_record *rows;
    size_t n;
    struct records_cells *cells; /* n of them, read by records_cells */
    int64_t conflicts;           /* answers in merge conflict */
    char *error;                 /* why the records could not be read, or NULL */
    struct survey_forms *forms;  /* the records' forms, each loaded once */
};

/* An empty list over the store; records_load reads it. */
void records_init(struct records *r, struct store *s, const struct form_catalog *cat,
                  const char *lang);
/* (Re)read the records and the count of merge conflicts; on failure
 * r->error says why and r->n is 0. */
void records_load(struct records *r);
void records_clear(struct records *r);

/* The survey file's path, for the screen's title. */
const char *records_file(const struct records *r);

/* Row i's cells, read from the file the first time they are asked for. */
const struct records_cells *records_cells(struct records *r, size_t i);
/* The row of the record with this uuid, or r->n when it is not listed
 * (the list re-sorts by last edit: the screen follows a record by uuid). */
size_t records_find(const struct records *r, const char *uuid);
/* Whether row i is finalized. */
bool records_finalized(const struct records *r, size_t i);

/* Delete row i (a tombstone, audited), then read the list again. */
bool records_delete(struct records *r, size_t i, struct error *err);
/* Reopen finalized row i with the reason given, then read the list again. */
bool records_reopen(struct records *r, size_t i, const char *reason, struct error *err);

#endif
