/* ui/screens/home_keys.c: what the keys do on the home screen: moving in
 * the records list, opening a record, its notes, the search and conflicts
 * screens; choosing a form for a new record; finalizing, deleting (once
 * confirmed) and reopening (with a reason) the selected record. */
#include "config.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "ui/curses.h"
#include "ui/screens/capture.h"
#include "ui/screens/conflicts.h"
#include "ui/screens/home_int.h"
#include "ui/screens/question.h"
#include "ui/screens/search.h"
#include "app/session.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/yesno.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_message(struct home *h, const char *msg, bool error)
{
    free(h->message);
    h->message = msg ? xstrdup(msg) : NULL;
    h->message_error = error;
}

static void message_from(struct home *h, struct error *err)
{
    char *msg = error_format_brief(err);
    set_message(h, msg, true);
    free(msg);
    error_clear(err);
}

static const struct store_record *selected(const struct home *h)
{
    return h->records.n && !h->records.error ? &h->records.rows[h->list.selected] : NULL;
}

static void open_question(struct ui *ui, struct home *h, struct question_args *qa)
{
    set_message(h, NULL, false);
    if (!ui_push(ui, &question_screen_ops, qa)) {
        set_message(h, qa->error ? qa->error : _("cannot open the record"), true);
        free(qa->error);
        return;
    }
    /* a new record's uuid is known only now: home follows it on return */
    snprintf(h->left, sizeof h->left, "%s", qa->uuid);
}

static void finalize_selected(struct ui *ui, struct home *h)
{
    const struct store_record *r = selected(h);
    if (!r)
        return;
    if (r->state && strcmp(r->state, "finalized") == 0) {
        set_message(h, _("This record is already finalized."), false);
        return;
    }
    struct error err = ERROR_INIT;
    struct session *s = session_open(ui->store, ui->catalog, r->uuid, ui->lang, &err);
    if (!s) {
        message_from(h, &err);
        return;
    }
    struct session_problem *p = NULL;
    size_t n = 0;
    bool ok = session_finalize(s, &p, &n, &err);
    session_problems_free(&p, n);
    session_free(&s);
    if (ok) {
        set_message(h, _("The record is finalized."), false);
        home_reload(ui, h);
    } else if (n) {
        /* show what is missing, each a jump into the questionnaire */
        struct question_args qa = {.record = r->uuid, .finalize = true};
        open_question(ui, h, &qa);
    } else {
        message_from(h, &err);
    }
}

/* The answer to "Delete this record?" (yesno_draw in home.c). */
static void delete_selected(struct home *h, bool yes)
{
    if (!yes) {
        set_message(h, _("Nothing was deleted."), false);
        return;
    }
    struct error err = ERROR_INIT;
    if (!records_delete(&h->records, h->list.selected, &err)) {
        message_from(h, &err);
        return;
    }
    set_message(h, _("The record was deleted."), false);
    list_set_count(&h->list, h->records.n); /* the model has read the list again */
}

static void reopen_selected(struct home *h)
{
    struct error err = ERROR_INIT;
    char keep[UUID_STR_LEN];
    snprintf(keep, sizeof keep, "%s", h->records.rows[h->list.selected].uuid);
    if (!records_reopen(&h->records, h->list.selected, h->reason.text, &err)) {
        message_from(h, &err);
        return;
    }
    set_message(h, _("The record is a draft again."), false);
    home_follow(h, keep); /* the reopened record moved to the top */
}

static enum key_result prompt_key(struct ui *ui, struct home *h, int key, enum action a)
{
    if (HOME_ASKING(h)) {
        if (yesno_passes(a))
            return KEY_UNHANDLED;
        enum yesno ans = yesno_answer(key, a);
        if (ans == YESNO_OTHER) { /* refused: the question stays open */
            char *m = yesno_refusal();
            set_message(h, m, true);
            free(m);
            return KEY_HANDLED;
        }
        bool finalize = h->mode == HOME_CONFIRM_FINALIZE;
        h->mode = HOME_LIST;
        if (!finalize)
            delete_selected(h, ans == YESNO_YES);
        else if (ans == YESNO_YES)
            finalize_selected(ui, h);
        else
            set_message(h, _("Not finalized: the record is still a draft."), false);
        return KEY_HANDLED;
    }
    if (a == ACTION_BACK) {
        h->mode = HOME_LIST;
        set_message(h, NULL, false);
    } else if (a == ACTION_PROMPT_OK) {
        h->mode = HOME_LIST;
        reopen_selected(h);
    } else if (a == ACTION_HELP || a == ACTION_QUIT_F10) {
        return KEY_UNHANDLED;
    } else {
        text_keys_edit(&h->reason, key, 0, false);
    }
    return KEY_HANDLED;
}

/* Apply the filter as typed, the highlight staying on the same record
 * while it is listed. */
static void filter_apply(struct home *h)
{
    char keep[UUID_STR_LEN] = "";
    if (h->list.selected < h->records.n)
        snprintf(keep, sizeof keep, "%s", h->records.rows[h->list.selected].uuid);
    const char *words[2] = {_("draft"), _("finalized")};
    records_set_filter(&h->records, h->filter.text, words);
    home_follow(h, keep);
}

static enum key_result filter_key(struct home *h, int key, enum action a)
{
    if (a == ACTION_FILTER_KEEP) {
        h->mode = HOME_LIST;
    } else if (a == ACTION_FILTER_CLEAR) {
        h->mode = HOME_LIST;
        textedit_set(&h->filter, "");
        filter_apply(h);
    } else if (a == ACTION_ARROW_UP || a == ACTION_ARROW_DOWN) {
        list_move(&h->list, a == ACTION_ARROW_UP ? -1 : 1);
    } else if (a == ACTION_HELP || a == ACTION_QUIT_F10 || a == ACTION_REDRAW) {
        return KEY_UNHANDLED;
    } else if (text_keys_edit(&h->filter, key, 0, false)) {
        filter_apply(h);
    }
    return KEY_HANDLED;
}

static void sort_next(struct home *h)
{
    char keep[UUID_STR_LEN] = "";
    if (h->list.selected < h->records.n)
        snprintf(keep, sizeof keep, "%s", h->records.rows[h->list.selected].uuid);
    records_set_sort(&h->records, records_sort_next(h->records.sort));
    home_follow(h, keep);
}

static enum key_result choose_key(struct ui *ui, struct home *h, enum action a)
{
    if (list_key(&h->forms, a)) {
        ;
    } else if (a == ACTION_BACK) {
        h->mode = HOME_LIST;
    } else if (a == ACTION_START_FORM) {
        h->mode = HOME_LIST;
        const struct form_catalog_entry *e = form_catalog_get(ui->catalog, h->forms.selected);
        struct question_args qa = {.form = e->form};
        open_question(ui, h, &qa);
    } else {
        return KEY_UNHANDLED;
    }
    return KEY_HANDLED;
}

/* n, d, f, r or l on a read-only file: why not, at once, instead of a
 * prompt (or the capture screen) whose save would fail. */
static void readonly_refusal(struct ui *ui, struct home *h, enum action a)
{
    const char *why = store_readonly_reason(ui->store);
    char *msg;
    /* TRANSLATORS: each %s is why the file is read-only, e.g. "in use by
     * imas-survey process 4242 since 10:15: read-only" */
    if (a == ACTION_RO_NEW)
        msg = xasprintf(_("No new record: %s"), why);
    else if (a == ACTION_RO_DELETE)
        msg = xasprintf(_("Nothing deleted: %s"), why);
    else if (a == ACTION_RO_FINALIZE)
        msg = xasprintf(_("Not finalized: %s"), why);
    else if (a == ACTION_RO_CAPTURE)
        msg = xasprintf(_("No live capture: %s"), why);
    else
        msg = xasprintf(_("Not reopened: %s"), why);
    set_message(h, msg, true);
    free(msg);
}

enum key_result home_key(struct ui *ui, void *state, int key, enum action a)
{
    struct home *h = state;
    home_refresh(h); /* a merge from another program since the last look */
    if (HOME_ASKING(h) || h->mode == HOME_REASON)
        return prompt_key(ui, h, key, a);
    if (h->mode == HOME_CHOOSE_FORM)
        return choose_key(ui, h, a);
    if (h->mode == HOME_FILTER)
        return filter_key(h, key, a);
    if (list_key(&h->list, a)) {
        /* the row under the list tells about the record now highlighted */
        set_message(h, NULL, false);
        return KEY_HANDLED;
    }
    const struct store_record *r = selected(h);
    switch (a) {
    case ACTION_OPEN:
        if (r) {
            struct question_args qa = {.record = r->uuid};
            char *path = NULL, *item = NULL;
            if (h->resume_record && strcmp(h->resume_record, r->uuid) == 0) {
                /* back to the question or grid cell the user was on */
                path = h->resume_path;
                item = h->resume_item;
                h->resume_path = h->resume_item = NULL;
                qa.path = path;
                qa.item = item;
            }
            home_resume_clear(h);
            open_question(ui, h, &qa);
            free(path);
            free(item);
        }
        return KEY_HANDLED;
    case ACTION_CONFLICTS:
        if (h->records.conflicts == 0)
            set_message(h, _("No merge conflicts in this file."), false);
        else if (!ui_push(ui, &conflicts_screen_ops, NULL))
            set_message(h, _("Cannot open the conflicts screen."), true);
        return KEY_HANDLED;
    case ACTION_CAPTURE:
        if (r) {
            struct capture_args ca = {.record = r->uuid};
            set_message(h, NULL, false);
            if (!ui_push(ui, &capture_screen_ops, &ca)) {
                set_message(h, ca.error ? ca.error : _("cannot open the capture screen"), true);
                free(ca.error);
            }
        }
        return KEY_HANDLED;
    case ACTION_SEARCH: {
        set_message(h, NULL, false);
        struct search_args sa = {.left = h->left};
        if (!ui_push(ui, &search_screen_ops, &sa))
            set_message(h, _("cannot open the search screen"), true);
        return KEY_HANDLED;
    }
    case ACTION_NEW:
        if (form_catalog_count(ui->catalog) == 0) {
            set_message(h, _("No forms found: see --list-forms and --form-dir."), true);
            return KEY_HANDLED;
        }
        h->mode = HOME_CHOOSE_FORM;
        set_message(h, _("Choose a form: Enter starts a record, Esc cancels."), false);
        return KEY_HANDLED;
    case ACTION_DELETE:
        if (r)
            h->mode = HOME_CONFIRM_DELETE;
        return KEY_HANDLED;
    case ACTION_FINALIZE: /* asks first, as F9 does, saying what it means */
        if (r && r->state && strcmp(r->state, "finalized") == 0) {
            set_message(h, _("This record is already finalized."), false);
        } else if (r) {
            set_message(h, NULL, false);
            h->mode = HOME_CONFIRM_FINALIZE;
        }
        return KEY_HANDLED;
    case ACTION_FILTER:
        set_message(h, NULL, false);
        h->mode = HOME_FILTER;
        return KEY_HANDLED;
    case ACTION_SORT:
        sort_next(h);
        return KEY_HANDLED;
    case ACTION_RO_NEW:
    case ACTION_RO_DELETE:
    case ACTION_RO_FINALIZE:
    case ACTION_RO_REOPEN:
    case ACTION_RO_CAPTURE:
        readonly_refusal(ui, h, a);
        return KEY_HANDLED;
    case ACTION_REOPEN:
        if (r && r->state && strcmp(r->state, "finalized") == 0) {
            textedit_set(&h->reason, "");
            h->mode = HOME_REASON;
        } else if (r) {
            set_message(h, _("Only a finalized record can be reopened."), false);
        }
        return KEY_HANDLED;
    default:
        return KEY_UNHANDLED;
    }
}
