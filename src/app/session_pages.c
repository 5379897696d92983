/* app/session_pages.c: a session's pages (what each screen of the questionnaire
 * shows), the state of each question, and where the user was. */
#include "config.h"

#include "app/session.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/meta.h"
#include "app/session_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POSITION_KEY "ui.position"

void session_pages_free(struct session *s)
{
    for (size_t i = 0; i < s->npages; i++) {
        free(s->pages[i].fields);
        free(s->pages[i].rows);
    }
    xfree(&s->pages);
    s->npages = s->pages_cap = 0;
}

static struct session_page *page_add(struct session *s, enum session_page_kind kind,
                                     const struct form_node *n, const char *item)
{
    if (s->npages == s->pages_cap) {
        s->pages_cap = s->pages_cap ? s->pages_cap * 2 : 32;
        s->pages = xrealloc(s->pages, s->pages_cap * sizeof *s->pages);
    }
    struct session_page *p = &s->pages[s->npages++];
    *p = (struct session_page){.kind = kind, .node = n, .item = item};
    return p;
}

static void field_add(struct session_page *p, const struct form_node *n, const char *item)
{
    p->fields = xrealloc(p->fields, (p->nfields + 1) * sizeof *p->fields);
    p->fields[p->nfields++] = (struct session_field){n, item};
}

static bool is_control(const struct form_node *n)
{
    return n->kind != FORM_GROUP && n->kind != FORM_REPEAT;
}

/* The controls of a field-list group, nested plain groups flattened. */
static void collect_leaves(struct session_page *p, const struct form_node *n, const char *item)
{
    for (size_t i = 0; i < n->nchildren; i++) {
        const struct form_node *c = n->children[i];
        if (is_control(c))
            field_add(p, c, item);
        else if (c->kind == FORM_GROUP)
            collect_leaves(p, c, item);
    }
}

static const struct form_node *child_named(const struct form_node *row, const char *name)
{
    for (size_t i = 0; i < row->nchildren; i++)
        if (is_control(row->children[i]) && strcmp(row->children[i]->name, name) == 0)
            return row->children[i];
    return NULL;
}

/* Rows are the group's child groups; columns the controls of the first. */
static void build_grid(struct session_page *p, const struct form_node *g, const char *item)
{
    for (size_t i = 0; i < g->nchildren; i++) {
        if (g->children[i]->kind != FORM_GROUP)
            continue;
        p->rows = xrealloc(p->rows, (p->nrows + 1) * sizeof *p->rows);
        p->rows[p->nrows++] = g->children[i];
    }
    const struct form_node *first = p->nrows ? p->rows[0] : NULL;
    for (size_t c = 0; first && c < first->nchildren; c++)
        if (is_control(first->children[c]))
            p->ncols++;
    for (size_t r = 0; r < p->nrows; r++)
        for (size_t c = 0; first && c < first->nchildren; c++)
            if (is_control(first->children[c]))
                field_add(p, child_named(p->rows[r], first->children[c]->name), item);
}

static void walk(struct session *s, const struct form_node *n, const char *item, bool root)
{
    if (n->kind == FORM_GROUP) {
        if (!root && (n->flags & FORM_GRID))
            build_grid(page_add(s, SESSION_PAGE_GRID, n, item), n, item);
        else if (!root && (n->flags & FORM_FIELD_LIST))
            collect_leaves(page_add(s, SESSION_PAGE_GROUP, n, item), n, item);
        else
            for (size_t i = 0; i < n->nchildren; i++)
                walk(s, n->children[i], item, false);
    } else if (n->kind == FORM_REPEAT) {
        /* an imas-log repeat's notes live on the capture screen */
        for (size_t k = 0; !(n->flags & FORM_LOG) && k < s->nitems; k++) {
            const struct session_item *it = &s->items[k];
            if (strcmp(it->repeat_path, n->path) != 0 || strcmp(it->parent, item) != 0)
                continue;
            for (size_t i = 0; i < n->nchildren; i++)
                walk(s, n->children[i], it->uuid, false);
        }
        page_add(s, SESSION_PAGE_REPEAT, n, item);
    } else {
        field_add(page_add(s, SESSION_PAGE_CONTROL, n, item), n, item);
    }
}

void session_build_pages(struct session *s)
{
    session_pages_free(s);
    walk(s, form_root(s->form), "", true);
}

size_t session_page_count(const struct session *s)
{
    return s->npages;
}

const struct session_page *session_page(const struct session *s, size_t i)
{
    return i < s->npages ? &s->pages[i] : NULL;
}

static bool field_relevant(const struct session *s, const struct session_field *f)
{
    return f->node && form_record_relevant(s->rec, f->node, f->item);
}

bool session_page_relevant(const struct session *s, size_t i)
{
    const struct session_page *p = session_page(s, i);
    if (!p)
        return false;
    if (p->kind == SESSION_PAGE_REPEAT)
        return form_record_relevant(s->rec, p->node, NULL);
    if (!form_record_relevant(s->rec, p->node, p->item))
        return false;
    if (p->kind != SESSION_PAGE_GROUP)
        return true;
    for (size_t k = 0; k < p->nfields; k++)
        if (field_relevant(s, &p->fields[k]))
            return true;
    return false;
}

size_t session_page_step(const struct session *s, size_t i, int dir)
{
    for (size_t j = i + (size_t)(long)dir; j < s->npages; j += (size_t)(long)dir)
        if (session_page_relevant(s, j))
            return j;
    return SIZE_MAX;
}

enum session_qstate session_field_state(const struct session *s, const struct session_field *f)
{
    if (!f->node)
        return SESSION_Q_IRRELEVANT;
    return (enum session_qstate)form_record_qstate(s->rec, f->node, f->item, s->lang);
}

bool session_find(const struct session *s, const char *path, const char *item, size_t *page,
                  size_t *field)
{
    const char *it = item ? item : "";
    for (size_t i = 0; i < s->npages; i++)
        for (size_t k = 0; k < s->pages[i].nfields; k++) {
            const struct session_field *f = &s->pages[i].fields[k];
            if (f->node && strcmp(f->node->path, path) == 0 && strcmp(f->item, it) == 0) {
                *page = i;
                *field = k;
                return true;
            }
        }
    /* a repeat's own page, named by the repeat's path */
    for (size_t i = 0; i < s->npages; i++)
        if (s->pages[i].kind == SESSION_PAGE_REPEAT && strcmp(s->pages[i].node->path, path) == 0 &&
            strcmp(s->pages[i].item, it) == 0) {
            *page = i;
            *field = 0;
            return true;
        }
    return false;
}

static char *node_label(const struct session *s, const struct form_node *n, const char *item)
{
    char *t = form_record_text(s->rec, &n->label, n, item, s->lang);
    if (t && *t)
        return t;
    free(t);
    return xstrdup(*n->name ? n->name : n->path);
}

char *session_field_label(const struct session *s, const struct session_page *p, size_t field)
{
    const struct session_field *f = &p->fields[field];
    if (p->kind != SESSION_PAGE_GRID || !p->ncols) {
        return f->node ? node_label(s, f->node, f->item) : xstrdup("");
    }
    char *row = node_label(s, p->rows[field / p->ncols], p->item);
    char *col = f->node ? node_label(s, f->node, f->item) : xstrdup("");
    char *both = xasprintf("%s \u203a %s", row, col);
    free(row);
    free(col);
    return both;
}

char *session_page_label(const struct session *s, size_t i)
{
    const struct session_page *p = session_page(s, i);
    if (!p)
        return xstrdup("");
    /* a repeat is labelled by the group around it, as ODK forms do */
    const struct form_node *n = p->node;
    if (n->kind == FORM_REPEAT && n->parent && n->parent->parent &&
        n->parent->kind == FORM_GROUP) {
        char *t = form_record_text(s->rec, &n->label, n, p->item, s->lang);
        if (t && *t)
            return t;
        free(t);
        n = n->parent;
    }
    return node_label(s, n, p->item);
}

static const struct session_item *item_of(const struct session *s, const char *uuid)
{
    for (size_t k = 0; uuid && *uuid && k < s->nitems; k++)
        if (strcmp(s->items[k].uuid, uuid) == 0)
            return &s->items[k];
    return NULL;
}

char *session_page_context(const struct session *s, size_t i)
{
    const struct session_page *p = session_page(s, i);
    if (!p || p->kind != SESSION_PAGE_CONTROL)
        return xstrdup("");
    /* the nearest labelled group; a group around the repeat is read in the
     * instance's parent, one inside it in the instance */
    const struct session_item *it = item_of(s, p->item);
    char *label = NULL;
    for (const struct form_node *n = p->node->parent; n && n->parent && !label; n = n->parent) {
        if (n->kind != FORM_GROUP)
            continue;
        bool outside = it && p->node->repeat && n->repeat != p->node->repeat;
        char *t = form_record_text(s->rec, &n->label, n, outside ? it->parent : p->item, s->lang);
        if (t && *t)
            label = t;
        else
            free(t);
    }
    if (!it)
        return label ? label : xstrdup("");
    size_t pos = 0, count = 0;
    for (size_t k = 0; k < s->nitems; k++) {
        const struct session_item *o = &s->items[k];
        if (strcmp(o->repeat_path, it->repeat_path) != 0 || strcmp(o->parent, it->parent) != 0)
            continue;
        count++;
        if (o == it)
            pos = count;
    }
    char *ctx = xasprintf("%s%s%zu/%zu", label ? label : "", label ? " \u00b7 " : "", pos, count);
    free(label);
    return ctx;
}

/* The questions session_progress() asks the form about, in page order:
 * for a group or grid page first whether the page itself is relevant,
 * then its fields (a one-question page is relevant when its question is). */
static struct form_qref *progress_refs(const struct session *s, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < s->npages; i++)
        count += s->pages[i].nfields + (s->pages[i].kind != SESSION_PAGE_CONTROL);
    struct form_qref *q = xcalloc(count ? count : 1, sizeof *q);
    *n = 0;
    for (size_t i = 0; i < s->npages; i++) {
        const struct session_page *p = &s->pages[i];
        if (p->kind == SESSION_PAGE_REPEAT)
            continue; /* no questions */
        if (p->kind != SESSION_PAGE_CONTROL)
            q[(*n)++] = (struct form_qref){p->node, p->item, true};
        for (size_t k = 0; k < p->nfields; k++)
            q[(*n)++] = (struct form_qref){p->fields[k].node, p->fields[k].item, false};
    }
    return q;
}

/* Every question's state in one call to the form, which finds their
 * elements in one walk: one by one, each would be looked for among all its
 * siblings, and a group of 1000 questions cost 20 ms a redraw. The counts
 * are those of session_page_relevant() and session_field_state(). */
void session_progress(const struct session *s, size_t *answered, size_t *asked)
{
    *answered = *asked = 0;
    size_t n;
    struct form_qref *q = progress_refs(s, &n);
    enum form_qstate *st = xcalloc(n ? n : 1, sizeof *st);
    form_record_qstates(s->rec, q, n, s->lang, st);
    size_t j = 0;
    for (size_t i = 0; i < s->npages; i++) {
        const struct session_page *p = &s->pages[i];
        if (p->kind == SESSION_PAGE_REPEAT)
            continue;
        bool page_on = p->kind == SESSION_PAGE_CONTROL || st[j++] != FORM_Q_IRRELEVANT;
        /* a field-list group with no relevant question is not shown */
        bool any = false;
        for (size_t k = 0; p->kind == SESSION_PAGE_GROUP && k < p->nfields; k++)
            any = any || st[j + k] != FORM_Q_IRRELEVANT;
        page_on = page_on && (p->kind != SESSION_PAGE_GROUP || any);
        for (size_t k = 0; k < p->nfields; k++, j++) {
            if (!page_on || st[j] == FORM_Q_IRRELEVANT || st[j] == FORM_Q_NOTE)
                continue;
            (*asked)++;
            if (st[j] == FORM_Q_ANSWERED)
                (*answered)++;
        }
    }
    free(st);
    free(q);
}

/* ---- where the user was -------------------------------------------------- */

bool session_save_position(struct session *s, const char *path, const char *item,
                           struct error *err)
{
    if (store_readonly(s->store))
        return true;
    char *v = xasprintf("%s\t%s\t%s", s->info.uuid, path ? path : "", item ? item : "");
    bool ok = store_setting_set(s->store, POSITION_KEY, v, err);
    free(v);
    return ok;
}

bool session_last_position(struct store *st, char **record, char **path, char **item,
                           struct error *err)
{
    *record = *path = *item = NULL;
    char *v = NULL;
    if (!store_setting_get(st, POSITION_KEY, &v, err))
        return false;
    char *t1 = v ? strchr(v, '\t') : NULL;
    char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (t2) {
        *record = xstrndup(v, (size_t)(t1 - v));
        *path = xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));
        *item = xstrdup(t2 + 1);
    }
    free(v);
    return true;
}

bool session_forget_position(struct store *st, struct error *err)
{
    if (store_readonly(st))
        return true;
    return store_setting_set(st, POSITION_KEY, NULL, err);
}

/* ---- the text being typed (a draft) --------------------------------------- */

#define DRAFT_KEY "ui.draft"

bool session_draft_save(struct session *s, const char *path, const char *item, const char *text,
                        struct error *err)
{
    if (store_readonly(s->store))
        return true;
    char *v = xasprintf("%s\t%s\t%s\t%s", s->info.uuid, path ? path : "", item ? item : "",
                        text ? text : "");
    bool ok = store_setting_set(s->store, DRAFT_KEY, v, err);
    free(v);
    return ok;
}

bool session_draft_take(struct session *s, char **path, char **item, char **text,
                        struct error *err)
{
    *path = *item = *text = NULL;
    char *v = NULL;
    if (!store_setting_get(s->store, DRAFT_KEY, &v, err))
        return false;
    char *t1 = v ? strchr(v, '\t') : NULL;
    char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
    if (t3 && (size_t)(t1 - v) == strlen(s->info.uuid) &&
        strncmp(v, s->info.uuid, (size_t)(t1 - v)) == 0) {
        *path = xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));
        *item = xstrndup(t2 + 1, (size_t)(t3 - t2 - 1));
        *text = xstrdup(t3 + 1);
    }
    free(v);
    return true;
}

bool session_draft_clear(struct session *s, struct error *err)
{
    if (store_readonly(s->store))
        return true;
    return store_setting_set(s->store, DRAFT_KEY, NULL, err);
}
