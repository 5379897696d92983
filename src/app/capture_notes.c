#include "config.h"

#include "app/capture.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "survey/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tags ------------------------------------------------------------------- */

char *capture_tags(const char *text)
{
    return survey_tags_of(text);
}

/* ---- jobs -------------------------------------------------------------------- */

/* Text without leading and trailing white space, fresh. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *t = xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

static void answer(struct capture_job *j, const char *field, const char *value, bool keep_empty)
{
    if (!field)
        return;
    if (value && *value)
        capture_job_answer(j, field, value);
    else if (keep_empty)
        capture_job_answer(j, field, NULL);
}

static void submit(struct capture *c, struct capture_job *j, unsigned long *job_of)
{
    j->id = ++c->next_job;
    *job_of = j->id;
    c->submit(c->submit_ctx, j);
}

/* The job writing note n whole: a new item (ADD) or all its values (SET). */
static void submit_note(struct capture *c, struct capture_note *n, enum capture_job_kind kind)
{
    struct capture_job *j = capture_job_new(kind, c->record, n->uuid, c->log->path);
    bool set = kind == CAPTURE_JOB_SET;
    answer(j, c->f.speaker, n->speaker, set);
    answer(j, c->f.topic, n->topic, set);
    answer(j, c->f.phase, n->phase, set);
    answer(j, c->f.text, n->text, set);
    answer(j, c->f.tags, n->tags, set);
    answer(j, c->f.quote, n->quote ? "yes" : "no", set);
    if (kind == CAPTURE_JOB_ADD) {
        char iso[32];
        clock_format_iso(n->started_at, iso);
        answer(j, c->f.started_at, iso, false);
        clock_format_iso(n->committed_at, iso);
        answer(j, c->f.committed_at, iso, false);
    }
    n->state = CAPTURE_PENDING;
    submit(c, j, &n->job);
}

static bool refuse(char **msg, const char *text)
{
    *msg = xstrdup(text);
    return false;
}

static bool can_change(const struct capture *c, char **msg)
{
    return c->editable ||
           refuse(msg, _("This record cannot be changed (finalized, or the file is read-only)."));
}

void capture_draft_typed(struct capture *c, const char *text)
{
    if (c->editing != SIZE_MAX)
        return;
    if (!*text)
        c->draft_started = 0;
    else if (!c->draft_started)
        c->draft_started = clock_now_ms();
}

bool capture_commit(struct capture *c, const char *text, char **msg)
{
    *msg = NULL;
    if (!can_change(c, msg))
        return false;
    char *t = trimmed(text);
    if (!*t) {
        free(t);
        return refuse(msg, _("Nothing to save: type the note first."));
    }
    c->notes = xrealloc(c->notes, (c->nnotes + 1) * sizeof *c->notes);
    struct capture_note *n = &c->notes[c->nnotes++];
    memset(n, 0, sizeof *n);
    uuid_v7(n->uuid);
    n->speaker = xstrdup(capture_speaker_code(c));
    n->topic = xstrdup(capture_topic_value(c));
    n->phase = xstrdup(capture_phase_value(c));
    n->text = t;
    n->tags = capture_tags(t);
    n->quote = c->quote;
    n->committed_at = clock_now_ms();
    n->started_at = c->draft_started ? c->draft_started : n->committed_at;
    if (!c->clock_base) /* the session's first note starts its clock */
        c->clock_base = n->started_at;
    submit_note(c, n, CAPTURE_JOB_ADD);
    c->draft_started = 0;
    c->quote = false;
    return true;
}

/* ---- corrections and removal ------------------------------------------------ */

static size_t index_of_choice(const struct form_node *n, const char *value, size_t dflt)
{
    for (size_t i = 0; n && i < n->nchoices; i++)
        if (strcmp(n->choices[i].value, value) == 0)
            return i;
    return dflt;
}

const char *capture_edit_begin(struct capture *c, size_t i)
{
    if (i >= c->nnotes || c->notes[i].removing)
        return NULL;
    if (c->editing == SIZE_MAX) {
        c->saved.speaker = c->speaker;
        c->saved.topic = c->topic;
        c->saved.phase = c->phase;
        c->saved.quote = c->quote;
        c->saved.draft_started = c->draft_started;
    }
    c->editing = i;
    const struct capture_note *n = &c->notes[i];
    c->speaker = SIZE_MAX;
    for (size_t k = 0; k < c->npeople; k++)
        if (*n->speaker && strcmp(c->people[k].code, n->speaker) == 0)
            c->speaker = k;
    c->topic = index_of_choice(c->topic_node, n->topic, c->topic);
    c->phase = index_of_choice(c->phase_node, n->phase, c->phase);
    c->quote = n->quote;
    return n->text;
}

void capture_edit_end(struct capture *c)
{
    if (c->editing == SIZE_MAX)
        return;
    c->editing = SIZE_MAX;
    c->speaker = c->saved.speaker;
    c->topic = c->saved.topic;
    c->phase = c->saved.phase;
    c->quote = c->saved.quote;
    c->draft_started = c->saved.draft_started;
}

/* Replace *dst by v when they differ; true when it changed. */
static bool change(char **dst, const char *v)
{
    if (strcmp(*dst, v) == 0)
        return false;
    free(*dst);
    *dst = xstrdup(v);
    return true;
}

bool capture_edit_commit(struct capture *c, const char *text, char **msg)
{
    *msg = NULL;
    if (c->editing >= c->nnotes)
        return refuse(msg, _("No note is being corrected."));
    if (!can_change(c, msg))
        return false;
    char *t = trimmed(text);
    if (!*t) {
        free(t);
        return refuse(msg, _("A note cannot be empty: remove it instead (Del in the transcript)."));
    }
    struct capture_note *n = &c->notes[c->editing];
    struct capture_job *j = capture_job_new(CAPTURE_JOB_SET, c->record, n->uuid, NULL);
    /* a speaker not in the roster stays unless another one was chosen */
    if (c->speaker < c->npeople && change(&n->speaker, c->people[c->speaker].code))
        answer(j, c->f.speaker, n->speaker, true);
    if (c->topic_node && change(&n->topic, capture_topic_value(c)))
        answer(j, c->f.topic, n->topic, true);
    if (c->phase_node && change(&n->phase, capture_phase_value(c)))
        answer(j, c->f.phase, n->phase, true);
    if (change(&n->text, t)) {
        answer(j, c->f.text, n->text, true);
        char *tags = capture_tags(t);
        if (change(&n->tags, tags))
            answer(j, c->f.tags, n->tags, true);
        free(tags);
    }
    if (n->quote != c->quote) {
        n->quote = c->quote;
        answer(j, c->f.quote, n->quote ? "yes" : "no", true);
    }
    free(t);
    if (j->nanswers) {
        n->state = CAPTURE_PENDING;
        submit(c, j, &n->job);
    } else {
        capture_job_free(&j);
    }
    capture_edit_end(c);
    return true;
}

static void drop_note(struct capture *c, size_t i)
{
    if (c->editing == i)
        capture_edit_end(c);
    else if (c->editing != SIZE_MAX && c->editing > i)
        c->editing--;
    capture_note_clear(&c->notes[i]);
    memmove(&c->notes[i], &c->notes[i + 1], (c->nnotes - i - 1) * sizeof *c->notes);
    c->nnotes--;
}

bool capture_remove(struct capture *c, size_t i, char **msg)
{
    *msg = NULL;
    if (i >= c->nnotes)
        return refuse(msg, _("No note is selected."));
    if (!can_change(c, msg))
        return false;
    struct capture_note *n = &c->notes[i];
    if (n->state == CAPTURE_FAILED && n->failed == CAPTURE_JOB_ADD) {
        drop_note(c, i); /* never saved: nothing to tombstone */
        return true;
    }
    n->removing = true;
    n->state = CAPTURE_PENDING;
    submit(c, capture_job_new(CAPTURE_JOB_DELETE, c->record, n->uuid, NULL), &n->job);
    return true;
}

/* ---- the roster -------------------------------------------------------------- */

static bool code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n < 1 || n > 12)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

static void submit_person(struct capture *c, struct capture_participant *p,
                          enum capture_job_kind kind)
{
    struct capture_job *j = capture_job_new(kind, c->record, p->uuid, c->roster->path);
    answer(j, c->code_field, p->code, false);
    answer(j, c->consent_field, p->consent, false);
    p->state = CAPTURE_PENDING;
    p->failed = kind; /* what a retry does */
    submit(c, j, &p->job);
}

/* The code, trimmed, when it can join the roster (fresh), else NULL with
 * *msg saying why. */
static char *code_for_roster(const struct capture *c, const char *code, char **msg)
{
    *msg = NULL;
    if (!can_change(c, msg))
        return NULL;
    if (!c->roster) {
        refuse(msg, _("This form has no participant roster."));
        return NULL;
    }
    char *t = trimmed(code);
    if (!code_ok(t)) {
        free(t);
        refuse(msg, _("A participant code is 1 to 12 letters A-Z, digits, _ or -."));
        return NULL;
    }
    for (size_t i = 0; i < c->npeople; i++)
        if (strcmp(c->people[i].code, t) == 0) {
            free(t);
            refuse(msg, _("That code is already in the roster."));
            return NULL;
        }
    return t;
}

bool capture_participant_code_ok(const struct capture *c, const char *code, char **msg)
{
    char *t = code_for_roster(c, code, msg);
    free(t);
    return t != NULL;
}

bool capture_participant_add(struct capture *c, const char *code, const char *consent,
                             char **msg)
{
    char *t = code_for_roster(c, code, msg);
    if (!t)
        return false;
    c->people = xrealloc(c->people, (c->npeople + 1) * sizeof *c->people);
    struct capture_participant *p = &c->people[c->npeople++];
    memset(p, 0, sizeof *p);
    enum capture_job_kind kind = CAPTURE_JOB_ADD;
    if (c->nblank) { /* the roster's first entry without a code */
        memcpy(p->uuid, c->blank[0], UUID_STR_LEN);
        memmove(c->blank, c->blank + 1, --c->nblank * sizeof *c->blank);
        kind = CAPTURE_JOB_SET;
    } else {
        uuid_v7(p->uuid);
    }
    p->code = t;
    p->consent = xstrdup(consent && c->consent_field ? consent : "");
    submit_person(c, p, kind);
    /* someone not on the roster is speaking: they speak now */
    c->speaker = c->npeople - 1;
    return true;
}

/* ---- results ------------------------------------------------------------------ */

static void mark(enum capture_state *state, enum capture_job_kind *failed, char **error,
                 unsigned long job, const struct capture_job *j)
{
    if (!j->ok) {
        /* a lost ADD outweighs later changes: retrying it writes them all */
        if (*state != CAPTURE_FAILED || *failed != CAPTURE_JOB_ADD)
            *failed = j->kind;
        *state = CAPTURE_FAILED;
        free(*error);
        *error = xstrdup(j->error ? j->error : "");
    } else if (job == j->id && *state != CAPTURE_FAILED) {
        *state = CAPTURE_SAVED;
    }
}

void capture_apply(struct capture *c, const struct capture_job *j)
{
    if (j->ok) {
        c->last_commit_us = j->elapsed_us;
        if (j->elapsed_us > c->max_commit_us)
            c->max_commit_us = j->elapsed_us;
    }
    for (size_t i = 0; i < c->npeople; i++) {
        struct capture_participant *p = &c->people[i];
        if (strcmp(p->uuid, j->item) == 0)
            mark(&p->state, &p->failed, &p->error, p->job, j);
    }
    for (size_t i = 0; i < c->nnotes; i++) {
        struct capture_note *n = &c->notes[i];
        if (strcmp(n->uuid, j->item) != 0)
            continue;
        if (j->ok && j->kind == CAPTURE_JOB_DELETE) {
            drop_note(c, i);
            return;
        }
        if (j->ok && j->kind == CAPTURE_JOB_ADD)
            c->saved_count++;
        mark(&n->state, &n->failed, &n->error, n->job, j);
        return;
    }
}

size_t capture_retry(struct capture *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->npeople; i++)
        if (c->people[i].state == CAPTURE_FAILED) {
            xfree(&c->people[i].error);
            submit_person(c, &c->people[i], c->people[i].failed);
            n++;
        }
    for (size_t i = 0; i < c->nnotes; i++) {
        struct capture_note *note = &c->notes[i];
        if (note->state != CAPTURE_FAILED)
            continue;
        if (note->removing && note->failed == CAPTURE_JOB_ADD) {
            drop_note(c, i--); /* never saved, and meant to go */
            continue;
        }
        xfree(&note->error);
        if (note->removing && note->failed != CAPTURE_JOB_ADD) {
            note->state = CAPTURE_PENDING;
            submit(c, capture_job_new(CAPTURE_JOB_DELETE, c->record, note->uuid, NULL),
                   &note->job);
        } else {
            submit_note(c, note, note->failed == CAPTURE_JOB_ADD ? CAPTURE_JOB_ADD
                                                                 : CAPTURE_JOB_SET);
        }
        n++;
    }
    return n;
}

void capture_counts(const struct capture *c, size_t *pending, size_t *failed)
{
    *pending = *failed = 0;
    for (size_t i = 0; i < c->npeople; i++) {
        *pending += c->people[i].state == CAPTURE_PENDING;
        *failed += c->people[i].state == CAPTURE_FAILED;
    }
    for (size_t i = 0; i < c->nnotes; i++) {
        *pending += c->notes[i].state == CAPTURE_PENDING;
        *failed += c->notes[i].state == CAPTURE_FAILED;
    }
}
