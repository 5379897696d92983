/* ui/screens/question_grid.c: the imas-grid page of the questionnaire (SPEC 5.3):
 * a matrix of rows (dimensions) by columns (status quo, target state,
 * gap, recommendation, level, evidence) with sticky headers, a cell
 * editor that wraps, choice lists, and digits for rating cells. */
#include "config.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/question_int.h"
#include "ui/widgets/choice.h"
#include "ui/widgets/fit.h"
#include "ui/widgets/wrap.h"
#include "ui/widgets/yesno.h"

#include <stdlib.h>
#include <string.h>

#define ROW_HEADER 24
#define ROW_LINES 2
/* Column headings take two rows: "Ebene der / Empfehlung" in German,
 * "Ниво на / препоръката" in Bulgarian, broken between words. */
#define HEADER_LINES 2
/* Rows that are not the grid's: the title, the page heading, the column
 * headings and the message row. */
#define GRID_CHROME (3 + HEADER_LINES)
#define PREVIEW_LINES 4
#define EDITOR_LINES 8

const enum action grid_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_EDIT_CELL, ACTION_CLEAR_CELL, ACTION_NEXT_PAGE,
    ACTION_PREV_PAGE, ACTION_JUMP,      ACTION_Q_FINALIZE, ACTION_HOME_BACK, ACTION_ARROW_UP,
    ACTION_ARROW_DOWN, ACTION_LEFT,     ACTION_RIGHT,     ACTION_GRID_NEXT_CELL, ACTION_SET_RATING,
    ACTION_LANGUAGE,  ACTION_REDRAW,    ACTION_GRID_ROW_COUNT, ACTION_NONE,
};

/* The grid of a read-only record: Enter, Del and 0-9 say why not. */
const enum action ro_grid_actions[] = {
    ACTION_HELP,       ACTION_QUIT_F10,   ACTION_RO_EDIT_CELL, ACTION_RO_CLEAR_CELL, ACTION_NEXT_PAGE,
    ACTION_PREV_PAGE,  ACTION_JUMP,       ACTION_RO_Q_FINALIZE, ACTION_HOME_BACK, ACTION_ARROW_UP,
    ACTION_ARROW_DOWN, ACTION_LEFT,       ACTION_RIGHT,     ACTION_GRID_NEXT_CELL, ACTION_SET_RATING,
    ACTION_LANGUAGE,   ACTION_REDRAW,     ACTION_GRID_ROW_COUNT, ACTION_NONE,
};

/* A text cell's editor: these, then the text field's keys. */
const enum action grid_cell_actions[] = {
    ACTION_HELP,   ACTION_QUIT_F10, ACTION_EDIT_DONE, ACTION_EDIT_NEXT, ACTION_EDIT_DISCARD,
    ACTION_REDRAW, ACTION_NONE,
};

/* A choice cell's list. */
const enum action grid_choice_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_GRID_CHOICE_PICK, ACTION_GRID_CHOICE_CLOSE,
    ACTION_CHOOSE, ACTION_SET_RATING, ACTION_UP, ACTION_DOWN, ACTION_REDRAW, ACTION_NONE,
};

static const struct session_page *grid_page(const struct qscreen *q)
{
    return session_page(q->s, q->page);
}

static const struct session_field *cell(const struct qscreen *q, size_t r, size_t c)
{
    const struct session_page *p = grid_page(q);
    return &p->fields[r * p->ncols + c];
}

static bool is_choice(const struct form_node *n)
{
    return n && (n->kind == FORM_SELECT1 || n->kind == FORM_SELECT);
}

void grid_leave(struct qscreen *q)
{
    for (size_t c = 0; c < MATRIX_MAX_COLS; c++) {
        form_options_free(&q->col_opts[c], q->col_nopts[c]);
        q->col_nopts[c] = 0;
    }
}

/* Rows of the open cell editor (its label, then the text or the list):
 * what the grid's rows leave below them, at least EDITOR_LINES, so on a
 * tall terminal every row of the grid stays in sight while a cell is
 * edited. */
static int editor_lines(const struct qscreen *q)
{
    const struct session_page *p = grid_page(q);
    int spare = q->rows - GRID_CHROME - (int)(p ? p->nrows : 0) * ROW_LINES;
    return spare > EDITOR_LINES ? spare : EDITOR_LINES;
}

/* The grid's rows get what the preview (or the open editor) leaves. */
static void set_view(struct qscreen *q)
{
    int body = q->rows - GRID_CHROME - (q->cell_open ? editor_lines(q) : PREVIEW_LINES);
    matrix_set_view(&q->m, body > ROW_LINES ? (size_t)body : ROW_LINES,
                    (size_t)(q->cols > ROW_HEADER + 10 ? q->cols - ROW_HEADER : 10), ROW_LINES);
}

static void sync_field(struct qscreen *q)
{
    q->field = q->m.row * q->m.ncols + q->m.col;
    q->text = false;
    form_options_free(&q->opts, q->nopts);
    q->nopts = 0;
}

void grid_enter(struct qscreen *q)
{
    const struct session_page *p = grid_page(q);
    grid_leave(q);
    matrix_init(&q->m, p->nrows, p->ncols, 22);
    for (size_t c = 0; c < p->ncols && c < MATRIX_MAX_COLS; c++) {
        const struct session_field *f = cell(q, 0, c);
        if (is_choice(f->node)) {
            q->col_nopts[c] = form_record_options(session_record(q->s), f->node, f->item,
                                                  session_lang(q->s), &q->col_opts[c]);
            q->m.widths[c] = c > 0 && strstr(f->node->name, "gap") ? 9 : 13;
        }
    }
    set_view(q);
    size_t f = q->field < p->nfields ? q->field : 0;
    matrix_goto(&q->m, p->ncols ? f / p->ncols : 0, p->ncols ? f % p->ncols : 0);
    sync_field(q);
}

void grid_resize(struct qscreen *q, int rows, int cols)
{
    const struct session_page *p = grid_page(q);
    q->rows = rows;
    q->cols = cols;
    if (p && p->kind == SESSION_PAGE_GRID)
        set_view(q);
}

/* The text a cell shows: a choice's label, else the answer. */
static const char *cell_text(const struct qscreen *q, size_t r, size_t c)
{
    const struct session_field *f = cell(q, r, c);
    if (!f->node)
        return "";
    const char *v = session_get(q->s, f->node, f->item);
    if (is_choice(f->node))
        for (size_t i = 0; i < q->col_nopts[c]; i++)
            if (strcmp(q->col_opts[c][i].value, v) == 0)
                return q->col_opts[c][i].label;
    return v;
}

/* Text wrapped into `lines` rows of `width` columns, every row filled. */
static void draw_wrapped(int y, int x, const char *text, size_t width, size_t lines,
                         enum ui_attr a)
{
    /* a cell or row label cut short ends in "…", so nobody takes the
     * visible part for the whole answer */
    struct wrap_view v = {.y = y, .x = x, .width = width, .rows = lines, .attr = a,
                          .pad = true, .ellipsis = true};
    wrap_draw(&v, text);
}

/* A heading (a column's, a dimension's) in `lines` rows of `width`
 * columns, every row filled: broken at spaces and hyphens, inside a word
 * only when it is wider than the column (fit_words). */
static void draw_words(int y, int x, const char *text, size_t width, size_t lines,
                       enum ui_attr a)
{
    char *out[HEADER_LINES > ROW_LINES ? HEADER_LINES : ROW_LINES];
    if (lines > sizeof out / sizeof out[0])
        lines = sizeof out / sizeof out[0];
    size_t n = fit_words(text, width, lines, out);
    for (size_t k = 0; k < lines; k++)
        ui_text(y + (int)k, x, k < n ? out[k] : "", (int)width, a, true);
    for (size_t k = 0; k < n; k++)
        free(out[k]);
}

static void draw_header(struct qscreen *q, int y)
{
    const struct session_page *p = grid_page(q);
    draw_words(y, 0, _("Dimension"), ROW_HEADER - 1, HEADER_LINES, UI_TITLE);
    size_t vis = matrix_visible_cols(&q->m);
    for (size_t c = q->m.left; c < q->m.left + vis && c < p->ncols; c++) {
        size_t x;
        if (!matrix_col_x(&q->m, c, &x))
            continue;
        const struct session_field *f = cell(q, 0, c);
        char *label = f->node ? form_record_text(session_record(q->s), &f->node->label, f->node,
                                                 f->item, session_lang(q->s))
                              : xstrdup("");
        draw_words(y, ROW_HEADER + (int)x, label, q->m.widths[c] > 1 ? q->m.widths[c] - 1 : 1,
                   HEADER_LINES, UI_TITLE);
        free(label);
    }
    if (q->m.left > 0)
        ui_text(y, ROW_HEADER - 1, "<", 1, UI_TITLE, false);
    if (q->m.left + vis < p->ncols)
        ui_text(y, q->cols - 1, ">", 1, UI_TITLE, false);
}

static void draw_row(struct qscreen *q, size_t r, int y)
{
    const struct session_page *p = grid_page(q);
    size_t done = 0, asked = 0;
    for (size_t c = 0; c < p->ncols; c++) {
        enum session_qstate st = session_field_state(q->s, cell(q, r, c));
        if (st == SESSION_Q_IRRELEVANT || st == SESSION_Q_NOTE)
            continue;
        asked++;
        done += st == SESSION_Q_ANSWERED;
    }
    char *label = form_record_text(session_record(q->s), &p->rows[r]->label, p->rows[r], p->item,
                                   session_lang(q->s));
    char count[32];
    snprintf(count, sizeof count, "%zu/%zu", done, asked);
    bool cur = r == q->m.row;
    draw_words(y, 0, label, ROW_HEADER - 7, ROW_LINES, cur ? UI_TITLE : UI_NORMAL);
    ui_text(y, ROW_HEADER - 6, count, 5, done == asked ? UI_DIM : UI_ERROR, true);
    free(label);
    size_t vis = matrix_visible_cols(&q->m);
    for (size_t c = q->m.left; c < q->m.left + vis && c < p->ncols; c++) {
        size_t x;
        if (!matrix_col_x(&q->m, c, &x))
            continue;
        const struct session_field *f = cell(q, r, c);
        bool sel = cur && c == q->m.col;
        bool dflt = f->node && session_is_default(q->s, f->node,
                                                   session_get(q->s, f->node, f->item));
        enum ui_attr a = sel ? UI_SELECTED : dflt ? UI_DIM : UI_NORMAL;
        draw_wrapped(y, ROW_HEADER + (int)x, cell_text(q, r, c), q->m.widths[c] - 1, ROW_LINES,
                     a);
    }
}

/* Below the matrix: the current cell's question and its whole text. */
static void draw_preview(struct qscreen *q, int y, int cols)
{
    const struct session_page *p = grid_page(q);
    char *label = session_field_label(q->s, p, q->field);
    enum session_qstate st = session_field_state(q->s, cell(q, q->m.row, q->m.col));
    /* the state word whole, the label before it */
    int ww = (int)utf8_width(q_state_word(st));
    ui_fill_row(y, cols, UI_HINT);
    ui_text(y, 1, label, cols - ww - 4, UI_HINT, false);
    ui_text(y, cols - ww - 1, q_state_word(st), ww, UI_HINT, false);
    free(label);
    draw_wrapped(y + 1, 1, cell_text(q, q->m.row, q->m.col), (size_t)cols - 2,
                 PREVIEW_LINES - 1, UI_NORMAL);
}

static void draw_editor(struct qscreen *q, int y0, int rows, int cols)
{
    const struct session_page *p = grid_page(q);
    for (int y = y0; y < y0 + rows; y++) {
        move(y, 0);
        clrtoeol();
    }
    char *label = session_field_label(q->s, p, q->field);
    ui_fill_row(y0, cols, UI_TITLE);
    ui_text(y0, 1, label, cols - 2, UI_TITLE, false);
    free(label);
    int y = y0 + 1, h = rows - 1;
    if (!q->text) {
        const char *v = session_get(q->s, q_focused(q)->node, q_focused(q)->item);
        struct list_state l = q->choice;
        list_set_height(&l, (size_t)h);
        int cy = y;
        for (size_t i = l.top; i < q->nopts && list_visible(&l, i); i++) {
            bool sel = i == l.selected;
            char line[512];
            snprintf(line, sizeof line, "%s %zu  %s", strcmp(v, q->opts[i].value) == 0 ? "(*)" : "( )",
                     i + 1, q->opts[i].label);
            ui_text(y + (int)(i - l.top), 2, line, cols - 4, sel ? UI_SELECTED : UI_NORMAL, true);
            if (sel)
                cy = y + (int)(i - l.top);
        }
        move(cy, 3);
        return;
    }
    struct wrap_view v = {.y = y, .x = 2, .width = (size_t)cols - 4,
                          .rows = h > 0 ? (size_t)h : 1, .attr = UI_NORMAL, .pad = true};
    wrap_draw_edit(&v, &q->edit);
}

void grid_draw(struct qscreen *q, int y0, int rows, int cols)
{
    const struct session_page *p = grid_page(q);
    char *title = session_page_label(q->s, q->page);
    q_draw_heading(q, y0, cols, title);
    free(title);
    draw_header(q, y0 + 1);
    int body = y0 + 1 + HEADER_LINES;
    size_t vr = matrix_visible_rows(&q->m);
    for (size_t r = q->m.top; r < q->m.top + vr && r < p->nrows; r++)
        draw_row(q, r, body + (int)((r - q->m.top) * ROW_LINES));
    int preview = y0 + rows - PREVIEW_LINES;
    if (q->cell_open) {
        /* the editor takes the bottom rows; the grid above keeps the rows
         * set_view gave it, the current one among them */
        int h = editor_lines(q);
        int top = y0 + rows - h > body ? y0 + rows - h : body;
        draw_editor(q, top, y0 + rows - top, cols);
        return;
    }
    draw_preview(q, preview, cols);
    size_t x = 0;
    matrix_col_x(&q->m, q->m.col, &x);
    move(body + (int)((q->m.row - q->m.top) * ROW_LINES), ROW_HEADER + (int)x);
}

static void open_cell(struct qscreen *q, int first_key)
{
    const struct session_field *f = q_focused(q);
    if (!f || !f->node || session_field_state(q->s, f) == SESSION_Q_IRRELEVANT)
        return;
    if (session_readonly_reason(q->s)) {
        q_set_message(q, session_readonly_reason(q->s), true);
        return;
    }
    q_load_focus(q);
    if (!q->text && !q->nopts)
        return;
    q->edit.multiline = true;
    q->cell_open = true;
    set_view(q);
    if (first_key)
        q_text_key(q, first_key, (size_t)q->cols - 4);
}

static void close_cell(struct qscreen *q, bool save)
{
    if (save && !q_commit(q))
        return; /* stays open, with the form's message */
    q->cell_open = false;
    set_view(q);
    sync_field(q);
}

static enum key_result cell_key(struct qscreen *q, int key, enum action a)
{
    if (!q->text) {
        if (a == ACTION_UP || a == ACTION_DOWN)
            list_move(&q->choice, a == ACTION_UP ? -1 : 1);
        else if (a == ACTION_GRID_CHOICE_PICK || a == ACTION_CHOOSE) {
            q_choose(q, q->choice.selected);
            close_cell(q, false);
        } else if (a == ACTION_SET_RATING) {
            const char **values = xcalloc(q->nopts ? q->nopts : 1, sizeof *values);
            for (size_t i = 0; i < q->nopts; i++)
                values[i] = q->opts[i].value;
            size_t i = choice_for_digit(key - '0', values, q->nopts);
            free(values);
            if (i < q->nopts) {
                q_choose(q, i);
                close_cell(q, false);
            }
        } else if (a == ACTION_GRID_CHOICE_CLOSE)
            close_cell(q, false);
        else if (a == ACTION_QUIT_F10 || a == ACTION_HELP || a == ACTION_REDRAW)
            return KEY_UNHANDLED; /* F1 and Ctrl-L work here too */
        return KEY_HANDLED;
    }
    if (a == ACTION_QUIT_F10 || a == ACTION_HELP || a == ACTION_REDRAW)
        return KEY_UNHANDLED; /* question_key saves what is valid; F1, Ctrl-L */
    if (a == ACTION_EDIT_DONE) {
        close_cell(q, true);
        return KEY_HANDLED;
    }
    if (a == ACTION_EDIT_DISCARD) {
        close_cell(q, false);
        q_draft_forget(q);
        q_set_message(q, _("The edit was discarded: the cell keeps its saved text."), false);
        return KEY_HANDLED;
    }
    if (a == ACTION_EDIT_NEXT) {
        close_cell(q, true);
        if (!q->cell_open && matrix_move(&q->m, 0, 1))
            sync_field(q);
        return KEY_HANDLED;
    }
    q_text_key(q, key, (size_t)q->cols - 4);
    return KEY_HANDLED;
}

static void set_digit(struct qscreen *q, int digit)
{
    const struct session_field *f = q_focused(q);
    size_t c = q->m.col;
    if (!f || !is_choice(f->node) || !q->col_nopts[c])
        return;
    const char **values = xcalloc(q->col_nopts[c], sizeof *values);
    for (size_t i = 0; i < q->col_nopts[c]; i++)
        values[i] = q->col_opts[c][i].value;
    size_t i = choice_for_digit(digit, values, q->col_nopts[c]);
    if (i < q->col_nopts[c]) {
        char *msg = NULL;
        enum session_set_result r = session_set(q->s, f->node, f->item, values[i], &msg);
        q_set_message(q, r == SESSION_SET_OK ? NULL : msg, r != SESSION_SET_OK);
        free(msg);
    }
    free(values);
}

enum key_result grid_key(struct qscreen *q, int key, enum action a)
{
    if (q->cell_open)
        return cell_key(q, key, a);
    const struct session_field *f = q_focused(q);
    if (key > ' ' && key < UI_KEYCODE_BASE && key != 127 && f && q_is_text(f->node)) {
        open_cell(q, key); /* typing on a text cell starts editing it */
        return KEY_HANDLED;
    }
    long dr = 0, dc = 0;
    switch (a) { /* the arrows only: a letter typed on the grid never moves */
    case ACTION_ARROW_UP:
        dr = -1;
        break;
    case ACTION_ARROW_DOWN:
        dr = 1;
        break;
    case ACTION_LEFT:
        dc = -1;
        break;
    case ACTION_RIGHT:
    case ACTION_GRID_NEXT_CELL:
        dc = 1;
        break;
    case ACTION_EDIT_CELL:
        open_cell(q, 0);
        return KEY_HANDLED;
    case ACTION_CLEAR_CELL:
        if (!f || !f->node || !*session_get(q->s, f->node, f->item))
            q_set_message(q, _("The cell is already empty."), false);
        else if (session_readonly_reason(q->s))
            q_set_message(q, session_readonly_reason(q->s), true);
        else
            q->overlay = Q_OVERLAY_CLEAR_CELL;
        return KEY_HANDLED;
    case ACTION_SET_RATING:
        if (!f || !is_choice(f->node))
            return KEY_UNHANDLED;
        set_digit(q, key - '0');
        return KEY_HANDLED;
    default:
        return KEY_UNHANDLED;
    }
    if (matrix_move(&q->m, dr, dc)) {
        sync_field(q);
        q_set_message(q, NULL, false);
    }
    return KEY_HANDLED;
}

void grid_clear_answer(struct qscreen *q, bool yes)
{
    const struct session_field *f = q_focused(q);
    if (!yes || !f || !f->node) {
        q_set_message(q, _("Nothing was cleared."), false);
        return;
    }
    char *msg = NULL;
    if (session_set(q->s, f->node, f->item, "", &msg) != SESSION_SET_OK)
        q_set_message(q, msg, true);
    else
        q_set_message(q, _("The cell was cleared (its earlier text stays in the history)."),
                      false);
    free(msg);
}

void grid_open_with(struct qscreen *q, const char *text)
{
    sync_field(q);
    open_cell(q, 0);
    if (!q->cell_open || !q->text)
        return;
    textedit_set(&q->edit, text);
    while (q->edit.cursor < q->edit.len)
        textedit_right(&q->edit), textedit_end(&q->edit);
}
