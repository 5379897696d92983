/* app/session_int.h: the inside of a session, shared by session.c and
 * session_pages.c only. */
#ifndef IMAS_APP_SESSION_INT_H
#define IMAS_APP_SESSION_INT_H

#include <stdint.h>

#include "store/records.h"
#include "app/session.h"

/* A live repeat instance, in the store's order. */
struct session_item {
    char *uuid;
    char *repeat_path;
    char *parent; /* "" at top level */
};

struct session {
    struct store *store;
    struct form *owned_form; /* loaded from the file's copy, or NULL */
    const struct form *form;
    struct form_record *rec;
    struct store_record info;
    char *lang;
    struct session_item *items;
    size_t nitems, items_cap;
    struct session_page *pages;
    size_t npages, pages_cap;
    int64_t data_version; /* the file's when read (store_changed_since) */
};

void session_pages_free(struct session *s);
void session_items_push(struct session *s, const char *uuid, const char *repeat_path,
                        const char *parent);

/* Values (and items) the form set by itself, to save once it is done. */
struct pending {
    struct session_item *items;
    size_t nitems;
    char **fields, **item_ids, **values;
    size_t nvalues;
};

/* A form_changed_fn collecting into a struct pending. */
void session_on_value(void *ctx, const char *field, const char *item, const char *value);
/* Save the items, then the values; false with err at the first refusal. */
bool session_pending_save(struct session *s, struct pending *p, struct error *err);
void session_pending_free(struct pending *p);

#endif
