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
#include "store/answers.h"
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
    struct search_hit *hits; /* in the index's order; best first when
                                the first page held them all */
    size_t n;
    bool more; /* more hits follow: search_more reads them */
    char *query;                  /* what was searched */
    struct store_search_page page; /* where the reading stopped */
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
 * in the fields of scope: the first max hits (0: all), and out->more when
 * more follow. Only what is read is paid for: the screen asks for about
 * two screenfuls per keystroke (search_first_page) and the rest as the
 * user scrolls. Answers of forms that are neither in the file nor in
 * cat, and choice or number answers, are left out. */
bool search_run(struct store *st, const struct form_catalog *cat,
                struct search_scope *scope, const char *lang, const char *query,
                size_t max, struct search_results *out, struct error *err);
void search_results_free(struct search_results *r);

/* Append up to n more hits of out's search after those it holds (none
 * when !out->more), in the same order: pages never repeat or skip a hit. */
bool search_more(struct store *st, struct search_scope *scope, const char *lang, size_t n,
                 struct search_results *out, struct error *err);

/* What the screen says of r's count (fresh): "12 results" when all are
 * read, "The first 20 results; more below" while more follow, "The
 * first 500 results" when r holds max, all the screen lists. */
char *search_count_text(const struct search_results *r, size_t max);

/* How many hits a keystroke reads for a list showing visible hits: two
 * screenfuls and a little, so the first Page Down costs nothing. */
size_t search_first_page(size_t visible);

#endif
