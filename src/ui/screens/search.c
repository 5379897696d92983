#include "config.h"

#include "ui/screens/search.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/capture.h"
#include "ui/screens/question.h"
#include "app/search.h"
#include "ui/widgets/list.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/wrap.h"
#include "ui/widgets/textedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Results listed at most; the count says when there are more. A
 * keystroke reads the first two screenfuls (search_first_page), moving
 * down reads the next page when the selection nears the last one read. */
#define SEARCH_MAX 500

struct sscreen {
    char *left; /* struct search_args, or NULL */
    struct textedit query;
    char *searched; /* the query the results are for */
    struct search_scope *scope; /* NULL when it could not be made (message) */
    struct search_results res;
    struct list_state list;
    char *message;
    int rows, cols;
};

static const enum action search_actions[] = {
    ACTION_HELP,     ACTION_QUIT_F10,  ACTION_SEARCH_OPEN, ACTION_BACK, ACTION_UP,
    ACTION_DOWN,     ACTION_PAGE_UP,   ACTION_SEARCH_PAGE_DOWN,   ACTION_REDRAW, ACTION_SEARCH_WORDS,
    ACTION_SEARCH_FOLD, ACTION_NONE,
};

static size_t list_rows(int rows)
{
    return rows > 6 ? (size_t)(rows - 5) / 2 : 1;
}

static void run(struct ui *ui, struct sscreen *s)
{
    search_results_free(&s->res);
    free(s->searched);
    s->searched = xstrdup(s->query.text);
    xfree(&s->message);
    struct error err = ERROR_INIT;
    if (!s->scope)
        s->scope = search_scope_new(ui->store, ui->catalog, &err);
    if (!s->scope ||
        !search_run(ui->store, ui->catalog, s->scope, ui->lang, s->query.text,
                    search_first_page(s->list.height), &s->res, &err)) {
        s->message = error_format(&err);
        error_clear(&err);
    }
    list_set_count(&s->list, s->res.n);
    list_first(&s->list);
}

/* Read more hits while fewer than upto are read (at most SEARCH_MAX). */
static void read_upto(struct ui *ui, struct sscreen *s, size_t upto)
{
    if (upto > SEARCH_MAX)
        upto = SEARCH_MAX;
    if (!s->scope || !s->res.more || s->res.n >= upto)
        return;
    struct error err = ERROR_INIT;
    if (!search_more(ui->store, s->scope, ui->lang, upto - s->res.n, &s->res, &err)) {
        free(s->message);
        s->message = error_format(&err);
        error_clear(&err);
    }
    list_set_count(&s->list, s->res.n);
}

/* Before moving down: while a screenful below the selection is not
 * read, read the next page (the same size as a keystroke's). */
static void read_ahead(struct ui *ui, struct sscreen *s)
{
    if (s->list.selected + 2 * s->list.height >= s->res.n)
        read_upto(ui, s, s->res.n + search_first_page(s->list.height));
}

static void *search_open(struct ui *ui, void *arg)
{
    const struct search_args *sa = arg;
    struct sscreen *s = xcalloc(1, sizeof *s);
    s->left = sa ? sa->left : NULL;
    textedit_init(&s->query, "", false);
    s->query.max_bytes = 400;
    getmaxyx(stdscr, s->rows, s->cols);
    s->rows--;
    list_init(&s->list, 0, list_rows(s->rows));
    run(ui, s);
    return s;
}

static void search_resume(struct ui *ui, void *state)
{
    struct sscreen *s = state;
    size_t keep = s->list.selected;
    search_scope_free(&s->scope);
    run(ui, s); /* a note may have been corrected or removed */
    read_upto(ui, s, keep + 1 + search_first_page(s->list.height));
    list_move(&s->list, (long)keep);
}

static void draw_hit(struct sscreen *s, const struct search_hit *h, int y, bool selected)
{
    char when[32];
    clock_format_local(h->when, when);
    char *head = h->note ? xasprintf("%s  %s · %s · %s", when, h->record_label,
                                     *h->where ? h->where : "-", h->topic)
                         : xasprintf("%s  %s · %s", when, h->record_label, h->where);
    ui_text(y, 1, head, s->cols - 2, selected ? UI_SELECTED : UI_NORMAL, true);
    free(head);
    /* the text on one line: its line breaks shown as spaces */
    char *text = xstrdup(h->text);
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    ui_text(y + 1, 4, text, s->cols - 5, h->note ? UI_NORMAL : UI_DIM, false);
    free(text);
}

static void search_draw(struct ui *ui, void *state, int rows, int cols)
{
    struct sscreen *s = state;
    (void)ui;
    s->rows = rows;
    s->cols = cols;
    ui_fill_row(0, cols, UI_TITLE);
    ui_text(0, 1, _("Search the notes and text answers of all records"), cols - 2, UI_TITLE, false);
    char *info; /* translations are any length: never a fixed buffer */
    if (!*s->query.text)
        /* TRANSLATORS: "zlob" is typed, "Żłobek" a Polish word it finds (F1 says more) */
        info = xstrdup(_("Each word finds words starting with it, typed plain: zlob finds Żłobek."));
    else
        info = search_count_text(&s->res, SEARCH_MAX);
    ui_text(2, 1, info, cols - 2, UI_DIM, false);
    free(info);
    int y = 3;
    for (size_t i = s->list.top; i < s->res.n && y + 1 < rows - 1; i++, y += 2)
        draw_hit(s, &s->res.hits[i], y, i == s->list.selected);
    if (s->message)
        ui_text(rows - 1, 1, s->message, cols - 2, UI_ERROR, false);
    /* the query last: the cursor stays in it */
    const char *label = _("Search: ");
    int lw = ui_text(1, 1, label, cols - 2, UI_NORMAL, false);
    struct wrap_view v = {.y = 1, .x = 1 + lw,
                          .width = (size_t)(cols - 2 - lw > 1 ? cols - 2 - lw : 1), .rows = 1,
                          .attr = UI_NORMAL};
    wrap_draw_line(&v, &s->query);
}

static void open_hit(struct ui *ui, struct sscreen *s)
{
    if (!s->res.n)
        return;
    const struct search_hit *h = &s->res.hits[s->list.selected];
    char *error = NULL;
    bool ok;
    if (h->note) {
        struct capture_args ca = {.record = h->record, .note = h->item};
        ok = ui_push(ui, &capture_screen_ops, &ca);
        error = ca.error;
    } else {
        struct question_args qa = {.record = h->record, .path = h->field, .item = h->item};
        ok = ui_push(ui, &question_screen_ops, &qa);
        error = qa.error;
    }
    if (!ok) {
        free(s->message);
        s->message = error ? error : xstrdup(_("cannot open the record"));
    } else {
        free(error);
        if (s->left)
            snprintf(s->left, UUID_STR_LEN, "%s", h->record);
    }
}

static bool query_key(struct sscreen *s, int key)
{
    return text_keys_edit(&s->query, key, 0, false);
}

static enum key_result search_key(struct ui *ui, void *state, int key, enum action a)
{
    struct sscreen *s = state;
    if (query_key(s, key)) {
        /* search as the user types: FTS5 answers in milliseconds */
        if (strcmp(s->searched, s->query.text) != 0)
            run(ui, s);
        return KEY_HANDLED;
    }
    if (a == ACTION_SEARCH_PAGE_DOWN) /* PgDn, telling F1 it reads more */
        a = ACTION_PAGE_DOWN;
    if (a == ACTION_DOWN || a == ACTION_PAGE_DOWN)
        read_ahead(ui, s);
    if (list_key(&s->list, a))
        return KEY_HANDLED;
    switch (a) {
    case ACTION_SEARCH_OPEN:
        open_hit(ui, s);
        return KEY_HANDLED;
    case ACTION_BACK:
        return KEY_LEAVE;
    default:
        return KEY_UNHANDLED;
    }
}

static void search_resize(struct ui *ui, void *state, int rows, int cols)
{
    struct sscreen *s = state;
    (void)ui;
    s->rows = rows;
    s->cols = cols;
    list_set_height(&s->list, list_rows(rows));
}

static void search_close(void *state)
{
    struct sscreen *s = state;
    search_results_free(&s->res);
    search_scope_free(&s->scope);
    textedit_free(&s->query);
    free(s->searched);
    free(s->message);
    free(s);
}

static const enum action *search_widget_actions(void *state)
{
    (void)state;
    return text_keys_line; /* the query always has the cursor */
}

static const enum action *const search_action_sets[] = {search_actions, NULL};

const struct screen_ops search_screen_ops = {
    .name = "search",
    .open = search_open,
    .draw = search_draw,
    .key = search_key,
    .resize = search_resize,
    .close = search_close,
    .resume = search_resume,
    .actions = search_actions,
    .widget_actions = search_widget_actions,
    .action_sets = search_action_sets,
};
