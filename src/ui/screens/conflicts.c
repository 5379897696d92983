#include "config.h"

#include "ui/screens/conflicts.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/media.h"
#include "core/xalloc.h"
#include "app/conflicts.h"
#include "store/store.h"
#include "ui/curses.h"
#include "ui/widgets/list.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/wrap.h"
#include "ui/widgets/textedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The conflicts screen (SPEC 5.5): a list of the answers two laptops
 * changed differently, and below it the selected one's two values side by
 * side with who, which laptop and when. Keeping one of them, or a text
 * typed here, is a new revision: it wins on every later merge. On a
 * read-only file the conflicts can be read: 1, 2 and e leave the hint bar
 * and say at once why nothing can be kept, rather than failing at save. */

struct conflicts_screen {
    struct conflicts v;
    struct list_state list;
    bool editing;
    struct textedit edit;
    char *message;
    bool message_error;
    bool readonly; /* the file cannot be changed: 1, 2 and e say why */
};

static const enum action list_actions[] = {
    ACTION_HELP,   ACTION_QUIT_F10, ACTION_KEEP_CURRENT, ACTION_KEEP_OTHER, ACTION_EDIT_VALUE,
    ACTION_BACK,   ACTION_UP,       ACTION_DOWN,         ACTION_PAGE_UP,    ACTION_PAGE_DOWN,
    ACTION_FIRST,  ACTION_LAST,     ACTION_REDRAW,       ACTION_NONE,
};

static const enum action ro_list_actions[] = {
    ACTION_HELP,        ACTION_QUIT_F10,  ACTION_BACK,         ACTION_UP,
    ACTION_DOWN,        ACTION_PAGE_UP,   ACTION_PAGE_DOWN,    ACTION_FIRST,
    ACTION_LAST,        ACTION_REDRAW,    ACTION_RO_KEEP_CURRENT, ACTION_RO_KEEP_OTHER,
    ACTION_RO_EDIT_VALUE, ACTION_NONE,
};

static const enum action edit_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_SAVE_VALUE, ACTION_BACK, ACTION_NONE,
};

static void set_message(struct conflicts_screen *c, const char *msg, bool error)
{
    free(c->message);
    c->message = msg ? xstrdup(msg) : NULL;
    c->message_error = error;
}

static size_t list_rows(int rows)
{
    long h = (rows - 3) / 3;
    return h < 3 ? 3 : (size_t)h;
}

static void *conflicts_open(struct ui *ui, void *arg)
{
    (void)arg;
    struct conflicts_screen *c = xcalloc(1, sizeof *c);
    conflicts_load(&c->v, ui->store, ui->catalog, ui->lang);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    (void)cols;
    list_init(&c->list, c->v.n, list_rows(rows - 1));
    textedit_init(&c->edit, "", true);
    c->readonly = store_readonly(ui->store);
    if (c->readonly) /* said at once: why 1, 2 and e are not offered */
        set_message(c, store_readonly_reason(ui->store), false);
    return c;
}

static void conflicts_close(void *state)
{
    struct conflicts_screen *c = state;
    conflicts_free(&c->v);
    textedit_free(&c->edit);
    free(c->message);
    free(c);
}

static void conflicts_resize(struct ui *ui, void *state, int rows, int cols)
{
    (void)ui;
    (void)cols;
    struct conflicts_screen *c = state;
    list_set_height(&c->list, list_rows(rows));
}

/* The value as the user knows it: an attached file by its name. */
static const char *value_or_cleared(const char *v)
{
    static char file[512];
    char *label = v ? media_value_label(v) : NULL;
    if (label) {
        snprintf(file, sizeof file, "%s", label);
        free(label);
        return file;
    }
    return v ? v : _("(cleared)");
}

static void draw_side(int y, int cols, int lines, const char *title,
                      const struct store_conflict_side *side, const char *shown)
{
    char when[32], head[512];
    clock_format_local(side->updated_at, when);
    if (side->device_name && *side->device_name)
        /* TRANSLATORS: "[1] This file: Maria, Maria's laptop, 2026-11-23
         * 10:42": who, on which laptop (its name), when */
        snprintf(head, sizeof head, _("%s: %s, on %s, %s"), title,
                 side->author ? side->author : "?", side->device_name, when);
    else
        /* TRANSLATORS: "[1] This file: Maria, laptop 1a2b3c4d, 2026-11-23 10:42" */
        snprintf(head, sizeof head, _("%s: %s, laptop %.8s, %s"), title,
                 side->author ? side->author : "?", side->device_id ? side->device_id : "?",
                 when);
    ui_text(y, 1, head, cols - 2, UI_TITLE, true);
    struct wrap_view v = {.y = y + 1, .x = 3, .width = (size_t)cols - 4,
                          .rows = lines > 0 ? (size_t)lines : 0, .attr = UI_NORMAL,
                          .ellipsis = true};
    wrap_draw(&v, value_or_cleared(shown));
}

static void draw_row(const struct conflict_row *r, int y, int cols, bool sel)
{
    enum ui_attr a = sel ? UI_SELECTED : UI_NORMAL;
    ui_fill_row(y, cols, a);
    int wform = cols / 3;
    ui_text(y, 2, r->name, wform - 1, a, false);
    ui_text(y, 2 + wform, r->label, cols - 3 - wform, a, false);
}

static void draw_editor(struct conflicts_screen *c, int y, int h, int cols)
{
    ui_text(y, 1, _("Type the answer to keep (Enter: new line; F2 saves it, Esc cancels):"),
            cols - 2, UI_TITLE, true);
    struct wrap_view v = {.y = y + 1, .x = 2, .width = (size_t)cols - 4,
                          .rows = h > 1 ? (size_t)(h - 1) : 1, .attr = UI_NORMAL, .pad = true};
    wrap_draw_edit(&v, &c->edit);
}

static void conflicts_draw(struct ui *ui, void *state, int rows, int cols)
{
    (void)ui;
    struct conflicts_screen *c = state;
    char *title =
        xasprintf(ngettext("Merge conflicts: %zu change made differently on two laptops",
                           "Merge conflicts: %zu changes made differently on two laptops",
                           c->v.n),
                  c->v.n);
    if (c->readonly) {
        char *t = xasprintf("%s%s", title, _("  [read-only]"));
        free(title);
        title = t;
    }
    ui_text(0, 0, title, cols, UI_TITLE, true);
    free(title);
    int wform = cols / 3;
    ui_text(1, 2, _("Record"), wform - 1, UI_DIM, false);
    ui_text(1, 2 + wform, _("What"), cols - 3 - wform, UI_DIM, false);
    int y0 = 2, cursor_y = y0;
    if (c->v.error) {
        ui_text(y0, 2, c->v.error, cols - 2, UI_ERROR, false);
    } else if (c->v.n == 0) {
        ui_text(y0, 2, _("(no conflicts: every answer has one latest value)"), cols - 2, UI_DIM,
                false);
    }
    for (size_t i = c->list.top; i < c->v.n && list_visible(&c->list, i); i++) {
        int y = y0 + (int)(i - c->list.top);
        draw_row(&c->v.rows[i], y, cols, i == c->list.selected);
        if (i == c->list.selected)
            cursor_y = y;
    }
    int y = y0 + (int)c->list.height;
    if (c->message)
        ui_text(rows - 1, 1, c->message, cols - 2, c->message_error ? UI_ERROR : UI_HINT, true);
    int bottom = rows - 1 - y; /* lines for the detail */
    if (c->v.n == 0 || bottom < 7) {
        move(cursor_y, 2);
        return;
    }
    const struct conflict_row *r = &c->v.rows[c->list.selected];
    char *more = r->more ? xasprintf(ngettext(" (and %zu more)", " (and %zu more)", r->more),
                                     r->more)
                         : xstrdup("");
    /* (on a read-only file no record can be reopened: the title says so) */
    char *where = xasprintf("%s%s%s", r->label, more,
             r->finalized && !c->readonly
                 ? _("  — finalized: reopen it on the home screen to resolve")
                 : "");
    ui_text(y, 0, r->title, cols, UI_TITLE, true);
    ui_text(y + 1, 0, where, cols, r->finalized ? UI_ERROR : UI_NORMAL, true);
    free(where);
    free(more);
    y++;
    int h = bottom - 2;
    if (c->editing) {
        draw_editor(c, y + 1, h, cols);
        return;
    }
    int each = (h - 2) / 2;
    draw_side(y + 1, cols, each, _("[1] This file"), &r->c.current, r->current_shown);
    draw_side(y + 2 + each, cols, each, _("[2] The other laptop"), &r->c.other, r->other_shown);
    move(cursor_y, 2);
}

static void resolve(struct ui *ui, struct conflicts_screen *c, enum conflict_choice choice,
                    const char *edited)
{
    if (c->v.n == 0)
        return;
    size_t i = c->list.selected;
    char *label = xstrdup(c->v.rows[i].label);
    struct error err = ERROR_INIT;
    if (conflicts_resolve(&c->v, ui->store, ui->lang, i, choice, edited, &err)) {
        char *msg = xasprintf(_("Saved: %s."), label);
        set_message(c, msg, false);
        free(msg);
        list_set_count(&c->list, c->v.n);
        c->editing = false;
    } else {
        char *m = error_format_brief(&err);
        set_message(c, m, true);
        free(m);
    }
    error_clear(&err);
    free(label);
}

static enum key_result edit_key(struct ui *ui, struct conflicts_screen *c, int key, enum action a)
{
    if (a == ACTION_SAVE_VALUE) {
        resolve(ui, c, CONFLICT_EDITED, c->edit.text);
        return KEY_HANDLED;
    }
    if (a == ACTION_BACK) {
        c->editing = false;
        set_message(c, _("Not changed."), false);
        return KEY_HANDLED;
    }
    if (text_keys_edit(&c->edit, key, (size_t)(COLS - 4), true) || a == ACTION_NONE)
        return KEY_HANDLED; /* other control keys (and Up on the first line) do nothing here */
    return KEY_UNHANDLED;
}

static enum key_result conflicts_key(struct ui *ui, void *state, int key, enum action a)
{
    struct conflicts_screen *c = state;
    if (c->editing)
        return edit_key(ui, c, key, a);
    if (list_key(&c->list, a))
        return KEY_HANDLED;
    switch (a) {
    case ACTION_KEEP_CURRENT: resolve(ui, c, CONFLICT_KEEP_CURRENT, NULL); break;
    case ACTION_KEEP_OTHER: resolve(ui, c, CONFLICT_KEEP_OTHER, NULL); break;
    case ACTION_EDIT_VALUE:
        if (c->v.n && !c->v.rows[c->list.selected].editable) {
            set_message(c, c->v.rows[c->list.selected].upload
                               ? _("An attached file cannot be typed: keep one side with 1 or 2.")
                               : _("A record's state cannot be typed: keep one side with 1 or 2."),
                        true);
        } else if (c->v.n) {
            const struct store_conflict *sc = &c->v.rows[c->list.selected].c;
            const char *cur = sc->current.deleted ? sc->other.value : sc->current.value;
            textedit_set(&c->edit, cur ? cur : "");
            c->editing = true;
            set_message(c, NULL, false);
        }
        break;
    case ACTION_RO_KEEP_CURRENT:
    case ACTION_RO_KEEP_OTHER:
    case ACTION_RO_EDIT_VALUE: {
        /* TRANSLATORS: %s is why the file is read-only, e.g. "in use by
         * imas-survey process 4242 since 10:15: read-only" */
        char *m = xasprintf(_("Not resolved: %s"), store_readonly_reason(ui->store));
        set_message(c, m, true);
        free(m);
        break;
    }
    case ACTION_BACK: return KEY_LEAVE;
    default: return KEY_UNHANDLED;
    }
    return KEY_HANDLED;
}

static const enum action *conflicts_mode_actions(void *state)
{
    const struct conflicts_screen *c = state;
    if (c->editing)
        return edit_actions;
    return c->readonly ? ro_list_actions : list_actions;
}

static const enum action *conflicts_widget_actions(void *state)
{
    const struct conflicts_screen *c = state;
    return c->editing ? text_keys_lines : NULL;
}

static const enum action *const conflicts_action_sets[] = {list_actions, ro_list_actions,
                                                           edit_actions, NULL};

const struct screen_ops conflicts_screen_ops = {
    .name = "conflicts",
    .open = conflicts_open,
    .draw = conflicts_draw,
    .key = conflicts_key,
    .resize = conflicts_resize,
    .close = conflicts_close,
    .actions = list_actions,
    .mode_actions = conflicts_mode_actions,
    .widget_actions = conflicts_widget_actions,
    .action_sets = conflicts_action_sets,
};
