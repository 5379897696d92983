/* ui/screens/question_draw.c: drawing the questionnaire's field pages,
 * its title, message line and the jump and problems lists. Reads the
 * state; never changes it, except the scroll position of a long page. */
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

#define INDENT 4
/* At most this many rows of a question's label or hint, and of a choice
 * list's options (a longer list scrolls). */
#define LABEL_ROWS 4
#define CHOICE_ROWS 12

const char *q_state_word(enum session_qstate st)
{
    switch (st) {
    case SESSION_Q_ANSWERED:
        return _("answered");
    case SESSION_Q_MISSING:
        return _("required");
    case SESSION_Q_INVALID:
        return _("invalid");
    case SESSION_Q_IRRELEVANT:
        return _("not asked");
    default:
        return "";
    }
}

void q_draw_title(struct qscreen *q, int cols)
{
    size_t answered, asked;
    session_progress(q->s, &answered, &asked);
    char right[128];
    /* TRANSLATORS: page N of M, then questions answered of those asked */
    snprintf(right, sizeof right, _("page %zu/%zu  %zu/%zu answered%s"), q->page + 1,
             session_page_count(q->s), answered, asked,
             session_finalized(q->s) ? _("  [finalized]") : "");
    ui_fill_row(0, cols, UI_TITLE);
    int w = (int)utf8_width(right);
    ui_text(0, 1, form_title(session_form(q->s)), cols - w - 3, UI_TITLE, false);
    ui_text(0, cols - w - 1 > 0 ? cols - w - 1 : 0, right, w, UI_TITLE, false);
}

int q_message_rows(struct qscreen *q, int cols)
{
    const struct session_page *p = session_page(q->s, q->page);
    if (!q->message || (p && p->kind == SESSION_PAGE_GRID))
        return 1; /* the grid's rows are laid out once for its size */
    return fit_rows(q->message, cols > 4 ? (size_t)cols - 2 : 2) > 1 ? 2 : 1;
}

void q_draw_message(struct qscreen *q, int y, int cols)
{
    int n = q_message_rows(q, cols);
    for (int k = 0; k < n; k++) {
        move(y - k, 0);
        clrtoeol();
    }
    if (!q->message)
        return;
    struct wrap_view v = {.y = y - n + 1, .x = 1, .width = cols > 4 ? (size_t)cols - 2 : 2,
                          .rows = (size_t)n, .attr = q->message_error ? UI_ERROR : UI_NORMAL,
                          .ellipsis = true};
    wrap_draw(&v, q->message);
}

void q_draw_heading(struct qscreen *q, int y, int cols, const char *title)
{
    const char *mark = session_finalized(q->s) ? _("[finalized: read-only]")
                       : session_editable(q->s) ? ""
                                                : _("[read-only]");
    int w = (int)utf8_width(mark);
    int x = cols - w - 1 > 1 ? cols - w - 1 : 1;
    ui_text(y, 1, title, *mark ? x - 2 : cols - 2, UI_TITLE, false);
    if (*mark)
        ui_text(y, x, mark, cols - x, UI_ERROR, false);
}

static size_t text_width(const struct qscreen *q)
{
    return (size_t)(q->cols > INDENT + 2 ? q->cols - INDENT - 2 : 2);
}

/* Columns of a choice's label, after its mark. */
static size_t choice_width(const struct qscreen *q)
{
    return q->cols > INDENT + 7 ? (size_t)(q->cols - INDENT - 5) : 2;
}

static bool is_focused(const struct qscreen *q, size_t k)
{
    return k == q->field;
}

/* Lines of the widget of field k. */
static size_t widget_height(struct qscreen *q, const struct session_field *f, size_t k)
{
    if (f->node->kind == FORM_NOTE)
        return 0;
    bool focus = is_focused(q, k);
    if (f->node->kind == FORM_UPLOAD)
        return upload_height(q, focus && q->upload);
    if (q_is_text(f->node)) {
        struct textedit tmp;
        const struct textedit *t = &q->edit;
        if (!focus || !q->text) {
            textedit_init(&tmp, session_get(q->s, f->node, f->item), true);
            t = &tmp;
        }
        struct textedit_line *lines;
        size_t n = textedit_wrap(t, text_width(q), &lines);
        free(lines);
        if (t == &tmp)
            textedit_free(&tmp);
        bool multi = f->node->appearance && strstr(f->node->appearance, "multiline");
        size_t max = focus ? (multi ? 8 : 3) : 2;
        size_t min = focus && multi ? 3 : 1;
        return n < min ? min : n > max ? max : n;
    }
    if (focus && q->nopts) {
        size_t n = 0;
        for (size_t i = 0; i < q->nopts && n < CHOICE_ROWS; i++)
            n += fit_rows(q->opts[i].label, choice_width(q));
        return n > CHOICE_ROWS ? CHOICE_ROWS : n;
    }
    return 1;
}

/* Columns of a question's label: the state word on its first row. */
static size_t label_width(const struct qscreen *q, enum session_qstate st)
{
    int w = q->cols - INDENT - (int)utf8_width(q_state_word(st)) - 3;
    return w > 2 ? (size_t)w : 2;
}

/* Columns of a note, a hint: the width of the page. */
static size_t page_width(const struct qscreen *q)
{
    return q->cols > INDENT + 3 ? (size_t)(q->cols - INDENT - 1) : 2;
}

/* The label of field f; a note's with its hint on the lines below (a note
 * shows all its text, as ODK Collect shows a note's hint). Fresh. */
static char *field_label(struct qscreen *q, const struct session_field *f)
{
    char *label = form_record_text(session_record(q->s), &f->node->label, f->node, f->item,
                                   session_lang(q->s));
    if (f->node->kind != FORM_NOTE || form_text_empty(&f->node->hint))
        return label;
    char *hint = form_record_text(session_record(q->s), &f->node->hint, f->node, f->item,
                                  session_lang(q->s));
    char *both = *hint ? xasprintf("%s%s%s", label, *label ? "\n" : "", hint) : NULL;
    free(hint);
    if (!both)
        return label;
    free(label);
    return both;
}

/* The hint of field f as shown under it, or NULL: for a rank question the
 * choices' codes follow, since its answer is typed as the codes in order
 * (there is no list to drag in a terminal). Fresh. */
static char *field_hint(struct qscreen *q, const struct session_field *f)
{
    char *hint = form_text_empty(&f->node->hint)
                     ? NULL
                     : form_record_text(session_record(q->s), &f->node->hint, f->node, f->item,
                                        session_lang(q->s));
    if (f->node->kind != FORM_RANK)
        return hint;
    struct form_option *o = NULL;
    size_t n = form_record_options(session_record(q->s), f->node, f->item, session_lang(q->s), &o);
    if (!n) {
        form_options_free(&o, n);
        return hint;
    }
    char *codes = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *more = xasprintf("%s%s%s = %s", codes, i ? ", " : "", o[i].value, o[i].label);
        free(codes);
        codes = more;
    }
    form_options_free(&o, n);
    char *all = xasprintf("%s%s%s %s", hint && *hint ? hint : "", hint && *hint ? "\n" : "",
                          _("Rank them: type the codes in order, separated by spaces:"), codes);
    free(codes);
    free(hint);
    return all;
}

/* Rows of field k's label (a note's text and hint) and of its hint when
 * it has the cursor: each wraps, the label at most LABEL_ROWS rows. */
static size_t label_rows(struct qscreen *q, const struct session_field *f, enum session_qstate st,
                         size_t *hint_rows, bool focus)
{
    char *label = field_label(q, f);
    bool note = f->node->kind == FORM_NOTE;
    size_t n = fit_rows(label, note ? page_width(q) : label_width(q, st));
    free(label);
    if (!note && n > LABEL_ROWS)
        n = LABEL_ROWS;
    *hint_rows = 0;
    char *hint = focus && !note ? field_hint(q, f) : NULL;
    if (hint) {
        *hint_rows = fit_rows(hint, page_width(q));
        free(hint);
        if (*hint_rows > LABEL_ROWS)
            *hint_rows = LABEL_ROWS;
    }
    /* a note keeps a blank row under it, as it always had */
    return n + (note ? 1 : 0);
}

static size_t field_height(struct qscreen *q, const struct session_page *p, size_t k)
{
    const struct session_field *f = &p->fields[k];
    enum session_qstate st = session_field_state(q->s, f);
    if (st == SESSION_Q_IRRELEVANT)
        return 0;
    size_t hint;
    size_t label = label_rows(q, f, st, &hint, is_focused(q, k));
    return label + hint + widget_height(q, f, k);
}

static void draw_text_widget(struct qscreen *q, const struct session_field *f, size_t k, int y,
                             size_t h)
{
    bool focus = is_focused(q, k) && q->text;
    struct textedit tmp;
    const struct textedit *t = &q->edit;
    if (!focus) {
        textedit_init(&tmp, session_get(q->s, f->node, f->item), true);
        t = &tmp;
    }
    for (size_t i = 0; i < h; i++)
        ui_text(y + (int)i, INDENT - 1, focus ? "\u2502" : " ", 1, UI_DIM, false);
    struct wrap_view v = {.y = y, .x = INDENT, .width = text_width(q), .rows = h,
                          .attr = focus ? UI_SELECTED : UI_NORMAL, .pad = focus,
                          .ellipsis = !focus}; /* a stored answer longer than its rows */
    if (focus)
        wrap_draw_edit(&v, t);
    else
        wrap_draw(&v, t->text);
    if (!focus)
        textedit_free(&tmp);
}

static void draw_choice_widget(struct qscreen *q, const struct session_field *f, size_t k, int y,
                               size_t h)
{
    const char *v = session_get(q->s, f->node, f->item);
    bool multi = f->node->kind == FORM_SELECT;
    if (!is_focused(q, k) || !q->nopts) {
        /* the chosen labels, on one line */
        struct form_option *o = NULL;
        size_t n = form_record_options(session_record(q->s), f->node, f->item,
                                       session_lang(q->s), &o);
        char *line = xstrdup("");
        for (size_t i = 0; i < n; i++)
            if (choice_has(v, o[i].value, multi)) {
                char *next = xasprintf("%s%s%s", line, *line ? ", " : "", o[i].label);
                free(line);
                line = next;
            }
        if (!*line && *v) {
            free(line);
            line = xstrdup(v);
        }
        ui_text(y, INDENT, *line ? line : _("(none chosen)"), q->cols - INDENT - 1,
                *line ? UI_NORMAL : UI_DIM, false);
        free(line);
        form_options_free(&o, n);
        return;
    }
    /* options wrap: from the list's first option, moved down until the
     * selected one shows whole */
    size_t sel = q->choice.selected, top = q->choice.top < sel ? q->choice.top : sel;
    for (;;) {
        size_t used = 0;
        for (size_t i = top; i <= sel && i < q->nopts; i++)
            used += fit_rows(q->opts[i].label, choice_width(q));
        if (used <= h || top >= sel)
            break;
        top++;
    }
    int cursor_y = y, yy = y;
    for (size_t i = top; i < q->nopts && yy < y + (int)h; i++) {
        bool on = choice_has(v, q->opts[i].value, multi);
        const char *mark = multi ? (on ? "[x]" : "[ ]") : (on ? "(*)" : "( )");
        bool is_sel = i == sel;
        ui_text(yy, INDENT, mark, 3, is_sel ? UI_SELECTED : UI_NORMAL, false);
        struct wrap_view wv = {.y = yy, .x = INDENT + 4, .width = choice_width(q),
                               .rows = (size_t)(y + (int)h - yy),
                               .attr = is_sel ? UI_SELECTED : UI_NORMAL, .ellipsis = true};
        if (is_sel)
            cursor_y = yy;
        yy += (int)wrap_draw(&wv, q->opts[i].label);
    }
    move(cursor_y, INDENT + 1);
}

static void draw_field(struct qscreen *q, const struct session_page *p, size_t k, int y, int ymax)
{
    const struct session_field *f = &p->fields[k];
    enum session_qstate st = session_field_state(q->s, f);
    bool focus = is_focused(q, k);
    char *label = field_label(q, f);
    const char *word = q_state_word(st);
    int ww = (int)utf8_width(word);
    ui_text(y, 1, focus ? ">" : " ", 1, UI_SELECTED, false);
    bool req = form_record_required(session_record(q->s), f->node, f->item);
    ui_text(y, 2, req ? "*" : " ", 1, UI_ERROR, false);
    if (f->node->kind == FORM_NOTE) {
        /* the whole note, wrapped; "…" only where the page ends first */
        struct wrap_view v = {.y = y, .x = INDENT, .width = page_width(q),
                              .rows = ymax > y ? (size_t)(ymax - y) : 0, .attr = UI_DIM,
                              .ellipsis = true};
        wrap_draw(&v, label);
        free(label);
        return;
    }
    struct wrap_view lv = {.y = y, .x = INDENT, .width = label_width(q, st),
                           .rows = ymax - y < LABEL_ROWS ? (size_t)(ymax > y ? ymax - y : 0)
                                                         : LABEL_ROWS,
                           .attr = focus ? UI_TITLE : UI_NORMAL, .ellipsis = true};
    size_t lrows = wrap_draw(&lv, label);
    ui_text(y, q->cols - ww - 1, word, ww, st == SESSION_Q_ANSWERED ? UI_DIM : UI_ERROR, false);
    free(label);
    y += lrows ? (int)lrows : 1;
    char *hint = focus && y < ymax ? field_hint(q, f) : NULL;
    if (hint) {
        struct wrap_view hv = {.y = y, .x = INDENT, .width = page_width(q),
                               .rows = ymax - y < LABEL_ROWS ? (size_t)(ymax - y) : LABEL_ROWS,
                               .attr = UI_DIM, .ellipsis = true};
        y += (int)wrap_draw(&hv, hint);
        free(hint);
    }
    size_t h = widget_height(q, f, k);
    if (y + (int)h > ymax)
        h = ymax > y ? (size_t)(ymax - y) : 0;
    if (!h)
        return;
    if (f->node->kind == FORM_UPLOAD)
        upload_draw(q, f, focus && q->upload, y, h);
    else if (q_is_text(f->node))
        draw_text_widget(q, f, k, y, h);
    else
        draw_choice_widget(q, f, k, y, h);
}

static void draw_repeat_page(struct qscreen *q, const struct session_page *p, int y)
{
    size_t n = form_record_item_count(session_record(q->s), p->node->path, p->item);
    char line[256];
    if (p->node->flags & FORM_LOG) {
        snprintf(line, sizeof line, ngettext("%zu note so far.", "%zu notes so far.", n), n);
        ui_text(y, INDENT, line, q->cols - INDENT, UI_NORMAL, false);
        ui_text(y + 2, INDENT, _("F5 opens the live capture screen; PgDn goes on."),
                q->cols - INDENT, UI_DIM, false);
        move(y, INDENT);
        return;
    }
    snprintf(line, sizeof line,
             ngettext("This list has %zu entry.", "This list has %zu entries.", n), n);
    ui_text(y, INDENT, line, q->cols - INDENT, UI_NORMAL, false);
    if (p->node->count)
        ui_text(y + 2, INDENT,
                _("An earlier answer sets the number of entries; PgDn goes on; F8 on an "
                  "entry's page deletes it."),
                q->cols - INDENT, UI_DIM, false);
    else
        ui_text(y + 2, INDENT,
                _("F5 adds an entry; PgDn goes on; F8 on an entry's page deletes it."),
                q->cols - INDENT, UI_DIM, false);
    move(y, INDENT);
}

void q_draw_fields(struct qscreen *q, int y0, int rows, int cols)
{
    const struct session_page *p = session_page(q->s, q->page);
    if (!p)
        return;
    /* a lone question is its own title: its heading says where it stands */
    char *title = p->kind != SESSION_PAGE_CONTROL ? session_page_label(q->s, q->page)
                                                  : session_page_context(q->s, q->page);
    q_draw_heading(q, y0, cols, title);
    free(title);
    int y = y0 + 2, ymax = y0 + rows;
    if (p->kind == SESSION_PAGE_REPEAT) {
        draw_repeat_page(q, p, y);
        return;
    }
    /* keep the focused question on screen */
    if (q->field < q->top_field)
        q->top_field = q->field;
    for (;;) {
        size_t used = 0;
        for (size_t k = q->top_field; k <= q->field && k < p->nfields; k++)
            used += field_height(q, p, k);
        if (used <= (size_t)(ymax - y) || q->top_field >= q->field)
            break;
        q->top_field++;
    }
    int cy = -1, cx = -1;
    for (size_t k = q->top_field; k < p->nfields && y < ymax; k++) {
        size_t h = field_height(q, p, k);
        if (!h)
            continue;
        draw_field(q, p, k, y, ymax);
        if (is_focused(q, k))
            getyx(stdscr, cy, cx);
        y += (int)h;
    }
    if (cy >= 0)
        move(cy, cx);
    else
        move(y0, 1);
}

void q_draw_overlay(struct qscreen *q, int rows, int cols)
{
    if (q->overlay == Q_OVERLAY_DEL_ITEM) {
        yesno_draw(rows / 2, cols, _("Delete this entry and everything in it? (y/n)"));
        return;
    }
    if (q->overlay == Q_OVERLAY_FINALIZE) {
        int y = rows / 2 - 4 > 1 ? rows / 2 - 4 : 1;
        for (int k = y; k < rows / 2; k++) {
            move(k, 0);
            clrtoeol();
        }
        struct wrap_view v = {.y = y, .x = 1, .width = (size_t)(cols > 3 ? cols - 2 : 1),
                              .rows = (size_t)(rows / 2 - y), .attr = UI_NORMAL};
        wrap_draw(&v, _("Finalizing says the record is complete: its answers are checked, "
                        "then it is locked and can only be read. To change it later, reopen "
                        "it on home with r (the reason is kept)."));
        yesno_draw(rows / 2, cols, _("Finalize this record? (y/n)"));
        return;
    }
    if (q->overlay == Q_OVERLAY_DETACH) {
        yesno_draw(rows / 2, cols, _("Remove the attached file from this question? (y/n)"));
        return;
    }
    if (q->overlay == Q_OVERLAY_CLEAR_CELL) {
        yesno_draw(rows / 2, cols, _("Clear this cell? Its text goes to the history. (y/n)"));
        return;
    }
    for (int y = 1; y < rows; y++) {
        move(y, 0);
        clrtoeol();
    }
    const char *head = q->overlay == Q_OVERLAY_JUMP
                           ? _("Jump to a question (Enter jumps, Esc closes)")
                           : _("Not finalized: fix these first (Enter jumps, Esc closes)");
    ui_text(1, 1, head, cols - 2, q->overlay == Q_OVERLAY_JUMP ? UI_TITLE : UI_ERROR, true);
    int y0 = 2, cursor_y = y0;
    /* the jump list's state words whole: as wide as the widest */
    int wstate = cols / 2;
    if (q->overlay == Q_OVERLAY_JUMP) {
        wstate = 1;
        for (enum session_qstate st = SESSION_Q_ANSWERED; st <= SESSION_Q_IRRELEVANT; st++)
            if ((int)utf8_width(q_state_word(st)) > wstate)
                wstate = (int)utf8_width(q_state_word(st));
    }
    for (size_t i = q->entries_list.top; i < q->nentries && list_visible(&q->entries_list, i);
         i++) {
        int y = y0 + (int)(i - q->entries_list.top);
        if (y >= rows)
            break;
        const struct q_entry *e = &q->entries[i];
        bool sel = i == q->entries_list.selected;
        enum ui_attr a = sel ? UI_SELECTED : e->header ? UI_TITLE : UI_NORMAL;
        ui_fill_row(y, cols, sel ? UI_SELECTED : UI_NORMAL);
        ui_text(y, 2, e->label, cols - wstate - 4, a, false);
        ui_text(y, cols - wstate - 1, e->state, wstate, sel ? UI_SELECTED : UI_ERROR, false);
        if (sel)
            cursor_y = y;
    }
    move(cursor_y, 2);
}
