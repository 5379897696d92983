/* items.h: repeat instances (roster entries, notes) of a record.
 *
 * Items are listed by (created_at, device_id, item_uuid), never by a stored
 * position, so items added on two laptops interleave by time after a
 * merge. Deleting one is a tombstone, as for records. */
#ifndef IMAS_STORE_ITEMS_H
#define IMAS_STORE_ITEMS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/uuid.h"
#include "store/store.h"

/* A new repeat instance of repeat_path ("/data/roster") in a draft record,
 * under parent_uuid (an item of the same record; "" or NULL for the top
 * level). Its UUID (v7) is written to out_uuid. */
bool store_item_add(struct store *s, const char *record_uuid,
                    const char *parent_uuid, const char *repeat_path,
                    char out_uuid[UUID_STR_LEN], struct error *err);

/* The same with a UUID chosen by the caller (the form engine names the
 * instances it pre-fills); refused when it is not a UUID or already used. */
bool store_item_add_uuid(struct store *s, const char *record_uuid,
                         const char *parent_uuid, const char *repeat_path,
                         const char *item_uuid, struct error *err);

/* Tombstone a repeat instance and the instances nested in it. */
bool store_item_delete(struct store *s, const char *item_uuid,
                       struct error *err);

/* The live items of one repeat under one parent ("" or NULL: top level),
 * in (created_at, device_id, item_uuid) order: a fresh array of *n fresh
 * strings (store_item_list_free frees both). */
bool store_item_list(struct store *s, const char *record_uuid,
                     const char *parent_uuid, const char *repeat_path,
                     char ***uuids, size_t *n, struct error *err);
void store_item_list_free(char ***uuids, size_t n);

/* For the store's own files, inside a write transaction: fail with a clear
 * message unless the item exists in that record and is not deleted. */
bool items_live(struct store *s, const char *record_uuid,
                const char *item_uuid, struct error *err);

#endif
