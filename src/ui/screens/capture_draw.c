#include "config.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/capture_int.h"
#include "ui/widgets/fit.h"
#include "ui/widgets/wrap.h"
#include "ui/widgets/yesno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows of the input: its wrapped lines, between 2 and 6. */
static int input_height(struct cscreen *s)
{
    struct textedit *t = cap_input(s);
    if (!t || t == &s->prompt)
        return 2;
    struct textedit_line *lines = NULL;
    size_t n = textedit_wrap(t, cap_input_width(s), &lines);
    free(lines);
    return n < 2 ? 2 : n > 6 ? 6 : (int)n;
}

static void draw_title(struct cscreen *s)
{
    ui_fill_row(0, s->cols, UI_TITLE);
    char clock[48];
    int64_t ms = capture_clock_ms(s->c, clock_now_ms()) / 1000;
    snprintf(clock, sizeof clock, "%s %02d:%02d:%02d",
             capture_paused(s->c) ? _("PAUSED") : _("Clock"), (int)(ms / 3600),
             (int)(ms / 60 % 60), (int)(ms % 60));
    int cw = (int)utf8_width(clock);
    ui_text(0, 1, s->c->title, s->cols - cw - 4, UI_TITLE, false);
    ui_text(0, s->cols - cw - 1, clock, cw, capture_paused(s->c) ? UI_ERROR : UI_TITLE, false);
}

/* Roster entry i as shown: its Alt digit (1-9, 0 for the 10th; none
 * beyond, no chord reaches them), code and marks (* no consent). */
static void roster_cell(const struct capture *c, size_t i, char *cell, size_t n)
{
    const struct capture_participant *p = &c->people[i];
    const char *consent = strcmp(p->consent, "no") == 0 ? "*" : "";
    const char *state = p->state == CAPTURE_FAILED ? "!" : p->state == CAPTURE_PENDING ? "~" : "";
    if (i < 10)
        /* TRANSLATORS: a roster entry: position, code, marks (* no consent) */
        snprintf(cell, n, "%zu:%s%s%s", (i + 1) % 10, p->code, consent, state);
    else
        snprintf(cell, n, "%s%s%s", p->code, consent, state);
}

static int roster_width(const struct capture *c, size_t i)
{
    char cell[64];
    roster_cell(c, i, cell, sizeof cell);
    return (int)utf8_width(cell) + 2;
}

/* The first roster entry drawn: 0, or a later one so that the current
 * speaker is in sight ("…" at the left then stands for those before). */
static size_t roster_first(const struct capture *c, int room)
{
    size_t sp = c->speaker < c->npeople ? c->speaker : 0;
    int used = 0;
    for (size_t i = 0; i <= sp; i++)
        used += roster_width(c, i);
    if (used <= room - 2)
        return 0;
    size_t first = sp;
    used = roster_width(c, sp) + 2;
    while (first > 0 && used + roster_width(c, first - 1) <= room - 2)
        used += roster_width(c, --first);
    return first;
}

static void draw_roster(struct cscreen *s)
{
    const struct capture *c = s->c;
    if (!c->npeople) {
        ui_text(1, 1, _("Nobody is in the roster yet: F5 adds a participant."), s->cols - 2,
                UI_DIM, false);
        return;
    }
    int x = 1, end = s->cols - 1;
    size_t first = roster_first(c, end - x);
    if (first > 0)
        x += ui_text(1, x, "… ", end - x, UI_DIM, false);
    for (size_t i = first; i < c->npeople; i++) {
        const struct capture_participant *p = &c->people[i];
        char cell[64];
        roster_cell(c, i, cell, sizeof cell);
        int w = roster_width(c, i);
        /* whole entries only; "…" says more follow */
        if (x + w - 2 > end - (i + 1 < c->npeople ? 2 : 0)) {
            ui_text(1, x - 1, "…", end - x + 1, UI_DIM, false); /* after one space */
            break;
        }
        enum ui_attr attr = i == c->speaker ? UI_SELECTED : strcmp(p->consent, "no") == 0
                                                                ? UI_DIM
                                                                : UI_NORMAL;
        x += ui_text(1, x, cell, end - x, attr, false);
        x += ui_text(1, x, "  ", end - x, UI_NORMAL, false);
    }
}

/* The topic's name cut so that the line around it (bare: the line with
 * an empty name, freed here) fits width columns with its phase whole: a
 * long topic name ends in "…", the phase stays. */
static char *cut_topic(const char *topic, char *bare, int width)
{
    int room = width - (int)utf8_width(bare);
    free(bare);
    return fit_clip(topic, room > 4 ? (size_t)room : 4);
}

static void draw_status(struct cscreen *s)
{
    const struct capture *c = s->c;
    size_t pending, failed;
    capture_counts(c, &pending, &failed);
    char st[128];
    if (failed)
        snprintf(st, sizeof st, ngettext("%zu NOT SAVED (F7)", "%zu NOT SAVED (F7)", failed),
                 failed);
    else if (pending)
        snprintf(st, sizeof st, ngettext("saving %zu…", "saving %zu…", pending), pending);
    else if (c->saved_count)
        snprintf(st, sizeof st, _("saved %.1f ms"), (double)c->last_commit_us / 1000.0);
    else
        st[0] = '\0';
    int sw = (int)utf8_width(st);
    const char *phase = capture_phase_label(c);
    char *cut = cut_topic(capture_topic_label(c), xasprintf(_("Topic: %s › %s"), "", phase),
                          s->cols - sw - 4);
    char *topic = xasprintf(_("Topic: %s › %s"), cut, phase);
    free(cut);
    ui_text(2, 1, topic, s->cols - sw - 4, UI_NORMAL, false);
    ui_text(2, s->cols - sw - 1, st, sw, failed ? UI_ERROR : UI_DIM, false);
    free(topic);
}

/* The header line of a note: mark, time, speaker. */
static char *note_head(const struct capture_note *n, int codew)
{
    char when[16];
    capture_format_time(n->started_at, when);
    const char *mark = n->state == CAPTURE_FAILED ? "!" : n->state == CAPTURE_PENDING ? "~" : " ";
    return xasprintf("%s%s %-*s ", mark, when, codew, *n->speaker ? n->speaker : "-");
}

/* Draw note i with its last line at row y_last; rows above ytop are not
 * drawn. Returns the rows it takes. */
static int draw_note(struct cscreen *s, size_t i, int y_last, int ytop, int codew, bool draw)
{
    const struct capture_note *n = &s->c->notes[i];
    char *head = note_head(n, codew);
    int hw = (int)utf8_width(head);
    char *text = n->quote ? xasprintf("\"%s\"", n->text) : xstrdup(n->text);
    struct textedit tmp = {.text = text, .len = strlen(text), .multiline = true};
    struct textedit_line *lines = NULL;
    size_t width = s->cols - hw - 1 > 4 ? (size_t)(s->cols - hw - 1) : 4;
    size_t nl = textedit_wrap(&tmp, width, &lines);
    /* a topic or phase change is shown above the first note under it */
    const struct capture_note *prev = i ? &s->c->notes[i - 1] : NULL;
    bool header = !prev || strcmp(prev->topic, n->topic) != 0 || strcmp(prev->phase, n->phase) != 0;
    int rows = (int)nl + (header ? 1 : 0);
    bool selected = (s->mode == CAP_EARLIER || s->mode == CAP_ASK_REMOVE ||
                     s->mode == CAP_CORRECTING) && i == s->selected;
    enum ui_attr attr = selected ? UI_SELECTED : n->state == CAPTURE_FAILED ? UI_ERROR : UI_NORMAL;
    int y = y_last - rows + 1;
    if (draw && header && y >= ytop) {
        const char *phase = capture_phase_label_of(s->c, n->phase);
        char *cut = cut_topic(capture_topic_label_of(s->c, n->topic),
                              xasprintf("── %s › %s", "", phase), s->cols - 2);
        char *h = xasprintf("── %s › %s", cut, phase);
        free(cut);
        ui_text(y, 1, h, s->cols - 2, UI_DIM, false);
        free(h);
    }
    y += header ? 1 : 0;
    for (size_t k = 0; draw && k < nl; k++, y++) {
        if (y < ytop)
            continue;
        ui_text(y, 0, k == 0 ? head : "", hw, attr, true);
        if (selected && k == 0)
            s->selected_y = y;
        char save = text[lines[k].end];
        text[lines[k].end] = '\0';
        ui_text(y, hw, text + lines[k].start, s->cols - hw, attr, selected);
        text[lines[k].end] = save;
    }
    free(lines);
    free(text);
    free(head);
    return rows;
}

static void draw_transcript(struct cscreen *s, int ytop, int ybottom)
{
    const struct capture *c = s->c;
    int codew = 1;
    for (size_t i = 0; i < c->npeople; i++)
        if ((int)utf8_width(c->people[i].code) > codew)
            codew = (int)utf8_width(c->people[i].code);
    if (!c->nnotes) {
        ui_text(ytop, 1, _("No notes yet. Type what is said; Enter saves the note."), s->cols - 2,
                UI_DIM, false);
        return;
    }
    /* the last note at the bottom, or the selected one when it is above */
    size_t last = c->nnotes - 1;
    bool selecting = s->mode != CAP_TYPING && s->mode != CAP_ASK_CODE &&
                     s->mode != CAP_ASK_CONSENT && s->mode != CAP_ASK_LEAVE;
    if (selecting && s->selected < c->nnotes) {
        int used = 0;
        for (size_t i = s->selected; i <= last; i++)
            used += draw_note(s, i, 0, 0, codew, false);
        while (used > ybottom - ytop + 1 && last > s->selected)
            used -= draw_note(s, last--, 0, 0, codew, false);
    }
    int y = ybottom;
    for (size_t i = last + 1; i-- > 0 && y >= ytop;)
        y -= draw_note(s, i, y, ytop, codew, true);
}

/* The line above the input: what it is for, or the question asked. */
static char *input_label(struct cscreen *s)
{
    const struct capture *c = s->c;
    char *label;
    char yes[5], no[5];
    yesno_letters(yes, no);
    if (s->mode == CAP_ASK_CODE)
        label = xstrdup(_("New participant's code (Enter, then consent y/n; Esc cancels):"));
    else if (s->mode == CAP_ASK_CONSENT)
        /* TRANSLATORS: %1$s is the participant's code; %2$s and %3$s the
         * letters for yes and no (the translation of "yn") */
        label = xasprintf(_("Has %1$s given informed consent? %2$s yes, %3$s no, Enter not "
                            "asked yet"),
                          s->code, yes, no);
    else if (s->mode == CAP_ASK_REMOVE)
        /* TRANSLATORS: %1$s and %2$s are the letters for yes and no */
        label = xasprintf(_("Remove the selected note? %1$s removes it, %2$s keeps it"), yes, no);
    else if (s->mode == CAP_ASK_LEAVE)
        /* TRANSLATORS: one row of at most 78 columns */
        label = xstrdup(_("Note not saved yet: Esc leaves without it, Enter saves it, other keys "
                          "go back"));
    else if (s->mode == CAP_CORRECTING)
        label = xasprintf(_("Correcting a note of %s%s — Enter saves a new revision, Esc cancels"),
                          *capture_speaker_code(c) ? capture_speaker_code(c) : "-",
                          c->quote ? _(", quote") : "");
    else if (s->mode == CAP_EARLIER)
        label = xstrdup(_("Enter corrects the selected note, Del removes it, Esc goes back to "
                          "typing"));
    else
        label = xasprintf(_("Note by %s%s"),
                          *capture_speaker_code(c) ? capture_speaker_code(c) : _("(no speaker)"),
                          c->quote ? _(" — QUOTE") : "");
    return label;
}

/* Rows of the label above the input: it wraps onto a second row (taken
 * from the transcript) rather than being cut. */
static int label_rows(struct cscreen *s, const char *label)
{
    return fit_rows(label, s->cols > 4 ? (size_t)s->cols - 2 : 2) > 1 ? 2 : 1;
}

/* The input's label on rows y - lrows + 1 .. y, the input below it. */
static void draw_input(struct cscreen *s, int y, int h, const char *label, int lrows)
{
    if (s->mode == CAP_ASK_REMOVE) {
        yesno_draw(y, s->cols, label);
    } else {
        for (int k = 0; k < lrows; k++)
            ui_fill_row(y - k, s->cols, UI_HINT);
        struct wrap_view v = {.y = y - lrows + 1, .x = 1, .width = (size_t)s->cols - 2,
                              .rows = (size_t)lrows, .attr = UI_HINT, .ellipsis = true};
        wrap_draw(&v, label);
    }
    struct textedit *t = cap_input(s);
    if (!t)
        return;
    struct wrap_view v = {.y = y + 1, .x = 1, .width = cap_input_width(s), .rows = (size_t)h,
                          .attr = UI_NORMAL};
    wrap_draw_edit(&v, t);
}

void cap_draw(struct ui *ui, void *state, int rows, int cols)
{
    struct cscreen *s = state;
    (void)ui;
    s->rows = rows;
    s->cols = cols;
    timeout(CAP_TICK_MS);
    cap_poll(s);
    draw_title(s);
    draw_roster(s);
    draw_status(s);
    int h = input_height(s);
    int yinput = rows - 2 - h;
    char *label = input_label(s);
    int lrows = s->mode == CAP_ASK_REMOVE ? 1 : label_rows(s, label);
    s->selected_y = -1;
    draw_transcript(s, 3, yinput - lrows);
    if (s->message)
        ui_text(rows - 1, 1, s->message, cols - 2, s->message_error ? UI_ERROR : UI_DIM, false);
    /* the input last: it leaves the cursor where the typing goes */
    draw_input(s, yinput, h, label, lrows);
    free(label);
    /* with no input, the cursor where the user's attention is: on the
     * selected note, or at the question asked (screen readers follow it) */
    if (cap_input(s) || s->mode == CAP_ASK_REMOVE)
        return; /* the input, or yesno_draw, placed it */
    if (s->selected_y >= 0)
        move(s->selected_y, 0);
    else if (s->mode == CAP_ASK_CONSENT || s->mode == CAP_ASK_LEAVE)
        move(yinput - lrows + 1, 1);
    else
        move(rows - 1, 0);
}
