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
 * imas_search_id(record_uuid, item_uuid, field) and
 * imas_text_field(form_id, form_version, field) (store/search_index.h). */
bool store_sql_functions(sqlite3 *db);

/* The search index of main follows the answers a merge changes, before
 * they change: changed_select is a SELECT of columns named record_uuid,
 * item_uuid, field and value for every answer whose winner changes (read
 * twice, so a cheap one), value the new
 * winner's text (NULL when it is a tombstone). The entries of the values
 * that lose are dropped and those of the winners whose field is text
 * added, set-based, inside the caller's transaction. */
bool store_search_follow(sqlite3 *db, const char *changed_select,
                         const char *path, struct error *err);

#endif
