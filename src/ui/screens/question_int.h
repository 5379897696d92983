/* ui/screens/question_int.h: the questionnaire screen's state, shared by
 * question.c (the screen, its focus and pages), question_keys.c (keys,
 * the jump and problems lists), question_draw.c (drawing field pages and
 * overlays) and question_grid.c (the imas-grid page). */
#ifndef IMAS_UI_SCREENS_QUESTION_INT_H
#define IMAS_UI_SCREENS_QUESTION_INT_H

#include "form/record.h"
#include "app/path_complete.h"
#include "app/session.h"
#include "ui/ui.h"
#include "ui/widgets/list.h"
#include "ui/widgets/matrix.h"
#include "ui/widgets/textedit.h"

enum q_overlay {
    Q_OVERLAY_NONE,
    Q_OVERLAY_JUMP,     /* every question and its state */
    Q_OVERLAY_PROBLEMS, /* what finalize refused */
    Q_OVERLAY_DEL_ITEM, /* confirm deleting a repeat entry */
    Q_OVERLAY_CLEAR_CELL, /* confirm clearing a grid cell */
    Q_OVERLAY_FINALIZE, /* what finalizing means; confirm it */
    Q_OVERLAY_DETACH,   /* confirm removing an attached file */
};

/* One row of the jump or problems list. */
struct q_entry {
    size_t page, field;
    char *label;
    char *state; /* shown after the label ("" for none) */
    bool header; /* a page heading, not a question */
};

struct qscreen {
    struct ui *ui;
    struct session *s;
    size_t page, field;
    /* the focused question's widget */
    bool text;            /* a text field: edit holds what is typed */
    struct textedit edit;
    bool upload;          /* an <upload>: edit holds the path being typed */
    struct path_completion comp; /* the names the last Tab listed */
    struct form_option *opts; /* a choice field: its options now */
    size_t nopts;
    struct list_state choice;
    size_t top_field;     /* first question drawn (long pages scroll) */
    char *message;        /* the form's message, or what went wrong */
    bool message_error;
    /* overlays */
    enum q_overlay overlay;
    struct q_entry *entries;
    size_t nentries;
    struct list_state entries_list;
    /* the grid page */
    struct matrix_state m;
    bool cell_open;       /* the cell editor (text or choice list) is open */
    struct form_option *col_opts[MATRIX_MAX_COLS]; /* choice columns' options */
    size_t col_nopts[MATRIX_MAX_COLS];
    int rows, cols;
    /* the text being typed, kept as a draft a moment after typing stops */
    bool draft_dirty;     /* typed since the last draft */
    bool draft_kept;      /* a draft is in the file */
    long long draft_at;   /* when the last key was typed (ms) */
    /* where the user is, as last saved in the file (ui.position) */
    char *pos_path, *pos_item;
    long long pos_at;     /* when it was saved (ms) */
};

/* A draft is kept this long after the last key typed. */
#define Q_DRAFT_MS 600
/* While no key comes: how often the screen looks for a merge from another
 * program and saves a position not yet saved. */
#define Q_TICK_MS 500
/* Keys coming quickly (an arrow held down) save the position at most this
 * often; the idle tick saves the last one. */
#define Q_POSITION_MS 250

/* question.c */
const struct session_field *q_focused(const struct qscreen *q);
/* A question that takes input: asked, and not a note. */
bool q_focusable(const struct qscreen *q, const struct session_field *f);
bool q_is_text(const struct form_node *n);
void q_set_message(struct qscreen *q, const char *msg, bool error);
/* Save the focused text field when it changed: false (and the message
 * shown) when the form or the file refused it. */
bool q_commit(struct qscreen *q);
/* Load the focused question into the widget. */
void q_load_focus(struct qscreen *q);
/* Set a choice question to the option at index i (select toggles). */
void q_choose(struct qscreen *q, size_t i);
void q_goto_page(struct qscreen *q, size_t page, size_t field);
/* After a key typed into a text: start the draft timer. */
void q_draft_touch(struct qscreen *q);
/* The text was saved or dropped: forget the draft. */
void q_draft_forget(struct qscreen *q);
/* Where the user is: the focused question's (path, item), else the page's. */
void q_focus_path(const struct qscreen *q, const char **path, const char **item);

/* question_refresh.c */
/* Read the record again, staying on the same question; the session shown
 * before (the caller frees it), or NULL with the error shown. */
struct session *q_read_again(struct qscreen *q);
/* On each key and while idle: when another program wrote to the file,
 * read the record again; the text being typed is kept, with a message
 * when its stored value changed meanwhile. */
void q_refresh(struct qscreen *q);

/* question_keys.c */
/* The screen's key handler (screen_ops.key). */
enum key_result question_key(struct ui *ui, void *state, int key, enum action a);
/* Text keys for the focused text field; KEY_UNHANDLED for others. */
enum key_result q_text_key(struct qscreen *q, int key, size_t width);
enum key_result question_overlay_key(struct qscreen *q, int key, enum action a);
/* Finalize the record, or list what it lacks (Q_OVERLAY_PROBLEMS). */
void q_finalize(struct qscreen *q);
/* F9: list what the record lacks, else say what finalizing means and ask
 * (Q_OVERLAY_FINALIZE); on a record that cannot change, say why. */
void q_ask_finalize(struct qscreen *q);
/* On a record that cannot change (finalized, read-only file): a key that
 * would change it is refused with the reason (KEY_HANDLED); moving keys
 * and the rest are KEY_UNHANDLED. */
enum key_result q_readonly_key(struct qscreen *q, int key, enum action a);
/* Free the jump or problems list. */
void q_entries_free(struct qscreen *q);

/* question_draw.c */
void q_draw_title(struct qscreen *q, int cols);
void q_draw_fields(struct qscreen *q, int y0, int rows, int cols);
void q_draw_overlay(struct qscreen *q, int rows, int cols);
/* The message with its last row on row y: it wraps onto the row above
 * (q_message_rows says how many) on a page of questions. */
void q_draw_message(struct qscreen *q, int y, int cols);
int q_message_rows(struct qscreen *q, int cols);
/* The page heading on row y, marked when the record is read-only. */
void q_draw_heading(struct qscreen *q, int y, int cols, const char *title);
const char *q_state_word(enum session_qstate st);

/* question_keys.c: the next (+1) or previous (-1) question, across pages */
void q_field_step(struct qscreen *q, int dir);

/* question_upload.c: an <upload> question (a file attachment) */
extern const enum action upload_actions[];
/* Load the focused upload question: an empty path field. */
void upload_focus(struct qscreen *q);
/* Keys while an upload question has the focus; KEY_UNHANDLED for others. */
enum key_result upload_key(struct qscreen *q, int key, enum action a);
/* Leaving the question: a path typed and not yet attached is attached
 * (as a typed answer is saved); false when that was refused. */
bool upload_commit(struct qscreen *q);
/* The answer to "Remove the attached file?" (Q_OVERLAY_DETACH). */
void upload_detach_answer(struct qscreen *q, bool yes);
/* Lines the question's widget takes, and drawing it at row y. */
size_t upload_height(const struct qscreen *q, bool focus);
void upload_draw(struct qscreen *q, const struct session_field *f, bool focus, int y, size_t h);

/* question_grid.c */
void grid_enter(struct qscreen *q);
void grid_leave(struct qscreen *q);
void grid_draw(struct qscreen *q, int y0, int rows, int cols);
enum key_result grid_key(struct qscreen *q, int key, enum action a);
/* The answer to "Clear this cell?" (Q_OVERLAY_CLEAR_CELL). */
void grid_clear_answer(struct qscreen *q, bool yes);
void grid_resize(struct qscreen *q, int rows, int cols);
/* Open the current cell's editor with text in it (a restored draft). */
void grid_open_with(struct qscreen *q, const char *text);
extern const enum action grid_actions[];
extern const enum action ro_grid_actions[];
extern const enum action grid_cell_actions[];
extern const enum action grid_choice_actions[];

#endif
