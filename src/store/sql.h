/* sql.h: what set-based SQL over a survey file outside the store needs
 * from it (the merge's own hardened connection, src/merge/merge_sql.c).
 * The rest of the store's SQL stays behind store.h and its module
 * headers; store/db.h is private to src/store. */
#ifndef IMAS_STORE_SQL_H
#define IMAS_STORE_SQL_H

#include <sqlite3.h>
#include <stdbool.h>

/* Register the store's SQL functions on db, as on every store connection:
 * imas_fts_rowid(record_uuid, item_uuid, field) = store_fts_rowid() and
 * imas_fold(text) = fold_text() (core/fold.h), the text the index holds. */
bool store_sql_functions(sqlite3 *db);

#endif
