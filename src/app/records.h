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

/* What the list is sorted by (SPEC 5.1); RECORDS_SORT_EDIT, newest
 * first, is the default, the others ascending, case-insensitive. */
enum records_sort {
    RECORDS_SORT_EDIT,
    RECORDS_SORT_FORM,
    RECORDS_SORT_TITLE,
    RECORDS_SORT_COUNTRY,
    RECORDS_SORT_STATE,
    RECORDS_SORT_AUTHOR,
    RECORDS_SORT_COUNT
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
    /* rows[0..n) are the records the filter lets through, in the sort's
     * order; rows[n..total) the others, kept for the next filter */
    size_t total;
    enum records_sort sort;
    char *filter; /* folded to lower case; NULL or "" lets every record through */
    const char *state_words[2]; /* the translated "draft", "finalized" */
    int64_t data_version;       /* the file's when last read (store_changed_since) */
};

/* An empty list over the store; records_load reads it. */
void records_init(struct records *r, struct store *s, const struct form_catalog *cat,
                  const char *lang);
/* (Re)read the records and the count of merge conflicts; on failure
 * r->error says why and r->n is 0. */
void records_load(struct records *r);
void records_clear(struct records *r);
/* Read the list again when another program (a merge from another shell)
 * wrote to the file since it was last read; true when it did. */
bool records_refresh(struct records *r);

/* The record's history as home shows it under the list: its last reopen
 * ("Reopened 2026-11-23 10:42 by Maria: the school's name was wrong"),
 * NULL when it was never reopened. Fresh string. */
char *records_history_line(struct records *r, size_t i);

/* Sort by key (the list is re-ordered at once and on every load). */
void records_set_sort(struct records *r, enum records_sort key);
/* The sort after key, wrapping round: what the screen's sort key does. */
enum records_sort records_sort_next(enum records_sort key);
/* The sort's name for the user, untranslated (N_()): translate it with _(). */
const char *records_sort_name(enum records_sort key);
/* List only the records whose form, title, country, school, state (its
 * word, or translated state_words[0] for a draft and [1] for finalized,
 * may be NULL) or author contain text, case-insensitively (UTF-8: Ä
 * matches ä, Б matches б); NULL or "" lists every record. */
void records_set_filter(struct records *r, const char *text, const char *const state_words[2]);
/* Whether a filter is set (then n of total records are listed). */
bool records_filtered(const struct records *r);

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
