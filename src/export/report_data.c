#include "config.h"

#include "export/report_data.h"

#include "core/xalloc.h"
#include "export/groups.h"
#include "export/layout.h"
#include "store/scan.h"
#include "survey/form_of.h"

#include <stdlib.h>
#include <string.h>

const char *rp_choice_label(const struct rp_choice *c, size_t n,
                            const char *value)
{
    for (size_t i = 0; value && i < n; i++)
        if (strcmp(c[i].value, value) == 0)
            return c[i].label;
    return value ? value : "";
}

/* a..b without the spaces around it */
static void trimmed(const char *s, const char **a, size_t *n)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\n\r", s[len - 1]))
        len--;
    *a = s;
    *n = len;
}

bool rp_target_is_default(const struct rp_dim *dim, const char *value)
{
    const char *v, *t;
    size_t nv, nt;
    if (!value)
        return true;
    trimmed(value, &v, &nv);
    if (!nv)
        return true;
    for (size_t i = 0; i < dim->ndefaults; i++) {
        trimmed(dim->defaults[i], &t, &nt);
        if (nt == nv && memcmp(t, v, nv) == 0)
            return true;
    }
    return false;
}

static void add_default(struct rp_dim *dim, const char *text)
{
    if (!text || !*text || rp_target_is_default(dim, text))
        return;
    dim->defaults = xrealloc(dim->defaults, (dim->ndefaults + 1) * sizeof *dim->defaults);
    dim->defaults[dim->ndefaults++] = xstrdup(text);
}

/* The dimension's default target state: the instance's text, and the
 * translations the form gives as itext "<path>:default" (a form written
 * for one language has only the first). */
static void take_defaults(struct rp_dim *dim, const struct form *f,
                          const struct form_field *target, const char *lang)
{
    const char *inst = target ? target->default_value : "";
    add_default(dim, inst);
    if (!target) {
        dim->target = xstrdup("");
        return;
    }
    char *id = xasprintf("%s:default", target->path);
    struct form_text t = {.itext = id};
    const char *const *langs = form_languages(f);
    for (size_t i = 0; langs[i]; i++)
        if (form_text_in(f, &t, langs[i]))
            add_default(dim, form_text(f, &t, langs[i]));
    const char *mine = form_text(f, &t, lang);
    dim->target = xstrdup(*mine ? mine : inst);
    free(id);
}

static const struct form_node *find_grid(const struct form_node *n)
{
    if (n->kind == FORM_GROUP && (n->flags & FORM_GRID))
        return n;
    for (size_t i = 0; i < n->nchildren; i++) {
        const struct form_node *g = find_grid(n->children[i]);
        if (g)
            return g;
    }
    return NULL;
}

bool rp_form_has_grid(const struct form *f)
{
    return find_grid(form_root(f)) != NULL;
}

struct form *rp_form_load(struct store *s, const struct store_form_use *u)
{
    /* the one rule of which form a record uses (survey_form_of); without a
     * catalog the definition comes from the file, parsed here and ours to
     * keep. A form that is missing or does not load has no grid to
     * report; --export says what is wrong with it */
    struct survey_form sf;
    struct error e = ERROR_INIT;
    struct form *f = NULL;
    if (survey_form_of(s, NULL, u->form_id, u->form_version, &sf, &e)) {
        f = sf.owned;
        sf.owned = NULL;
        survey_form_clear(&sf);
    }
    error_clear(&e);
    return f;
}

void rp_choices_take(const struct form *f, const struct form_node *n, const char *lang,
                     struct rp_choice **out, size_t *nout)
{
    if (!n || *out)
        return;
    *out = xcalloc(n->nchoices + 1, sizeof **out);
    *nout = n->nchoices;
    for (size_t i = 0; i < n->nchoices; i++)
        (*out)[i] = (struct rp_choice){xstrdup(n->choices[i].value),
                                       xstrdup(form_text(f, &n->choices[i].label, lang))};
}

static const struct form_field *field_at(const struct form *f, const char *path)
{
    size_t n;
    const struct form_field *fields = form_fields(f, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].path, path) == 0)
            return &fields[i];
    return NULL;
}

static const struct form_node *dim_control(const struct form *f, const struct form_node *grid,
                                           const char *dim, const char *col)
{
    char *p = xasprintf("%s/%s/%s", grid->path, dim, col);
    const struct form_node *n = form_find(f, p);
    free(p);
    return n;
}

/* The dimensions, labels and choice lists, from the first grid form. */
static void take_shape(struct report_data *d, const struct form *f,
                       const struct form_node *grid, const char *lang)
{
    d->title = xstrdup(form_title(f));
    for (size_t i = 0; i < grid->nchildren; i++) {
        const struct form_node *row = grid->children[i];
        if (row->kind != FORM_GROUP || !*row->name)
            continue;
        char *tp = xasprintf("%s/target_state", row->path);
        const struct form_field *target = field_at(f, tp);
        free(tp);
        d->dims = xrealloc(d->dims, (d->ndims + 1) * sizeof *d->dims);
        struct rp_dim *dim = &d->dims[d->ndims++];
        *dim = (struct rp_dim){.name = xstrdup(row->name),
                               .label = xstrdup(form_text(f, &row->label, lang))};
        take_defaults(dim, f, target, lang);
        rp_choices_take(f, dim_control(f, grid, row->name, "gap"), lang, &d->gaps, &d->ngaps);
        rp_choices_take(f, dim_control(f, grid, row->name, "rec_level"), lang, &d->levels,
                     &d->nlevels);
    }
}

struct loader {
    struct report_data *d;
    const struct form *f;
    const struct form_node *grid, *country;
    const char *lang;
    const char *country_other, *school, *date, *roles; /* field paths */
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

static struct rp_country *country_of(struct loader *L, const struct group *g)
{
    const char *code = group_value(g, L->country ? L->country->path : NULL);
    const char *other = group_value(g, L->country_other);
    if (code && strcmp(code, "other") == 0 && other && *other)
        code = other;
    if (!code || !*code)
        code = "?";
    struct report_data *d = L->d;
    for (size_t i = 0; i < d->ncountries; i++)
        if (strcmp(d->countries[i].code, code) == 0)
            return &d->countries[i];
    d->countries = xrealloc(d->countries, (d->ncountries + 1) * sizeof *d->countries);
    struct rp_country *c = &d->countries[d->ncountries++];
    const char *label = L->country ? form_choice_label(L->f, L->country, code, L->lang) : "";
    *c = (struct rp_country){.code = xstrdup(code), .label = xstrdup(*label ? label : code)};
    return c;
}

static char *dup_value(const struct group *g, const char *path)
{
    const char *v = group_value(g, path);
    return v ? xstrdup(v) : NULL;
}

static bool add_record(void *ctx, const struct group *g, struct error *err)
{
    (void)err;
    struct loader *L = ctx;
    struct report_data *d = L->d;
    struct rp_record *r = xcalloc(1, sizeof *r);
    r->uuid = xstrdup(g->record_uuid);
    r->state = xstrdup(g->state);
    r->school = dup_value(g, L->school);
    r->date = dup_value(g, L->date);
    r->cells = xcalloc(d->ndims + 1, sizeof *r->cells);
    static const char *const cols[] = {"status_quo", "gap", "recommendation", "rec_level",
                                       "target_state"};
    for (size_t i = 0; i < d->ndims; i++) {
        char **slot[] = {&r->cells[i].status_quo, &r->cells[i].gap,
                         &r->cells[i].recommendation, &r->cells[i].rec_level,
                         &r->cells[i].target};
        for (size_t k = 0; k < 5; k++) {
            char *p = xasprintf("%s/%s/%s", L->grid->path, d->dims[i].name, cols[k]);
            *slot[k] = dup_value(g, p);
            free(p);
        }
        if (rp_target_is_default(&d->dims[i], r->cells[i].target))
            xfree(&r->cells[i].target);
    }
    struct rp_country *c = country_of(L, g);
    c->recs = xrealloc(c->recs, (c->nrecs + 1) * sizeof *c->recs);
    c->recs[c->nrecs++] = r;
    if (!c->roles)
        c->roles = xcalloc(d->nroles + 1, sizeof *c->roles);
    const char *roles = group_value(g, L->roles);
    for (size_t i = 0; roles && i < d->nroles; i++) {
        size_t n = strlen(d->roles[i].value);
        for (const char *p = strstr(roles, d->roles[i].value); p;
             p = strstr(p + 1, d->roles[i].value))
            if ((p == roles || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
                c->roles[i]++;
                break;
            }
    }
    d->records++;
    return true;
}

static bool load_version(struct store *s, struct report_data *d,
                         const struct store_form_use *u, const char *lang,
                         struct error *err)
{
    struct form *f = rp_form_load(s, u);
    const struct form_node *grid = f ? find_grid(form_root(f)) : NULL;
    if (!grid) {
        form_free(&f);
        return true;
    }
    if (!d->dims)
        take_shape(d, f, grid, lang);
    struct layout *l = layout_new(f);
    const struct layout_table *t = layout_table(l, NULL);
    const char *country = field_named(t, "country", FORM_TYPE_NONE);
    const char *roles = field_named(t, "roles", FORM_TYPE_NONE);
    rp_choices_take(f, roles ? form_find(f, roles) : NULL, lang, &d->roles, &d->nroles);
    rp_choices_take(f, country ? form_find(f, country) : NULL, lang, &d->country_list,
                 &d->ncountry_list);
    const char *date = field_named(t, "visit_date", FORM_TYPE_NONE);
    struct loader L = {
        .d = d, .f = f, .grid = grid, .lang = lang,
        .country = country ? form_find(f, country) : NULL,
        .country_other = field_named(t, "country_other", FORM_TYPE_NONE),
        .school = field_named(t, "school", FORM_TYPE_NONE),
        .date = date ? date : field_named(t, NULL, FORM_TYPE_DATE),
        .roles = roles,
    };
    struct store_scan_filter filter = {.form_id = u->form_id,
                                       .form_version = u->form_version};
    bool ok = groups_each(s, &filter, t, add_record, &L, err);
    layout_free(&l);
    form_free(&f);
    return ok;
}

static bool same_visit(const struct rp_record *a, const struct rp_record *b)
{
    if (!a->school || !*a->school || !a->date || !*a->date)
        return false; /* without both, a record is a visit of its own */
    return b->school && b->date && strcmp(a->school, b->school) == 0 &&
           strcmp(a->date, b->date) == 0;
}

static void aggregate(struct report_data *d, struct rp_country *c)
{
    c->gap_sum = xcalloc(d->ndims + 1, sizeof *c->gap_sum);
    c->gap_n = xcalloc(d->ndims + 1, sizeof *c->gap_n);
    c->gap_dk = xcalloc(d->ndims + 1, sizeof *c->gap_dk);
    if (!c->roles)
        c->roles = xcalloc(d->nroles + 1, sizeof *c->roles);
    for (size_t i = 0; i < c->nrecs; i++) {
        const struct rp_record *r = c->recs[i];
        if (strcmp(r->state, "finalized") == 0)
            c->finalized++;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_visit(r, c->recs[j]);
        c->visits += !seen;
        for (size_t k = 0; k < d->ndims; k++) {
            const char *gap = r->cells[k].gap;
            if (!gap || !*gap)
                continue;
            if (gap[0] >= '1' && gap[0] <= '5' && gap[1] == '\0') {
                c->gap_sum[k] += gap[0] - '0';
                c->gap_n[k]++;
            } else {
                c->gap_dk[k]++;
            }
        }
    }
}

static const struct report_data *sort_data;

/* Countries in the order of the form's list, the others after by label. */
static long country_rank(const char *code)
{
    for (size_t i = 0; i < sort_data->ncountry_list; i++)
        if (strcmp(sort_data->country_list[i].value, code) == 0)
            return (long)i;
    return (long)sort_data->ncountry_list;
}

static int by_country(const void *a, const void *b)
{
    const struct rp_country *x = a, *y = b;
    long rx = country_rank(x->code), ry = country_rank(y->code);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x->label, y->label);
}

bool rp_each_version(struct store *s, const char *form_id,
                     bool (*fn)(struct store *s, const struct store_form_use *u, void *ctx,
                                struct error *err),
                     void *ctx, struct error *err)
{
    struct store_form_use *uses = NULL;
    size_t n = 0;
    if (!store_read_begin(s, err))
        return false;
    bool ok = store_scan_forms(s, false, &uses, &n, err);
    for (size_t i = 0; ok && i < n; i++)
        if (!form_id || strcmp(form_id, uses[i].form_id) == 0)
            ok = fn(s, &uses[i], ctx, err);
    store_form_uses_free(&uses, n);
    store_read_end(s);
    return ok;
}

struct load_ctx {
    struct report_data *d;
    const char *lang;
};

static bool load_one(struct store *s, const struct store_form_use *u, void *ctx,
                     struct error *err)
{
    struct load_ctx *c = ctx;
    return load_version(s, c->d, u, c->lang, err);
}

bool report_data_load(struct store *s, const char *lang, const char *form_id,
                      struct report_data **out, struct error *err)
{
    struct report_data *d = xcalloc(1, sizeof *d);
    struct load_ctx c = {.d = d, .lang = lang};
    if (!rp_each_version(s, form_id, load_one, &c, err)) {
        report_data_free(&d);
        return false;
    }
    for (size_t i = 0; i < d->ncountries; i++)
        aggregate(d, &d->countries[i]);
    sort_data = d;
    qsort(d->countries, d->ncountries, sizeof *d->countries, by_country);
    sort_data = NULL;
    *out = d;
    return true;
}

void rp_choices_free(struct rp_choice **c, size_t n)
{
    for (size_t i = 0; *c && i < n; i++) {
        free((*c)[i].value);
        free((*c)[i].label);
    }
    xfree(c);
}

static void free_record(struct rp_record *r, size_t ndims)
{
    for (size_t k = 0; k < ndims; k++) {
        free(r->cells[k].status_quo);
        free(r->cells[k].gap);
        free(r->cells[k].recommendation);
        free(r->cells[k].rec_level);
        free(r->cells[k].target);
    }
    free(r->cells);
    free(r->uuid);
    free(r->state);
    free(r->school);
    free(r->date);
    free(r);
}

void report_data_free(struct report_data **dp)
{
    struct report_data *d = *dp;
    if (!d)
        return;
    for (size_t i = 0; i < d->ncountries; i++) {
        struct rp_country *c = &d->countries[i];
        for (size_t j = 0; j < c->nrecs; j++)
            free_record(c->recs[j], d->ndims);
        free(c->recs);
        free(c->code);
        free(c->label);
        free(c->roles);
        free(c->gap_sum);
        free(c->gap_n);
        free(c->gap_dk);
    }
    free(d->countries);
    for (size_t i = 0; i < d->ndims; i++) {
        free(d->dims[i].name);
        free(d->dims[i].label);
        free(d->dims[i].target);
        for (size_t j = 0; j < d->dims[i].ndefaults; j++)
            free(d->dims[i].defaults[j]);
        free(d->dims[i].defaults);
    }
    free(d->dims);
    rp_choices_free(&d->roles, d->nroles);
    rp_choices_free(&d->gaps, d->ngaps);
    rp_choices_free(&d->levels, d->nlevels);
    rp_choices_free(&d->country_list, d->ncountry_list);
    free(d->title);
    xfree(dp);
}
