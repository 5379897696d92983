#include "config.h"

#include "export/fg_data.h"

#include "core/xalloc.h"
#include "export/groups.h"
#include "export/layout.h"
#include "form/dates.h"
#include "store/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- recommendations ------------------------------------------------------ */

static enum fg_level level_named(const char *s)
{
    if (strcasecmp(s, "policy") == 0)
        return FG_REC_POLICY;
    if (strcasecmp(s, "practice") == 0)
        return FG_REC_PRACTICE;
    if (strcasecmp(s, "research") == 0)
        return FG_REC_RESEARCH;
    return FG_NOT_REC;
}

/* "rec", "recommendation": true; "rec-policy" and the like: true with
 * *level set. */
static bool rec_tag(const char *t, enum fg_level *level)
{
    static const char *const stems[] = {"recommendation", "rec"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(stems[i]);
        if (strncasecmp(t, stems[i], n) != 0)
            continue;
        if (t[n] == '\0')
            return true;
        if ((t[n] == '-' || t[n] == '_') && level_named(t + n + 1) != FG_NOT_REC) {
            *level = level_named(t + n + 1);
            return true;
        }
    }
    return false;
}

unsigned fg_levels_of(char *const *tags, size_t n)
{
    bool rec = false;
    unsigned levels = 0, own = 0;
    for (size_t i = 0; i < n; i++) {
        enum fg_level l = FG_NOT_REC;
        if (rec_tag(tags[i], &l)) {
            rec = true;
            if (l != FG_NOT_REC)
                own |= FG_LEVEL_BIT(l);
        } else if (level_named(tags[i]) != FG_NOT_REC) {
            levels |= FG_LEVEL_BIT(level_named(tags[i]));
        }
    }
    if (!rec)
        return 0;
    return own ? own : levels ? levels : FG_LEVEL_BIT(FG_REC_NO_LEVEL);
}

/* ---- loading ------------------------------------------------------------ */

struct loader {
    struct fg_data *d;
    const struct form *f;
    const struct layout *l;
    const char *lang;
    const struct form_node *country_node;
    const char *country, *country_other, *date, *place, *theme; /* field paths */
};

static const char *field_named(const struct layout_table *t, const char *name,
                               enum form_type type)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (name ? strcmp(t->cols[i].short_name, name) == 0
                 : (t->cols[i].control && t->cols[i].control->type == type))
            return t->cols[i].path;
    return NULL;
}

static char *dup_value(const struct group *g, const char *path)
{
    const char *v = group_value(g, path);
    return xstrdup(v ? v : "");
}

static bool add_session(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct loader *L = ctx;
    struct fg_data *d = L->d;
    const char *code = group_value(g, L->country);
    const char *other = group_value(g, L->country_other);
    if (code && strcmp(code, "other") == 0 && other && *other)
        code = other;
    if (!code || !*code)
        code = "?";
    const char *label = L->country_node ? form_choice_label(L->f, L->country_node, code, L->lang)
                                        : "";
    d->sessions = xrealloc(d->sessions, (d->nsessions + 1) * sizeof *d->sessions);
    d->sessions[d->nsessions++] = (struct fg_session){
        .uuid = xstrdup(g->record_uuid),
        .country = xstrdup(code),
        .country_label = xstrdup(*label ? label : code),
        .date = dup_value(g, L->date),
        .place = dup_value(g, L->place),
        .theme = dup_value(g, L->theme),
        .start = NAN,
    };
    return true;
}

static struct fg_session *session_of(struct fg_data *d, const char *record)
{
    for (size_t i = d->nsessions; i > 0; i--) /* the last added first */
        if (strcmp(d->sessions[i - 1].uuid, record) == 0)
            return &d->sessions[i - 1];
    return NULL;
}

static bool add_person(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct loader *L = ctx;
    const struct layout_log *lg = &L->l->log;
    const char *code = group_value(g, lg->code);
    struct fg_session *s = session_of(L->d, g->record_uuid);
    if (!s || !code || !*code)
        return true;
    s->people = xrealloc(s->people, (s->npeople + 1) * sizeof *s->people);
    s->people[s->npeople++] = (struct fg_person){xstrdup(code), dup_value(g, lg->role)};
    return true;
}

/* The note's tags: the words of its tags field without '#', each once. */
static void split_tags(struct fg_note *n, const char *tags)
{
    char *copy = xstrdup(tags ? tags : ""), *save = NULL;
    for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        while (*t == '#')
            t++;
        bool seen = !*t;
        for (size_t i = 0; i < n->ntags && !seen; i++)
            seen = strcmp(n->tags[i], t) == 0;
        if (seen)
            continue;
        n->tags = xrealloc(n->tags, (n->ntags + 1) * sizeof *n->tags);
        n->tags[n->ntags++] = xstrdup(t);
    }
    free(copy);
}

static bool add_note(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct loader *L = ctx;
    struct fg_data *d = L->d;
    const struct layout_log *lg = &L->l->log;
    const char *t = group_value(g, lg->started_at);
    if (!t || !*t)
        t = group_value(g, lg->committed_at);
    const char *quote = group_value(g, lg->quote);
    d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof *d->notes);
    struct fg_note *n = &d->notes[d->nnotes++];
    *n = (struct fg_note){
        .record = xstrdup(g->record_uuid),
        .speaker = dup_value(g, lg->speaker),
        .topic = dup_value(g, lg->topic),
        .phase = dup_value(g, lg->phase),
        .text = dup_value(g, lg->text),
        .quote = quote && strcmp(quote, "yes") == 0,
        .when = t && *t ? dates_to_days(t) : NAN,
    };
    split_tags(n, group_value(g, lg->tags));
    n->levels = fg_levels_of(n->tags, n->ntags);
    return true;
}

static const struct form_node *node_at(const struct form *f, const char *path)
{
    return path ? form_find(f, path) : NULL;
}

static bool load_version(struct store *s, struct fg_data *d, const struct store_form_use *u,
                         const char *lang, struct error *err)
{
    struct form *f = rp_form_load(s, u);
    struct layout *l = f ? layout_new(f) : NULL;
    if (!l || !l->has_log) {
        layout_free(&l);
        form_free(&f);
        return true;
    }
    const struct layout_log *lg = &l->log;
    const struct layout_table *t = layout_table(l, NULL);
    const char *date = field_named(t, "date", FORM_TYPE_NONE);
    struct loader L = {
        .d = d, .f = f, .l = l, .lang = lang,
        .country = field_named(t, "country", FORM_TYPE_NONE),
        .country_other = field_named(t, "country_other", FORM_TYPE_NONE),
        .date = date ? date : field_named(t, NULL, FORM_TYPE_DATE),
        .place = field_named(t, "place", FORM_TYPE_NONE),
        .theme = field_named(t, "theme", FORM_TYPE_NONE),
    };
    L.country_node = node_at(f, L.country);
    if (!d->title)
        d->title = xstrdup(form_title(f));
    rp_choices_take(f, L.country_node, lang, &d->countries, &d->ncountries);
    rp_choices_take(f, node_at(f, lg->role), lang, &d->roles, &d->nroles);
    rp_choices_take(f, node_at(f, lg->topic), lang, &d->topics, &d->ntopics);
    rp_choices_take(f, node_at(f, lg->phase), lang, &d->phases, &d->nphases);
    rp_choices_take(f, node_at(f, L.theme), lang, &d->themes, &d->nthemes);
    struct store_scan_filter filter = {.form_id = u->form_id, .form_version = u->form_version};
    bool ok = groups_each(s, &filter, t, add_session, &L, err) &&
              (!lg->roster_path ||
               groups_each(s, &filter, layout_table(l, lg->roster_path), add_person, &L, err)) &&
              groups_each(s, &filter, layout_table(l, lg->repeat_path), add_note, &L, err);
    layout_free(&l);
    form_free(&f);
    return ok;
}

/* ---- order and tags ------------------------------------------------------- */

static const struct fg_data *sort_data;

static long country_rank(const char *code)
{
    for (size_t i = 0; i < sort_data->ncountries; i++)
        if (strcmp(sort_data->countries[i].value, code) == 0)
            return (long)i;
    return (long)sort_data->ncountries;
}

static int by_session(const void *a, const void *b)
{
    const struct fg_session *x = a, *y = b;
    long rx = country_rank(x->country), ry = country_rank(y->country);
    int c = rx != ry ? (rx < ry ? -1 : 1) : strcmp(x->country_label, y->country_label);
    if (!c)
        c = strcmp(x->date, y->date);
    if (!c)
        c = strcmp(x->place, y->place);
    return c ? c : strcmp(x->uuid, y->uuid);
}

static int by_tag(const void *a, const void *b)
{
    const struct fg_tag *x = a, *y = b;
    if (x->notes != y->notes)
        return x->notes > y->notes ? -1 : 1;
    return strcmp(x->name, y->name);
}

size_t fg_tag_index(const struct fg_data *d, const char *name)
{
    for (size_t i = 0; i < d->ntags; i++)
        if (strcmp(d->tags[i].name, name) == 0)
            return i;
    return d->ntags;
}

/* Sessions in order, each note pointing at its session, session start
 * times, and the tags with their counts. */
static void arrange(struct fg_data *d)
{
    sort_data = d;
    qsort(d->sessions, d->nsessions, sizeof *d->sessions, by_session);
    sort_data = NULL;
    for (size_t i = 0; i < d->nnotes; i++) {
        struct fg_note *n = &d->notes[i];
        n->session = 0;
        while (n->session < d->nsessions && strcmp(d->sessions[n->session].uuid, n->record) != 0)
            n->session++;
        if (n->session == d->nsessions)
            continue; /* (cannot be: notes come with their records) */
        struct fg_session *s = &d->sessions[n->session];
        if (isnan(s->start) && !isnan(n->when))
            s->start = n->when;
        for (size_t k = 0; k < n->ntags; k++) {
            size_t t = fg_tag_index(d, n->tags[k]);
            if (t == d->ntags) {
                d->tags = xrealloc(d->tags, (d->ntags + 1) * sizeof *d->tags);
                d->tags[d->ntags++] = (struct fg_tag){.name = xstrdup(n->tags[k])};
            }
            d->tags[t].notes++;
            d->tags[t].quotes += n->quote;
        }
    }
    qsort(d->tags, d->ntags, sizeof *d->tags, by_tag);
    for (size_t i = 0; i < d->nnotes; i++) {
        struct fg_note *n = &d->notes[i];
        n->tag_index = xcalloc(n->ntags + 1, sizeof *n->tag_index);
        for (size_t k = 0; k < n->ntags; k++)
            n->tag_index[k] = fg_tag_index(d, n->tags[k]);
    }
}

struct load_ctx {
    struct fg_data *d;
    const char *lang;
};

static bool load_one(struct store *s, const struct store_form_use *u, void *ctx,
                     struct error *err)
{
    struct load_ctx *c = ctx;
    return load_version(s, c->d, u, c->lang, err);
}

bool fg_data_load(struct store *s, const char *lang, const char *form_id,
                  struct fg_data **out, struct error *err)
{
    struct fg_data *d = xcalloc(1, sizeof *d);
    struct load_ctx c = {.d = d, .lang = lang};
    if (!rp_each_version(s, form_id, load_one, &c, err)) {
        fg_data_free(&d);
        return false;
    }
    arrange(d);
    *out = d;
    return true;
}

const char *fg_role_of(const struct fg_session *s, const char *code)
{
    for (size_t i = 0; code && i < s->npeople; i++)
        if (strcmp(s->people[i].code, code) == 0)
            return s->people[i].role;
    return "";
}

void fg_data_free(struct fg_data **dp)
{
    struct fg_data *d = *dp;
    if (!d)
        return;
    for (size_t i = 0; i < d->nsessions; i++) {
        struct fg_session *s = &d->sessions[i];
        for (size_t k = 0; k < s->npeople; k++) {
            free(s->people[k].code);
            free(s->people[k].role);
        }
        free(s->people);
        free(s->uuid);
        free(s->country);
        free(s->country_label);
        free(s->date);
        free(s->place);
        free(s->theme);
    }
    free(d->sessions);
    for (size_t i = 0; i < d->nnotes; i++) {
        struct fg_note *n = &d->notes[i];
        for (size_t k = 0; k < n->ntags; k++)
            free(n->tags[k]);
        free(n->tags);
        free(n->tag_index);
        free(n->record);
        free(n->speaker);
        free(n->topic);
        free(n->phase);
        free(n->text);
    }
    free(d->notes);
    for (size_t i = 0; i < d->ntags; i++)
        free(d->tags[i].name);
    free(d->tags);
    rp_choices_free(&d->countries, d->ncountries);
    rp_choices_free(&d->roles, d->nroles);
    rp_choices_free(&d->topics, d->ntopics);
    rp_choices_free(&d->phases, d->nphases);
    rp_choices_free(&d->themes, d->nthemes);
    free(d->title);
    xfree(dp);
}
