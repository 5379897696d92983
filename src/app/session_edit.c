/* app/session_edit.c: changing a session's record: answers, repeat
 * instances, finalize and reopen. */
#include "config.h"

#include "app/session.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "form/dates.h"
#include "store/answers.h"
#include "store/items.h"
#include "store/records.h"
#include "app/session_int.h"

#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static char *take_error(struct error *err)
{
    char *msg = error_format_brief(err);
    error_clear(err);
    return msg;
}

/* Why nothing can be changed, or NULL. A read-only file comes first: a
 * finalized record in it cannot be reopened with r either. */
static const char *not_editable(const struct session *s)
{
    if (store_readonly(s->store))
        return store_readonly_reason(s->store);
    if (session_finalized(s))
        return _("Finalized, so read-only: to change it, reopen it on home with r.");
    return NULL;
}

/* Recompute the calculations and save what changed. */
static bool add_item(struct session *s, const struct form_node *repeat, const char *parent,
                     char out[UUID_STR_LEN], bool rebuild, struct error *err);

/* Entries a count may make: a count typed as 5000 instead of 50 must not
 * freeze the screen making thousands of saved entries. */
#define COUNTED_MAX 200

/* Repeats with jr:count get instances until they have as many as the
 * count says (each a saved item). When the count goes down, the entries
 * beyond it stay, with what was typed in them: the user deletes them (F8),
 * nothing typed is dropped behind their back. */
static bool fill_counted(struct session *s, const struct form_node *n, const char *parent,
                         struct error *err)
{
    if (n->kind == FORM_REPEAT && n->count) {
        long want = form_record_repeat_count(s->rec, n, *parent ? parent : NULL);
        if (want > COUNTED_MAX)
            want = COUNTED_MAX;
        size_t have = 0;
        for (size_t k = 0; k < s->nitems; k++)
            have += strcmp(s->items[k].repeat_path, n->path) == 0 &&
                    strcmp(s->items[k].parent, parent) == 0;
        for (; want > 0 && have < (size_t)want; have++) {
            char uuid[UUID_STR_LEN];
            if (!add_item(s, n, parent, uuid, false, err))
                return false;
        }
    }
    if (n->kind != FORM_REPEAT) {
        for (size_t i = 0; i < n->nchildren; i++)
            if (!fill_counted(s, n->children[i], parent, err))
                return false;
        return true;
    }
    /* nested repeats, in each instance (the list grows as we add) */
    for (size_t k = 0; k < s->nitems; k++) {
        if (strcmp(s->items[k].repeat_path, n->path) != 0 || strcmp(s->items[k].parent, parent) != 0)
            continue;
        char *item = xstrdup(s->items[k].uuid);
        bool ok = true;
        for (size_t i = 0; ok && i < n->nchildren; i++)
            ok = fill_counted(s, n->children[i], item, err);
        free(item);
        if (!ok)
            return false;
    }
    return true;
}

static bool recalculate(struct session *s, struct error *err)
{
    struct pending p = {0};
    form_record_calculate(s->rec, session_on_value, &p);
    bool ok = session_pending_save(s, &p, err);
    session_pending_free(&p);
    size_t before = s->nitems;
    ok = ok && fill_counted(s, form_root(s->form), "", err);
    if (s->nitems != before)
        session_build_pages(s); /* once, for all the entries the counts made */
    return ok;
}

/* The form's xforms-value-changed actions of the control just saved. */
static bool value_changed(struct session *s, const struct form_node *n, const char *item,
                          struct error *err)
{
    struct pending p = {0};
    struct form_events ev = {session_on_value, NULL, &p};
    form_record_value_changed(s->rec, n->path, item, &ev);
    bool ok = session_pending_save(s, &p, err);
    session_pending_free(&p);
    return ok;
}

/* A typed text without the line breaks (and the blanks between them)
 * typed by mistake after its end; fresh. */
static char *trim_trailing_lines(const struct form_node *n, const char *value)
{
    size_t len = strlen(value), end = len;
    bool newline = false;
    if (n && n->kind == FORM_INPUT)
        while (end > 0 && strchr("\n\r \t", value[end - 1])) {
            newline = newline || value[end - 1] == '\n' || value[end - 1] == '\r';
            end--;
        }
    return xstrndup(value, newline ? end : len);
}

static enum session_set_result set_value(struct session *s, const struct form_node *n,
                                         const char *item, const char *value, char **msg);

enum session_set_result session_set(struct session *s, const struct form_node *n,
                                    const char *item, const char *value, char **msg)
{
    char *v = trim_trailing_lines(n, or_empty(value));
    if (n && (n->type == FORM_TYPE_DATE || n->type == FORM_TYPE_TIME ||
              n->type == FORM_TYPE_DATETIME)) {
        /* "2023-3-5" is saved as the date it means, 2023-03-05 */
        char *padded = dates_normalize(v);
        if (padded) {
            free(v);
            v = padded;
        }
    }
    enum session_set_result r = set_value(s, n, item, v, msg);
    free(v);
    return r;
}

static enum session_set_result set_value(struct session *s, const struct form_node *n,
                                         const char *item, const char *value, char **msg)
{
    *msg = NULL;
    item = or_empty(item);
    struct error err = ERROR_INIT;
    const char *why = not_editable(s);
    if (why) {
        *msg = xstrdup(why);
        return SESSION_SET_FAILED;
    }
    const char *cur = n && *n->path ? form_record_get(s->rec, n->path, item) : NULL;
    if (!cur) {
        *msg = xstrdup(_("This question has no answer to set."));
        return SESSION_SET_FAILED;
    }
    if (strcmp(cur, value) == 0)
        return SESSION_SET_OK;
    if (form_record_readonly(s->rec, n, item)) {
        *msg = xstrdup(_("This question is read-only."));
        return SESSION_SET_FAILED;
    }
    char *old = xstrdup(cur);
    enum session_set_result r = SESSION_SET_OK;
    if (!form_record_set(s->rec, n->path, item, value, &err)) {
        *msg = take_error(&err);
        r = SESSION_SET_FAILED;
    } else if (!form_record_check(s->rec, n, item, s->lang, msg)) {
        form_record_set(s->rec, n->path, item, old, NULL);
        r = SESSION_SET_INVALID;
    } else if (!store_answer_set(s->store, s->info.uuid, item, n->path, *value ? value : NULL,
                                 &err)) {
        /* the screen keeps what was typed; the record keeps what is saved */
        form_record_set(s->rec, n->path, item, old, NULL);
        *msg = take_error(&err);
        r = SESSION_SET_FAILED;
    } else if (!value_changed(s, n, item, &err) || !recalculate(s, &err)) {
        *msg = take_error(&err);
        r = SESSION_SET_FAILED;
    }
    free(old);
    return r;
}

bool session_add_item(struct session *s, const struct form_node *repeat, const char *parent,
                      char out[UUID_STR_LEN], struct error *err)
{
    const char *why = not_editable(s);
    if (why)
        return error_set(err, "%s", why);
    if (!repeat || repeat->kind != FORM_REPEAT)
        return error_set(err, _("not a repeat"));
    if (repeat->count)
        return error_set(err, _("The form sets the number of entries of this list from an "
                                "earlier answer."));
    return add_item(s, repeat, or_empty(parent), out, true, err);
}

static bool add_item(struct session *s, const struct form_node *repeat, const char *parent,
                     char out[UUID_STR_LEN], bool rebuild, struct error *err)
{
    char uuid[UUID_STR_LEN];
    if (!store_item_add(s->store, s->info.uuid, parent, repeat->path, uuid, err))
        return false;
    session_items_push(s, uuid, repeat->path, parent);
    struct pending p = {0};
    struct form_events ev = {session_on_value, NULL, &p};
    bool ok = form_record_new_item(s->rec, repeat->path, parent, uuid, &ev, err) &&
              session_pending_save(s, &p, err);
    session_pending_free(&p);
    if (rebuild)
        session_build_pages(s);
    if (ok)
        memcpy(out, uuid, UUID_STR_LEN);
    return ok;
}

static bool is_below(const struct session *s, size_t k, const char *item)
{
    for (size_t guard = 0; guard <= s->nitems; guard++) {
        if (strcmp(s->items[k].uuid, item) == 0)
            return true;
        const char *parent = s->items[k].parent;
        if (!*parent)
            return false;
        size_t j = 0;
        while (j < s->nitems && strcmp(s->items[j].uuid, parent) != 0)
            j++;
        if (j == s->nitems)
            return false;
        k = j;
    }
    return false;
}

bool session_remove_item(struct session *s, const char *item, struct error *err)
{
    const char *why = not_editable(s);
    if (why)
        return error_set(err, "%s", why);
    if (!store_item_delete(s->store, item, err))
        return false;
    form_record_remove_item(s->rec, item);
    /* forget the instance and those nested in it, keeping the order */
    bool *gone = xcalloc(s->nitems ? s->nitems : 1, sizeof *gone);
    for (size_t k = 0; k < s->nitems; k++)
        gone[k] = is_below(s, k, item);
    size_t w = 0;
    for (size_t k = 0; k < s->nitems; k++) {
        if (gone[k]) {
            free(s->items[k].uuid);
            free(s->items[k].repeat_path);
            free(s->items[k].parent);
        } else {
            s->items[w++] = s->items[k];
        }
    }
    s->nitems = w;
    free(gone);
    session_build_pages(s);
    return recalculate(s, err);
}

/* ---- finalize and reopen ------------------------------------------------- */

struct problem_list {
    struct session *s;
    struct session_problem *list;
    size_t n;
};

static void on_problem(void *ctx, const struct form_node *n, const char *item, const char *msg)
{
    struct problem_list *pl = ctx;
    size_t page = 0, field = 0;
    if (!session_find(pl->s, n->path, or_empty(item), &page, &field))
        page = field = 0;
    pl->list = xrealloc(pl->list, (pl->n + 1) * sizeof *pl->list);
    const struct session_page *p = session_page(pl->s, page);
    char *label = p && field < p->nfields && p->fields[field].node == n
                      ? session_field_label(pl->s, p, field)
                      : xstrdup(form_text(pl->s->form, &n->label, pl->s->lang));
    pl->list[pl->n++] = (struct session_problem){page, field, label, xstrdup(msg)};
}

void session_problems_free(struct session_problem **p, size_t n)
{
    if (!*p)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*p)[i].label);
        free((*p)[i].msg);
    }
    xfree(p);
}

static bool reload_info(struct session *s, struct error *err)
{
    struct store_record fresh;
    if (!store_record_get(s->store, s->info.uuid, &fresh, err))
        return false;
    store_record_clear(&s->info);
    s->info = fresh;
    return true;
}

const char *session_readonly_reason(const struct session *s)
{
    return not_editable(s);
}

bool session_check(struct session *s, struct session_problem **problems, size_t *n)
{
    struct problem_list pl = {s, NULL, 0};
    form_record_problems(s->rec, s->lang, on_problem, &pl);
    *problems = pl.list;
    *n = pl.n;
    return pl.n == 0;
}

bool session_finalize(struct session *s, struct session_problem **problems, size_t *n,
                      struct error *err)
{
    *problems = NULL;
    *n = 0;
    const char *why = not_editable(s);
    if (why)
        return error_set(err, "%s", why);
    if (!session_check(s, problems, n))
        return false;
    struct pending p = {0};
    struct form_events ev = {session_on_value, NULL, &p};
    form_record_finalize(s->rec, &ev);
    bool ok = session_pending_save(s, &p, err) &&
              store_record_finalize(s->store, s->info.uuid, err) && reload_info(s, err);
    session_pending_free(&p);
    return ok;
}

bool session_reopen(struct session *s, const char *reason, struct error *err)
{
    return store_record_reopen(s->store, s->info.uuid, reason, err) && reload_info(s, err);
}
