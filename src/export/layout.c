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

static char *child_field(const struct form *f, const char *parent,
                         const char *name)
{
    char *p = xasprintf("%s/%s", parent, name);
    size_t n;
    const struct form_field *fields = form_fields(f, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].path, p) == 0)
            return p;
    free(p);
    return NULL;
}

static void find_roster(struct layout *l)
{
    const struct form_node *speaker =
        l->log.speaker ? form_find(l->form, l->log.speaker) : NULL;
    if (!speaker || !speaker->itemset || !speaker->itemset->value_ref)
        return;
    const char *nodeset = speaker->itemset->nodeset;
    if (!nodeset || !form_is_repeat(l->form, nodeset))
        return;
    const struct layout_table *t = layout_table(l, nodeset);
    if (!t)
        return;
    l->log.roster_path = t->repeat_path;
    l->log.code = child_field(l->form, nodeset, speaker->itemset->value_ref);
    l->log.role = child_field(l->form, nodeset, "role");
}

static void find_log_fields(struct layout *l)
{
    const struct form_node *log = form_log_repeat(l->form);
    if (!log || !layout_table(l, log->path))
        return;
    struct layout_log *g = &l->log;
    g->repeat_path = layout_table(l, log->path)->repeat_path;
    g->speaker = child_field(l->form, log->path, "speaker");
    g->topic = child_field(l->form, log->path, "topic");
    g->phase = child_field(l->form, log->path, "phase");
    g->text = child_field(l->form, log->path, "text");
    g->tags = child_field(l->form, log->path, "tags");
    g->quote = child_field(l->form, log->path, "quote");
    g->started_at = child_field(l->form, log->path, "started_at");
    g->committed_at = child_field(l->form, log->path, "committed_at");
    l->has_log = g->text != NULL;
    find_roster(l);
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
    struct layout_log *g = &l->log;
    char **owned[] = {&g->speaker, &g->topic,      &g->phase,
                      &g->text,    &g->tags,       &g->quote,
                      &g->started_at, &g->committed_at, &g->code,
                      &g->role};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        xfree(owned[i]);
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
