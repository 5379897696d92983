/* ui/widgets/list.h: the state of a scrolling list (selection and first
 * visible row), kept apart from drawing so it can be unit-tested. */
#ifndef IMAS_UI_WIDGETS_LIST_H
#define IMAS_UI_WIDGETS_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/actions.h"

struct list_state {
    size_t count;    /* rows in the list */
    size_t selected; /* index of the selected row (0 when empty) */
    size_t top;      /* first row shown */
    size_t height;   /* rows visible at once (at least 1) */
};

void list_init(struct list_state *l, size_t count, size_t height);
/* Change the row count (data reloaded); keeps the selection in range. */
void list_set_count(struct list_state *l, size_t count);
/* Change the visible height (terminal resized); keeps the selection shown. */
void list_set_height(struct list_state *l, size_t height);
/* Move the selection by delta rows (negative = up), clamped to the list. */
void list_move(struct list_state *l, long delta);
void list_page(struct list_state *l, int direction); /* -1 up, +1 down */
void list_first(struct list_state *l);
void list_last(struct list_state *l);
/* Apply a moving action (Up/Down, PgUp/PgDn, Home/End) to the list;
 * false when a is not one of them. The one list navigation of the
 * screens. */
bool list_key(struct list_state *l, enum action a);
/* True when row i is on screen. */
bool list_visible(const struct list_state *l, size_t i);

#endif
