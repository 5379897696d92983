#include "config.h"

#include "app/capture.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/items.h"
#include "store/records.h"
#include "survey/form_of.h"
#include "survey/title.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the form's shape ------------------------------------------------------ */

/* The notes log's fields and roster (survey_log_find). */
static bool find_fields(struct capture *c, struct error *err)
{
    if (!survey_log_find(c->form, &c->f)) {
        if (!c->f.repeat)
            return error_set(err,
                             _("form %s has no live notes: l is for focus-group records"),
                             form_id(c->form));
        return error_set(err, _("the notes log of form %s has no text field"), form_id(c->form));
    }
    c->log = c->f.repeat;
    c->roster = c->f.roster;
    c->code_field = c->f.code;
    c->consent_field = c->f.consent;
    c->topic_node = c->f.topic ? form_find(c->form, c->f.topic) : NULL;
    c->phase_node = c->f.phase ? form_find(c->form, c->f.phase) : NULL;
    return true;
}

/* ---- reading the record ----------------------------------------------------- */

/* An item of the record, for finding answers their note or participant. */
struct slot {
    const char *uuid;
    bool person;
    size_t index;
};

static int slot_cmp(const void *a, const void *b)
{
    return strcmp(((const struct slot *)a)->uuid, ((const struct slot *)b)->uuid);
}

struct loader {
    struct capture *c;
    struct slot *slots;
    size_t nslots;
};

static int64_t parse_iso(const char *s)
{
    struct tm tm = {0};
    int ms = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v ? v : "");
}

static void note_answer(struct capture *c, struct capture_note *n, const char *field,
                        const char *value)
{
    const struct survey_log *f = &c->f;
    char **text[] = {&n->speaker, &n->topic, &n->phase, &n->text, &n->tags};
    const char *paths[] = {f->speaker, f->topic, f->phase, f->text, f->tags};
    for (size_t i = 0; i < 5; i++)
        if (paths[i] && strcmp(field, paths[i]) == 0)
            set_str(text[i], value);
    if (f->quote && strcmp(field, f->quote) == 0)
        n->quote = strcmp(value, "yes") == 0;
    if (f->started_at && strcmp(field, f->started_at) == 0)
        n->started_at = parse_iso(value);
    if (f->committed_at && strcmp(field, f->committed_at) == 0)
        n->committed_at = parse_iso(value);
}

static bool on_answer(void *ctx, const char *item, const char *field, const char *value)
{
    struct loader *l = ctx;
    struct slot key = {.uuid = item};
    struct slot *s = bsearch(&key, l->slots, l->nslots, sizeof *l->slots, slot_cmp);
    if (!s)
        return true;
    struct capture *c = l->c;
    if (s->person) {
        struct capture_participant *p = &c->people[s->index];
        if (strcmp(field, c->code_field) == 0)
            set_str(&p->code, value);
        else if (c->consent_field && strcmp(field, c->consent_field) == 0)
            set_str(&p->consent, value);
    } else {
        note_answer(c, &c->notes[s->index], field, value);
    }
    return true;
}

/* Entries without a code cannot be chosen as speakers: keep them apart, to
 * be given the next code added on the capture screen. */
static void set_blanks_aside(struct capture *c)
{
    size_t k = 0;
    c->blank = xcalloc(c->npeople ? c->npeople : 1, sizeof *c->blank);
    for (size_t i = 0; i < c->npeople; i++) {
        struct capture_participant *p = &c->people[i];
        if (*p->code) {
            c->people[k++] = *p;
            continue;
        }
        memcpy(c->blank[c->nblank++], p->uuid, UUID_STR_LEN);
        free(p->code);
        free(p->consent);
    }
    c->npeople = k;
}

static bool list_items(struct capture *c, const struct form_node *repeat, char ***uuids,
                       size_t *n, struct error *err)
{
    *uuids = NULL;
    *n = 0;
    return !repeat || store_item_list(c->store, c->record, "", repeat->path, uuids, n, err);
}

static bool load(struct capture *c, struct error *err)
{
    char **people = NULL, **notes = NULL;
    size_t np = 0, nn = 0;
    struct loader l = {.c = c};
    bool ok = list_items(c, c->roster, &people, &np, err) &&
              list_items(c, c->log, &notes, &nn, err);
    if (!ok)
        goto cleanup;
    c->people = xcalloc(np ? np : 1, sizeof *c->people);
    c->notes = xcalloc(nn ? nn : 1, sizeof *c->notes);
    l.slots = xcalloc(np + nn ? np + nn : 1, sizeof *l.slots);
    for (size_t i = 0; i < np; i++) {
        struct capture_participant *p = &c->people[c->npeople++];
        snprintf(p->uuid, sizeof p->uuid, "%s", people[i]);
        p->code = xstrdup("");
        p->consent = xstrdup("");
        l.slots[l.nslots++] = (struct slot){p->uuid, true, i};
    }
    for (size_t i = 0; i < nn; i++) {
        struct capture_note *n = &c->notes[c->nnotes++];
        snprintf(n->uuid, sizeof n->uuid, "%s", notes[i]);
        n->speaker = xstrdup("");
        n->topic = xstrdup("");
        n->phase = xstrdup("");
        n->text = xstrdup("");
        n->tags = xstrdup("");
        l.slots[l.nslots++] = (struct slot){n->uuid, false, i};
    }
    qsort(l.slots, l.nslots, sizeof *l.slots, slot_cmp);
    ok = store_answer_foreach(c->store, c->record, on_answer, &l, err);
    if (ok)
        set_blanks_aside(c);
cleanup:
    free(l.slots);
    store_item_list_free(&people, np);
    store_item_list_free(&notes, nn);
    return ok;
}

/* The pauses of earlier visits (F6, kept in the audit as "pause" and
 * "resume"), as far as they fall after the clock's start, into
 * paused_ms. */
static bool past_pauses(struct capture *c, struct error *err)
{
    struct store_audit *a = NULL;
    size_t n = 0;
    if (!store_audit_list(c->store, c->record, &a, &n, err))
        return false;
    int64_t since = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].action, "pause") == 0 && !since) {
            since = a[i].at;
        } else if (strcmp(a[i].action, "resume") == 0 && since) {
            int64_t from = since > c->clock_base ? since : c->clock_base;
            if (a[i].at > from)
                c->paused_ms += a[i].at - from;
            since = 0;
        }
    }
    store_audit_list_free(&a, n);
    return true;
}

struct capture *capture_open(struct store *st, const struct form *f, const char *record,
                             const char *lang, struct error *err)
{
    struct store_record info;
    if (!store_record_get(st, record, &info, err))
        return NULL;
    struct capture *c = xcalloc(1, sizeof *c);
    c->store = st;
    c->form = f;
    c->lang = lang;
    snprintf(c->record, sizeof c->record, "%s", record);
    c->title = survey_record_title(st, f, record);
    c->editable = !store_readonly(st) && info.state && strcmp(info.state, "draft") == 0;
    store_record_clear(&info);
    c->speaker = SIZE_MAX;
    c->editing = SIZE_MAX;
    if (!find_fields(c, err) || !load(c, err)) {
        capture_free(&c);
        return NULL;
    }
    /* the clock runs from the session's first note (0: none yet), the
     * pauses kept in the audit since then left out */
    c->clock_base = 0;
    for (size_t i = 0; i < c->nnotes; i++)
        if (c->notes[i].started_at &&
            (!c->clock_base || c->notes[i].started_at < c->clock_base))
            c->clock_base = c->notes[i].started_at;
    if (c->clock_base && !past_pauses(c, err)) {
        capture_free(&c);
        return NULL;
    }
    /* go on with the speaker, topic and phase of the last note */
    if (c->nnotes) {
        const struct capture_note *last = &c->notes[c->nnotes - 1];
        for (size_t i = 0; i < c->npeople; i++)
            if (*last->speaker && strcmp(c->people[i].code, last->speaker) == 0)
                c->speaker = i;
        for (size_t i = 0; c->topic_node && i < c->topic_node->nchoices; i++)
            if (strcmp(c->topic_node->choices[i].value, last->topic) == 0)
                c->topic = i;
        for (size_t i = 0; c->phase_node && i < c->phase_node->nchoices; i++)
            if (strcmp(c->phase_node->choices[i].value, last->phase) == 0)
                c->phase = i;
    }
    return c;
}

void capture_note_clear(struct capture_note *n)
{
    free(n->speaker);
    free(n->topic);
    free(n->phase);
    free(n->text);
    free(n->tags);
    free(n->error);
}

struct capture *capture_open_record(struct store *st, const struct form_catalog *cat,
                                    const char *record, const char *lang, struct error *err)
{
    struct store_record r;
    if (!store_record_get(st, record, &r, err))
        return NULL;
    struct survey_form sf;
    bool ok = survey_form_of(st, cat, r.form_id, r.form_version, &sf, err);
    store_record_clear(&r);
    if (!ok || !sf.form)
        return NULL;
    struct capture *c = capture_open(st, sf.form, record, lang, err);
    if (c)
        c->owned_form = sf.owned;
    else
        survey_form_clear(&sf);
    return c;
}

void capture_free(struct capture **cp)
{
    struct capture *c = *cp;
    if (!c)
        return;
    for (size_t i = 0; i < c->npeople; i++) {
        free(c->people[i].code);
        free(c->people[i].consent);
        free(c->people[i].error);
    }
    for (size_t i = 0; i < c->nnotes; i++)
        capture_note_clear(&c->notes[i]);
    free(c->people);
    free(c->blank);
    free(c->notes);
    survey_log_clear(&c->f);
    free(c->title);
    form_free(&c->owned_form);
    free(c);
    *cp = NULL;
}

/* ---- speaker, topic, phase -------------------------------------------------- */

bool capture_speaker_set(struct capture *c, size_t pos)
{
    if (pos >= c->npeople)
        return false;
    c->speaker = pos;
    return true;
}

void capture_speaker_step(struct capture *c, int dir)
{
    if (!c->npeople)
        return;
    if (c->speaker >= c->npeople)
        c->speaker = dir > 0 ? 0 : c->npeople - 1;
    else
        c->speaker = (c->speaker + c->npeople + (size_t)(dir > 0 ? 1 : -1)) % c->npeople;
}

const char *capture_speaker_code(const struct capture *c)
{
    return c->speaker < c->npeople ? c->people[c->speaker].code : "";
}

static void step(size_t *i, size_t n, int dir)
{
    if (n)
        *i = (*i + n + (size_t)(dir > 0 ? 1 : -1)) % n;
}

void capture_topic_step(struct capture *c, int dir)
{
    if (c->topic_node)
        step(&c->topic, c->topic_node->nchoices, dir);
}

void capture_phase_step(struct capture *c, int dir)
{
    if (c->phase_node)
        step(&c->phase, c->phase_node->nchoices, dir);
}

static const char *choice_value(const struct form_node *n, size_t i)
{
    return n && i < n->nchoices ? n->choices[i].value : "";
}

const char *capture_topic_value(const struct capture *c)
{
    return choice_value(c->topic_node, c->topic);
}

const char *capture_phase_value(const struct capture *c)
{
    return choice_value(c->phase_node, c->phase);
}

const char *capture_topic_label_of(const struct capture *c, const char *value)
{
    return c->topic_node && value && *value
               ? form_choice_label(c->form, c->topic_node, value, c->lang)
               : "";
}

const char *capture_phase_label_of(const struct capture *c, const char *value)
{
    return c->phase_node && value && *value
               ? form_choice_label(c->form, c->phase_node, value, c->lang)
               : "";
}

const char *capture_topic_label(const struct capture *c)
{
    return capture_topic_label_of(c, capture_topic_value(c));
}

const char *capture_phase_label(const struct capture *c)
{
    return capture_phase_label_of(c, capture_phase_value(c));
}

/* ---- the clock -------------------------------------------------------------- */

/* The clock's start: the first note's, else the note being typed's; 0
 * while nothing was typed. */
static int64_t clock_start(const struct capture *c)
{
    return c->clock_base ? c->clock_base : c->draft_started;
}

int64_t capture_clock_ms(const struct capture *c, int64_t now_ms)
{
    int64_t base = clock_start(c);
    if (!base)
        return 0;
    int64_t end = c->paused_since ? c->paused_since : now_ms;
    if (end < base)
        end = base;
    int64_t ms = end - base - c->paused_ms;
    return ms > 0 ? ms : 0;
}

bool capture_pause_toggle(struct capture *c, int64_t now_ms)
{
    if (c->paused_since) {
        /* only the part of the pause after the clock started counts */
        int64_t base = clock_start(c), from = c->paused_since;
        if (base && from < base)
            from = base;
        if (base && now_ms > from)
            c->paused_ms += now_ms - from;
        c->paused_since = 0;
        return false;
    }
    c->paused_since = now_ms ? now_ms : 1;
    return true;
}

bool capture_paused(const struct capture *c)
{
    return c->paused_since != 0;
}

void capture_format_time(int64_t ms, char out[16])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, 16, "%H:%M:%S", &tm))
        snprintf(out, 16, "--:--:--");
}
