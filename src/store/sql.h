/* sql.h: what set-based SQL over a survey file outside the store needs
 * from it (the merge's own hardened connection, src/merge/merge_sql.c).
 * The rest of the store's SQL stays behind store.h and its module
 * headers; store/db.h is private to src/store. */
#ifndef IMAS_STORE_SQL_H
#define IMAS_STORE_SQL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "core/error.h"

/* Register the store's SQL functions on db, as on every store connection:
 * imas_fold(text) = fold_text() (core/fold.h), the text the index holds,
 * and imas_text_field(form_id, form_version, field)
 * (store/search_index.h). */
bool store_sql_functions(sqlite3 *db);

/* An answer (alias a) is in the search index exactly when this holds,
 * r its record (a LEFT JOIN: without one, every field counts), its entry
 * the folded text under a.rowid. Every writer (store/search_index.c, the
 * merge) drops and adds entries by this rule alone: a contentless FTS5
 * entry is dropped with the text it was added with. */
#define STORE_SEARCH_INDEXED_SQL(a, r)                                      \
    a ".deleted = 0 AND " a ".value <> '' AND imas_text_field(" r            \
    ".form_id, " r ".form_version, " a ".field)"

#endif
