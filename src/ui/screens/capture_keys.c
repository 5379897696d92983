/* ui/screens/capture_keys.c: what the keys do on the capture screen:
 * typing a note and its chords (speaker, topic, phase, quote), saving it;
 * the earlier notes, correcting or removing one; adding a participant;
 * leaving with a note half typed. Alt chords arrive as Esc and a key. */
#include "config.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/audit.h"
#include "store/store.h"
#include "ui/curses.h"
#include "ui/screens/capture_int.h"
#include "ui/widgets/list.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/yesno.h"

#include <stdint.h>
#include <stdlib.h>

/* F6 (and leaving the screen while paused): the clock paused or started
 * again, kept in the record's audit so that the transcript marks the pause
 * and the notes typed during it. */
void cap_refuse(struct cscreen *s, const char *what)
{
    const char *why = store_readonly(s->ui->store)
                          ? store_readonly_reason(s->ui->store)
                          : _("the record is finalized: reopen it on home with r");
    /* "Nobody added: in use by imas-survey process 4242 since 10:15: read-only" */
    cap_message_take(s, xasprintf("%s: %s", what, why), true);
}

void cap_pause(struct cscreen *s)
{
    bool paused = capture_pause_toggle(s->c, clock_now_ms());
    struct error err = ERROR_INIT;
    if (s->c->editable &&
        !store_audit_event(s->ui->store, s->c->record, paused ? "pause" : "resume", &err)) {
        cap_message_take(s, error_format(&err), true);
        error_clear(&err);
        return;
    }
    cap_set_message(s, paused ? _("The clock is paused: F6 starts it again.") : NULL, false);
}

static const enum action newline_actions[] = {ACTION_CAP_NEWLINE, ACTION_NONE};

/* Enter saves a note, so Ctrl-J is its new line; Up and Down stay in the
 * note even on its first and last line. */
static bool text_key(struct cscreen *s, struct textedit *t, int key)
{
    enum action ta = t->multiline ? action_in(key, text_keys_lines) : ACTION_NONE;
    if (text_keys_edit(t, key, cap_input_width(s), false))
        ;
    else if (t->multiline && action_in(key, newline_actions) == ACTION_CAP_NEWLINE)
        textedit_insert_cp(t, '\n');
    else if (ta != ACTION_TEXT_LINE_UP && ta != ACTION_TEXT_LINE_DOWN)
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
        cap_message_take(s, msg, true);
    }
}

static void save_correction(struct cscreen *s)
{
    char *msg = NULL;
    if (capture_edit_commit(s->c, s->edit.text, &msg)) {
        s->mode = CAP_EARLIER;
        cap_set_message(s, _("Corrected: a new revision; the old one is kept in the file."), false);
    } else {
        cap_message_take(s, msg, true);
    }
}

static void speaker_at(struct cscreen *s, int digit)
{
    size_t pos = digit == 0 ? 9 : (size_t)digit - 1;
    if (!capture_speaker_set(s->c, pos)) {
        char *msg = xasprintf(_("Nobody is at position %zu of the roster (F5 adds a participant)."),
                              pos + 1);
        cap_message_take(s, msg, true);
    }
}

/* The chords that work while typing a note or a correction. */
static bool chord(struct cscreen *s, int key, enum action a)
{
    switch (a) {
    case ACTION_CAP_SPEAKER:
        speaker_at(s, key - UA('0'));
        return true;
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
        cap_refuse(s, _("Not corrected"));
        return;
    }
    textedit_set(&s->edit, text);
    s->mode = CAP_CORRECTING;
    cap_set_message(s, NULL, false);
}

static enum key_result earlier_key(struct cscreen *s, enum action a)
{
    size_t n = s->c->nnotes;
    /* the notes are drawn from the bottom up: a page is five notes */
    struct list_state l = {.count = n, .selected = s->selected, .height = 6};
    if (list_key(&l, a)) {
        s->selected = l.selected;
        a = ACTION_NONE;
    }
    switch (a) {
    case ACTION_NONE:
        break;
    case ACTION_CAP_CORRECT:
        begin_correction(s);
        break;
    case ACTION_CAP_REMOVE:
        if (n && s->c->editable)
            s->mode = CAP_ASK_REMOVE;
        else if (n)
            cap_refuse(s, _("Nothing removed"));
        break;
    case ACTION_CAP_TYPE:
        s->mode = CAP_TYPING;
        cap_set_message(s, NULL, false);
        break;
    case ACTION_RO_CAP_CORRECT:
        cap_refuse(s, _("Not corrected"));
        break;
    case ACTION_RO_CAP_REMOVE:
        cap_refuse(s, _("Nothing removed"));
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
            /* a code that cannot join is refused here, before consent is
             * asked: the prompt stays open with the code to correct */
            if (!capture_participant_code_ok(s->c, s->prompt.text, &msg)) {
                cap_message_take(s, msg, true);
                return KEY_HANDLED;
            }
            free(s->code);
            s->code = xstrdup(s->prompt.text);
            s->mode = CAP_ASK_CONSENT;
        } else if (!text_key(s, &s->prompt, key)) {
            return KEY_UNHANDLED;
        }
        return KEY_HANDLED;
    }
    if (s->mode == CAP_ASK_CONSENT) {
        /* Esc and F10 answer no (yesno_answer): the participant and the
         * typed code are kept, never dropped by a key meant as "no" */
        /* Enter records that it was not asked; a key that is not an
         * answer is refused, never stored as "not asked" */
        enum yesno ans = a == ACTION_CAP_NO_CONSENT ? YESNO_OTHER : yesno_answer(key, a);
        if (ans == YESNO_OTHER && a != ACTION_CAP_NO_CONSENT) {
            if (yesno_passes(a) || a == ACTION_QUIT_F10)
                return KEY_UNHANDLED;
            cap_message_take(s, yesno_refusal(), true);
            return KEY_HANDLED;
        }
        const char *consent = ans == YESNO_YES ? "yes" : ans == YESNO_NO ? "no" : "";
        s->mode = CAP_TYPING;
        if (capture_participant_add(s->c, s->code, consent, &msg))
            cap_message_take(s, xasprintf(_("%s joined the roster and speaks now."), s->code),
                             false);
        else
            cap_message_take(s, msg, true);
        return KEY_HANDLED;
    }
    if (s->mode == CAP_ASK_REMOVE) {
        if (yesno_passes(a))
            return KEY_UNHANDLED;
        enum yesno ans = yesno_answer(key, a);
        if (ans == YESNO_OTHER) { /* refused: the question stays open */
            cap_message_take(s, yesno_refusal(), true);
            return KEY_HANDLED;
        }
        s->mode = CAP_EARLIER;
        if (ans == YESNO_YES) {
            if (capture_remove(s->c, s->selected, &msg))
                cap_set_message(s, _("The note was removed (the file keeps a tombstone)."), false);
            else
                cap_message_take(s, msg, true);
            if (s->selected >= s->c->nnotes)
                s->selected = s->c->nnotes ? s->c->nnotes - 1 : 0;
        } else {
            cap_set_message(s, _("Nothing was removed."), false);
        }
        return KEY_HANDLED;
    }
    /* CAP_ASK_LEAVE: F1 shows what its keys do, the question stays */
    if (a == ACTION_HELP || a == ACTION_REDRAW)
        return KEY_UNHANDLED;
    s->mode = CAP_TYPING;
    if (a == ACTION_CAP_LEAVE)
        return KEY_LEAVE;
    if (a == ACTION_CAP_SAVE_LEAVE) {
        save_draft(s);
        return KEY_LEAVE;
    }
    cap_set_message(s, NULL, false);
    return KEY_HANDLED;
}

static enum key_result typing_key(struct cscreen *s, int key, enum action a)
{
    struct textedit *t = cap_input(s);
    bool view_only = !s->c->editable && s->mode == CAP_TYPING;
    if (view_only && key >= ' ' && key < UI_KEYCODE_BASE && key != 127) {
        /* a note that could not be saved is not typed at all */
        cap_refuse(s, _("No note taken"));
        return KEY_HANDLED;
    }
    if (!view_only && a != ACTION_CAP_SPEAKER_NEXT && a != ACTION_CAP_SAVE && text_key(s, t, key))
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
        if (!s->c->editable) { /* at once, not after the code is typed */
            cap_refuse(s, _("Nobody added"));
            return KEY_HANDLED;
        }
        textedit_set(&s->prompt, "");
        s->mode = CAP_ASK_CODE;
        return KEY_HANDLED;
    case ACTION_CAP_PAUSE:
        cap_pause(s);
        return KEY_HANDLED;
    case ACTION_RO_CAP_SAVE:
        cap_refuse(s, _("No note taken"));
        return KEY_HANDLED;
    case ACTION_RO_CAP_ADD_PERSON:
        cap_refuse(s, _("Nobody added"));
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

enum key_result cap_key(struct ui *ui, void *state, int key, enum action a)
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
    enum action aa = action_for_key_in(alt, cap_mode_actions(s));
    if (aa != ACTION_NONE && (s->mode == CAP_TYPING || s->mode == CAP_CORRECTING))
        return mode_key(s, alt, aa);
    /* not a chord: Esc, then the key typed quickly after it */
    int next = kind == KEY_CODE_YES ? UK((int)wch) : (int)wch;
    enum key_result r = mode_key(s, key, a);
    if (r != KEY_HANDLED)
        return r;
    return mode_key(s, next, action_for_key_in(next, cap_mode_actions(s)));
}

static enum key_result mode_key(struct cscreen *s, int key, enum action a)
{
    if (a == ACTION_CAP_RETRY) {
        size_t n = capture_retry(s->c);
        cap_message_take(
            s, xasprintf(ngettext("Saving %zu change again.", "Saving %zu changes again.", n), n),
            false);
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
