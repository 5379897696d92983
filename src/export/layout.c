#include "config.h"

#include "export/layout.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The form's root prefix, "/data/", from its first field. */
static size_t root_prefix_len(const struct form *f)
{
    size_t n;
    const struct form_field *fields = form_fields(f, &n);
    if (n == 0 || fields[0].path[0] != '/')
        return 0;
    const char *slash = strchr(fields[0].path + 1, '/');
    return slash ? (size_t)(slash - fields[0].path) + 1 : 0;
}

static bool exported(const struct form_field *fld)
{
    return !fld->control || fld->control->kind != FORM_NOTE;
}

static struct layout_table *table_for(struct layout *l, const char *repeat)
{
    for (size_t i = 0; i < l->ntables; i++) {
        const char *r = l->tables[i].repeat_path;
        if ((!r && !repeat) || (r && repeat && strcmp(r, repeat) == 0))
            return &l->tables[i];
    }
    l->tables = xrealloc(l->tables, (l->ntables + 1) * sizeof *l->tables);
    struct layout_table *t = &l->tables[l->ntables++];
    memset(t, 0, sizeof *t);
    t->repeat_path = repeat;
    if (!repeat) {
        t->name = xstrdup("wide");
    } else {
        char *rel = xstrdup(layout_name(l, repeat));
        for (char *p = rel; *p; p++)
            if (*p == '/')
                *p = '.';
        t->name = xasprintf("repeat-%s", rel);
        free(rel);
    }
    return t;
}

static const struct layout_table *sort_table;

static int by_path(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return strcmp(sort_table->cols[i].path, sort_table->cols[j].path);
}

static void sort_columns(struct layout_table *t)
{
    t->by_path = xmalloc((t->ncols + 1) * sizeof *t->by_path);
    for (size_t i = 0; i < t->ncols; i++)
        t->by_path[i] = i;
    sort_table = t;
    qsort(t->by_path, t->ncols, sizeof *t->by_path, by_path);
    sort_table = NULL;
}

/* The notes log's fields (survey_log_find), when the form has one and it
 * is among the tables. */
static void find_log_fields(struct layout *l)
{
    if (!survey_log_find(l->form, &l->notes))
        return;
    const struct layout_table *t = layout_table(l, l->notes.repeat->path);
    if (!t)
        return;
    const struct survey_log *n = &l->notes;
    l->log = (struct layout_log){
        .repeat_path = t->repeat_path,
        .speaker = n->speaker, .topic = n->topic, .phase = n->phase, .text = n->text,
        .tags = n->tags, .quote = n->quote, .started_at = n->started_at,
        .committed_at = n->committed_at,
    };
    l->has_log = true;
    const struct layout_table *r = n->roster ? layout_table(l, n->roster->path) : NULL;
    if (r) {
        l->log.roster_path = r->repeat_path;
        l->log.code = n->code;
        l->log.role = n->role;
    }
}

struct layout *layout_new(const struct form *f)
{
    struct layout *l = xcalloc(1, sizeof *l);
    l->form = f;
    table_for(l, NULL);
    size_t n;
    const struct form_field *fields = form_fields(f, &n);
    for (size_t i = 0; i < n; i++) {
        if (!exported(&fields[i]))
            continue;
        struct layout_table *t = table_for(l, fields[i].repeat_path);
        t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
        t->cols[t->ncols++] = (struct layout_column){
            .path = fields[i].path,
            .name = xstrdup(layout_name(l, fields[i].path)),
            .short_name = fields[i].name,
            .field = &fields[i],
            .control = fields[i].control,
        };
    }
    for (size_t i = 0; i < l->ntables; i++)
        sort_columns(&l->tables[i]);
    find_log_fields(l);
    return l;
}

void layout_free(struct layout **lp)
{
    struct layout *l = *lp;
    if (!l)
        return;
    for (size_t i = 0; i < l->ntables; i++) {
        struct layout_table *t = &l->tables[i];
        for (size_t j = 0; j < t->ncols; j++)
            free(t->cols[j].name);
        free(t->cols);
        free(t->by_path);
        free(t->name);
    }
    free(l->tables);
    survey_log_clear(&l->notes);
    xfree(lp);
}

long layout_find(const struct layout_table *t, const char *field)
{
    size_t lo = 0, hi = t->ncols;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->cols[t->by_path[mid]].path, field);
        if (c == 0)
            return (long)t->by_path[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const struct layout_table *layout_table(const struct layout *l,
                                        const char *repeat_path)
{
    for (size_t i = 0; i < l->ntables; i++) {
        const char *r = l->tables[i].repeat_path;
        if ((!r && !repeat_path) ||
            (r && repeat_path && strcmp(r, repeat_path) == 0))
            return &l->tables[i];
    }
    return NULL;
}

const char *layout_name(const struct layout *l, const char *field)
{
    size_t n = root_prefix_len(l->form);
    if (n && strncmp(field, form_fields(l->form, &(size_t){0})[0].path, n) == 0 &&
        field[n])
        return field + n;
    return field;
}

void layout_match_reset(struct layout_match *m, const struct layout_table *t)
{
    m->t = t;
    m->pos = 0;
}

long layout_match(struct layout_match *m, const char *field)
{
    const struct layout_table *t = m->t;
    while (m->pos < t->ncols) {
        int c = strcmp(t->cols[t->by_path[m->pos]].path, field);
        if (c == 0)
            return (long)t->by_path[m->pos++];
        if (c > 0)
            return -1;
        m->pos++;
    }
    return -1;
}
