/* ui/screens/capture.c: the capture screen: opening it on a record (its
 * form, the writer thread), saving through the writer or on the screen's
 * connection, taking the writer's results, resizing and closing. What the
 * keys do is in capture_keys.c, the drawing in capture_draw.c. */
#include "config.h"

#include "ui/screens/capture.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/store.h"
#include "ui/curses.h"
#include "ui/screens/capture_int.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/yesno.h"

#include <stdlib.h>
#include <string.h>

static const enum action typing_actions[] = {
    ACTION_HELP,        ACTION_QUIT_F10,      ACTION_CAP_SAVE,  ACTION_CAP_SPEAKER,
    ACTION_CAP_TOPIC,   ACTION_CAP_PHASE,     ACTION_CAP_QUOTE, ACTION_CAP_EARLIER,
    ACTION_CAP_ADD_PERSON, ACTION_CAP_PAUSE,  ACTION_CAP_BACK,  ACTION_CAP_SPEAKER_NEXT,
    ACTION_CAP_SPEAKER_PREV, ACTION_CAP_TOPIC_PREV, ACTION_CAP_NEWLINE, ACTION_CAP_RETRY,
    ACTION_REDRAW,      ACTION_CAP_CLOCK, ACTION_NONE,
};

/* A note's text field: the text keys but Enter (which saves the note). */
static const enum action cap_note_keys[] = {
    ACTION_TEXT_BACKSPACE, ACTION_TEXT_BACKSPACE_H, ACTION_TEXT_DELETE,    ACTION_TEXT_LEFT,
    ACTION_TEXT_RIGHT,     ACTION_TEXT_HOME,        ACTION_TEXT_END,       ACTION_TEXT_WORD,
    ACTION_TEXT_CLEAR,     ACTION_TEXT_LINE_UP,     ACTION_TEXT_LINE_DOWN, ACTION_NONE,
};

static const enum action earlier_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_CAP_CORRECT, ACTION_CAP_REMOVE, ACTION_CAP_TYPE,
    ACTION_UP,        ACTION_DOWN,      ACTION_PAGE_UP,     ACTION_PAGE_DOWN,  ACTION_FIRST,
    ACTION_LAST,      ACTION_CAP_RETRY, ACTION_REDRAW,      ACTION_NONE,
};

/* The notes can only be read (a finalized record, a read-only file): the
 * hint bar offers what works; Enter, F5, Del say why not at once. */
static const enum action ro_typing_actions[] = {
    ACTION_HELP,        ACTION_QUIT_F10,      ACTION_CAP_EARLIER, ACTION_CAP_BACK,
    ACTION_CAP_SPEAKER, ACTION_CAP_TOPIC,     ACTION_CAP_PHASE,   ACTION_CAP_QUOTE,
    ACTION_CAP_PAUSE,   ACTION_CAP_SPEAKER_NEXT, ACTION_CAP_SPEAKER_PREV,
    ACTION_CAP_TOPIC_PREV, ACTION_CAP_NEWLINE, ACTION_CAP_RETRY, ACTION_REDRAW,
    ACTION_CAP_CLOCK,   ACTION_RO_CAP_SAVE,   ACTION_RO_CAP_ADD_PERSON, ACTION_NONE,
};

static const enum action ro_earlier_actions[] = {
    ACTION_HELP,      ACTION_QUIT_F10,  ACTION_CAP_TYPE,  ACTION_UP,
    ACTION_DOWN,      ACTION_PAGE_UP,   ACTION_PAGE_DOWN, ACTION_FIRST,
    ACTION_LAST,      ACTION_CAP_RETRY, ACTION_REDRAW,    ACTION_RO_CAP_CORRECT,
    ACTION_RO_CAP_REMOVE, ACTION_NONE,
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

static const enum action consent_actions[] = {
    /* Esc is no, as on every yes/no question (yesno_answer) */
    ACTION_HELP, ACTION_QUIT_F10, ACTION_YES, ACTION_NO, ACTION_CAP_NO_CONSENT, ACTION_NONE,
};

static const enum action leave_actions[] = {
    ACTION_HELP, ACTION_QUIT_F10, ACTION_CAP_SAVE_LEAVE, ACTION_CAP_LEAVE, ACTION_NONE,
};

void cap_set_message(struct cscreen *s, const char *msg, bool error)
{
    free(s->message);
    s->message = msg ? xstrdup(msg) : NULL;
    s->message_error = error;
}

void cap_message_take(struct cscreen *s, char *msg, bool error)
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
            cap_message_take(s, msg, true);
        }
        capture_job_free(&j);
    }
    /* a removal that reached the file takes its note off the list */
    if (s->selected >= s->c->nnotes)
        s->selected = s->c->nnotes ? s->c->nnotes - 1 : 0;
}

/* ---- opening ----------------------------------------------------------------- */

static void *capture_open_screen(struct ui *ui, void *arg)
{
    struct capture_args *args = arg;
    struct error err = ERROR_INIT;
    struct cscreen *s = xcalloc(1, sizeof *s);
    s->ui = ui;
    s->c = args->form ? capture_open(ui->store, args->form, args->record, ui->lang, &err)
                      : capture_open_record(ui->store, ui->catalog, args->record, ui->lang, &err);
    if (!s->c) {
        args->error = error_format(&err);
        error_clear(&err);
        free(s);
        return NULL;
    }
    if (s->c->editable) {
        s->w = capture_writer_start(ui->store, &err);
        if (!s->w) {
            char *why = error_format(&err);
            cap_message_take(s, xasprintf(_("Notes are saved as they are typed (%s)"), why), true);
            free(why);
            error_clear(&err);
        }
    } else if (store_readonly(ui->store)) {
        /* TRANSLATORS: %s is why the file is read-only, e.g. "in use by
         * imas-survey process 4242 since 10:15: read-only" */
        cap_message_take(s, xasprintf(_("View only: %s"),
                                      store_readonly_reason(ui->store)),
                         false);
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
    if (capture_paused(s->c))
        cap_pause(s); /* the pause ends with the screen */
    timeout(-1);
    capture_free(&s->c);
    textedit_free(&s->draft);
    textedit_free(&s->edit);
    textedit_free(&s->prompt);
    free(s->code);
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

const enum action *cap_mode_actions(void *state)
{
    struct cscreen *s = state;
    switch (s->mode) {
    case CAP_TYPING:
        return s->c->editable ? typing_actions : ro_typing_actions;
    case CAP_EARLIER:
        return s->c->editable ? earlier_actions : ro_earlier_actions;
    case CAP_CORRECTING:
        return correcting_actions;
    case CAP_ASK_CONSENT:
        return consent_actions;
    case CAP_ASK_REMOVE:
        return yesno_actions;
    case CAP_ASK_LEAVE:
        return leave_actions;
    default:
        return prompt_actions;
    }
}

static const enum action *cap_widget_actions(void *state)
{
    struct cscreen *s = state;
    switch (s->mode) {
    case CAP_TYPING:
    case CAP_CORRECTING:
        return cap_note_keys; /* Enter saves: Ctrl-J is the new line */
    case CAP_ASK_CODE:
        return text_keys_line;
    default:
        return NULL;
    }
}

static const enum action *const cap_action_sets[] = {
    typing_actions, earlier_actions, correcting_actions, prompt_actions,
    consent_actions, yesno_actions, leave_actions, cap_note_keys,
    ro_typing_actions, ro_earlier_actions, NULL,
};

const struct screen_ops capture_screen_ops = {
    .name = "capture",
    .open = capture_open_screen,
    .draw = cap_draw,
    .key = cap_key,
    .resize = capture_resize,
    .close = capture_close,
    .actions = typing_actions,
    .mode_actions = cap_mode_actions,
    .widget_actions = cap_widget_actions,
    .action_sets = cap_action_sets,
};
