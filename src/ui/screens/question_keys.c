/* ui/screens/question_keys.c: what the keys do on the questionnaire's
 * field pages: editing a text answer, moving between questions and pages,
 * adding and deleting repeat entries, the form language, finalizing, and
 * the jump and problems lists they open. The grid page's keys are in
 * question_grid.c. */
#include "config.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/capture.h"
#include "ui/screens/question_int.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/yesno.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void page_step(struct qscreen *q, int dir)
{
    if (!q_commit(q))
        return;
    size_t to = session_page_step(q->s, q->page, dir);
    if (to == SIZE_MAX) {
        q_set_message(q, dir > 0 ? _("This is the last page: F9 finalizes, Esc goes back.")
                                 : _("This is the first page."),
                      false);
        return;
    }
    q_set_message(q, NULL, false);
    q_goto_page(q, to, 0);
}

/* Next or previous question that takes input; across pages at the ends. */
void q_field_step(struct qscreen *q, int dir)
{
    if (!q_commit(q))
        return;
    const struct session_page *p = session_page(q->s, q->page);
    for (size_t k = q->field + (size_t)(long)dir; p && k < p->nfields; k += (size_t)(long)dir)
        if (q_focusable(q, &p->fields[k])) {
            q->field = k;
            q_load_focus(q);
            return;
        }
    page_step(q, dir);
}

enum key_result q_text_key(struct qscreen *q, int key, size_t width)
{
    if (!text_keys_edit(&q->edit, key, width, true))
        return KEY_UNHANDLED;
    q_draft_touch(q);
    return KEY_HANDLED;
}

static void open_jump_list(struct qscreen *q);

static enum key_result field_key(struct qscreen *q, int key, enum action a)
{
    if (q->upload)
        return upload_key(q, key, a);
    if (q->text && q_text_key(q, key, (size_t)(q->cols > 8 ? q->cols - 6 : 2)) == KEY_HANDLED)
        return KEY_HANDLED;
    bool choice = !q->text && q->nopts > 0;
    switch (a) {
    case ACTION_NEXT_FIELD:
    case ACTION_ENTER:
        if (choice && a == ACTION_ENTER) {
            const struct session_field *f = q_focused(q);
            if (f && f->node->kind != FORM_SELECT)
                q_choose(q, q->choice.selected);
        }
        q_field_step(q, 1);
        return KEY_HANDLED;
    case ACTION_PREV_FIELD:
        q_field_step(q, -1);
        return KEY_HANDLED;
    case ACTION_UP:
    case ACTION_DOWN: {
        int dir = a == ACTION_UP ? -1 : 1;
        size_t before = q->choice.selected;
        if (choice)
            list_move(&q->choice, dir);
        if (!choice || before == q->choice.selected)
            q_field_step(q, dir);
        return KEY_HANDLED;
    }
    case ACTION_TOGGLE:
        if (choice)
            q_choose(q, q->choice.selected);
        return KEY_HANDLED;
    default:
        return KEY_UNHANDLED;
    }
}

static void add_item(struct qscreen *q)
{
    const struct session_page *p = session_page(q->s, q->page);
    if (!p || p->kind != SESSION_PAGE_REPEAT) {
        q_set_message(q, _("Go to the end of a list (its last page) to add an entry."), false);
        return;
    }
    if (p->node->flags & FORM_LOG) { /* notes are taken live (SPEC 5.4) */
        struct capture_args ca = {.record = session_uuid(q->s), .form = session_form(q->s)};
        if (!ui_push(q->ui, &capture_screen_ops, &ca)) {
            q_set_message(q, ca.error ? ca.error : _("cannot open the capture screen"), true);
            free(ca.error);
        }
        return;
    }
    char uuid[UUID_STR_LEN];
    struct error err = ERROR_INIT;
    const struct form_node *repeat = p->node;
    if (!session_add_item(q->s, repeat, p->item, uuid, &err)) {
        char *msg = error_format_brief(&err);
        q_set_message(q, msg, true);
        free(msg);
        error_clear(&err);
        return;
    }
    /* the new entry's first page */
    for (size_t i = 0; i < session_page_count(q->s); i++) {
        const struct session_page *np = session_page(q->s, i);
        if (strcmp(np->item, uuid) == 0) {
            q_goto_page(q, i, 0);
            return;
        }
    }
}

/* The answer to "Delete this entry?" (yesno_draw in question_draw.c). */
static void delete_item(struct qscreen *q, bool yes)
{
    if (!yes) {
        q_set_message(q, _("Nothing was deleted."), false);
        return;
    }
    const struct session_page *p = session_page(q->s, q->page);
    const char *item = p ? p->item : "";
    if (!*item) {
        q_set_message(q, _("This page is not an entry of a list."), false);
        return;
    }
    char *keep = xstrdup(item);
    struct error err = ERROR_INIT;
    size_t back = q->page;
    if (!session_remove_item(q->s, keep, &err)) {
        char *msg = error_format_brief(&err);
        q_set_message(q, msg, true);
        free(msg);
        error_clear(&err);
    } else {
        q_set_message(q, _("The entry was deleted."), false);
        size_t n = session_page_count(q->s);
        q_goto_page(q, back < n ? back : n - 1, 0);
    }
    free(keep);
}

static void next_language(struct qscreen *q)
{
    const char *const *langs = form_languages(session_form(q->s));
    if (!langs[0]) {
        q_set_message(q, _("This form has one language only."), false);
        return;
    }
    const char *cur = session_lang(q->s);
    size_t i = 0;
    while (langs[i] && !(cur && strcmp(langs[i], cur) == 0))
        i++;
    const char *next = langs[i] && langs[i + 1] ? langs[i + 1] : langs[0];
    if (!langs[i])
        next = langs[0] && form_default_language(session_form(q->s)) &&
                       strcmp(langs[0], form_default_language(session_form(q->s))) == 0 &&
                       langs[1]
                   ? langs[1]
                   : langs[0];
    session_set_lang(q->s, next);
    /* the next records open in it too: a copy, since this session (and
     * its form, where the name comes from) goes when the record is left
     * or read again after a merge */
    static char chosen[256];
    snprintf(chosen, sizeof chosen, "%s", session_lang(q->s) ? session_lang(q->s) : next);
    q->ui->lang = chosen;
    const struct session_page *p = session_page(q->s, q->page);
    if (p && p->kind == SESSION_PAGE_GRID)
        grid_enter(q);
    else
        q_load_focus(q);
    char *msg = xasprintf(_("Form language: %s"), next);
    q_set_message(q, msg, false);
    free(msg);
}

enum key_result question_key(struct ui *ui, void *state, int key, enum action a)
{
    struct qscreen *q = state;
    (void)ui;
    if (q->overlay != Q_OVERLAY_NONE)
        return question_overlay_key(q, key, a);
    /* a read-only record's keys (question.c's lists): as on any page,
     * where they say why not */
    a = a == ACTION_RO_Q_FINALIZE ? ACTION_Q_FINALIZE
        : a == ACTION_RO_ADD_ITEM ? ACTION_ADD_ITEM
        : a == ACTION_RO_DEL_ITEM ? ACTION_DEL_ITEM
        : a == ACTION_RO_EDIT_CELL ? ACTION_EDIT_CELL
        : a == ACTION_RO_CLEAR_CELL ? ACTION_CLEAR_CELL
                                    : a;
    if (q_readonly_key(q, key, a) == KEY_HANDLED)
        return KEY_HANDLED;
    const struct session_page *p = session_page(q->s, q->page);
    if (p && p->kind == SESSION_PAGE_GRID) {
        enum key_result r = grid_key(q, key, a);
        if (r != KEY_UNHANDLED)
            return r;
    } else if (field_key(q, key, a) == KEY_HANDLED) {
        return KEY_HANDLED;
    }
    switch (a) {
    case ACTION_NEXT_PAGE:
        page_step(q, 1);
        return KEY_HANDLED;
    case ACTION_PREV_PAGE:
        page_step(q, -1);
        return KEY_HANDLED;
    case ACTION_JUMP:
        if (q_commit(q))
            open_jump_list(q);
        return KEY_HANDLED;
    case ACTION_LANGUAGE:
        next_language(q);
        return KEY_HANDLED;
    case ACTION_Q_FINALIZE:
        if (q_commit(q))
            q_ask_finalize(q);
        return KEY_HANDLED;
    case ACTION_ADD_ITEM:
    case ACTION_COUNTED_ITEM: /* session_add_item says why it cannot */
    case ACTION_OPEN_LOG:
        if (q_commit(q))
            add_item(q);
        return KEY_HANDLED;
    case ACTION_DEL_ITEM:
        if (p && *p->item)
            q->overlay = Q_OVERLAY_DEL_ITEM;
        else
            delete_item(q, true); /* says this page is not an entry */
        return KEY_HANDLED;
    case ACTION_HOME_BACK:
    case ACTION_BACK:
        if (!q_commit(q))
            return KEY_HANDLED;
        session_forget_position(q->ui->store, NULL);
        return KEY_LEAVE;
    case ACTION_QUIT_F10:
        /* save what is valid; nothing invalid is stored */
        q_commit(q);
        return KEY_UNHANDLED;
    default:
        return KEY_UNHANDLED;
    }
}

/* ---- jump list and problems ---------------------------------------------- */

void q_entries_free(struct qscreen *q)
{
    for (size_t i = 0; i < q->nentries; i++) {
        free(q->entries[i].label);
        free(q->entries[i].state);
    }
    xfree(&q->entries);
    q->nentries = 0;
}

static void entry_add(struct qscreen *q, size_t page, size_t field, char *label, const char *st,
                      bool header)
{
    q->entries = xrealloc(q->entries, (q->nentries + 1) * sizeof *q->entries);
    q->entries[q->nentries++] = (struct q_entry){page, field, label, xstrdup(st), header};
}

static void open_list(struct qscreen *q, enum q_overlay kind, size_t selected)
{
    q->overlay = kind;
    list_init(&q->entries_list, q->nentries, (size_t)(q->rows > 6 ? q->rows - 4 : 1));
    list_move(&q->entries_list, (long)selected);
}

static void open_jump_list(struct qscreen *q)
{
    q_entries_free(q);
    size_t here = 0;
    for (size_t i = 0; i < session_page_count(q->s); i++) {
        const struct session_page *p = session_page(q->s, i);
        bool on = session_page_relevant(q->s, i);
        if (p->kind != SESSION_PAGE_CONTROL)
            entry_add(q, i, 0, session_page_label(q->s, i), on ? "" : _("not asked"), true);
        for (size_t k = 0; k < p->nfields; k++) {
            enum session_qstate st = session_field_state(q->s, &p->fields[k]);
            if (st == SESSION_Q_NOTE || !p->fields[k].node)
                continue;
            if (i == q->page && k == q->field)
                here = q->nentries;
            char *label = session_field_label(q->s, p, k);
            if (p->kind != SESSION_PAGE_CONTROL) {
                char *ind = xasprintf("  %s", label);
                free(label);
                label = ind;
            }
            entry_add(q, i, k, label, q_state_word(on ? st : SESSION_Q_IRRELEVANT), false);
        }
    }
    open_list(q, Q_OVERLAY_JUMP, here);
}

enum key_result q_readonly_key(struct qscreen *q, int key, enum action a)
{
    const char *why = session_readonly_reason(q->s);
    if (!why)
        return KEY_UNHANDLED;
    const struct session_page *p = session_page(q->s, q->page);
    bool grid = p && p->kind == SESSION_PAGE_GRID;
    bool typing = key >= ' ' && key < UI_KEYCODE_BASE && key != 127;
    bool changing = typing || a == ACTION_TOGGLE || a == ACTION_ADD_ITEM || a == ACTION_COUNTED_ITEM ||
                    a == ACTION_OPEN_LOG ||
                    a == ACTION_UPLOAD_REMOVE ||
                    a == ACTION_DEL_ITEM || a == ACTION_CLEAR_CELL || a == ACTION_SET_RATING ||
                    a == ACTION_EDIT_CELL;
    if (!grid && q->text)
        changing = changing || key == UK(KEY_BACKSPACE) || key == 127 || key == 8 ||
                   key == UK(KEY_DC) || key == 23 || key == 21;
    if (!grid && (a == ACTION_ENTER || a == ACTION_UPLOAD_ATTACH || a == ACTION_UPLOAD_COMPLETE)) {
        q_field_step(q, 1); /* Enter only moves on */
        return KEY_HANDLED;
    }
    if (!changing)
        return KEY_UNHANDLED;
    q_set_message(q, why, true);
    return KEY_HANDLED;
}

void q_ask_finalize(struct qscreen *q)
{
    if (session_finalized(q->s)) {
        q_set_message(q, _("This record is already finalized."), false);
        return;
    }
    const char *why = session_readonly_reason(q->s);
    if (why) {
        q_set_message(q, why, true);
        return;
    }
    struct session_problem *probs = NULL;
    size_t n = 0;
    if (session_check(q->s, &probs, &n)) {
        q->overlay = Q_OVERLAY_FINALIZE;
        return;
    }
    q_entries_free(q);
    for (size_t i = 0; i < n; i++)
        entry_add(q, probs[i].page, probs[i].field, xstrdup(probs[i].label), probs[i].msg, false);
    session_problems_free(&probs, n);
    open_list(q, Q_OVERLAY_PROBLEMS, 0);
}

void q_finalize(struct qscreen *q)
{
    struct session_problem *probs = NULL;
    size_t n = 0;
    struct error err = ERROR_INIT;
    if (session_finalize(q->s, &probs, &n, &err)) {
        q_set_message(q, _("The record is finalized. Reopen it from the home screen to change it."),
                      false);
        q_load_focus(q);
        return;
    }
    if (!n) {
        char *msg = error_format_brief(&err);
        q_set_message(q, msg, true);
        free(msg);
        error_clear(&err);
        return;
    }
    q_entries_free(q);
    for (size_t i = 0; i < n; i++)
        entry_add(q, probs[i].page, probs[i].field, xstrdup(probs[i].label), probs[i].msg, false);
    session_problems_free(&probs, n);
    open_list(q, Q_OVERLAY_PROBLEMS, 0);
}

/* The answer to the y/n question the overlay asks (delete an entry,
 * remove a file, finalize, clear a cell): any other key is refused and
 * the question stays open. */
static enum key_result yesno_overlay_key(struct qscreen *q, int key, enum action a)
{
    if (yesno_passes(a))
        return KEY_UNHANDLED;
    enum yesno ans = yesno_answer(key, a);
    if (ans == YESNO_OTHER) {
        char *m = yesno_refusal();
        q_set_message(q, m, true);
        free(m);
        return KEY_HANDLED;
    }
    enum q_overlay asked = q->overlay;
    bool yes = ans == YESNO_YES;
    q->overlay = Q_OVERLAY_NONE;
    if (asked == Q_OVERLAY_DEL_ITEM)
        delete_item(q, yes);
    else if (asked == Q_OVERLAY_DETACH)
        upload_detach_answer(q, yes);
    else if (asked == Q_OVERLAY_CLEAR_CELL)
        grid_clear_answer(q, yes);
    else if (yes)
        q_finalize(q);
    else
        q_set_message(q, _("Not finalized: the record is still a draft."), false);
    return KEY_HANDLED;
}

enum key_result question_overlay_key(struct qscreen *q, int key, enum action a)
{
    if (q->overlay == Q_OVERLAY_DEL_ITEM || q->overlay == Q_OVERLAY_DETACH ||
        q->overlay == Q_OVERLAY_FINALIZE || q->overlay == Q_OVERLAY_CLEAR_CELL)
        return yesno_overlay_key(q, key, a);
    if (list_key(&q->entries_list, a))
        return KEY_HANDLED;
    switch (a) {
    case ACTION_GO_TO: {
        const struct q_entry *e =
            q->nentries ? &q->entries[q->entries_list.selected] : NULL;
        if (e && !session_page_relevant(q->s, e->page)) {
            q_set_message(q, _("That question is not asked, given the answers so far."), false);
        } else if (e) {
            q->overlay = Q_OVERLAY_NONE;
            q_goto_page(q, e->page, e->field);
            if (session_page(q->s, e->page)->kind == SESSION_PAGE_GRID && !e->header)
                matrix_goto(&q->m, e->field / q->m.ncols, e->field % q->m.ncols);
        }
        return KEY_HANDLED;
    }
    case ACTION_BACK:
        q->overlay = Q_OVERLAY_NONE;
        return KEY_HANDLED;
    default:
        return KEY_UNHANDLED;
    }
}
