#include "config.h"

#include "ui/screens/home.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/tree.h"
#include "store/records.h"
#include "store/store.h"
#include "ui/curses.h"
#include "ui/widgets/list.h"

#include <stdio.h>
#include <stdlib.h>

struct home {
    struct store_record *records;
    size_t nrecords;
    char *error; /* why the records could not be read, or NULL */
    struct list_state list;
};

/* Rows above and below the record list: title, heading, column names;
 * forms heading and the forms themselves. */
static size_t forms_shown(const struct ui *ui)
{
    size_t n = form_catalog_count(ui->catalog);
    return n > 6 ? 6 : (n ? n : 1);
}

static size_t list_height(const struct ui *ui, int rows)
{
    long h = rows - 3 - 2 - (long)forms_shown(ui);
    return h < 1 ? 1 : (size_t)h;
}

static void reload(struct ui *ui, struct home *h)
{
    store_record_list_free(&h->records, h->nrecords);
    h->nrecords = 0;
    xfree(&h->error);
    struct error err = ERROR_INIT;
    if (!store_record_list(ui->store, &h->records, &h->nrecords, &err)) {
        h->error = error_format(&err);
        error_clear(&err);
    }
    list_set_count(&h->list, h->nrecords);
}

static void *home_open(struct ui *ui)
{
    struct home *h = xcalloc(1, sizeof *h);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    (void)cols;
    list_init(&h->list, 0, list_height(ui, rows - 1));
    reload(ui, h);
    return h;
}

static const char *record_form_title(const struct ui *ui, const char *id)
{
    const struct form_catalog_entry *e = form_catalog_find(ui->catalog, id);
    return e && e->title ? e->title : id;
}

static void draw_record(const struct ui *ui, const struct store_record *r, int y,
                        int cols, bool selected)
{
    enum ui_attr a = selected ? UI_SELECTED : UI_NORMAL;
    char when[32];
    clock_format_local(r->updated_at, when);
    const char *state = r->state && r->state[0] == 'f' ? _("finalized") : _("draft");
    ui_fill_row(y, cols, a);
    int wform = cols - 2 - 12 - 18 - 16;
    ui_text(y, 2, record_form_title(ui, r->form_id), wform - 1, a, false);
    ui_text(y, 2 + wform, state, 11, a, false);
    ui_text(y, 2 + wform + 12, when, 17, a, false);
    ui_text(y, 2 + wform + 30, r->author ? r->author : "", cols - (2 + wform + 30), a, false);
}

static void draw_forms(const struct ui *ui, int y, int cols)
{
    size_t n = form_catalog_count(ui->catalog);
    char head[128];
    snprintf(head, sizeof head, _("Forms available: %zu"), n);
    ui_text(y++, 0, head, cols, UI_TITLE, true);
    if (n == 0) {
        ui_text(y, 2, _("(no forms found: see --list-forms and --form-dir)"), cols - 2, UI_DIM, false);
        return;
    }
    for (size_t i = 0; i < n && i < forms_shown(ui); i++, y++) {
        const struct form_catalog_entry *e = form_catalog_get(ui->catalog, i);
        char line[512];
        snprintf(line, sizeof line, "%s  (%s, %s)", e->title ? e->title : e->id, e->id,
                 e->version ? e->version : "");
        ui_text(y, 2, line, cols - 2, UI_NORMAL, false);
    }
}

static void home_draw(struct ui *ui, void *state, int rows, int cols)
{
    struct home *h = state;
    char title[512];
    snprintf(title, sizeof title, "imas-survey  %s", store_path(ui->store));
    ui_text(0, 0, title, cols, UI_TITLE, true);

    char head[128];
    snprintf(head, sizeof head, _("Records in this file: %zu"), h->nrecords);
    ui_text(1, 0, head, cols, UI_NORMAL, true);
    int wform = cols - 2 - 12 - 18 - 16;
    ui_text(2, 2, _("Form"), wform - 1, UI_DIM, false);
    ui_text(2, 2 + wform, _("State"), 11, UI_DIM, false);
    ui_text(2, 2 + wform + 12, _("Last edit"), 17, UI_DIM, false);
    ui_text(2, 2 + wform + 30, _("Author"), 15, UI_DIM, false);

    int y0 = 3;
    int cursor_y = y0;
    if (h->error) {
        ui_text(y0, 2, h->error, cols - 2, UI_ERROR, false);
    } else if (h->nrecords == 0) {
        ui_text(y0, 2, _("(no records yet)"), cols - 2, UI_DIM, false);
    } else {
        for (size_t i = h->list.top; i < h->nrecords && list_visible(&h->list, i); i++) {
            int y = y0 + (int)(i - h->list.top);
            bool sel = i == h->list.selected;
            draw_record(ui, &h->records[i], y, cols, sel);
            if (sel)
                cursor_y = y;
        }
    }
    draw_forms(ui, rows - 1 - (int)forms_shown(ui), cols);
    move(cursor_y, 2);
}

static enum key_result home_key(struct ui *ui, void *state, int key, enum action a)
{
    struct home *h = state;
    (void)ui;
    (void)key;
    switch (a) {
    case ACTION_UP:
        list_move(&h->list, -1);
        return KEY_HANDLED;
    case ACTION_DOWN:
        list_move(&h->list, 1);
        return KEY_HANDLED;
    case ACTION_PAGE_UP:
        list_page(&h->list, -1);
        return KEY_HANDLED;
    case ACTION_PAGE_DOWN:
        list_page(&h->list, 1);
        return KEY_HANDLED;
    case ACTION_FIRST:
        list_first(&h->list);
        return KEY_HANDLED;
    case ACTION_LAST:
        list_last(&h->list);
        return KEY_HANDLED;
    default:
        return KEY_UNHANDLED;
    }
}

static void home_resize(struct ui *ui, void *state, int rows, int cols)
{
    struct home *h = state;
    (void)cols;
    list_set_height(&h->list, list_height(ui, rows));
}

static void home_close(void *state)
{
    struct home *h = state;
    store_record_list_free(&h->records, h->nrecords);
    free(h->error);
    free(h);
}

static const enum action home_actions[] = {
    ACTION_HELP, ACTION_QUIT, ACTION_UP, ACTION_DOWN, ACTION_PAGE_UP,
    ACTION_PAGE_DOWN, ACTION_FIRST, ACTION_LAST, ACTION_REDRAW, ACTION_NONE,
};

const struct screen_ops home_screen_ops = {
    .name = "home",
    .open = home_open,
    .draw = home_draw,
    .key = home_key,
    .resize = home_resize,
    .close = home_close,
    .actions = home_actions,
};
