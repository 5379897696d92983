#include "config.h"

#include "export/transcript.h"

#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "export/groups.h"
#include "form/dates.h"
#include "store/audit.h"
#include "survey/tags.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- participants ---------------------------------------------------------- */

struct speaker_count {
    char *record, *code;
    int64_t n;
};

struct participants {
    struct export_ctx *x;
    const struct layout_table *t;
    FILE *fp;
    struct csv csv;
    bool json, first;
    struct speaker_count *counts;
    size_t ncounts;
};

static bool load_counts(struct participants *p, struct error *err)
{
    const struct layout_log *g = &p->x->layout->log;
    struct store_cursor *cur = NULL;
    if (!g->speaker)
        return true;
    if (!store_scan_value_counts(p->x->s, &p->x->filter, g->repeat_path,
                                 g->speaker, &cur, err))
        return false;
    struct store_row r;
    int rc;
    while ((rc = store_cursor_next(cur, &r, err)) == 1) {
        p->counts = xrealloc(p->counts, (p->ncounts + 1) * sizeof *p->counts);
        p->counts[p->ncounts++] = (struct speaker_count){
            xstrdup(r.record_uuid), xstrndup(r.value ? r.value : "", r.value_len),
            r.count};
    }
    store_cursor_free(&cur);
    return rc == 0;
}

static int cmp_count(const void *a, const void *b)
{
    const struct speaker_count *x = a, *y = b;
    int c = strcmp(x->record, y->record);
    return c ? c : strcmp(x->code, y->code);
}

static int64_t notes_of(const struct participants *p, const char *record,
                        const char *code)
{
    if (!code || !p->ncounts)
        return 0;
    struct speaker_count key = {(char *)record, (char *)code, 0};
    const struct speaker_count *found =
        bsearch(&key, p->counts, p->ncounts, sizeof key, cmp_count);
    return found ? found->n : 0;
}

static bool labelled(const struct layout_column *c)
{
    return c->control && c->control->nchoices > 0;
}

static void participants_header(struct participants *p)
{
    if (p->json) {
        fputs("[", p->fp);
        return;
    }
    csv_cells(&p->csv, "record_uuid");
    csv_cells(&p->csv, "item_uuid");
    for (size_t i = 0; i < p->t->ncols; i++)
        csv_cells(&p->csv, p->t->cols[i].short_name);
    for (size_t i = 0; i < p->t->ncols; i++) {
        if (!labelled(&p->t->cols[i]))
            continue;
        char *h = xasprintf("%s_label", p->t->cols[i].short_name);
        csv_cells(&p->csv, h);
        free(h);
    }
    csv_cells(&p->csv, "notes");
    csv_end_row(&p->csv);
}

static void json_pair(FILE *fp, const char *key, const char *value)
{
    fputs(",", fp);
    json_strings(fp, key);
    fputs(":", fp);
    json_strings(fp, value);
}

static bool participant_row(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct participants *p = ctx;
    const struct form *f = p->x->form;
    int64_t notes = notes_of(p, g->record_uuid,
                             group_value(g, p->x->layout->log.code));
    if (p->json) {
        fputs(p->first ? "\n{\"record_uuid\":" : ",\n{\"record_uuid\":", p->fp);
        json_strings(p->fp, g->record_uuid);
        json_pair(p->fp, "item_uuid", g->item_uuid);
    } else {
        csv_cells(&p->csv, g->record_uuid);
        csv_cells(&p->csv, g->item_uuid);
    }
    p->first = false;
    for (size_t i = 0; i < p->t->ncols; i++) {
        if (p->json)
            json_pair(p->fp, p->t->cols[i].short_name, g->values[i]);
        else
            csv_cells(&p->csv, g->values[i]);
    }
    for (size_t i = 0; i < p->t->ncols; i++) {
        if (!labelled(&p->t->cols[i]))
            continue;
        char *label = choice_text(f, p->t->cols[i].control, g->values[i], NULL);
        if (p->json) {
            char *key = xasprintf("%s_label", p->t->cols[i].short_name);
            json_pair(p->fp, key, g->values[i] ? label : NULL);
            free(key);
        } else {
            csv_cells(&p->csv, label);
        }
        free(label);
    }
    if (p->json) {
        fprintf(p->fp, ",\"notes\":%lld}", (long long)notes);
    } else {
        csv_int(&p->csv, notes);
        csv_end_row(&p->csv);
    }
    return !out_stopped(p->x->set, err);
}

bool export_participants(struct export_ctx *x, struct error *err)
{
    const struct layout_log *g = &x->layout->log;
    if (!x->layout->has_log || !g->roster_path)
        return true;
    struct out_file *f = export_open(x, "participants", err);
    if (!f)
        return false;
    struct participants p = {.x = x, .t = layout_table(x->layout, g->roster_path),
                             .fp = f->fp, .json = x->o->format == EXPORT_JSON,
                             .first = true};
    csv_init(&p.csv, f->fp, !x->o->raw);
    bool ok = load_counts(&p, err);
    if (ok) {
        participants_header(&p);
        ok = groups_each(x->s, &x->filter, p.t, participant_row, &p, err);
        if (p.json)
            fputs(p.first ? "]\n" : "\n]\n", f->fp);
    }
    for (size_t i = 0; i < p.ncounts; i++) {
        free(p.counts[i].record);
        free(p.counts[i].code);
    }
    free(p.counts);
    return ok;
}

/* ---- transcripts --------------------------------------------------------- */

void transcript_stamp(double seconds, char buf[32])
{
    long s = isfinite(seconds) && seconds > 0 ? (long)seconds : 0;
    snprintf(buf, 32, "[%02ld:%02ld:%02ld]", s / 3600, s / 60 % 60, s % 60);
}

struct member {
    char *code, *role;
};

struct session {
    struct export_ctx *x;
    const struct group *rec;
    struct member *roster;
    size_t nroster;
    FILE *fp;
    double start; /* days, of the first note; NAN before it */
    char *topic, *phase;
    struct store_audit *events; /* the record's audit: pauses and resumes */
    size_t nevents, next;       /* next: the first not yet written */
    bool paused;                /* the last written was a pause */
};

static const struct form_node *control_of(const struct export_ctx *x,
                                          const char *path)
{
    return path ? form_find(x->form, path) : NULL;
}

static bool roster_row(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct session *s = ctx;
    const struct layout_log *lg = &s->x->layout->log;
    const char *code = group_value(g, lg->code);
    if (!code || !*code)
        return true;
    s->roster = xrealloc(s->roster, (s->nroster + 1) * sizeof *s->roster);
    s->roster[s->nroster++] = (struct member){
        xstrdup(code),
        choice_text(s->x->form, control_of(s->x, lg->role),
                    group_value(g, lg->role), NULL)};
    return true;
}

static const char *role_of(const struct session *s, const char *code)
{
    for (size_t i = 0; code && i < s->nroster; i++)
        if (strcmp(s->roster[i].code, code) == 0)
            return s->roster[i].role;
    return NULL;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void heading(struct session *s, const struct group *g)
{
    const struct layout_log *lg = &s->x->layout->log;
    const char *topic = group_value(g, lg->topic), *phase = group_value(g, lg->phase);
    if (same_text(topic, s->topic) && same_text(phase, s->phase) && s->topic)
        return;
    free(s->topic);
    free(s->phase);
    s->topic = xstrdup(topic ? topic : "");
    s->phase = xstrdup(phase ? phase : "");
    char *t = choice_text(s->x->form, control_of(s->x, lg->topic), topic, NULL);
    char *p = choice_text(s->x->form, control_of(s->x, lg->phase), phase, NULL);
    char *line = *t && *p ? xasprintf("%s — %s", t, p) : xstrdup(*t ? t : p);
    if (*line) {
        fprintf(s->fp, "\n%s\n", line);
        for (size_t w = utf8_width(line); w > 0; w--)
            fputc('=', s->fp);
        fputs("\n\n", s->fp);
    }
    free(t);
    free(p);
    free(line);
}

/* The note's text, continuation lines indented so that each note stays one
 * paragraph under its speaker. */
static void note_text(FILE *fp, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        if (*p == '\n' || *p == '\r') {
            fputs("\n    ", fp);
            continue;
        }
        fputc(*p, fp);
    }
}

/* The tags of the tags field that the text does not show (in any case). */
static void note_tags(FILE *fp, const char *text, const char *tags)
{
    char *copy = xstrdup(tags ? tags : ""), *save = NULL;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
        if (*t == '#')
            t++;
        if (!*t)
            continue;
        if (!survey_text_has_tag(text, t))
            fprintf(fp, " #%s", t);
    }
    free(copy);
}

static double note_time(const struct session *s, const struct group *g)
{
    const struct layout_log *lg = &s->x->layout->log;
    const char *t = group_value(g, lg->started_at);
    if (!t || !*t)
        t = group_value(g, lg->committed_at);
    return t && *t ? dates_to_days(t) : NAN;
}

static bool clock_event(const struct store_audit *a)
{
    return strcmp(a->action, "pause") == 0 || strcmp(a->action, "resume") == 0;
}

/* The capture clock's pauses and restarts (F6) up to the time until (days;
 * NAN: all that are left): "[00:20:00] [pause]", "[00:31:00] [resume]". */
static void clock_events(struct session *s, double until)
{
    for (; s->next < s->nevents; s->next++) {
        const struct store_audit *a = &s->events[s->next];
        double at = (double)a->at / 86400000.0;
        if (!isnan(until) && at > until)
            break;
        if (!clock_event(a))
            continue;
        bool pause = strcmp(a->action, "pause") == 0;
        if (pause == s->paused)
            continue; /* a second pause (two laptops): still the one pause */
        s->paused = pause;
        char stamp[32];
        transcript_stamp(isnan(s->start) ? 0 : (at - s->start) * 86400.0 + 1e-6, stamp);
        fprintf(s->fp, "%s %s\n", stamp, pause ? "[pause]" : "[resume]");
    }
}

static bool note_row(void *ctx, const struct group *g, struct error *err)
{
    struct session *s = ctx;
    const struct layout_log *lg = &s->x->layout->log;
    const char *text = group_value(g, lg->text);
    const char *speaker = group_value(g, lg->speaker);
    double when = note_time(s, g);
    if (isnan(s->start) && !isnan(when))
        s->start = when;
    if (!isnan(when))
        clock_events(s, when);
    heading(s, g);
    if (!isnan(when)) {
        char stamp[32];
        transcript_stamp((when - s->start) * 86400.0 + 1e-6, stamp);
        fprintf(s->fp, "%s ", stamp);
    }
    if (speaker && *speaker) {
        const char *role = role_of(s, speaker);
        fputs(speaker, s->fp);
        if (role && *role)
            fprintf(s->fp, " (%s)", role);
        fputs(": ", s->fp);
    }
    note_text(s->fp, text ? text : "");
    note_tags(s->fp, text ? text : "", group_value(g, lg->tags));
    if (same_text(group_value(g, lg->quote), "yes"))
        fputs(" [quote]", s->fp);
    if (s->paused && !isnan(when))
        fputs(" [typed while paused]", s->fp);
    fputs("\n", s->fp);
    return !out_stopped(s->x->set, err);
}

/* The session's fields: those of the group holding its country. */
static void session_header(struct session *s)
{
    const struct export_ctx *x = s->x;
    const struct layout_table *t = s->rec->t;
    fprintf(s->fp, "%s\n", form_title(x->form));
    fprintf(s->fp, "record_uuid: %s\n", s->rec->record_uuid);
    const struct form_node *country = NULL;
    for (size_t i = 0; i < t->ncols && !country; i++)
        if (strcmp(t->cols[i].short_name, "country") == 0 && t->cols[i].control)
            country = t->cols[i].control;
    for (size_t i = 0; country && i < t->ncols; i++) {
        const struct form_node *n = t->cols[i].control;
        const char *v = s->rec->values[i];
        if (!n || n->parent != country->parent || !v || !*v)
            continue;
        char *shown = choice_text(x->form, n, v, NULL);
        fprintf(s->fp, "%s: ", form_text(x->form, &n->label, NULL));
        note_text(s->fp, shown);
        fputc('\n', s->fp);
        free(shown);
    }
    if (s->nroster) {
        fputs("participants:", s->fp);
        for (size_t i = 0; i < s->nroster; i++)
            fprintf(s->fp, "%s %s%s%s%s", i ? "," : "", s->roster[i].code,
                    *s->roster[i].role ? " (" : "", s->roster[i].role,
                    *s->roster[i].role ? ")" : "");
        fputc('\n', s->fp);
    }
}

/* date_country_uuid.txt, from the session's date and country (the uuid
 * keeps two sessions of a day apart). */
static char *session_file_name(const struct group *g)
{
    const char *date = "", *country = "";
    for (size_t i = 0; i < g->t->ncols; i++) {
        const struct layout_column *c = &g->t->cols[i];
        if (!g->values[i] || !c->control)
            continue;
        if (!*date && c->control->type == FORM_TYPE_DATE)
            date = g->values[i];
        if (!*country && strcmp(c->short_name, "country") == 0)
            country = g->values[i];
    }
    char *raw = xasprintf("%s_%s_%s", *date ? date : "undated",
                          *country ? country : "session", g->record_uuid);
    char *safe = out_safe_name(raw);
    free(raw);
    char *name = xasprintf("%s.txt", safe);
    free(safe);
    return name;
}

static bool session_row(void *ctx, const struct group *g, struct error *err)
{
    struct export_ctx *x = ctx;
    const struct layout_log *lg = &x->layout->log;
    struct session s = {.x = x, .rec = g, .start = NAN};
    struct store_scan_filter one = x->filter;
    one.record_uuid = g->record_uuid;
    char *dir = xasprintf("%s/transcripts", x->dir);
    char *name = session_file_name(g);
    struct out_file *f = NULL;
    bool ok = (!lg->roster_path ||
               groups_each(x->s, &one, layout_table(x->layout, lg->roster_path),
                           roster_row, &s, err)) &&
              store_audit_list(x->s, g->record_uuid, &s.events, &s.nevents, err) &&
              (f = out_open(x->set, dir, name, x->o->bom, err)) != NULL;
    if (ok) {
        s.fp = f->fp;
        session_header(&s);
        ok = groups_each(x->s, &one, layout_table(x->layout, lg->repeat_path),
                         note_row, &s, err);
        if (ok)
            clock_events(&s, NAN);
    }
    store_audit_list_free(&s.events, s.nevents);
    for (size_t i = 0; i < s.nroster; i++) {
        free(s.roster[i].code);
        free(s.roster[i].role);
    }
    free(s.roster);
    free(s.topic);
    free(s.phase);
    free(dir);
    free(name);
    return ok;
}

bool export_transcripts(struct export_ctx *x, struct error *err)
{
    if (!x->layout->has_log)
        return true;
    char *dir = xasprintf("%s/transcripts", x->dir);
    bool ok = out_mkdir(x->set, dir, err);
    free(dir);
    return ok && groups_each(x->s, &x->filter, layout_table(x->layout, NULL),
                             session_row, x, err);
}
