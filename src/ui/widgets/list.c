#include "config.h"

#include "ui/widgets/list.h"

static void scroll_to_selection(struct list_state *l)
{
    if (l->selected < l->top)
        l->top = l->selected;
    else if (l->selected >= l->top + l->height)
        l->top = l->selected - l->height + 1;
    /* no empty space below the last row when the list could fill it */
    if (l->count > l->height && l->top > l->count - l->height)
        l->top = l->count - l->height;
    if (l->count <= l->height)
        l->top = 0;
}

void list_init(struct list_state *l, size_t count, size_t height)
{
    l->count = count;
    l->selected = 0;
    l->top = 0;
    l->height = height ? height : 1;
}

void list_set_count(struct list_state *l, size_t count)
{
    l->count = count;
    if (count == 0)
        l->selected = 0;
    else if (l->selected >= count)
        l->selected = count - 1;
    scroll_to_selection(l);
}

void list_set_height(struct list_state *l, size_t height)
{
    l->height = height ? height : 1;
    scroll_to_selection(l);
}

void list_move(struct list_state *l, long delta)
{
    if (l->count == 0)
        return;
    if (delta < 0 && (size_t)-delta > l->selected)
        l->selected = 0;
    else if (delta > 0 && l->selected + (size_t)delta >= l->count)
        l->selected = l->count - 1;
    else
        l->selected = (size_t)((long)l->selected + delta);
    scroll_to_selection(l);
}

void list_page(struct list_state *l, int direction)
{
    long step = l->height > 1 ? (long)l->height - 1 : 1;
    list_move(l, direction < 0 ? -step : step);
}

void list_first(struct list_state *l)
{
    l->selected = 0;
    scroll_to_selection(l);
}

void list_last(struct list_state *l)
{
    l->selected = l->count ? l->count - 1 : 0;
    scroll_to_selection(l);
}

bool list_visible(const struct list_state *l, size_t i)
{
    return i >= l->top && i < l->top + l->height && i < l->count;
}

bool list_key(struct list_state *l, enum action a)
{
    switch (a) {
    case ACTION_UP:
    case ACTION_DOWN:
        list_move(l, a == ACTION_UP ? -1 : 1);
        return true;
    case ACTION_PAGE_UP:
    case ACTION_PAGE_DOWN:
        list_page(l, a == ACTION_PAGE_UP ? -1 : 1);
        return true;
    case ACTION_FIRST:
        list_first(l);
        return true;
    case ACTION_LAST:
        list_last(l);
        return true;
    default:
        return false;
    }
}
