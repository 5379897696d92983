/* ui/screens/home.c: the home screen: the records in the file (a row
 * each, its cells read when first shown), the forms available and the
 * prompts, drawn; opening, resizing and closing the screen. What the keys
 * do is in home_keys.c. */
#include "config.h"

#include "ui/screens/home.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "ui/curses.h"
#include "ui/screens/home_int.h"
#include "ui/screens/question.h"
#include "ui/widgets/fit.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/wrap.h"
#include "ui/widgets/yesno.h"
#include "app/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order of the hint bar, which shows as many as fit: what acts
 * on the highlighted record (d, f) and the list's filter and sort before
 * reopen, capture and search, so that 80 columns show them in every language; the merge
 * conflicts come early only while there are any. */
static const enum action home_actions[] = {
    ACTION_HELP,     ACTION_QUIT,      ACTION_OPEN,  ACTION_NEW,    ACTION_DELETE,
    ACTION_FINALIZE, ACTION_FILTER,    ACTION_SORT,  ACTION_REOPEN, ACTION_CAPTURE,  ACTION_SEARCH, ACTION_UP,
    ACTION_DOWN,     ACTION_PAGE_UP,   ACTION_PAGE_DOWN, ACTION_FIRST, ACTION_LAST,
    ACTION_REDRAW,   ACTION_CONFLICTS, ACTION_NONE,
};

static const enum action home_conflict_actions[] = {
    ACTION_HELP,     ACTION_QUIT,      ACTION_CONFLICTS, ACTION_OPEN, ACTION_NEW,
    ACTION_DELETE,   ACTION_FINALIZE,  ACTION_FILTER,   ACTION_SORT, ACTION_REOPEN, ACTION_CAPTURE, ACTION_SEARCH,
    ACTION_UP,       ACTION_DOWN,      ACTION_PAGE_UP, ACTION_PAGE_DOWN, ACTION_FIRST,
    ACTION_LAST,     ACTION_REDRAW,    ACTION_NONE,
};

/* A read-only file (another program has it, or it is newer than us): the
 * hint bar offers nothing that changes the file, and n, d, f, r and l say
 * why at once instead of opening a prompt or screen whose save would fail. */
static const enum action home_ro_actions[] = {
    ACTION_HELP,        ACTION_QUIT,      ACTION_OPEN,   ACTION_FILTER,    ACTION_SORT,
    ACTION_RO_CAPTURE,  ACTION_SEARCH,    ACTION_UP,     ACTION_DOWN,      ACTION_PAGE_UP,
    ACTION_PAGE_DOWN,   ACTION_FIRST,     ACTION_LAST,   ACTION_REDRAW,    ACTION_CONFLICTS,
    ACTION_RO_NEW,      ACTION_RO_DELETE, ACTION_RO_FINALIZE, ACTION_RO_REOPEN, ACTION_NONE,
};

static const enum action home_ro_conflict_actions[] = {
    ACTION_HELP,        ACTION_QUIT,      ACTION_CONFLICTS, ACTION_OPEN,   ACTION_FILTER,
    ACTION_SORT,        ACTION_RO_CAPTURE, ACTION_SEARCH,   ACTION_UP,     ACTION_DOWN,
    ACTION_PAGE_UP,     ACTION_PAGE_DOWN, ACTION_FIRST,     ACTION_LAST,   ACTION_REDRAW,
    ACTION_RO_NEW,      ACTION_RO_DELETE, ACTION_RO_FINALIZE, ACTION_RO_REOPEN, ACTION_NONE,
};

static const enum action choose_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_START_FORM, ACTION_BACK, ACTION_UP, ACTION_DOWN, ACTION_NONE,
};

/* The filter field: typing narrows the list as it goes; the arrows (not
 * j and k, which are text here) still move in it. */
static const enum action filter_actions[] = {
    ACTION_HELP,       ACTION_QUIT_F10,   ACTION_FILTER_KEEP, ACTION_FILTER_CLEAR,
    ACTION_ARROW_UP,   ACTION_ARROW_DOWN, ACTION_NONE,
};

static const enum action prompt_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_PROMPT_OK, ACTION_BACK, ACTION_NONE,
};

/* Rows above and below the record list: title, heading, column names;
 * forms heading and the forms themselves; the message line. */
static size_t forms_shown(const struct ui *ui)
{
    size_t n = form_catalog_count(ui->catalog);
    return n > 6 ? 6 : (n ? n : 1);
}

static size_t list_height(const struct ui *ui, int rows)
{
    long h = rows - 3 - 3 - (long)forms_shown(ui);
    return h < 1 ? 1 : (size_t)h;
}

void home_reload(struct ui *ui, struct home *h)
{
    (void)ui;
    char keep[UUID_STR_LEN] = "";
    if (h->list.selected < h->records.n)
        snprintf(keep, sizeof keep, "%s", h->records.rows[h->list.selected].uuid);
    records_load(&h->records);
    if (h->left[0] && records_find(&h->records, h->left) < h->records.n)
        snprintf(keep, sizeof keep, "%s", h->left);
    h->left[0] = '\0';
    home_follow(h, keep);
}

void home_refresh(struct home *h)
{
    char keep[UUID_STR_LEN] = "";
    if (h->list.selected < h->records.n)
        snprintf(keep, sizeof keep, "%s", h->records.rows[h->list.selected].uuid);
    if (records_refresh(&h->records))
        home_follow(h, keep);
}

static void home_idle(struct ui *ui, void *state)
{
    (void)ui;
    home_refresh(state);
}

void home_follow(struct home *h, const char *uuid)
{
    list_set_count(&h->list, h->records.n);
    size_t i = records_find(&h->records, uuid && uuid[0] ? uuid : NULL);
    if (i < h->records.n && i != h->list.selected)
        home_select(h, i);
}

char *home_record_name(struct home *h, size_t i)
{
    const struct records_cells *c = records_cells(&h->records, i);
    if (c->title)
        return xasprintf("%s (%s)", c->title, c->form);
    return xstrdup(c->form);
}

void home_select(struct home *h, size_t i)
{
    list_first(&h->list);
    list_move(&h->list, (long)i);
}

void home_resume_clear(struct home *h)
{
    free(h->resume_record);
    free(h->resume_path);
    free(h->resume_item);
    h->resume_record = h->resume_path = h->resume_item = NULL;
}

static void *home_open(struct ui *ui, void *arg)
{
    (void)arg;
    struct home *h = xcalloc(1, sizeof *h);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    (void)cols;
    list_init(&h->list, 0, list_height(ui, rows - 1));
    list_init(&h->forms, form_catalog_count(ui->catalog), forms_shown(ui));
    textedit_init(&h->reason, "", false);
    textedit_init(&h->filter, "", false);
    records_init(&h->records, ui->store, ui->catalog, ui->lang);
    h->readonly = store_readonly(ui->store);
    home_reload(ui, h);
    if (ui->file_created)
        h->message = xasprintf(_("A new survey file was made: %s"), store_path(ui->store));
    else if (store_readonly(ui->store)) {
        /* another program has the file, or it is newer than us: say why
         * nothing here can be changed */
        h->message = xstrdup(store_readonly_reason(ui->store));
        h->message_error = true;
    }
    /* where the user was when they last left: highlighted, and Enter goes
     * back there (opening it unasked sent keys meant for home into it) */
    char *rec = NULL, *path = NULL, *item = NULL;
    if (session_last_position(ui->store, &rec, &path, &item, NULL) && rec) {
        size_t i = records_find(&h->records, rec);
        if (i < h->records.n) {
            home_select(h, i);
            h->resume_record = rec;
            h->resume_path = path;
            h->resume_item = item;
            rec = path = item = NULL;
            if (!h->message)
                h->message = xstrdup(_("Enter continues where you left off in the highlighted record."));
        } else {
            session_forget_position(ui->store, NULL);
        }
    }
    free(rec);
    free(path);
    free(item);
    return h;
}

static void home_resume(struct ui *ui, void *state)
{
    home_reload(ui, state);
}

/* Column layout: x and width of each column for a terminal cols wide.
 * The state column is as wide as its widest word in this language (a
 * state is never cut); the title takes what is left, the form, school
 * and country giving way to it down to 8 columns; a header longer than
 * its column ends in "…". */
enum { COL_FORM, COL_TITLE, COL_COUNTRY, COL_SCHOOL, COL_STATE, COL_EDIT, COL_AUTHOR, NCOLS };
static void layout(int cols, int x[NCOLS], int w[NCOLS])
{
    size_t state = utf8_width(_("finalized"));
    if (utf8_width(_("draft")) > state)
        state = utf8_width(_("draft"));
    size_t want[NCOLS] = {14, 16, 10, 14, state + 1, 17, 9};
    size_t least[NCOLS] = {8, 8, 8, 8, state + 1, 17, 7};
    size_t out[NCOLS];
    fit_columns(cols > 2 ? (size_t)cols - 2 : 0, want, least, NCOLS, COL_TITLE, out);
    int pos = 2;
    for (int i = 0; i < NCOLS; i++) {
        w[i] = (int)out[i];
        x[i] = pos;
        pos += w[i];
    }
    w[COL_AUTHOR] = cols - x[COL_AUTHOR] > 1 ? cols - x[COL_AUTHOR] : 1;
}

static void draw_record(struct ui *ui, struct home *h, size_t i, int y, int cols, bool selected)
{
    const struct store_record *r = &h->records.rows[i];
    const struct records_cells *c = records_cells(&h->records, i);
    enum ui_attr a = selected ? UI_SELECTED : UI_NORMAL;
    char when[32];
    clock_format_local(r->updated_at, when);
    const char *state = r->state && r->state[0] == 'f' ? _("finalized") : _("draft");
    const char *cells[NCOLS] = {c->form,
                                c->title ? c->title : "",
                                c->country ? c->country : "",
                                c->school ? c->school : "",
                                state,
                                when,
                                r->author ? r->author : ""};
    int x[NCOLS], w[NCOLS];
    layout(cols, x, w);
    ui_fill_row(y, cols, a);
    for (int k = 0; k < NCOLS; k++)
        ui_text(y, x[k], cells[k], w[k] - 1, a, false);
}

static void draw_forms(struct ui *ui, struct home *h, int y, int cols)
{
    size_t n = form_catalog_count(ui->catalog);
    char head[128];
    snprintf(head, sizeof head, _("Forms available: %zu"), n);
    ui_text(y++, 0, head, cols, UI_TITLE, true);
    if (n == 0) {
        ui_text(y, 2, _("(no forms found: see --list-forms and --form-dir)"), cols - 2, UI_DIM, false);
        return;
    }
    int sel_y = -1;
    for (size_t i = h->forms.top; i < n && list_visible(&h->forms, i); i++, y++) {
        const struct form_catalog_entry *e = form_catalog_get(ui->catalog, i);
        char line[512];
        snprintf(line, sizeof line, "%s  (%s, %s)", e->title ? e->title : e->id, e->id,
                 e->version ? e->version : "");
        bool sel = h->mode == HOME_CHOOSE_FORM && i == h->forms.selected;
        ui_text(y, 2, line, cols - 2, sel ? UI_SELECTED : UI_NORMAL, sel);
        if (sel)
            sel_y = y;
    }
    if (sel_y >= 0) /* the cursor on the highlighted form, not the last drawn */
        move(sel_y, 2);
}

static void draw_finalize_meaning(int y, int lines, int cols)
{
    for (int k = y; k < y + lines; k++) {
        move(k, 0);
        clrtoeol();
    }
    struct wrap_view v = {.y = y, .x = 1, .width = (size_t)(cols > 3 ? cols - 2 : 1),
                          .rows = (size_t)lines, .attr = UI_NORMAL, .ellipsis = true};
    wrap_draw(&v, _("Finalizing says the record is complete: its answers are checked, "
                    "then it is locked and can only be read. To change it later, reopen "
                    "it on home with r (the reason is kept)."));
}

static void draw_prompt(struct home *h, int y, int cols)
{
    ui_fill_row(y, cols, UI_TITLE);
    char *name = home_record_name(h, h->list.selected);
    if (HOME_ASKING(h)) {
        char *q = h->mode == HOME_CONFIRM_DELETE
                      /* TRANSLATORS: %s is the record: its title and form */
                      ? xasprintf(_("Delete %s? (y/n) It is kept as a tombstone in the file."), name)
                      /* TRANSLATORS: %s is the record: its title and form */
                      : xasprintf(_("Finalize %s? (y/n)"), name);
        yesno_draw(y, cols, q);
        free(q);
        free(name);
        return;
    }
    /* TRANSLATORS: %s is the record: its title and form */
    char *q = xasprintf(_("Why reopen %s? "), name);
    free(name);
    int w = ui_text(y, 1, q, cols - 2, UI_TITLE, false);
    free(q);
    struct wrap_view v = {.y = y, .x = 1 + w, .width = (size_t)(cols - 2 - w > 2 ? cols - 2 - w : 2),
                          .rows = 1, .attr = UI_SELECTED, .pad = true};
    wrap_draw_line(&v, &h->reason);
}

/* The filter field, on the message row while F4 has it open. */
static void draw_filter(struct home *h, int y, int cols)
{
    ui_fill_row(y, cols, UI_TITLE);
    /* TRANSLATORS: the home screen's filter field (F4); Enter keeps the
     * filter, Esc clears it */
    int w = ui_text(y, 1, _("Filter (Enter keeps, Esc clears): "), cols - 2, UI_TITLE, false);
    struct wrap_view v = {.y = y, .x = 1 + w, .width = (size_t)(cols - 2 - w > 2 ? cols - 2 - w : 2),
                          .rows = 1, .attr = UI_SELECTED, .pad = true};
    wrap_draw_line(&v, &h->filter);
}

/* How often home looks for a merge from another program while idle. */
enum { HOME_TICK_MS = 500 };

static void home_draw(struct ui *ui, void *state, int rows, int cols)
{
    struct home *h = state;
    timeout(HOME_TICK_MS);
    char title[512];
    snprintf(title, sizeof title, "imas-survey  %s%s", records_file(&h->records),
             /* TRANSLATORS: after the file's name on home when nothing in it
              * can be changed */
             store_readonly(ui->store) ? _("  [read-only]") : "");
    ui_text(0, 0, title, cols, UI_TITLE, true);
    char head[160];
    if (records_filtered(&h->records))
        snprintf(head, sizeof head,
                 /* TRANSLATORS: on home while a filter hides some records:
                  * "2 of 5 records" */
                 ngettext("%zu of %zu record", "%zu of %zu records", (unsigned long)h->records.total),
                 h->records.n, h->records.total);
    else
        snprintf(head, sizeof head, _("Records in this file: %zu"), h->records.n);
    int used = ui_text(1, 0, head, cols, UI_NORMAL, false);
    /* the conflicts come before the sort order when both do not fit */
    char conf[160] = "";
    if (h->records.conflicts > 0)
        snprintf(conf, sizeof conf,
                 /* TRANSLATORS: on the home screen after a merge; the key c
                  * opens the conflicts screen */
                 ngettext("%lld merge conflict: press c", "%lld merge conflicts: press c",
                          (unsigned long)h->records.conflicts),
                 (long long)h->records.conflicts);
    int cw = (int)utf8_width(conf);
    if (cw > cols - used - 2)
        cw = cols - used - 2;
    char *sorted = xasprintf(
        /* TRANSLATORS: on home after the count of records; %s is one of
         * "last edit", "form", "title", "country", "state", "author" */
        _("sorted by %s"), _(records_sort_name(h->records.sort)));
    int room = cols - used - 2 - (cw > 0 ? cw + 2 : 0);
    if (room > 0)
        ui_text(1, used + 2, sorted, room, UI_DIM, false);
    free(sorted);
    if (cw > 0)
        ui_text(1, cols - cw - 1, conf, cw, UI_ERROR, false);
    static const char *names[NCOLS] = {N_("Form"),  N_("Title"),     N_("Country"), N_("School"),
                                       N_("State"), N_("Last edit"), N_("Author")};
    int x[NCOLS], w[NCOLS];
    layout(cols, x, w);
    /* the column the list is sorted by: bold, marked in the gap before it */
    static const int sort_of[NCOLS] = {RECORDS_SORT_FORM,  RECORDS_SORT_TITLE, RECORDS_SORT_COUNTRY, -1,
                                       RECORDS_SORT_STATE, RECORDS_SORT_EDIT,  RECORDS_SORT_AUTHOR};
    for (int k = 0; k < NCOLS; k++) {
        bool by = sort_of[k] == (int)h->records.sort;
        if (by)
            ui_text(2, x[k] - 1, "\u25be", 1, UI_TITLE, false);
        ui_text(2, x[k], _(names[k]), w[k] - 1, by ? UI_TITLE : UI_DIM, false);
    }

    int y0 = 3, cursor_y = y0;
    if (h->records.error) {
        ui_text(y0, 2, h->records.error, cols - 2, UI_ERROR, false);
    } else if (h->records.n == 0 && records_filtered(&h->records)) {
        ui_text(y0, 2, _("(no record matches the filter: F4, then Esc clears it)"), cols - 2, UI_DIM,
                false);
    } else if (h->records.n == 0) {
        ui_text(y0, 2, _("(no records yet: n starts one)"), cols - 2, UI_DIM, false);
    } else {
        for (size_t i = h->list.top; i < h->records.n && list_visible(&h->list, i); i++) {
            int y = y0 + (int)(i - h->list.top);
            bool sel = i == h->list.selected;
            draw_record(ui, h, i, y, cols, sel);
            if (sel)
                cursor_y = y;
        }
    }
    if (h->message) { /* above a prompt, which takes the message row */
        ui_text(rows - 2 - (int)forms_shown(ui) - HOME_ASKING(h), 1,
                h->message, cols - 2,
                h->message_error ? UI_ERROR : UI_NORMAL, false);
    } else if (h->mode == HOME_LIST) { /* the record's history: why it was reopened */
        char *line = records_history_line(&h->records, h->list.selected);
        if (line)
            ui_text(rows - 2 - (int)forms_shown(ui), 1, line, cols - 2, UI_DIM, false);
        free(line);
    }
    move(cursor_y, 2);
    if (h->mode == HOME_CONFIRM_FINALIZE) /* what it means, where the forms are */
        draw_finalize_meaning(rows - 1 - (int)forms_shown(ui), (int)forms_shown(ui) + 1, cols);
    else
        draw_forms(ui, h, rows - 1 - (int)forms_shown(ui), cols);
    if (HOME_ASKING(h) || h->mode == HOME_REASON)
        draw_prompt(h, rows - 2 - (int)forms_shown(ui), cols);
    else if (h->mode == HOME_FILTER)
        draw_filter(h, rows - 2 - (int)forms_shown(ui), cols);
    else if (h->mode == HOME_LIST)
        move(cursor_y, 2);
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
    records_clear(&h->records);
    textedit_free(&h->reason);
    textedit_free(&h->filter);
    home_resume_clear(h);
    free(h->message);
    free(h);
}

static const enum action *home_mode_actions(void *state)
{
    struct home *h = state;
    switch (h->mode) {
    case HOME_CHOOSE_FORM:
        return choose_actions;
    case HOME_CONFIRM_DELETE:
    case HOME_CONFIRM_FINALIZE:
        return yesno_actions;
    case HOME_REASON:
        return prompt_actions;
    case HOME_FILTER:
        return filter_actions;
    default:
        if (h->readonly)
            return h->records.conflicts > 0 ? home_ro_conflict_actions : home_ro_actions;
        return h->records.conflicts > 0 ? home_conflict_actions : home_actions;
    }
}

static const enum action *home_widget_actions(void *state)
{
    const struct home *h = state;
    return h->mode == HOME_REASON || h->mode == HOME_FILTER ? text_keys_line : NULL;
}

static const enum action *const home_action_sets[] = {
    home_actions, home_conflict_actions, home_ro_actions, home_ro_conflict_actions,
    choose_actions, yesno_actions, prompt_actions, filter_actions, NULL,
};

const struct screen_ops home_screen_ops = {
    .name = "home",
    .open = home_open,
    .draw = home_draw,
    .key = home_key,
    .resize = home_resize,
    .close = home_close,
    .resume = home_resume,
    .idle = home_idle,
    .actions = home_actions,
    .mode_actions = home_mode_actions,
    .widget_actions = home_widget_actions,
    .action_sets = home_action_sets,
};
