/* app/capture.h: live focus-group capture (SPEC 5.4) without curses.
 *
 * A capture is one record's imas-log repeat (the notes) and the roster its
 * speaker field chooses from (the repeat its itemset names), as the screen
 * shows them: the participants in roster order, the current speaker (by
 * roster position), topic and phase (the form's choices), the draft's start
 * time (its first keystroke), the quote flag, and the transcript.
 *
 * Every change becomes a capture_job handed to the submit function (the
 * writer thread, or capture_job_run at once in tests); the note or
 * participant shows as pending until capture_apply gets the job back, then
 * saved or failed. A failed change stays on screen and can be retried. */
#ifndef IMAS_APP_CAPTURE_H
#define IMAS_APP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"
#include "form/catalog.h"
#include "form/form.h"
#include "store/store.h"
#include "survey/notes_log.h"
#include "app/capture_writer.h"

enum capture_state {
    CAPTURE_SAVED,
    CAPTURE_PENDING, /* queued or being written */
    CAPTURE_FAILED,  /* the file refused it: error says why */
};

struct capture_participant {
    char uuid[UUID_STR_LEN];
    char *code;    /* "" when not given yet */
    char *consent; /* the consent answer ("yes", "no") or "" */
    enum capture_state state;
    enum capture_job_kind failed; /* what to retry */
    char *error;
    unsigned long job; /* the last job that changed it */
};

struct capture_note {
    char uuid[UUID_STR_LEN];
    /* never NULL: "" when empty */
    char *speaker, *topic, *phase, *text, *tags;
    bool quote;
    int64_t started_at, committed_at; /* ms UTC; 0 when unknown */
    enum capture_state state;
    enum capture_job_kind failed; /* what to retry */
    bool removing;                /* a tombstone is on its way */
    char *error;
    unsigned long job;
};

/* Free a note's strings (the note itself is an array element). */
void capture_note_clear(struct capture_note *n);

struct capture {
    struct store *store; /* for reading (the screen's connection) */
    const struct form *form;
    struct form *owned_form; /* loaded here from the file (capture_open_record), or NULL */
    const char *lang;
    char record[UUID_STR_LEN];
    char *title; /* survey_record_title */
    bool editable; /* a draft in a writable file */
    const struct form_node *log;     /* the imas-log repeat */
    const struct form_node *roster;  /* the repeat speakers come from, or NULL */
    const char *code_field, *consent_field; /* in the roster */
    const struct form_node *topic_node, *phase_node;
    struct survey_log f; /* where a note's parts are stored */

    struct capture_participant *people; /* those with a code, in roster order */
    size_t npeople;
    char (*blank)[UUID_STR_LEN]; /* roster entries without a code yet */
    size_t nblank;
    struct capture_note *notes; /* in store order, new ones last */
    size_t nnotes;

    size_t speaker;   /* index into people; SIZE_MAX: nobody chosen */
    size_t topic, phase; /* index into the node's choices */
    bool quote;       /* the draft is a verbatim quote */
    int64_t draft_started; /* ms UTC of the draft's first keystroke; 0 none */
    size_t editing;   /* the note being corrected; SIZE_MAX none */
    struct { size_t speaker, topic, phase; bool quote; int64_t draft_started; } saved;

    /* the running clock: ms since clock_base, pauses left out */
    int64_t clock_base, paused_ms, paused_since; /* paused_since 0: running */

    /* where jobs go; the job is the callee's from then on */
    void (*submit)(void *ctx, struct capture_job *j);
    void *submit_ctx;
    unsigned long next_job;
    int64_t last_commit_us, max_commit_us;
    size_t saved_count;
};

/* Read the record's roster and notes. NULL with err when the record is
 * missing or its form has no imas-log repeat with a text field. */
struct capture *capture_open(struct store *st, const struct form *f, const char *record,
                             const char *lang, struct error *err);
/* The same with the record's form found by survey_form_of (the file's
 * copy, else cat's same version); the capture keeps it. */
struct capture *capture_open_record(struct store *st, const struct form_catalog *cat,
                                    const char *record, const char *lang, struct error *err);
void capture_free(struct capture **c);

/* ---- speaker, topic, phase, quote ---------------------------------------- */

/* Speaker = the participant at roster position pos (0-based); false when
 * there is none there. */
bool capture_speaker_set(struct capture *c, size_t pos);
/* The next (dir 1) or previous (-1) participant, wrapping. */
void capture_speaker_step(struct capture *c, int dir);
/* The current speaker's code, or "" when none is chosen. */
const char *capture_speaker_code(const struct capture *c);
void capture_topic_step(struct capture *c, int dir);
void capture_phase_step(struct capture *c, int dir);
/* The value and label (in c->lang) of the current topic and phase; "" when
 * the form has none. */
const char *capture_topic_value(const struct capture *c);
const char *capture_topic_label(const struct capture *c);
const char *capture_phase_value(const struct capture *c);
const char *capture_phase_label(const struct capture *c);
/* Labels of a stored value (a note's topic), "" when unknown. */
const char *capture_topic_label_of(const struct capture *c, const char *value);
const char *capture_phase_label_of(const struct capture *c, const char *value);

/* ---- the draft and notes ------------------------------------------------- */

/* The draft now holds text: its start time is taken at the first keystroke
 * (clock_now_ms), and forgotten when the draft is emptied. */
void capture_draft_typed(struct capture *c, const char *text);
/* The #tags of text as a note stores them (survey_tags_of, survey/tags.h):
 * lower-cased, without '#', each once, space-separated; fresh. */
char *capture_tags(const char *text);

/* Commit the draft as a new note (speaker, topic, phase, quote as now,
 * started when typing began, committed now): added to the transcript as
 * pending and submitted. False with *msg (fresh) when there is nothing to
 * save or the record cannot be changed. Resets the draft's start and the
 * quote flag. */
bool capture_commit(struct capture *c, const char *text, char **msg);

/* Correct note i: its speaker, topic, phase and quote become the current
 * ones (the current ones are kept aside until capture_edit_end), and its
 * text is returned for editing. NULL when i is not a live note. */
const char *capture_edit_begin(struct capture *c, size_t i);
/* Save the correction: a new revision of what changed (text, tags
 * re-parsed, speaker, topic, phase, quote); the store keeps the old one.
 * Ends the correction. False with *msg when the text is empty. */
bool capture_edit_commit(struct capture *c, const char *text, char **msg);
/* Leave the correction, restoring speaker, topic, phase and quote. */
void capture_edit_end(struct capture *c);

/* Remove note i (a tombstone): gone from the transcript once saved. */
bool capture_remove(struct capture *c, size_t i, char **msg);

/* Add a participant to the roster (code must be 1-12 letters A-Z, digits,
 * '_' or '-', not already used; consent "yes", "no" or ""): the first
 * roster entry without a code gets it (the form pre-fills one), else a new
 * entry is made. */
bool capture_participant_add(struct capture *c, const char *code, const char *consent,
                             char **msg);
/* Whether code could join the roster now (the same checks), so the
 * screen asks for consent only then; *msg says why not (free it). */
bool capture_participant_code_ok(const struct capture *c, const char *code, char **msg);

/* A job has run: mark what it changed saved or failed. Does not free j. */
void capture_apply(struct capture *c, const struct capture_job *j);
/* Submit again every change that failed; returns how many. */
size_t capture_retry(struct capture *c);
/* Notes and participants pending, and failed. */
void capture_counts(const struct capture *c, size_t *pending, size_t *failed);

/* ---- the clock ------------------------------------------------------------ */

/* Milliseconds on the running clock at now_ms (pauses left out). */
int64_t capture_clock_ms(const struct capture *c, int64_t now_ms);
/* Pause, or go on after a pause; true when paused now. */
bool capture_pause_toggle(struct capture *c, int64_t now_ms);
bool capture_paused(const struct capture *c);
/* "HH:MM:SS" local time of ms into out. */
void capture_format_time(int64_t ms, char out[16]);

#endif
