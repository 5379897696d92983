/* ui/screens/question.c: the questionnaire: one question, one field-list
 * group or the dimension grid per page. The screen itself (opening,
 * drawing, resuming, closing) and its focus: loading the focused question,
 * saving each answer as the user leaves it, going to a page. What the keys
 * do is in question_keys.c. */
#include "config.h"

#include "ui/screens/question.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/question_int.h"
#include "ui/widgets/choice.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/yesno.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const enum action field_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_NEXT_PAGE, ACTION_PREV_PAGE, ACTION_JUMP,
    ACTION_LANGUAGE,  ACTION_Q_FINALIZE, ACTION_HOME_BACK, ACTION_NEXT_FIELD, ACTION_PREV_FIELD,
    ACTION_ENTER,     ACTION_TOGGLE,    ACTION_UP,        ACTION_DOWN,      ACTION_ADD_ITEM,
    ACTION_DEL_ITEM,  ACTION_REDRAW,    ACTION_NONE,
};

/* A counted list's page (a repeat with jr:count): an earlier answer sets
 * its number of entries, so F5 does not add one (F1 and the message say why). */
static const enum action counted_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_NEXT_PAGE, ACTION_PREV_PAGE, ACTION_JUMP,
    ACTION_LANGUAGE,  ACTION_Q_FINALIZE, ACTION_HOME_BACK, ACTION_NEXT_FIELD, ACTION_PREV_FIELD,
    ACTION_UP,        ACTION_DOWN,      ACTION_COUNTED_ITEM, ACTION_DEL_ITEM, ACTION_REDRAW,
    ACTION_NONE,
};

/* A notes log's page (a repeat marked imas-log): F5 opens the capture
 * screen, where its notes are taken, not a new entry here. */
static const enum action log_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_OPEN_LOG,  ACTION_NEXT_PAGE, ACTION_PREV_PAGE,
    ACTION_JUMP,      ACTION_LANGUAGE,  ACTION_Q_FINALIZE, ACTION_HOME_BACK, ACTION_NEXT_FIELD,
    ACTION_PREV_FIELD, ACTION_REDRAW,   ACTION_NONE,
};

/* A read-only record's page (finalized, or the file read-only): moving
 * as on any page; F9, F5 and F8 say why not, and the hint bar offers
 * none of them (nor Enter, which only moves on). */
static const enum action ro_field_actions[] = {
    ACTION_HELP,       ACTION_QUIT_F10,   ACTION_NEXT_PAGE,   ACTION_PREV_PAGE, ACTION_JUMP,
    ACTION_LANGUAGE,   ACTION_RO_Q_FINALIZE, ACTION_HOME_BACK, ACTION_NEXT_FIELD, ACTION_PREV_FIELD,
    ACTION_ENTER,      ACTION_UP,         ACTION_DOWN,        ACTION_RO_ADD_ITEM,
    ACTION_RO_DEL_ITEM, ACTION_REDRAW,    ACTION_NONE,
};

static const enum action overlay_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_GO_TO, ACTION_BACK, ACTION_UP, ACTION_DOWN,
    ACTION_PAGE_UP, ACTION_PAGE_DOWN, ACTION_NONE,
};

const struct session_field *q_focused(const struct qscreen *q)
{
    const struct session_page *p = session_page(q->s, q->page);
    return p && q->field < p->nfields ? &p->fields[q->field] : NULL;
}

bool q_is_text(const struct form_node *n)
{
    return n && (n->kind == FORM_INPUT || n->kind == FORM_RANGE || n->kind == FORM_RANK);
}

void q_set_message(struct qscreen *q, const char *msg, bool error)
{
    free(q->message);
    q->message = msg ? xstrdup(msg) : NULL;
    q->message_error = error;
}

bool q_focusable(const struct qscreen *q, const struct session_field *f)
{
    enum session_qstate st = session_field_state(q->s, f);
    return st != SESSION_Q_IRRELEVANT && st != SESSION_Q_NOTE;
}

void q_load_focus(struct qscreen *q)
{
    form_options_free(&q->opts, q->nopts);
    q->nopts = 0;
    q->text = false;
    q->upload = false;
    path_completion_free(&q->comp);
    const struct session_field *f = q_focused(q);
    if (!f || !f->node || !q_focusable(q, f))
        return;
    if (f->node->kind == FORM_UPLOAD) {
        upload_focus(q);
        return;
    }
    const char *v = session_get(q->s, f->node, f->item);
    if (q_is_text(f->node)) {
        q->text = true;
        bool multi = f->node->appearance && strstr(f->node->appearance, "multiline");
        textedit_set(&q->edit, v);
        q->edit.multiline = multi;
        textedit_end(&q->edit);
        while (multi && q->edit.cursor < q->edit.len) /* to the very end */
            textedit_right(&q->edit), textedit_end(&q->edit);
        return;
    }
    if (f->node->kind == FORM_TRIGGER) {
        q->opts = xcalloc(1, sizeof *q->opts);
        q->opts[0] = (struct form_option){xstrdup("OK"), xstrdup(_("OK, noted"))};
        q->nopts = 1;
    } else {
        q->nopts = form_record_options(session_record(q->s), f->node, f->item,
                                       session_lang(q->s), &q->opts);
    }
    list_init(&q->choice, q->nopts, q->nopts ? q->nopts : 1);
    for (size_t i = 0; i < q->nopts; i++)
        if (choice_has(v, q->opts[i].value, f->node->kind == FORM_SELECT)) {
            q->choice.selected = i;
            break;
        }
}

bool q_commit(struct qscreen *q)
{
    if (q->upload)
        return upload_commit(q);
    const struct session_field *f = q_focused(q);
    if (!q->text || !f || !f->node)
        return true;
    if (strcmp(q->edit.text, session_get(q->s, f->node, f->item)) == 0) {
        q_draft_forget(q);
        return true;
    }
    char *msg = NULL;
    enum session_set_result r = session_set(q->s, f->node, f->item, q->edit.text, &msg);
    if (r == SESSION_SET_OK) {
        q_set_message(q, NULL, false);
        q_draft_forget(q);
    } else {
        q_set_message(q, msg, true);
    }
    free(msg);
    return r == SESSION_SET_OK;
}

void q_choose(struct qscreen *q, size_t i)
{
    const struct session_field *f = q_focused(q);
    if (!f || !f->node || i >= q->nopts)
        return;
    bool multi = f->node->kind == FORM_SELECT;
    const char **values = xcalloc(q->nopts, sizeof *values);
    for (size_t k = 0; k < q->nopts; k++)
        values[k] = q->opts[k].value;
    char *v = choice_toggle(session_get(q->s, f->node, f->item), q->opts[i].value, multi,
                            values, q->nopts);
    free(values);
    char *msg = NULL;
    enum session_set_result r = session_set(q->s, f->node, f->item, v, &msg);
    q_set_message(q, r == SESSION_SET_OK ? NULL : msg, r != SESSION_SET_OK);
    free(msg);
    free(v);
}

/* ---- the draft: the text being typed survives a crash ----------------------- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void q_draft_touch(struct qscreen *q)
{
    q->draft_dirty = true;
    q->draft_at = now_ms();
    timeout(Q_DRAFT_MS); /* the loop redraws when no key follows */
}

void q_draft_forget(struct qscreen *q)
{
    q->draft_dirty = false;
    if (q->draft_kept)
        session_draft_clear(q->s, NULL);
    q->draft_kept = false;
}

/* On each draw: once typing has stopped for Q_DRAFT_MS, keep the text
 * being typed as the draft (or forget it when it is the saved answer). */
static void draft_tick(struct qscreen *q)
{
    if (!q->draft_dirty)
        return;
    if (now_ms() - q->draft_at < Q_DRAFT_MS - 50) {
        timeout(Q_DRAFT_MS);
        return;
    }
    q->draft_dirty = false;
    timeout(Q_TICK_MS);
    const struct session_field *f = q_focused(q);
    if (!q->text || !f || !f->node)
        return;
    if (strcmp(q->edit.text, session_get(q->s, f->node, f->item)) == 0) {
        q_draft_forget(q);
        return;
    }
    if (session_draft_save(q->s, f->node->path, f->item, q->edit.text, NULL))
        q->draft_kept = true;
}

/* Opening the record: a draft left by a crash is put back in its field,
 * not saved until the user leaves the field (Tab, Esc) as usual. */
static void draft_restore(struct qscreen *q)
{
    char *path, *item, *text;
    size_t page, field;
    if (!session_draft_take(q->s, &path, &item, &text, NULL) || !text)
        return;
    q->draft_kept = true;
    if (session_editable(q->s) && session_find(q->s, path, item, &page, &field) &&
        session_page_relevant(q->s, page)) {
        q_goto_page(q, page, field);
        const struct session_page *p = session_page(q->s, page);
        if (p->kind == SESSION_PAGE_GRID && q->m.ncols) {
            matrix_goto(&q->m, field / q->m.ncols, field % q->m.ncols);
            grid_open_with(q, text);
        } else if (q->text && q->field == field) {
            textedit_set(&q->edit, text);
            while (q->edit.cursor < q->edit.len)
                textedit_right(&q->edit), textedit_end(&q->edit);
        }
        if (q->text)
            q_set_message(
                q, _("Unsaved text from the last run is back: leaving the field saves it."),
                false);
    }
    free(path);
    free(item);
    free(text);
}

/* Where the user is: the focused question, else the page. */
void q_focus_path(const struct qscreen *q, const char **path, const char **item)
{
    const struct session_field *f = q_focused(q);
    const struct session_page *p = session_page(q->s, q->page);
    *path = f && f->node ? f->node->path : p ? p->node->path : "";
    *item = f && f->node ? f->item : p ? p->item : "";
}

static void save_position(struct qscreen *q)
{
    const char *path, *item;
    q_focus_path(q, &path, &item);
    if (!session_save_position(q->s, path, item, NULL))
        return;
    free(q->pos_path);
    free(q->pos_item);
    q->pos_path = xstrdup(path);
    q->pos_item = xstrdup(item);
    q->pos_at = now_ms();
}

/* After a key, and while idle: keep where the user is in the file as they
 * move between questions and grid cells, so a kill -9 loses no more than
 * the last Q_POSITION_MS of moving. Only when it changed (one meta row,
 * never per key typed), and at most every Q_POSITION_MS while keys come
 * quickly: the idle tick (now) saves the last one. */
static void position_tick(struct qscreen *q, bool now)
{
    const char *path, *item;
    q_focus_path(q, &path, &item);
    if (q->pos_path && strcmp(q->pos_path, path) == 0 && strcmp(q->pos_item, item) == 0)
        return;
    if (!now && now_ms() - q->pos_at < Q_POSITION_MS)
        return;
    save_position(q);
}

/* The first question that can take input from field on, else field. */
static size_t first_focusable(struct qscreen *q, size_t field)
{
    const struct session_page *p = session_page(q->s, q->page);
    for (size_t k = field; p && p->kind != SESSION_PAGE_GRID && k < p->nfields; k++)
        if (q_focusable(q, &p->fields[k]))
            return k;
    return field;
}

void q_goto_page(struct qscreen *q, size_t page, size_t field)
{
    grid_leave(q);
    q->page = page;
    q->field = field;
    q->top_field = 0;
    q->cell_open = false;
    const struct session_page *p = session_page(q->s, page);
    if (p && p->kind == SESSION_PAGE_GRID) {
        grid_enter(q);
    } else {
        q->field = first_focusable(q, field);
        q_load_focus(q);
    }
    save_position(q);
}

/* ---- the screen ---------------------------------------------------------- */

static void *question_open(struct ui *ui, void *arg)
{
    struct question_args *args = arg;
    struct error err = ERROR_INIT;
    struct session *s = args->form ? session_create(ui->store, args->form, ui->lang, &err)
                                   : session_open(ui->store, ui->catalog, args->record,
                                                  ui->lang, &err);
    if (!s) {
        args->error = error_format_brief(&err);
        error_clear(&err);
        return NULL;
    }
    snprintf(args->uuid, sizeof args->uuid, "%s", session_uuid(s));
    struct qscreen *q = xcalloc(1, sizeof *q);
    q->ui = ui;
    q->s = s;
    getmaxyx(stdscr, q->rows, q->cols);
    q->rows--;
    textedit_init(&q->edit, "", false);
    size_t page = session_page_step(s, SIZE_MAX, 1), field = 0;
    if (args->path && session_find(s, args->path, args->item, &page, &field) &&
        !session_page_relevant(s, page))
        page = session_page_step(s, SIZE_MAX, 1), field = 0;
    q_goto_page(q, page == SIZE_MAX ? 0 : page, field);
    if (page != SIZE_MAX && session_page(s, page)->kind == SESSION_PAGE_GRID && q->m.ncols)
        matrix_goto(&q->m, field / q->m.ncols, field % q->m.ncols);
    draft_restore(q);
    if (args->finalize)
        q_finalize(q);
    return q;
}

static void question_draw(struct ui *ui, void *state, int rows, int cols)
{
    struct qscreen *q = state;
    (void)ui;
    if (!q->draft_dirty)
        timeout(Q_TICK_MS); /* the idle tick: a merge, the position */
    draft_tick(q);
    q->rows = rows;
    q->cols = cols;
    q_draw_title(q, cols);
    q_draw_message(q, rows - 1, cols);
    /* the page last: it leaves the cursor on the active field */
    const struct session_page *p = session_page(q->s, q->page);
    if (p && p->kind == SESSION_PAGE_GRID)
        grid_draw(q, 1, rows - 2, cols);
    else /* a long message takes a second row from the page */
        q_draw_fields(q, 1, rows - 1 - q_message_rows(q, cols), cols);
    if (q->overlay != Q_OVERLAY_NONE)
        q_draw_overlay(q, rows, cols);
}

static void question_resize(struct ui *ui, void *state, int rows, int cols)
{
    struct qscreen *q = state;
    (void)ui;
    q->rows = rows;
    q->cols = cols;
    list_set_height(&q->entries_list, (size_t)(rows > 6 ? rows - 4 : 1));
    grid_resize(q, rows, cols);
}

/* Back from the capture screen: it saved notes and participants on its own
 * connection, so read the record again, staying on the same page. */
static void question_resume(struct ui *ui, void *state)
{
    struct qscreen *q = state;
    (void)ui;
    struct session *old = q_read_again(q);
    session_free(&old);
}

static enum key_result question_key_op(struct ui *ui, void *state, int key, enum action a)
{
    struct qscreen *q = state;
    q_refresh(q);
    enum key_result r = question_key(ui, state, key, a);
    if (r == KEY_HANDLED || r == KEY_UNHANDLED)
        position_tick(q, false);
    return r;
}

/* No key within Q_TICK_MS. */
static void question_idle(struct ui *ui, void *state)
{
    struct qscreen *q = state;
    (void)ui;
    q_refresh(q);
    position_tick(q, true);
}

static void question_close(void *state)
{
    struct qscreen *q = state;
    if (session_page(q->s, q->page))
        save_position(q);
    free(q->pos_path);
    free(q->pos_item);
    q_entries_free(q);
    grid_leave(q);
    form_options_free(&q->opts, q->nopts);
    path_completion_free(&q->comp);
    textedit_free(&q->edit);
    session_free(&q->s);
    free(q->message);
    free(q);
}

static const enum action *question_mode_actions(void *state)
{
    struct qscreen *q = state;
    if (q->overlay == Q_OVERLAY_DEL_ITEM || q->overlay == Q_OVERLAY_CLEAR_CELL ||
        q->overlay == Q_OVERLAY_FINALIZE || q->overlay == Q_OVERLAY_DETACH)
        return yesno_actions;
    if (q->overlay != Q_OVERLAY_NONE)
        return overlay_actions;
    const struct session_page *p = session_page(q->s, q->page);
    bool ro = session_readonly_reason(q->s) != NULL;
    if (p && p->kind == SESSION_PAGE_GRID)
        return !q->cell_open ? (ro ? ro_grid_actions : grid_actions)
               : q->text     ? grid_cell_actions
                             : grid_choice_actions;
    if (ro)
        return ro_field_actions;
    if (p && p->kind == SESSION_PAGE_REPEAT && (p->node->flags & FORM_LOG))
        return log_actions;
    if (p && p->kind == SESSION_PAGE_REPEAT && p->node->count)
        return counted_actions;
    return q->upload ? upload_actions : field_actions;
}

static const enum action *question_widget_actions(void *state)
{
    struct qscreen *q = state;
    const struct session_page *p = session_page(q->s, q->page);
    bool grid = p && p->kind == SESSION_PAGE_GRID;
    if (q->overlay == Q_OVERLAY_NONE && q->upload && !grid)
        return text_keys_line;
    if (q->overlay != Q_OVERLAY_NONE || !q->text || (grid && !q->cell_open))
        return NULL;
    return q->edit.multiline ? text_keys_lines : text_keys_line;
}

static const enum action *const question_action_sets[] = {
    field_actions, overlay_actions, yesno_actions, grid_actions, grid_cell_actions,
    grid_choice_actions, upload_actions, counted_actions, ro_field_actions, ro_grid_actions,
    NULL,
};

const struct screen_ops question_screen_ops = {
    .name = "question",
    .open = question_open,
    .draw = question_draw,
    .key = question_key_op,
    .resize = question_resize,
    .close = question_close,
    .resume = question_resume,
    .idle = question_idle,
    .actions = field_actions,
    .mode_actions = question_mode_actions,
    .widget_actions = question_widget_actions,
    .action_sets = question_action_sets,
};
