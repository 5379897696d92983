/* app/search.h: notes search (SPEC 5.6) without curses: full-text search
 * (store_search: FTS5, every word a prefix, folded as typed on any
 * keyboard: case, accents, ł ø ß æ…, core/fold.h)
 * over the notes and the text answers of every record in the file, each
 * hit with what the results list shows and what Enter opens. */
#ifndef IMAS_APP_SEARCH_H
#define IMAS_APP_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "form/catalog.h"
#include "store/store.h"

struct search_hit {
    char record[UUID_STR_LEN];
    char item[UUID_STR_LEN]; /* "" at top level */
    char *field;             /* the answer's path */
    bool note;               /* a note of an imas-log repeat */
    char *record_label;      /* form title and the record's name */
    char *where;             /* the note's speaker, or the question's label */
    char *topic;             /* the note's topic label ("" for answers) */
    char *text;              /* the note or answer */
    int64_t when;            /* ms UTC: note started, else last edit */
};

struct search_results {
    struct search_hit *hits; /* best first */
    size_t n;
    bool more; /* stopped at the limit */
};

/* What a search looks in: the notes' text and the text answers of the
 * forms the file's records use (each record's form by survey_form_of:
 * the copy in the file, else cat's same version). Made once for a search screen, not at every keystroke;
 * it also keeps each record's form, title and notes log as search_run meets them, for
 * the keystrokes after. */
struct search_scope;
struct search_scope *search_scope_new(struct store *st, const struct form_catalog *cat,
                                      struct error *err);
void search_scope_free(struct search_scope **sc);

/* Search the file for query (words, each matching the start of a word),
 * in the fields of scope; at most max hits. Answers of forms that are
 * neither in the file nor in cat, and choice or number answers, are left
 * out. */
bool search_run(struct store *st, const struct form_catalog *cat,
                struct search_scope *scope, const char *lang, const char *query,
                size_t max, struct search_results *out, struct error *err);
void search_results_free(struct search_results *r);

/* How many hits search_run asks the store for to keep max (for the
 * benchmark, which times the store's part alone). */
size_t search_raw_max(size_t max);

#endif
