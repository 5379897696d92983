#include "config.h"

#include "ui/screens/capture.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "ui/curses.h"
#include "ui/screens/capture_int.h"

#include <stdlib.h>
#include <string.h>

static const enum action typing_actions[] = {
    ACTION_HELP,        ACTION_QUIT_F10,      ACTION_CAP_SAVE,  ACTION_CAP_SPEAKER,
    ACTION_CAP_TOPIC,   ACTION_CAP_PHASE,     ACTION_CAP_QUOTE, ACTION_CAP_EARLIER,
    ACTION_CAP_ADD_PERSON, ACTION_CAP_PAUSE,  ACTION_CAP_BACK,  ACTION_CAP_SPEAKER_NEXT,
    ACTION_CAP_SPEAKER_PREV, ACTION_CAP_TOPIC_PREV, ACTION_CAP_NEWLINE, ACTION_CAP_RETRY,
    ACTION_REDRAW,      ACTION_NONE,
};

static const enum action earlier_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_CAP_CORRECT, ACTION_CAP_REMOVE, ACTION_CAP_TYPE,
    ACTION_UP,        ACTION_DOWN,      ACTION_PAGE_UP,     ACTION_PAGE_DOWN,  ACTION_FIRST,
    ACTION_LAST,      ACTION_CAP_RETRY, ACTION_REDRAW,      ACTION_NONE,
};

static const enum action correcting_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_CAP_SAVE,  ACTION_CAP_TYPE, ACTION_CAP_SPEAKER,
    ACTION_CAP_TOPIC, ACTION_CAP_PHASE, ACTION_CAP_QUOTE, ACTION_CAP_SPEAKER_NEXT,
    ACTION_CAP_SPEAKER_PREV, ACTION_CAP_TOPIC_PREV, ACTION_CAP_NEWLINE, ACTION_REDRAW,
    ACTION_NONE,
};

static const enum action prompt_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_ENTER, ACTION_BACK, ACTION_NONE,
};

void cap_set_message(struct cscreen *s, const char *msg, bool error)
{
    free(s->message);
    s->message = msg ? xstrdup(msg) : NULL;
    s->message_error = error;
}

static void message_take(struct cscreen *s, char *msg, bool error)
{
    cap_set_message(s, msg, error);
    free(msg);
}

struct textedit *cap_input(struct cscreen *s)
{
    switch (s->mode) {
    case CAP_TYPING:
        return &s->draft;
    case CAP_CORRECTING:
        return &s->edit;
    case CAP_ASK_CODE:
        return &s->prompt;
    default:
        return NULL;
    }
}

size_t cap_input_width(const struct cscreen *s)
{
    return s->cols > 4 ? (size_t)s->cols - 2 : 2;
}

/* ---- saving ------------------------------------------------------------------ */

static void submit_writer(void *ctx, struct capture_job *j)
{
    capture_writer_submit(ctx, j);
}

/* No writer thread (it could not start): save on the screen's connection. */
static void submit_here(void *ctx, struct capture_job *j)
{
    struct cscreen *s = ctx;
    capture_job_run(s->ui->store, j);
    capture_apply(s->c, j);
    capture_job_free(&j);
}

void cap_poll(struct cscreen *s)
{
    struct capture_job *j;
    while (s->w && (j = capture_writer_take(s->w))) {
        capture_apply(s->c, j);
        if (!j->ok) {
            char *msg = xasprintf(_("Not saved: %s (F7 tries again)"), j->error ? j->error : "");
            message_take(s, msg, true);
        }
        capture_job_free(&j);
    }
    /* a removal that reached the file takes its note off the list */
    if (s->selected >= s->c->nnotes)
        s->selected = s->c->nnotes ? s->c->nnotes - 1 : 0;
}

/* ---- opening ----------------------------------------------------------------- */

/* The record's form: the copy kept in the file, else the catalog's. */
static const struct form *record_form(struct ui *ui, const char *record, struct form **owned,
                                      struct error *err)
{
    struct store_record r;
    if (!store_record_get(ui->store, record, &r, err))
        return NULL;
    struct store_form sf;
    bool found = false;
    const struct form *f = NULL;
    if (store_form_get(ui->store, r.form_id, r.form_version, &sf, &found, err) && found) {
        *owned = form_load_memory(sf.definition, strlen(sf.definition), r.form_id, NULL);
        store_form_clear(&sf);
        f = *owned;
    }
    if (!f) {
        const struct form_catalog_entry *e =
            form_catalog_find_version(ui->catalog, r.form_id, r.form_version);
        f = e ? e->form : NULL;
        if (!f)
            error_set(err, _("the form %s (version %s) is neither in the file nor among the forms"),
                      r.form_id, r.form_version);
    }
    store_record_clear(&r);
    return f;
}

static char *record_title(struct ui *ui, const struct form *f, const char *record)
{
    char *name = NULL;
    store_answer_get(ui->store, record, "", "/data/meta/instanceName", &name, NULL);
    bool blank = !name || strspn(name, " ") == strlen(name);
    char *t = !blank ? xasprintf("%s: %s", form_title(f), name) : xstrdup(form_title(f));
    free(name);
    return t;
}

static void *capture_open_screen(struct ui *ui, void *arg)
{
    struct capture_args *args = arg;
    struct error err = ERROR_INIT;
    struct cscreen *s = xcalloc(1, sizeof *s);
    s->ui = ui;
    const struct form *f = args->form ? args->form : record_form(ui, args->record,
                                                                  &s->owned_form, &err);
    s->c = f ? capture_open(ui->store, f, args->record, ui->lang, &err) : NULL;
    if (!s->c) {
        args->error = error_format(&err);
        error_clear(&err);
        form_free(&s->owned_form);
        free(s);
        return NULL;
    }
    s->title = record_title(ui, f, args->record);
    if (s->c->editable) {
        s->w = capture_writer_start(ui->store, &err);
        if (!s->w) {
            char *why = error_format(&err);
            message_take(s, xasprintf(_("Notes are saved as they are typed (%s)"), why), true);
            free(why);
            error_clear(&err);
        }
    } else {
        cap_set_message(s, _("This record is finalized: the notes can be read, not changed."),
                        false);
    }
    s->c->submit = s->w ? submit_writer : submit_here;
    s->c->submit_ctx = s->w ? (void *)s->w : (void *)s;
    textedit_init(&s->draft, "", true);
    textedit_init(&s->edit, "", true);
    textedit_init(&s->prompt, "", false);
    getmaxyx(stdscr, s->rows, s->cols);
    s->rows--;
    for (size_t i = 0; args->note && i < s->c->nnotes; i++)
        if (strcmp(s->c->notes[i].uuid, args->note) == 0) {
            s->selected = i;
            s->mode = CAP_EARLIER;
        }
    timeout(CAP_TICK_MS);
    return s;
}

static void capture_close(void *state)
{
    struct cscreen *s = state;
    /* every note handed to the writer reaches the file before we go */
    capture_writer_stop(&s->w);
    timeout(-1);
    capture_free(&s->c);
    form_free(&s->owned_form);
    textedit_free(&s->draft);
    textedit_free(&s->edit);
    textedit_free(&s->prompt);
    free(s->code);
    free(s->title);
    free(s->message);
    free(s);
}

static void capture_resize(struct ui *ui, void *state, int rows, int cols)
{
    struct cscreen *s = state;
    (void)ui;
    s->rows = rows;
    s->cols = cols;
}

static const enum action *capture_mode_actions(void *state)
{
    struct cscreen *s = state;
    switch (s->mode) {
    case CAP_TYPING:
        return typing_actions;
    case CAP_EARLIER:
        return earlier_actions;
    case CAP_CORRECTING:
        return correcting_actions;
    default:
        return prompt_actions;
    }
}

/* ---- keys -------------------------------------------------------------------- */

static bool text_key(struct cscreen *s, struct textedit *t, int key)
{
    size_t width = cap_input_width(s);
    if (key == UK(KEY_BACKSPACE) || key == 127 || key == 8)
        textedit_backspace(t);
    else if (key == UK(KEY_DC))
        textedit_delete(t);
    else if (key == UK(KEY_LEFT))
        textedit_left(t);
    else if (key == UK(KEY_RIGHT))
        textedit_right(t);
    else if (key == UK(KEY_HOME) || key == 1)
        textedit_home(t);
    else if (key == UK(KEY_END) || key == 5)
        textedit_end(t);
    else if (key == 23)
        textedit_delete_word(t);
    else if (key == 21)
        textedit_set(t, "");
    else if (t->multiline && key == 10)
        textedit_insert_cp(t, '\n');
    else if (t->multiline && key == UK(KEY_UP))
        textedit_vertical(t, width, -1);
    else if (t->multiline && key == UK(KEY_DOWN))
        textedit_vertical(t, width, 1);
    else if (key >= 32 && key < UI_KEYCODE_BASE && key != 127)
        textedit_insert_cp(t, (uint32_t)key);
    else
        return false;
    if (t == &s->draft)
        capture_draft_typed(s->c, t->text);
    return true;
}

static void save_draft(struct cscreen *s)
{
    char *msg = NULL;
    if (capture_commit(s->c, s->draft.text, &msg)) {
        textedit_set(&s->draft, "");
        cap_set_message(s, NULL, false);
    } else {
        message_take(s, msg, true);
    }
}

static void save_correction(struct cscreen *s)
{
    char *msg = NULL;
    if (capture_edit_commit(s->c, s->edit.text, &msg)) {
        s->mode = CAP_EARLIER;
        cap_set_message(s, _("Corrected: a new revision; the old one is kept in the file."), false);
    } else {
        message_take(s, msg, true);
    }
}

static void speaker_at(struct cscreen *s, int digit)
{
    size_t pos = digit == 0 ? 9 : (size_t)digit - 1;
    if (!capture_speaker_set(s->c, pos)) {
        char *msg = xasprintf(_("Nobody is at position %zu of the roster (F5 adds a participant)."),
                              pos + 1);
        message_take(s, msg, true);
    }
}

/* The chords that work while typing a note or a correction. */
static bool chord(struct cscreen *s, int key, enum action a)
{
    if (key >= UA('0') && key <= UA('9')) {
        speaker_at(s, key - UA('0'));
        return true;
    }
    switch (a) {
    case ACTION_CAP_SPEAKER_NEXT:
    case ACTION_CAP_SPEAKER_PREV:
        capture_speaker_step(s->c, a == ACTION_CAP_SPEAKER_NEXT ? 1 : -1);
        return true;
    case ACTION_CAP_TOPIC:
    case ACTION_CAP_TOPIC_PREV:
        capture_topic_step(s->c, a == ACTION_CAP_TOPIC ? 1 : -1);
        return true;
    case ACTION_CAP_PHASE:
        capture_phase_step(s->c, 1);
        return true;
    case ACTION_CAP_QUOTE:
        s->c->quote = !s->c->quote;
        return true;
    default:
        return false;
    }
}

static void begin_correction(struct cscreen *s)
{
    const char *text = capture_edit_begin(s->c, s->selected);
    if (!text)
        return;
    if (!s->c->editable) {
        capture_edit_end(s->c);
        cap_set_message(s, _("This record is finalized: reopen it to correct notes."), true);
        return;
    }
    textedit_set(&s->edit, text);
    s->mode = CAP_CORRECTING;
    cap_set_message(s, NULL, false);
}

static enum key_result earlier_key(struct cscreen *s, enum action a)
{
    size_t n = s->c->nnotes;
    switch (a) {
    case ACTION_UP:
    case ACTION_PAGE_UP:
        s->selected -= s->selected >= (a == ACTION_UP ? 1u : 5u) ? (a == ACTION_UP ? 1u : 5u)
                                                                   : s->selected;
        break;
    case ACTION_DOWN:
    case ACTION_PAGE_DOWN:
        s->selected += a == ACTION_DOWN ? 1 : 5;
        if (s->selected >= n)
            s->selected = n ? n - 1 : 0;
        break;
    case ACTION_FIRST:
        s->selected = 0;
        break;
    case ACTION_LAST:
        s->selected = n ? n - 1 : 0;
        break;
    case ACTION_CAP_CORRECT:
        begin_correction(s);
        break;
    case ACTION_CAP_REMOVE:
        if (n && s->c->editable)
            s->mode = CAP_ASK_REMOVE;
        break;
    case ACTION_CAP_TYPE:
        s->mode = CAP_TYPING;
        cap_set_message(s, NULL, false);
        break;
    default:
        return KEY_UNHANDLED;
    }
    if (s->mode == CAP_EARLIER && s->selected < n && s->c->notes[s->selected].error)
        cap_set_message(s, s->c->notes[s->selected].error, true);
    return KEY_HANDLED;
}

static enum key_result prompt_key(struct cscreen *s, int key, enum action a)
{
    char *msg = NULL;
    if (s->mode == CAP_ASK_CODE) {
        if (a == ACTION_BACK) {
            s->mode = CAP_TYPING;
        } else if (a == ACTION_ENTER) {
            free(s->code);
            s->code = xstrdup(s->prompt.text);
            s->mode = CAP_ASK_CONSENT;
        } else if (!text_key(s, &s->prompt, key)) {
            return KEY_UNHANDLED;
        }
        return KEY_HANDLED;
    }
    if (s->mode == CAP_ASK_CONSENT) {
        if (a == ACTION_BACK) {
            s->mode = CAP_TYPING;
            return KEY_HANDLED;
        }
        const char *consent = key == 'y' || key == 'Y' ? "yes" : key == 'n' || key == 'N' ? "no" : "";
        s->mode = CAP_TYPING;
        if (capture_participant_add(s->c, s->code, consent, &msg))
            message_take(s, xasprintf(_("%s joined the roster and speaks now."), s->code), false);
        else
            message_take(s, msg, true);
        return KEY_HANDLED;
    }
    if (s->mode == CAP_ASK_REMOVE) {
        s->mode = CAP_EARLIER;
        if (key == 'y' || key == 'Y') {
            if (capture_remove(s->c, s->selected, &msg))
                cap_set_message(s, _("The note was removed (the file keeps a tombstone)."), false);
            else
                message_take(s, msg, true);
            if (s->selected >= s->c->nnotes)
                s->selected = s->c->nnotes ? s->c->nnotes - 1 : 0;
        } else {
            cap_set_message(s, _("Nothing was removed."), false);
        }
        return KEY_HANDLED;
    }
    /* CAP_ASK_LEAVE */
    s->mode = CAP_TYPING;
    if (key == 27)
        return KEY_LEAVE;
    if (a == ACTION_ENTER) {
        save_draft(s);
        return KEY_LEAVE;
    }
    cap_set_message(s, NULL, false);
    return KEY_HANDLED;
}

static enum key_result typing_key(struct cscreen *s, int key, enum action a)
{
    struct textedit *t = cap_input(s);
    if (a != ACTION_CAP_SPEAKER_NEXT && a != ACTION_CAP_SAVE && text_key(s, t, key))
        return KEY_HANDLED;
    if (chord(s, key, a))
        return KEY_HANDLED;
    bool correcting = s->mode == CAP_CORRECTING;
    switch (a) {
    case ACTION_CAP_SAVE:
        if (correcting)
            save_correction(s);
        else
            save_draft(s);
        return KEY_HANDLED;
    case ACTION_CAP_TYPE: /* Esc while correcting */
        capture_edit_end(s->c);
        s->mode = CAP_EARLIER;
        cap_set_message(s, _("The correction was dropped."), false);
        return KEY_HANDLED;
    case ACTION_CAP_EARLIER:
        if (s->c->nnotes) {
            s->mode = CAP_EARLIER;
            s->selected = s->c->nnotes - 1;
        }
        return KEY_HANDLED;
    case ACTION_CAP_ADD_PERSON:
        textedit_set(&s->prompt, "");
        s->mode = CAP_ASK_CODE;
        return KEY_HANDLED;
    case ACTION_CAP_PAUSE:
        cap_set_message(s, capture_pause_toggle(s->c, clock_now_ms())
                               ? _("The clock is paused: F6 starts it again.")
                               : NULL,
                        false);
        return KEY_HANDLED;
    case ACTION_CAP_BACK:
        if (!*s->draft.text)
            return KEY_LEAVE;
        s->mode = CAP_ASK_LEAVE;
        return KEY_HANDLED;
    case ACTION_QUIT_F10:
        /* a note half typed is saved rather than lost */
        if (*s->draft.text && s->c->editable)
            save_draft(s);
        return KEY_UNHANDLED;
    default:
        return KEY_UNHANDLED;
    }
}

static enum key_result mode_key(struct cscreen *s, int key, enum action a);

static enum key_result capture_key(struct ui *ui, void *state, int key, enum action a)
{
    struct cscreen *s = state;
    (void)ui;
    cap_poll(s);
    if (key != 27)
        return mode_key(s, key, a);
    /* Alt-x arrives as Esc and x at once: read x now */
    wint_t wch;
    timeout(0);
    int kind = get_wch(&wch);
    timeout(CAP_TICK_MS);
    if (kind == ERR)
        return mode_key(s, key, a);
    int alt = kind == KEY_CODE_YES ? UK((int)wch) : UA((int)wch);
    enum action aa = action_for_key_in(alt, capture_mode_actions(s));
    if ((aa != ACTION_NONE || (alt >= UA('0') && alt <= UA('9'))) &&
        (s->mode == CAP_TYPING || s->mode == CAP_CORRECTING))
        return mode_key(s, alt, aa);
    /* not a chord: Esc, then the key typed quickly after it */
    int next = kind == KEY_CODE_YES ? UK((int)wch) : (int)wch;
    enum key_result r = mode_key(s, key, a);
    if (r != KEY_HANDLED)
        return r;
    return mode_key(s, next, action_for_key_in(next, capture_mode_actions(s)));
}

static enum key_result mode_key(struct cscreen *s, int key, enum action a)
{
    if (a == ACTION_CAP_RETRY) {
        size_t n = capture_retry(s->c);
        message_take(s, xasprintf(ngettext("Saving %zu change again.", "Saving %zu changes again.", n),
                                  n), false);
        return KEY_HANDLED;
    }
    switch (s->mode) {
    case CAP_TYPING:
    case CAP_CORRECTING:
        return typing_key(s, key, a);
    case CAP_EARLIER:
        return earlier_key(s, a);
    default:
        return prompt_key(s, key, a);
    }
}

const struct screen_ops capture_screen_ops = {
    .name = "capture",
    .open = capture_open_screen,
    .draw = cap_draw,
    .key = capture_key,
    .resize = capture_resize,
    .close = capture_close,
    .actions = typing_actions,
    .mode_actions = capture_mode_actions,
};
