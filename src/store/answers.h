/* answers.h: the answers of a record, their history, and text search.
 *
 * An answer is keyed (record_uuid, item_uuid, field): item_uuid names the
 * repeat instance it belongs to ("" or NULL for the top level) and field
 * is the absolute instance path without indexes ("/data/visit/country").
 * Every change is a new revision; the value it replaces is kept in
 * answers_versions, so nothing typed is ever lost. */
#ifndef IMAS_STORE_ANSWERS_H
#define IMAS_STORE_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* Longest value accepted, in bytes (merge refuses longer ones too). */
#define STORE_VALUE_MAX (16 * 1024 * 1024)
/* Highest revision a row may have (merge refuses higher ones): an edit
 * counts up from it, so it must stay far from INT64_MAX. */
#define STORE_REVISION_MAX (INT64_C(1) << 53)

/* One answer, or one earlier version of it. */
struct store_answer {
    char *value; /* NULL when cleared */
    int64_t revision;
    int64_t updated_at; /* ms UTC */
    char *device_id;
    char *author;
    bool deleted;
};

/* Set one answer in its own committed transaction: revision + 1 (1 for a
 * new answer), updated_at now, this store's device_id and author, the
 * version replaced as its parent (store/history.h), and the value
 * replaced kept in answers_versions (reason "edit"). NULL value
 * clears the answer (a tombstone, deleted = 1). Setting the value it
 * already has changes nothing. Refused: a missing, deleted or finalized
 * record, a missing or deleted item, a field not starting with '/', a
 * value that is not valid UTF-8 or longer than STORE_VALUE_MAX. */
bool store_answer_set(struct store *s, const char *record_uuid,
                      const char *item_uuid, const char *field,
                      const char *value, struct error *err);

/* A merge conflict resolved: as store_answer_set, but always a new
 * revision (also when value is the one the answer has, the user keeping
 * it), the replaced value kept with reason "resolve", and an audit entry
 * "resolve" naming the field, in the same transaction. Its parents are
 * every head of the answer's history, so the conflict ends here and in
 * every file this one is merged into; its revision is higher than all of
 * them, so it wins on every later merge. */
bool store_answer_resolve(struct store *s, const char *record_uuid,
                          const char *item_uuid, const char *field,
                          const char *value, struct error *err);

/* For the store's own files, inside a write transaction: set an answer
 * as store_answer_set does (ANSWERS_EDIT), or as a new revision naming
 * every head (the others), kept with reason "resolve" or, for
 * ANSWERS_DELETE (an item's delete tombstoning its answers), "delete".
 * ANSWERS_RESOLVE_DEAD also writes into a deleted item. No audit. */
enum answers_write_mode {
    ANSWERS_EDIT,
    ANSWERS_RESOLVE,
    ANSWERS_RESOLVE_DEAD,
    ANSWERS_DELETE,
};
bool answers_write(struct store *s, const char *record_uuid,
                   const char *item_uuid, const char *field,
                   const char *value, enum answers_write_mode mode,
                   struct error *err);

/* The current value as a fresh string in *value, NULL when there is none
 * or it was cleared. */
bool store_answer_get(struct store *s, const char *record_uuid,
                      const char *item_uuid, const char *field, char **value,
                      struct error *err);

/* The whole current row, tombstones included: *found false when the answer
 * was never set (then *out is zeroed). Free with store_answer_clear. */
bool store_answer_info(struct store *s, const char *record_uuid,
                       const char *item_uuid, const char *field,
                       struct store_answer *out, bool *found,
                       struct error *err);
void store_answer_clear(struct store_answer *a);

/* Call cb for each live answer of a record (not cleared, its item not
 * deleted), ordered by (item_uuid, field); cb returns false to stop. cb
 * may save answers, but must not start another store_answer_foreach. */
bool store_answer_foreach(struct store *s, const char *record_uuid,
                          bool (*cb)(void *ctx, const char *item_uuid,
                                     const char *field, const char *value),
                          void *ctx, struct error *err);

/* Call cb for each live answer of one repeat item (a note's fields), in
 * field order; cb returns false to stop. One lookup for them all. */
bool store_item_answers(struct store *s, const char *record_uuid,
                        const char *item_uuid,
                        bool (*cb)(void *ctx, const char *field,
                                   const char *value),
                        void *ctx, struct error *err);

/* Call cb for each earlier version of one answer, oldest first, with why
 * it was replaced ("edit" or "merge") and when. */
bool store_answer_history(struct store *s, const char *record_uuid,
                          const char *item_uuid, const char *field,
                          bool (*cb)(void *ctx, const struct store_answer *v,
                                     const char *reason,
                                     int64_t superseded_at),
                          void *ctx, struct error *err);

/* Full-text search over answers of records that are not deleted: every
 * word of query must match the start of a word in the value, letters
 * compared without case or diacritics ("ucitel" finds "Učiteľ"). Best
 * matches first; cb returns false to stop. */
bool store_search(struct store *s, const char *query,
                  bool (*cb)(void *ctx, const char *record_uuid,
                             const char *item_uuid, const char *field,
                             const char *value),
                  void *ctx, struct error *err);
/* The same, only in the fields fields_json names (a JSON array of field
 * paths; NULL: every field), so codes, numbers and times that also match
 * the words do not crowd out the text answers. */
bool store_search_in(struct store *s, const char *query, const char *fields_json,
                     bool (*cb)(void *ctx, const char *record_uuid,
                                const char *item_uuid, const char *field,
                                const char *value),
                     void *ctx, struct error *err);

/* At most limit hits (0: all) of store_search_in: best first when that
 * is all the hits there are; when the words match more (a word's first
 * letters match tens of thousands of notes), the first limit in the
 * index's order, since ranking them all costs more than a keystroke may
 * take. */
bool store_search_top(struct store *s, const char *query,
                      const char *fields_json, size_t limit,
                      bool (*cb)(void *ctx, const char *record_uuid,
                                 const char *item_uuid, const char *field,
                                 const char *value),
                      void *ctx, struct error *err);

/* Where a paged search (store_search_next) is: zero it for the first
 * page; the store moves it on. */
struct store_search_page {
    int64_t after; /* the index id of the last hit delivered */
    size_t read;   /* hits delivered so far */
    bool more;     /* out: more hits follow the page */
    bool ranked;   /* out: the first page was all the hits, ranked */
};

/* The next page of store_search_in: at most limit hits (0: all, ranked)
 * after those pg has seen, in the index's order, and pg->more when more
 * follow. Only a first page that holds every hit is ranked (best first),
 * as store_search_top. A page reads about its own rows, however many
 * hits there are before or after it. */
bool store_search_next(struct store *s, const char *query,
                       const char *fields_json, size_t limit,
                       struct store_search_page *pg,
                       bool (*cb)(void *ctx, const char *record_uuid,
                                  const char *item_uuid, const char *field,
                                  const char *value),
                       void *ctx, struct error *err);

/* The fields argument of store_search_in for these n field paths (fresh;
 * free it): callers name fields, the store says how they travel. */
char *store_search_fields(const char *const *paths, size_t n);

#endif
