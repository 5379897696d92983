/* ui/screens/question_upload.c: an <upload> question on the
 * questionnaire: the attached file's name, size and type, and a path
 * field where Tab completes as a shell does and Enter attaches the file
 * (app/attach.h reads, checks and stores it). Del in the empty field
 * removes the attachment after asking. */
#include "config.h"

#include "app/attach.h"
#include "core/i18n.h"
#include "core/media.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/screens/question_int.h"
#include "ui/widgets/text_keys.h"
#include "ui/widgets/wrap.h"

#include <stdlib.h>
#include <string.h>

#define INDENT 4
/* Names of an ambiguous completion shown at most (one line each). */

const enum action upload_actions[] = {
    ACTION_HELP,     ACTION_QUIT_F10,      ACTION_UPLOAD_ATTACH, ACTION_UPLOAD_COMPLETE,
    ACTION_UPLOAD_REMOVE, ACTION_PREV_FIELD, ACTION_NEXT_PAGE, ACTION_PREV_PAGE,
    ACTION_JUMP,     ACTION_LANGUAGE,      ACTION_Q_FINALIZE,    ACTION_HOME_BACK,
    ACTION_UP,       ACTION_DOWN,          ACTION_ADD_ITEM,      ACTION_DEL_ITEM,
    ACTION_REDRAW,   ACTION_NONE,
};

static void names_forget(struct qscreen *q)
{
    path_completion_free(&q->comp);
}

void upload_focus(struct qscreen *q)
{
    q->upload = true;
    names_forget(q);
    textedit_set(&q->edit, "");
    q->edit.multiline = false;
}

static void complete(struct qscreen *q)
{
    names_forget(q);
    path_complete(q->edit.text, &q->comp);
    textedit_set(&q->edit, q->comp.text);
    textedit_end(&q->edit);
    if (!q->comp.n)
        q_set_message(q, _("No file or directory starts so."), true);
    else if (q->comp.n > 1) {
        char *m = xasprintf(ngettext("%zu name fits: type more, then Tab again.",
                                     "%zu names fit: type more, then Tab again.", q->comp.n),
                            q->comp.n);
        q_set_message(q, m, false);
        free(m);
    } else {
        q_set_message(q, NULL, false);
    }
}

static bool attach(struct qscreen *q)
{
    const struct session_field *f = q_focused(q);
    if (!f || !f->node)
        return true;
    names_forget(q);
    /* a file of 25 MiB takes a second to read, hash and save: say so first */
    const char *slash = strrchr(q->edit.text, '/');
    char *busy = xasprintf(_("Attaching %s..."), slash ? slash + 1 : q->edit.text);
    q_set_message(q, busy, false);
    free(busy);
    ui_redraw(q->ui);
    char *msg = NULL;
    enum session_set_result r = session_attach(q->s, f->node, f->item, q->edit.text, &msg);
    if (r == SESSION_SET_OK) {
        struct session_attachment a;
        session_attachment(q->s, f->node, f->item, &a);
        char *m = xasprintf(_("Attached %s."), a.name ? a.name : "");
        q_set_message(q, m, false);
        free(m);
        session_attachment_clear(&a);
        textedit_set(&q->edit, "");
    } else {
        q_set_message(q, msg, true); /* the path stays, to correct it */
    }
    free(msg);
    return r == SESSION_SET_OK;
}

bool upload_commit(struct qscreen *q)
{
    return q->edit.len == 0 || attach(q);
}

void upload_detach_answer(struct qscreen *q, bool yes)
{
    const struct session_field *f = q_focused(q);
    if (!yes || !f || !f->node) {
        q_set_message(q, _("The file stays attached."), false);
        return;
    }
    char *msg = NULL;
    if (session_detach(q->s, f->node, f->item, &msg) == SESSION_SET_OK)
        q_set_message(q, _("The file was removed from this question (it stays in the history)."),
                      false);
    else
        q_set_message(q, msg, true);
    free(msg);
}

enum key_result upload_key(struct qscreen *q, int key, enum action a)
{
    bool empty = q->edit.len == 0;
    const struct session_field *f = q_focused(q);
    /* letters are the path's, also those that move elsewhere (j, k) */
    if (key >= ' ' && key != 127 && key < UI_KEYCODE_BASE)
        a = ACTION_NONE;
    switch (a) {
    case ACTION_UPLOAD_COMPLETE:
    case ACTION_UPLOAD_ATTACH:
        if (empty) {
            names_forget(q);
            q_field_step(q, 1);
        } else if (a == ACTION_UPLOAD_COMPLETE) {
            complete(q);
        } else {
            attach(q);
        }
        return KEY_HANDLED;
    case ACTION_UP:
    case ACTION_DOWN: /* the path field has one line: the next question */
    case ACTION_PREV_FIELD: /* a typed path is attached first (q_commit) */
        names_forget(q);
        q_field_step(q, a == ACTION_DOWN ? 1 : -1);
        return KEY_HANDLED;
    case ACTION_UPLOAD_REMOVE:
        if (!empty)
            break; /* deletes a character */
        if (f && f->node && *session_get(q->s, f->node, f->item))
            q->overlay = Q_OVERLAY_DETACH;
        else
            q_set_message(q, _("No file is attached to this question."), false);
        return KEY_HANDLED;
    default:
        break;
    }
    if (text_keys_edit(&q->edit, key, (size_t)(q->cols > 16 ? q->cols - 12 : 4), false)) {
        names_forget(q);
        return KEY_HANDLED;
    }
    return KEY_UNHANDLED;
}

size_t upload_height(const struct qscreen *q, bool focus)
{
    if (!focus)
        return 1;
    /* every name (and a row for "... and N more" when the names were cut
     * short); the page gives what its rows hold, upload_draw the rest */
    size_t names = q->comp.nnames + (q->comp.n > q->comp.nnames);
    return 2 + (names > 40 ? 40 : names);
}

/* "photo.jpg · 2.4 MiB · image/jpeg", or why there is nothing to show. */
static char *describe(struct qscreen *q, const struct session_field *f, bool *dim)
{
    struct session_attachment a;
    session_attachment(q->s, f->node, f->item, &a);
    char *line;
    *dim = !a.attached;
    if (!a.attached) {
        line = xstrdup(_("(no file attached)"));
    } else if (!a.stored) {
        line = xasprintf(_("%s (its content is not in this survey file)"), a.name);
    } else {
        char *size = media_size_text((long long)a.size);
        line = xasprintf("%s \u00b7 %s \u00b7 %s", a.name, size,
                         a.type ? a.type : _("unknown type"));
        free(size);
    }
    session_attachment_clear(&a);
    return line;
}

void upload_draw(struct qscreen *q, const struct session_field *f, bool focus, int y, size_t h)
{
    bool dim;
    char *line = describe(q, f, &dim);
    ui_text(y, INDENT, line, q->cols - INDENT - 1, dim ? UI_DIM : UI_NORMAL, false);
    free(line);
    if (!focus || h < 2)
        return;
    const char *label = _("File:");
    int lw = (int)utf8_width(label) + 1;
    ui_text(y + 1, INDENT, label, lw, UI_NORMAL, false);
    /* as many names as the rows below the field hold, the last row saying
     * how many more there are when they do not all fit */
    size_t room = h > 2 ? h - 2 : 0, shown = q->comp.nnames;
    bool more = q->comp.n > shown || shown > room;
    if (more && shown >= room)
        shown = room ? room - 1 : 0;
    for (size_t i = 0; i < shown; i++)
        ui_text(y + 2 + (int)i, INDENT + 2, q->comp.names[i], q->cols - INDENT - 3, UI_DIM,
                false);
    if (more && shown < room) {
        char *more_line = xasprintf(_("... and %zu more"), q->comp.n - shown);
        ui_text(y + 2 + (int)shown, INDENT + 2, more_line, q->cols - INDENT - 3, UI_DIM, false);
        free(more_line);
    }
    int x = INDENT + lw + 1;
    struct wrap_view v = {.y = y + 1, .x = x, .width = (size_t)(q->cols > x + 2 ? q->cols - x - 1 : 1),
                          .rows = 1, .attr = UI_SELECTED, .pad = true};
    wrap_draw_line(&v, &q->edit); /* leaves the cursor in the field */
}
