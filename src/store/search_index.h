/* search_index.h: the lean search index (schema 8).
 *
 * Only the text search looks at is indexed: the answers to the questions
 * the form calls text (notes' text, text inputs), never codes, choices,
 * numbers, times or UUIDs. The index is a contentless FTS5 table
 * `search` holding the folded text (core/fold.h) under the rowid of its
 * answer, so nothing of the answers table is copied, a hit is one rowid
 * look-up, and the ids of a file's answers are dense (FTS5's delta-coded
 * doclists stay compact). An answer is indexed exactly when
 * STORE_SEARCH_INDEXED_SQL (store/sql.h) holds for it: every write drops
 * the entry of the text it replaces by that rule and adds the new one.
 * (Schemas 4 to 7 kept a map of 40-bit hashed ids to answer keys,
 * `search_map`; an older file opened read-only is searched through it.)
 *
 * Which fields are text only the form knows, and the store does not read
 * forms: the program registers a classifier (store_set_text_fields) that
 * the store calls with a form's stored definition, once per form and
 * connection. Without one, or for a definition it cannot read, every
 * answer with text is indexed (search then filters by field, as before). */
#ifndef IMAS_STORE_SEARCH_INDEX_H
#define IMAS_STORE_SEARCH_INDEX_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The text fields of a form definition (XForms XML, len bytes): a fresh
 * array of *n fresh paths ("/data/note/text"), or NULL when it cannot
 * tell (every field then counts). */
typedef char **(*store_text_fields_fn)(const char *definition, size_t len,
                                       size_t *n);

/* Register the classifier for every store connection of this process
 * (call once, before opening files; NULL unregisters). */
void store_set_text_fields(store_text_fields_fn fn);

/* Register imas_text_field(form_id, form_version, field) (1 when the
 * field is text for the form stored in main.forms, or when that cannot be
 * told) on db, with its cache. */
bool search_index_functions(sqlite3 *db);

/* Rebuild the index of main from its answers (inside the caller's
 * transaction): the schema 8 upgrade. */
bool search_index_rebuild(sqlite3 *db, const char *path, struct error *err);

/* The schema objects of the index (schema 8: the table alone, with an
 * index of first letters), and as schemas 5 and 4 made them (with the
 * map, schema 4 without the first letters). */
extern const char search_index_schema_sql[];
extern const char search_index_schema_v5_sql[];
extern const char search_index_schema_v4_sql[];

struct store;
/* Follow one answer's change inside the caller's write transaction:
 * old_value is the text the answer had while live (NULL when it had
 * none), value the new one (NULL when cleared). The entry of old_value is
 * dropped and value's added when its field is text. */
bool search_index_answer(struct store *s, const char *rec, const char *item,
                         const char *field, const char *old_value,
                         const char *value, struct error *err);

/* Between writes, when the file is otherwise idle: merge a little of the
 * index (at most 64 pages), so that the next commits find nothing of it
 * to do. A no-op on a read-only store; false with err set on failure. */
bool store_search_tidy(struct store *s, struct error *err);

#endif
