/* conflicts.h: answers two laptops changed differently, found after a
 * merge (SPEC 6, 5.5).
 *
 * A conflict is not stored as such: it is an answer with more than one
 * head in its history (store/history.h) holding different values: a kept
 * version that no other version descends from, against the current row.
 * So it follows from the data alone, the same whatever order files were
 * merged in, whatever the revision numbers, and it ends when a version
 * names every head as its parent (store_answer_resolve), on this laptop
 * or on one merged in later. A plain edit descends from the current row
 * only and does not end it. Answers of deleted records or items are not
 * listed. */
#ifndef IMAS_STORE_CONFLICTS_H
#define IMAS_STORE_CONFLICTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* One side of a conflict. */
struct store_conflict_side {
    char *value; /* NULL when cleared */
    int64_t updated_at;
    char *device_id;
    char *device_name; /* from the devices table; NULL when not known */
    char *author;
};

/* The answer's current value against one other head. An answer with
 * several others is listed once per other. */
struct store_conflict {
    char *record_uuid;
    char *item_uuid; /* "" at top level */
    char *field;
    int64_t revision; /* the current row's */
    struct store_conflict_side current, other;
};

/* At most this many are listed (a screen's worth many times over). */
#define STORE_CONFLICT_LIST_MAX 10000

/* The number of answers in conflict. */
bool store_conflict_count(struct store *s, int64_t *n, struct error *err);

/* The conflicts, by record, item, field and time: a fresh array of *n
 * (free with store_conflict_list_free). */
bool store_conflict_list(struct store *s, struct store_conflict **out,
                         size_t *n, struct error *err);
void store_conflict_list_free(struct store_conflict **list, size_t n);

#endif
