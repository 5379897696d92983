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

/* Schema 9: the number after which a new record's come (its rid, then
 * + 1, + 2, ...): above every record's and every answer's, so that a new
 * record never takes the number of one the file lost (damaged or edited
 * by hand: --check counts its answers as lost), whose answers would then
 * be its own. NULL above 2^62 (a damaged file): new records then count
 * down from STORE_LOW_RID_SQL (- 1, - 2, ...), below every number; NULL
 * too where the numbers reach -2^62 as well, so that SQLite picks free
 * ones. db: "" or "main.". */
#define STORE_NEW_RID_SQL(db)                                               \
    "(SELECT CASE WHEN m < 4611686018427387904 THEN m END FROM (SELECT "   \
    "max(coalesce((SELECT max(rid) FROM " db "records), 0), "              \
    "coalesce((SELECT max(rid) FROM " db "answer_rows), 0)) AS m))"
#define STORE_LOW_RID_SQL(db)                                               \
    "(SELECT CASE WHEN l > -4611686018427387904 THEN l END FROM (SELECT "  \
    "min(coalesce((SELECT min(rid) FROM " db "records), 0), "              \
    "coalesce((SELECT min(rid) FROM " db "answer_rows), 0)) AS l))"
/* A new record's number (store/records.c). */
#define STORE_NEXT_RID_SQL(db)                                              \
    "coalesce(" STORE_NEW_RID_SQL(db) " + 1, " STORE_LOW_RID_SQL(db) " - 1)"

#endif
