#include "config.h"

#include "export/groups.h"

#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void group_clear(struct group *g)
{
    xfree(&g->record_uuid);
    xfree(&g->parent_uuid);
    xfree(&g->item_uuid);
    xfree(&g->state);
    for (size_t i = 0; i < g->t->ncols; i++)
        xfree(&g->values[i]);
}

static void group_start(struct group *g, const struct store_row *r)
{
    group_clear(g);
    g->record_uuid = xstrdup(r->record_uuid);
    g->parent_uuid = xstrdup(r->parent_uuid);
    g->item_uuid = xstrdup(r->item_uuid);
    g->state = xstrdup(r->state);
}

static bool same(const struct group *g, const struct store_row *r)
{
    if (!g->record_uuid)
        return false;
    return g->t->repeat_path ? strcmp(g->item_uuid, r->item_uuid) == 0
                             : strcmp(g->record_uuid, r->record_uuid) == 0;
}

bool groups_each(struct store *s, const struct store_scan_filter *f,
                 const struct layout_table *t, group_fn *fn, void *ctx,
                 struct error *err)
{
    struct store_cursor *cur = NULL;
    bool ok = t->repeat_path ? store_scan_items(s, f, t->repeat_path, &cur, err)
                             : store_scan_records(s, f, &cur, err);
    if (!ok)
        return false;
    struct group g = {.t = t, .values = xcalloc(t->ncols + 1, sizeof(char *))};
    struct store_row r;
    int rc;
    while ((rc = store_cursor_next(cur, &r, err)) == 1) {
        if (!same(&g, &r)) {
            if (g.record_uuid && !fn(ctx, &g, err)) {
                rc = -1;
                break;
            }
            group_start(&g, &r);
        }
        long col = r.field ? layout_find(t, r.field) : -1;
        if (col >= 0) {
            free(g.values[col]);
            g.values[col] = xstrndup(r.value, r.value_len);
        }
    }
    if (rc == 0 && g.record_uuid && !fn(ctx, &g, err))
        rc = -1;
    group_clear(&g);
    free(g.values);
    store_cursor_free(&cur);
    return rc == 0;
}

const char *group_value(const struct group *g, const char *path)
{
    long col = path ? layout_find(g->t, path) : -1;
    return col >= 0 ? g->values[col] : NULL;
}

char *choice_text(const struct form *f, const struct form_node *n,
                  const char *value, const char *lang)
{
    if (!value)
        return xstrdup("");
    if (!n || n->kind != FORM_SELECT)
        return xstrdup(*form_choice_label(f, n, value, lang)
                           ? form_choice_label(f, n, value, lang)
                           : value);
    struct strbuf sb;
    strbuf_init(&sb);
    char *copy = xstrdup(value), *save = NULL;
    for (char *v = strtok_r(copy, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
        const char *label = form_choice_label(f, n, v, lang);
        if (sb.len)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, *label ? label : v);
    }
    free(copy);
    return strbuf_detach(&sb);
}
