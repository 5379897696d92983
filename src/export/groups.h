/* groups.h: the rows of a wide or repeat table, one record or repeat
 * instance at a time, for the writers that need a whole row in hand
 * (participants, transcripts, report). */
#ifndef IMAS_EXPORT_GROUPS_H
#define IMAS_EXPORT_GROUPS_H

#include <stdbool.h>

#include "core/error.h"
#include "export/layout.h"
#include "store/scan.h"

/* One record (wide table) or one repeat instance, its values by column
 * (NULL when not answered). */
struct group {
    const struct layout_table *t;
    char *record_uuid, *parent_uuid, *item_uuid, *state;
    char **values;
};

typedef bool group_fn(void *ctx, const struct group *g, struct error *err);

/* Call fn for each record (t the wide table) or each instance of t's
 * repeat among the filter's records, in the store's order. fn returns
 * false (with err set) to stop with an error. */
bool groups_each(struct store *s, const struct store_scan_filter *f,
                 const struct layout_table *t, group_fn *fn, void *ctx,
                 struct error *err);

/* The value of field path in g, or NULL. */
const char *group_value(const struct group *g, const char *path);

/* A choice value (or several, space-separated, for select) shown with its
 * labels in lang, joined by ", "; values without a label kept as they are.
 * Fresh. */
char *choice_text(const struct form *f, const struct form_node *n,
                  const char *value, const char *lang);

#endif
