#include "config.h"

#include "app/conflicts.h"

#include "app/capture.h"
#include "app/session.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/dates.h"
#include "form/form.h"
#include "form/record.h"
#include "store/answers.h"
#include "store/records.h"
#include "survey/notes_log.h"
#include "survey/title.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What a record is called here: its title, from its form (also when it was
 * deleted on one laptop), marked when deleted. */
static const struct form *record_form(struct conflicts *v, struct store *s,
                                      struct conflict_row *row)
{
    struct store_record rec;
    struct error err = ERROR_INIT;
    bool deleted = false;
    const struct form *f = NULL;
    if (store_record_get_any(s, row->c.record_uuid, &rec, &deleted, &err)) {
        row->finalized = rec.state && strcmp(rec.state, "finalized") == 0;
        f = survey_forms_get(v->forms, rec.form_id, rec.form_version);
        char *t = f ? survey_record_title(s, f, row->c.record_uuid)
                    : xasprintf("%s %.8s", rec.form_id, row->c.record_uuid);
        char *name = f ? survey_record_name(s, f, row->c.record_uuid) : NULL;
        row->title = deleted ? xasprintf(_("%s (deleted)"), t) : xstrdup(t);
        row->name = deleted ? xasprintf(_("%s (deleted)"), name ? name : t)
                            : xstrdup(name ? name : t);
        free(t);
        free(name);
        store_record_clear(&rec);
    } else {
        row->title = xasprintf("%.8s", row->c.record_uuid);
        row->name = xstrdup(row->title);
    }
    error_clear(&err);
    return f;
}

/* The question's label; in a grid, "dimension › column", the row group's
 * label before the field's. */
static char *question_label(const struct form *f, const struct form_node *n, const char *lang,
                            const char *field)
{
    const char *label = n ? form_text(f, &n->label, lang) : "";
    if (!*label)
        return xstrdup(field);
    const struct form_node *row = n->parent;
    if (row && row->parent && (row->parent->flags & FORM_GRID)) {
        const char *dim = form_text(f, &row->label, lang);
        if (*dim)
            return xasprintf("%s › %s", dim, label);
    }
    return xstrdup(label);
}

/* A value as the person chose it: choice labels (several, for a select,
 * joined by ", "), else the text itself; NULL stays NULL (cleared). */
static char *shown_value(const struct form *f, const struct form_node *n, const char *value,
                         const char *lang)
{
    if (!value)
        return NULL;
    if (!n || (n->kind != FORM_SELECT1 && n->kind != FORM_SELECT))
        return xstrdup(value);
    struct strbuf sb;
    strbuf_init(&sb);
    char *copy = xstrdup(value), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        const char *l = form_choice_label(f, n, w, lang);
        if (sb.len)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, l && *l ? l : w);
    }
    free(copy);
    return strbuf_detach(&sb);
}

static bool last_value(void *ctx, const struct store_answer *v, const char *reason,
                       int64_t superseded_at)
{
    (void)reason;
    (void)superseded_at;
    char **out = ctx;
    if (v->value && !v->deleted) {
        free(*out);
        *out = xstrdup(v->value);
    }
    return true;
}

/* An answer of the item; of a deleted item, its last value before. */
static char *item_answer(struct store *s, const char *rec, const char *item, const char *field)
{
    char *v = NULL;
    if (!field || !store_answer_get(s, rec, item, field, &v, NULL))
        return NULL;
    if (!v)
        store_answer_history(s, rec, item, field, last_value, &v, NULL);
    return v;
}

/* "2026-11-23T10:42:13.120Z" (UTC, as stored) in local time, as the
 * sides' times are shown: "2026-11-23 11:42:13". */
static char *plain_time(const char *iso)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return xstrdup(iso ? iso : "?");
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    struct tm local;
    char buf[32];
    if (t == (time_t)-1 || !localtime_r(&t, &local) ||
        !strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local))
        return xstrdup(iso);
    return xstrdup(buf);
}

/* "note by P01 at 2026-11-23 10:42:13", "participant P01", or the
 * repeat's label and the start of the item's UUID. */
static char *item_label(struct store *s, const struct form *f, const struct survey_log *log,
                        bool have_log, const struct form_node *n, const char *lang,
                        const struct store_conflict *c)
{
    if (have_log && n && n->repeat == log->repeat) {
        char *who = item_answer(s, c->record_uuid, c->item_uuid, log->speaker);
        char *iso = item_answer(s, c->record_uuid, c->item_uuid, log->started_at);
        char *when = plain_time(iso);
        free(iso);
        /* TRANSLATORS: a note of the focus-group log: its speaker, the time
         * typing began */
        char *l = xasprintf(_("note by %s at %s"), who && *who ? who : "?", when);
        free(who);
        free(when);
        return l;
    }
    if (have_log && n && log->roster && n->repeat == log->roster) {
        char *code = item_answer(s, c->record_uuid, c->item_uuid, log->code);
        /* TRANSLATORS: a roster entry of a focus group, by its code */
        char *l = xasprintf(_("participant %s"), code && *code ? code : "?");
        free(code);
        return l;
    }
    const char *rl = n && n->repeat ? form_text(f, &n->repeat->label, lang) : "";
    return xasprintf("%s %.8s", *rl ? rl : _("entry"), c->item_uuid);
}

static const char *state_word(const struct store_conflict_side *side)
{
    if (side->deleted)
        return _("deleted");
    return side->value && strcmp(side->value, "finalized") == 0 ? _("finalized") : _("draft");
}

static void describe(struct conflicts *v, struct store *s, const char *lang,
                     struct conflict_row *row)
{
    const struct form *f = record_form(v, s, row);
    const struct store_conflict *c = &row->c;
    if (c->kind == STORE_CONFLICT_RECORD) {
        row->label = xstrdup(_("the record's state (finalized, draft or deleted)"));
        row->current_shown = xstrdup(state_word(&c->current));
        row->other_shown = xstrdup(state_word(&c->other));
        row->finalized = false; /* the state itself is what is chosen */
        return;
    }
    const struct form_node *n = f ? form_find(f, c->field) : NULL;
    row->upload = n && n->kind == FORM_UPLOAD;
    row->editable = !row->upload;
    struct survey_log log;
    bool have_log = f && survey_log_find(f, &log);
    row->note_text = have_log && survey_log_is_text(&log, c->field);
    char *q = question_label(f, n, lang, c->field);
    if (*c->item_uuid) {
        char *it = item_label(s, f, &log, have_log, n, lang, c);
        row->label = xasprintf("%s: %s", it, q);
        free(it);
        free(q);
    } else {
        row->label = q;
    }
    if (have_log)
        survey_log_clear(&log);
    row->current_shown = c->current.deleted && c->kind == STORE_CONFLICT_ITEM
                             ? xstrdup(_("(deleted)"))
                             : shown_value(f, n, c->current.value, lang);
    row->other_shown = c->other.deleted && c->kind == STORE_CONFLICT_ITEM
                           ? xstrdup(_("(deleted)"))
                           : shown_value(f, n, c->other.value, lang);
}

static void row_clear(struct conflict_row *r)
{
    free(r->title);
    free(r->name);
    free(r->label);
    free(r->current_shown);
    free(r->other_shown);
    store_conflict_clear(&r->c);
}

static void rows_free(struct conflicts *v)
{
    for (size_t i = 0; i < v->n; i++)
        row_clear(&v->rows[i]);
    xfree(&v->rows);
    v->n = 0;
}

/* Rows of one conflict: one key, or one deleted item. */
static bool same_group(const struct store_conflict *a, const struct store_conflict *b)
{
    if (a->kind != b->kind || strcmp(a->record_uuid, b->record_uuid) != 0 ||
        strcmp(a->item_uuid, b->item_uuid) != 0)
        return false;
    return a->kind == STORE_CONFLICT_ITEM || strcmp(a->field, b->field) == 0;
}

/* Of an item's rows, the one to show: the note's text when it is one. */
static bool better_for_item(struct conflicts *v, const struct store_conflict *have,
                            const struct store_conflict *cand)
{
    if (cand->kind != STORE_CONFLICT_ITEM || strcmp(have->field, cand->field) == 0)
        return false;
    const struct form *f = survey_forms_of_record(v->forms, cand->record_uuid);
    struct survey_log log;
    if (!f || !survey_log_find(f, &log))
        return false;
    bool b = survey_log_is_text(&log, cand->field) && !survey_log_is_text(&log, have->field);
    survey_log_clear(&log);
    return b;
}

void conflicts_load(struct conflicts *v, struct store *s, const struct form_catalog *cat,
                        const char *lang)
{
    rows_free(v);
    if (!v->forms)
        v->forms = survey_forms_new(s, cat);
    xfree(&v->error);
    struct store_conflict *list;
    size_t n;
    struct error err = ERROR_INIT;
    if (!store_conflict_list(s, &list, &n, &err)) {
        v->error = error_format(&err);
        error_clear(&err);
        return;
    }
    v->rows = n ? xcalloc(n, sizeof *v->rows) : NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct conflict_row *last = m ? &v->rows[m - 1] : NULL;
        if (last && same_group(&last->c, &list[i])) {
            last->more++;
            struct store_conflict tmp = last->c;
            if (better_for_item(v, &last->c, &list[i])) {
                last->c = list[i];
                list[i] = tmp;
            }
            store_conflict_clear(&list[i]);
            continue;
        }
        v->rows[m++].c = list[i];
    }
    free(list); /* its strings now belong to the rows, or were freed */
    v->n = m;
    for (size_t i = 0; i < m; i++)
        describe(v, s, lang, &v->rows[i]);
}

void conflicts_free(struct conflicts *v)
{
    rows_free(v);
    xfree(&v->error);
    survey_forms_free(&v->forms);
}

static bool resolve_item(struct conflicts *v, struct store *s, const struct conflict_row *row,
                         enum conflict_choice choice, const char *edited, struct error *err)
{
    const struct store_conflict *c = &row->c;
    bool keep = choice == CONFLICT_EDITED ||
                !(choice == CONFLICT_KEEP_CURRENT ? c->current.deleted : c->other.deleted);
    const char *fields[2] = {c->field, NULL};
    const char *values[2] = {edited && *edited ? edited : NULL, NULL};
    size_t nvalues = choice == CONFLICT_EDITED ? 1 : 0;
    char *tags = NULL;
    struct survey_log log;
    const struct form *f = survey_forms_of_record(v->forms, c->record_uuid);
    if (nvalues && row->note_text && f && survey_log_find(f, &log)) {
        if (log.tags) {
            tags = capture_tags(values[0] ? values[0] : "");
            fields[1] = log.tags;
            values[1] = *tags ? tags : NULL;
            nvalues = 2;
        }
        bool ok = store_conflict_resolve_item(s, c->record_uuid, c->item_uuid, keep, fields,
                                              values, nvalues, err);
        survey_log_clear(&log);
        free(tags);
        return ok;
    }
    return store_conflict_resolve_item(s, c->record_uuid, c->item_uuid, keep, fields, values,
                                       nvalues, err);
}

/* A note's text typed here: its tags follow it, as on the capture screen. */
static bool resolve_note_answer(struct conflicts *v, struct store *s,
                                const struct conflict_row *row, const char *value,
                                struct error *err)
{
    const struct store_conflict *c = &row->c;
    const struct form *f = survey_forms_of_record(v->forms, c->record_uuid);
    struct survey_log log;
    bool have_log = f && survey_log_find(f, &log);
    if (!store_batch_begin(s, err))
        return false;
    bool ok = store_answer_resolve(s, c->record_uuid, c->item_uuid, c->field, value, err);
    if (ok && have_log && log.tags) {
        /* resolved too: a conflict of the tags was one of the text */
        char *tags = capture_tags(value ? value : "");
        ok = store_answer_resolve(s, c->record_uuid, c->item_uuid, log.tags,
                                  *tags ? tags : NULL, err);
        free(tags);
    }
    if (have_log)
        survey_log_clear(&log);
    return store_batch_end(s, ok, err) && ok;
}

/* A typed value must be one the questionnaire would take: of the
 * question's type (a choice's code, a number, a date) and meeting its
 * constraint, checked on the record as it is. Where the record or its item cannot be read (deleted on one
 * laptop), only the file's own checks apply. A date typed 2024-2-9 is
 * saved as the questionnaire saves it, 2024-02-09: *padded (fresh). */
static bool edited_ok(struct store *s, const struct store_conflict *c, const char *value,
                      const char *lang, char **padded, struct error *err)
{
    *padded = NULL;
    struct error ignored = ERROR_INIT;
    struct session *se = session_open(s, NULL, c->record_uuid, lang, &ignored);
    error_clear(&ignored);
    if (!se)
        return true;
    const struct form_node *n = form_find(session_form(se), c->field);
    bool ok = true;
    size_t page = 0, field = 0;
    bool one_line = n && n->kind == FORM_INPUT &&
                    !(n->appearance && strstr(n->appearance, "multiline")) &&
                    session_find(se, c->field, c->item_uuid, &page, &field) &&
                    session_page(se, page)->kind != SESSION_PAGE_GRID;
    if (one_line && value && strchr(value, '\n')) {
        ok = error_set(err, _("this answer takes one line: type it without Enter"));
    } else if (n && value) {
        bool dated = n->type == FORM_TYPE_DATE || n->type == FORM_TYPE_TIME ||
                     n->type == FORM_TYPE_DATETIME;
        if (dated && (*padded = dates_normalize(value)))
            value = *padded;
        struct form_record *r = session_record(se);
        char *msg = NULL;
        if (form_record_set(r, c->field, c->item_uuid, value, &ignored) &&
            !form_record_check(r, n, c->item_uuid, lang, &msg))
            ok = error_set(err, "%s", msg ? msg : _("not a valid answer"));
        free(msg);
        error_clear(&ignored);
    }
    session_free(&se);
    return ok;
}

bool conflicts_resolve(struct conflicts *v, struct store *s, const char *lang,
                           size_t i, enum conflict_choice choice, const char *edited,
                           struct error *err)
{
    if (i >= v->n)
        return error_set(err, _("no such conflict"));
    const struct conflict_row *row = &v->rows[i];
    const struct store_conflict *c = &row->c;
    if (row->finalized)
        return error_set(err, _("the record is finalized: reopen it on the home screen first"));
    if (choice == CONFLICT_EDITED && !row->editable)
        return error_set(err, row->upload
                                  ? _("an attached file cannot be typed: keep one side with 1 or 2")
                                  : _("a record's state cannot be typed: keep one side with 1 or 2"));
    char *padded = NULL;
    if (choice == CONFLICT_EDITED && c->kind != STORE_CONFLICT_ITEM && !row->note_text &&
        !edited_ok(s, c, edited && *edited ? edited : NULL, lang, &padded, err)) {
        free(padded);
        return false;
    }
    const struct store_conflict_side *side =
        choice == CONFLICT_KEEP_CURRENT ? &c->current : &c->other;
    const char *value = choice == CONFLICT_EDITED ? (edited && *edited ? edited : NULL)
                                                  : side->value;
    if (padded)
        value = padded;
    bool ok;
    if (c->kind == STORE_CONFLICT_RECORD)
        ok = store_conflict_resolve_record(s, c->record_uuid, side->value ? side->value : "draft",
                                           side->deleted, err);
    else if (c->kind == STORE_CONFLICT_ITEM)
        ok = resolve_item(v, s, row, choice, edited, err);
    else if (choice == CONFLICT_EDITED && row->note_text)
        ok = resolve_note_answer(v, s, row, value, err);
    else
        ok = store_answer_resolve(s, c->record_uuid, c->item_uuid, c->field, value, err);
    free(padded);
    if (!ok)
        return false;
    conflicts_load(v, s, NULL, lang);
    return true;
}
