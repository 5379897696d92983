/* conflicts.h: what two laptops changed differently, found after a merge
 * (SPEC 6, 5.5).
 *
 * A conflict is not stored as such: it is a key with more than one head
 * in its history (store/history.h) holding different values: a kept
 * version that no other version descends from, against the current row.
 * So it follows from the data alone, the same whatever order files were
 * merged in, whatever the revision numbers, and it ends when a version
 * names every head as its parent (store_answer_resolve,
 * store_conflict_resolve_record, store_conflict_resolve_item), on this
 * laptop or on one merged in later. A plain edit descends from the
 * current row only and does not end it. Three kinds are listed:
 *
 * - an answer of a live record and item changed differently;
 * - a record's state: finalized, draft again or deleted on two laptops
 *   (a record deleted on both is not a conflict);
 * - a repeat item (a note, a roster entry) deleted on one laptop while
 *   its answers were changed on another: deleting an item writes a
 *   tombstone of each of its answers (store/items.h), so an edit made
 *   without knowing of the delete is a second head of that answer. The
 *   item counts once, however many of its answers were changed.
 *
 * Answers of deleted records are not listed. store_conflict_count is the
 * one count of the program: --check, home, the conflicts screen and the
 * merge's total all use it. */
#ifndef IMAS_STORE_CONFLICTS_H
#define IMAS_STORE_CONFLICTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

enum store_conflict_kind {
    STORE_CONFLICT_ANSWER, /* an answer changed differently */
    STORE_CONFLICT_RECORD, /* a record's state (field ""): value is the state */
    STORE_CONFLICT_ITEM,   /* a deleted item's answer changed without knowing it */
};

/* One side of a conflict. */
struct store_conflict_side {
    char *value;  /* an answer's value (NULL when cleared or deleted), a
                   * record's state ("draft", "finalized") */
    bool deleted; /* a tombstone: the answer cleared, the record deleted,
                   * the item deleted (STORE_CONFLICT_ITEM) */
    int64_t updated_at;
    char *device_id;
    char *device_name; /* from the devices table; NULL when not known */
    char *author;
};

/* The key's current version against one other head. */
struct store_conflict {
    enum store_conflict_kind kind;
    char *record_uuid;
    char *item_uuid; /* "" at top level and for a record */
    char *field;     /* "" for a record */
    int64_t revision; /* the current row's */
    struct store_conflict_side current, other;
};

/* At most this many are listed (a screen's worth many times over). */
#define STORE_CONFLICT_LIST_MAX 10000

/* The number of conflicts: answers, records and items (each once). */
bool store_conflict_count(struct store *s, int64_t *n, struct error *err);

/* The conflicts, by record (its state first), item, field and the other
 * head's time: a fresh array of *n (free with store_conflict_list_free).
 * A key with several other heads is listed once per other head, an item
 * once per answer in conflict (and head), so a caller showing conflicts
 * groups the rows of one key (and of one item: adjacent); the groups are
 * what store_conflict_count counts. */
bool store_conflict_list(struct store *s, struct store_conflict **out,
                         size_t *n, struct error *err);
void store_conflict_list_free(struct store_conflict **list, size_t n);
/* Free the strings of one conflict (a row taken out of a list). */
void store_conflict_clear(struct store_conflict *c);

/* End a record's conflict: a new version of the record with state (and
 * deleted) as chosen, whose parents are every head, audited as
 * "resolve" with field "state". */
bool store_conflict_resolve_record(struct store *s, const char *record_uuid,
                                   const char *state, bool deleted,
                                   struct error *err);

/* End an item's conflict. keep false: the item stays deleted and each of
 * its answers in conflict gets a tombstone naming every head. keep true:
 * the item lives again (a new version naming its heads) and each answer
 * in conflict keeps its latest value that is not a tombstone, naming
 * every head; then values[i] for fields[i] (i < nvalues, NULL clears) are
 * set over that, as an edit. Audited as "resolve" with the item's UUID. */
bool store_conflict_resolve_item(struct store *s, const char *record_uuid,
                                 const char *item_uuid, bool keep,
                                 const char *const *fields,
                                 const char *const *values, size_t nvalues,
                                 struct error *err);

#endif
