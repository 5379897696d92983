#include "config.h"

#include "export/fg_report.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "export/fg_data.h"
#include "export/report_out.h"
#include "export/transcript.h"
#include "survey/tags.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the sections say --------------------------------------------- */

static const char *label(const struct rp_choice *c, size_t n, const char *value)
{
    return rp_choice_label(c, n, value);
}

/* "Poland, 2026-03-02" */
static char *session_name(const struct fg_session *s)
{
    return *s->date ? xasprintf("%s, %s", s->country_label, s->date) : xstrdup(s->country_label);
}

/* "P02 (Policy maker; Poland, 2026-03-02)" */
static char *speaker_name(const struct fg_data *d, const struct fg_session *s, const char *code)
{
    char *where = session_name(s);
    const char *role = label(d->roles, d->nroles, fg_role_of(s, code));
    char *who = *role ? xasprintf("%s (%s; %s)", *code ? code : "?", role, where)
                      : xasprintf("%s (%s)", *code ? code : "?", where);
    free(where);
    return who;
}

/* "[00:01:12] P02 (Policy maker; Poland, 2026-03-02)" */
static char *note_lead(const struct fg_data *d, const struct fg_note *n)
{
    const struct fg_session *s = &d->sessions[n->session];
    char *who = speaker_name(d, s, n->speaker);
    if (isnan(n->when) || isnan(s->start))
        return who;
    char stamp[32];
    transcript_stamp((n->when - s->start) * 86400.0 + 1e-6, stamp);
    char *lead = xasprintf("%s %s", stamp, who);
    free(who);
    return lead;
}

/* The note's text with its tags as #words (those not in the text, in any
 * case: survey_text_has_tag). */
static char *note_body(const struct fg_note *n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s", n->text);
    for (size_t k = 0; k < n->ntags; k++)
        if (!survey_text_has_tag(n->text, n->tags[k]))
            strbuf_addf(&sb, " #%s", n->tags[k]);
    return strbuf_detach(&sb);
}

static void note_item(struct report_doc *o, const struct fg_data *d, const struct fg_note *n)
{
    char *lead = note_lead(d, n), *body = note_body(n);
    report_doc_item(o, lead, body);
    free(lead);
    free(body);
}

/* Has the note tag number t of fg_data.tags? */
static bool has_tag(const struct fg_note *n, size_t t)
{
    for (size_t k = 0; k < n->ntags; k++)
        if (n->tag_index[k] == t)
            return true;
    return false;
}

/* ---- sessions and participants by role ------------------------------------ */

static void sessions_section(struct report_doc *o, const struct fg_data *d)
{
    report_doc_heading(o, 2, _("Sessions and participants by role"));
    size_t rows = d->nsessions + 2, cols = 5 + d->nroles;
    char ***t = report_table_new(rows, cols);
    static const char *const head[] = {N_("country"), N_("date"), N_("place"), N_("theme")};
    for (size_t c = 0; c < 4; c++)
        t[0][c] = xstrdup(_(head[c]));
    for (size_t i = 0; i < d->nroles; i++)
        t[0][4 + i] = xstrdup(d->roles[i].label);
    t[0][cols - 1] = xstrdup(_("participants"));
    size_t *total = xcalloc(cols, sizeof *total);
    for (size_t r = 1; r <= d->nsessions; r++) {
        const struct fg_session *s = &d->sessions[r - 1];
        t[r][0] = xstrdup(s->country_label);
        t[r][1] = xstrdup(s->date);
        t[r][2] = xstrdup(s->place);
        t[r][3] = xstrdup(label(d->themes, d->nthemes, s->theme));
        for (size_t i = 0; i < d->nroles; i++) {
            size_t n = 0;
            for (size_t k = 0; k < s->npeople; k++)
                n += strcmp(s->people[k].role, d->roles[i].value) == 0;
            t[r][4 + i] = xasprintf("%zu", n);
            total[4 + i] += n;
        }
        t[r][cols - 1] = xasprintf("%zu", s->npeople);
        total[cols - 1] += s->npeople;
    }
    t[rows - 1][0] = xstrdup(_("total"));
    for (size_t c = 1; c < cols; c++)
        t[rows - 1][c] = xstrdup("");
    for (size_t c = 4; c < cols; c++) {
        free(t[rows - 1][c]);
        t[rows - 1][c] = xasprintf("%zu", total[c]);
    }
    free(total);
    report_doc_table(o, "sessions-table", t, rows, cols, 4, false);
    report_table_free(t, rows, cols);
    /* the codes, by role */
    for (size_t i = 0; i < d->nsessions; i++) {
        const struct fg_session *s = &d->sessions[i];
        struct strbuf sb;
        strbuf_init(&sb);
        for (size_t r = 0; r <= d->nroles; r++) {
            const char *value = r < d->nroles ? d->roles[r].value : NULL;
            bool first = true;
            for (size_t k = 0; k < s->npeople; k++) {
                const char *role = s->people[k].role;
                bool known = false;
                for (size_t j = 0; j < d->nroles && !value; j++)
                    known = known || strcmp(role, d->roles[j].value) == 0;
                if (value ? strcmp(role, value) != 0 : known)
                    continue;
                if (first)
                    strbuf_addf(&sb, "%s%s:", sb.len ? "; " : "",
                                value ? d->roles[r].label : _("role not given"));
                strbuf_addf(&sb, "%s %s", first ? "" : ",", s->people[k].code);
                first = false;
            }
        }
        char *name = session_name(s), *codes = strbuf_detach(&sb);
        char *lead = *s->place ? xasprintf("%s, %s", name, s->place) : xstrdup(name);
        report_doc_item(o, lead, *codes ? codes : _("nobody in the roster"));
        free(name);
        free(codes);
        free(lead);
    }
}

/* ---- notes by topic and phase --------------------------------------------- */

/* The index of value in c (n for one not there). */
static size_t choice_index(const struct rp_choice *c, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].value, value) == 0)
            return i;
    return n;
}

/* "P01 (Practitioner; Poland, 2026-03-02) 2, P02 (...) 1": the speakers
 * of the notes marked in, in the order they first spoke. */
static char *speakers_of(const struct fg_data *d, const bool *in)
{
    struct speaker {
        const struct fg_note *first;
        size_t n;
    } *who = NULL;
    size_t nwho = 0;
    for (size_t i = 0; i < d->nnotes; i++) {
        const struct fg_note *n = &d->notes[i];
        size_t k = 0;
        while (in[i] && k < nwho &&
               (who[k].first->session != n->session || strcmp(who[k].first->speaker, n->speaker)))
            k++;
        if (!in[i])
            continue;
        if (k == nwho) {
            who = xrealloc(who, (nwho + 1) * sizeof *who);
            who[nwho++] = (struct speaker){n, 0};
        }
        who[k].n++;
    }
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t k = 0; k < nwho; k++) {
        char *name = speaker_name(d, &d->sessions[who[k].first->session], who[k].first->speaker);
        strbuf_addf(&sb, "%s%s %zu", k ? ", " : "", name, who[k].n);
        free(name);
    }
    free(who);
    return strbuf_detach(&sb);
}

static void topics_section(struct report_doc *o, const struct fg_data *d)
{
    report_doc_heading(o, 2, _("Notes by topic and phase"));
    bool *in = xcalloc(d->nnotes + 1, sizeof *in);
    for (size_t t = 0; t <= d->ntopics; t++) {
        for (size_t p = 0; p <= d->nphases; p++) {
            size_t n = 0;
            for (size_t i = 0; i < d->nnotes; i++) {
                const struct fg_note *note = &d->notes[i];
                in[i] = choice_index(d->topics, d->ntopics, note->topic) == t &&
                        choice_index(d->phases, d->nphases, note->phase) == p;
                n += in[i];
            }
            if (!n)
                continue;
            char *head = xasprintf("%s — %s", t < d->ntopics ? d->topics[t].label : _("no topic"),
                                   p < d->nphases ? d->phases[p].label : _("no phase"));
            report_doc_heading(o, 3, head);
            char *speakers = speakers_of(d, in);
            char *line = xasprintf("%s: %s", _("Speakers"), speakers);
            report_doc_para(o, line);
            for (size_t i = 0; i < d->nnotes; i++)
                if (in[i])
                    note_item(o, d, &d->notes[i]);
            free(head);
            free(speakers);
            free(line);
        }
    }
    report_doc_list_end(o);
    free(in);
}

/* ---- tags ------------------------------------------------------------------ */

static void tag_frequencies(struct report_doc *o, const struct fg_data *d)
{
    report_doc_heading(o, 2, _("Tag frequencies"));
    size_t rows = d->ntags + 1, cols = 5, ns = d->nsessions;
    /* in[tag][session]: the session has a note with the tag */
    bool *in = xcalloc(d->ntags * ns + 1, sizeof *in);
    for (size_t i = 0; i < d->nnotes; i++)
        for (size_t k = 0; k < d->notes[i].ntags; k++)
            in[d->notes[i].tag_index[k] * ns + d->notes[i].session] = true;
    char ***t = report_table_new(rows, cols);
    static const char *const head[] = {N_("tag"), N_("notes"), N_("quotes"), N_("sessions"),
                                       N_("countries")};
    for (size_t c = 0; c < cols; c++)
        t[0][c] = xstrdup(_(head[c]));
    for (size_t r = 1; r < rows; r++) {
        const struct fg_tag *tag = &d->tags[r - 1];
        const bool *session = &in[(r - 1) * ns];
        size_t nsessions = 0, ncountries = 0;
        for (size_t k = 0; k < ns; k++) {
            nsessions += session[k];
            /* sessions are in country order: a country counts once */
            bool seen = false;
            for (size_t j = k; j > 0 && !seen &&
                               strcmp(d->sessions[j - 1].country, d->sessions[k].country) == 0;
                 j--)
                seen = session[j - 1];
            ncountries += session[k] && !seen;
        }
        t[r][0] = xasprintf("#%s", tag->name);
        t[r][1] = xasprintf("%zu", tag->notes);
        t[r][2] = xasprintf("%zu", tag->quotes);
        t[r][3] = xasprintf("%zu", nsessions);
        t[r][4] = xasprintf("%zu", ncountries);
    }
    free(in);
    report_doc_table(o, "tag-table", t, rows, cols, 1, false);
    report_table_free(t, rows, cols);
}

/* Tags down, topics (by = 0) or countries (by = 1) across: notes with
 * the tag. */
static void tag_cross(struct report_doc *o, const struct fg_data *d, int by)
{
    report_doc_heading(o, 2, by ? _("Tags by country") : _("Tags by topic"));
    /* the columns: the form's topics (and "no topic" when a note has
     * none of them); the countries of the sessions, in their order */
    const char **value = xcalloc(d->ntopics + d->nsessions + 2, sizeof *value);
    const char **head = xcalloc(d->ntopics + d->nsessions + 2, sizeof *head);
    size_t ncols = 0;
    if (!by) {
        for (size_t i = 0; i < d->ntopics; i++) {
            value[ncols] = d->topics[i].value;
            head[ncols++] = d->topics[i].label;
        }
        for (size_t i = 0; i < d->nnotes; i++)
            if (choice_index(d->topics, d->ntopics, d->notes[i].topic) == d->ntopics) {
                value[ncols] = NULL;
                head[ncols++] = _("no topic");
                break;
            }
    } else {
        for (size_t i = 0; i < d->nsessions; i++)
            if (!ncols || strcmp(value[ncols - 1], d->sessions[i].country) != 0) {
                value[ncols] = d->sessions[i].country;
                head[ncols++] = d->sessions[i].country_label;
            }
    }
    size_t rows = d->ntags + 1, cols = ncols + 1;
    char ***t = report_table_new(rows, cols);
    t[0][0] = xstrdup(_("tag"));
    for (size_t c = 0; c < ncols; c++)
        t[0][c + 1] = xstrdup(head[c]);
    size_t *count = xcalloc(d->ntags * ncols + 1, sizeof *count);
    for (size_t i = 0; i < d->nnotes; i++) {
        const struct fg_note *note = &d->notes[i];
        size_t c = 0;
        while (c < ncols &&
               !(by ? strcmp(d->sessions[note->session].country, value[c]) == 0
                 : value[c] ? strcmp(note->topic, value[c]) == 0
                            : choice_index(d->topics, d->ntopics, note->topic) == d->ntopics))
            c++;
        for (size_t k = 0; c < ncols && k < note->ntags; k++)
            count[note->tag_index[k] * ncols + c]++;
    }
    for (size_t r = 1; r < rows; r++) {
        t[r][0] = xasprintf("#%s", d->tags[r - 1].name);
        for (size_t c = 0; c < ncols; c++)
            t[r][c + 1] = xasprintf("%zu", count[(r - 1) * ncols + c]);
    }
    free(count);
    report_doc_table(o, by ? "tag-country-table" : "tag-topic-table", t, rows, cols, 1, true);
    report_table_free(t, rows, cols);
    free(value);
    free(head);
}

static void quotes_section(struct report_doc *o, const struct fg_data *d)
{
    report_doc_heading(o, 2, _("Quotes by tag"));
    size_t any = 0;
    for (size_t k = 0; k <= d->ntags; k++) {
        bool first = true;
        for (size_t i = 0; i < d->nnotes; i++) {
            const struct fg_note *n = &d->notes[i];
            if (!n->quote || (k < d->ntags ? !has_tag(n, k) : n->ntags > 0))
                continue;
            if (first) {
                char *head = k < d->ntags ? xasprintf("#%s", d->tags[k].name)
                                          : xstrdup(_("(no tag)"));
                report_doc_heading(o, 3, head);
                free(head);
            }
            first = false;
            note_item(o, d, n);
            any++;
        }
    }
    if (!any)
        report_doc_para(o, _("No note is marked as a quote."));
    report_doc_list_end(o);
}

static void recommendations_section(struct report_doc *o, const struct fg_data *d)
{
    report_doc_heading(o, 2, _("Recommendations by level"));
    static const char *const levels[] = {NULL, N_("Policy"), N_("Practice"), N_("Research"),
                                         N_("Level not given")};
    size_t any = 0;
    for (enum fg_level l = FG_REC_POLICY; l <= FG_REC_NO_LEVEL; l++) {
        bool first = true;
        for (size_t i = 0; i < d->nnotes; i++) {
            if (!(d->notes[i].levels & FG_LEVEL_BIT(l)))
                continue;
            if (first)
                report_doc_heading(o, 3, _(levels[l]));
            first = false;
            note_item(o, d, &d->notes[i]);
            any++;
        }
    }
    if (!any)
        report_doc_para(o, _("No note is tagged as a recommendation (#rec with #policy, #practice or "
                      "#research, or #rec-policy, #rec-practice, #rec-research)."));
    report_doc_list_end(o);
}

/* ---- the report ------------------------------------------------------------ */

static void write_sections(struct report_doc *o, const struct fg_data *d)
{
    sessions_section(o, d);
    topics_section(o, d);
    tag_frequencies(o, d);
    tag_cross(o, d, 0);
    tag_cross(o, d, 1);
    quotes_section(o, d);
    recommendations_section(o, d);
}

static const char fg_style[] =
    "table.heat td{text-align:center;font-weight:bold;min-width:2.5em}"
    ".who{color:#444;font-size:90%}li{margin:.2em 0}";

bool fg_report_write(struct store *s, const struct report_options *o, FILE *fp,
                     struct error *err)
{
    struct fg_data *d;
    if (!fg_data_load(s, o->lang, o->form_id, &d, err))
        return false;
    /* TRANSLATORS: the focus groups' report's title; %s is the form's title */
    char *title = xasprintf(_("%s: focus-group report"), d->title ? d->title : _("Focus groups"));
    struct report_doc doc = {.fp = fp, .format = o->format};
    size_t people = 0;
    for (size_t i = 0; i < d->nsessions; i++)
        people += d->sessions[i].npeople;
    char *counts = xasprintf("%s: %zu, %s: %zu, %s: %zu", _("sessions"), d->nsessions,
                             _("participants"), people, _("notes"), d->nnotes);
    if (o->format == REPORT_HTML) {
        fputs("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
        report_html_put(fp, title);
        fprintf(fp, "</title>\n<style>%s%s</style>\n</head>\n<body>\n<h1>", report_html_style,
                fg_style);
        report_html_put(fp, title);
        fputs("</h1>\n", fp);
    } else {
        fputs(o->format == REPORT_MD ? "# " : "", fp);
        if (o->format == REPORT_MD)
            report_md_put(fp, title);
        else
            report_text_put(fp, title, "");
        fputs("\n\n", fp);
    }
    if (o->format == REPORT_HTML)
        report_doc_para(&doc, counts);
    else
        fprintf(fp, o->format == REPORT_MD ? "%s\n\n" : "%s\n", counts);
    if (!d->nsessions)
        report_doc_para(&doc, _("The file holds no focus-group records."));
    else
        write_sections(&doc, d);
    report_doc_list_end(&doc);
    if (o->format == REPORT_HTML)
        fputs("</body>\n</html>\n", fp);
    free(counts);
    free(title);
    fg_data_free(&d);
    if (fflush(fp) != 0 || ferror(fp))
        return error_set(err, _("cannot write the report"));
    return true;
}
