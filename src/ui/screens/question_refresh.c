/* ui/screens/question_refresh.c: the questionnaire reads its record again
 * when another program wrote to the file (a merge from another shell, the
 * capture screen's writer), staying on the same question and keeping the
 * text the user is typing. */
#include "config.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/screens/question_int.h"

#include <stdlib.h>
#include <string.h>

/* Read the record again (another connection wrote to it), staying on the
 * same question; returns the session shown before (for comparing, the
 * caller frees it), or NULL with the error shown. */
struct session *q_read_again(struct qscreen *q)
{
    const char *p0, *i0;
    q_focus_path(q, &p0, &i0);
    char *path = xstrdup(p0), *item = xstrdup(i0);
    struct error err = ERROR_INIT;
    struct session *old = NULL;
    struct session *s =
        session_open(q->ui->store, q->ui->catalog, session_uuid(q->s), q->ui->lang, &err);
    if (s) {
        old = q->s;
        q->s = s;
        size_t page = 0, field = 0;
        if (!session_find(s, path, item, &page, &field))
            page = q->page < session_page_count(s) ? q->page : 0, field = 0;
        q_goto_page(q, page, field);
    } else {
        char *msg = error_format(&err);
        q_set_message(q, msg, true);
        free(msg);
        error_clear(&err);
    }
    free(path);
    free(item);
    return old;
}

/* Whether a value on the page shown differs between two sessions. */
static bool page_changed(const struct qscreen *q, const struct session *old)
{
    const struct session_page *p = session_page(q->s, q->page);
    for (size_t k = 0; p && k < p->nfields; k++)
        if (p->fields[k].node &&
            session_differs(old, q->s, p->fields[k].node->path, p->fields[k].item))
            return true;
    return false;
}

/* Put the open cell editor or the text field back, with text. */
static void reopen_editor(struct qscreen *q, bool cell, const char *text)
{
    if (cell) {
        grid_open_with(q, text);
        return;
    }
    if (!q->text)
        return;
    textedit_set(&q->edit, text);
    while (q->edit.cursor < q->edit.len)
        textedit_right(&q->edit), textedit_end(&q->edit);
}

/* v shortened to at most cols columns, ending in … when cut. */
static char *clip_value(const char *v, size_t cols)
{
    if (utf8_width(v) <= cols)
        return xstrdup(v);
    return xasprintf("%.*s…", (int)utf8_prefix_for_width(v, cols - 1), v);
}

/* On each key and while idle: a merge from another shell (another
 * connection committed) shows up without reopening the record. The values
 * shown are read again; the text the user is typing is kept, and when its
 * stored value changed meanwhile the message line says so. */
void q_refresh(struct qscreen *q)
{
    if (q->overlay != Q_OVERLAY_NONE || !session_stale(q->s))
        return;
    const struct session_page *p = session_page(q->s, q->page);
    bool grid = p && p->kind == SESSION_PAGE_GRID, cell = grid && q->cell_open;
    const struct session_field *f = q_focused(q);
    char *typed = NULL, *fpath = NULL, *fitem = NULL;
    if (q->text && f && f->node && (!grid || cell) &&
        strcmp(q->edit.text, session_get(q->s, f->node, f->item)) != 0) {
        typed = xstrdup(q->edit.text);
        fpath = xstrdup(f->node->path);
        fitem = xstrdup(f->item);
    }
    struct session *old = q_read_again(q);
    if (old) {
        bool changed = page_changed(q, old);
        f = q_focused(q);
        if (typed && f && f->node && strcmp(f->node->path, fpath) == 0 &&
            strcmp(f->item, fitem) == 0) {
            const char *now = session_get(q->s, f->node, f->item);
            reopen_editor(q, cell, typed);
            if (session_differs(old, q->s, fpath, fitem) && strcmp(now, typed) != 0) {
                /* TRANSLATORS: the user is typing into an answer that a
                 * merge from another program changed; %s is the new stored
                 * value (at most 16 columns). Keep it short: one line. */
                char *v = clip_value(now, 16);
                char *msg = xasprintf(_("Merged meanwhile: \"%s\"; leaving the field saves yours."), v);
                free(v);
                q_set_message(q, msg, true);
                free(msg);
                changed = false;
            }
        } else if (cell && f && f->node) {
            reopen_editor(q, true, session_get(q->s, f->node, f->item));
        }
        if (changed)
            q_set_message(q, _("Updated: a merge from another program changed this page."),
                          false);
        session_free(&old);
    }
    free(typed);
    free(fpath);
    free(fitem);
}
