/* app/session.h: one record open for filling, between the screens and the
 * form and store layers. No curses here: the questionnaire and grid
 * screens draw what this layer says, and it is unit-tested on its own.
 *
 * A session holds the record's form (the copy stored in the file, else
 * the catalog's), a form_record with every stored item and answer, and
 * the record's "pages": one control, one field-list group, one imas-grid
 * group (a matrix) or the end of a repeat (where instances are added) per
 * page, in form order. Every answer set through it is validated against
 * the form, then saved in its own committed transaction, then the
 * calculations are run and what they change is saved too. */
#ifndef IMAS_APP_SESSION_H
#define IMAS_APP_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/uuid.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/record.h"
#include "store/store.h"

enum session_page_kind {
    SESSION_PAGE_CONTROL, /* one question (or note) */
    SESSION_PAGE_GROUP,   /* a field-list group: its questions on one screen */
    SESSION_PAGE_GRID,    /* an imas-grid group: rows x columns */
    SESSION_PAGE_REPEAT,  /* after a repeat's instances: add one */
};

/* The state of a question, for the jump list and the grid: the form's
 * (form_record_qstate), value for value. */
enum session_qstate {
    SESSION_Q_EMPTY = FORM_Q_EMPTY,           /* not answered, not required */
    SESSION_Q_ANSWERED = FORM_Q_ANSWERED,
    SESSION_Q_MISSING = FORM_Q_MISSING,       /* required and not answered */
    SESSION_Q_INVALID = FORM_Q_INVALID,       /* answered, but the form does not accept it */
    SESSION_Q_IRRELEVANT = FORM_Q_IRRELEVANT, /* not asked, given the other answers */
    SESSION_Q_NOTE = FORM_Q_NOTE,             /* read-only text, nothing to answer */
};

/* One question on a page: a control in one repeat instance. */
struct session_field {
    const struct form_node *node; /* NULL for a grid cell the row lacks */
    const char *item;             /* instance id, "" at top level */
};

struct session_page {
    enum session_page_kind kind;
    const struct form_node *node; /* the control, group or repeat */
    const char *item;             /* instance the page is in ("" top level) */
    struct session_field *fields; /* GRID: row-major, nrows x ncols */
    size_t nfields;
    const struct form_node **rows; /* GRID: the row groups */
    size_t nrows, ncols;
};

struct session;

/* Open a stored record; false-y (NULL) with err when it does not exist,
 * was deleted, or its form is neither in the file nor in the catalog.
 * lang: the form language to show (NULL: the form's default). */
struct session *session_open(struct store *st, const struct form_catalog *cat,
                             const char *record_uuid, const char *lang,
                             struct error *err);
/* A new record of form f: the form is stored in the file, the record
 * created, its defaults, preloads and first-load values saved. */
struct session *session_create(struct store *st, const struct form *f, const char *lang,
                               struct error *err);
void session_free(struct session **s);

/* Whether another program committed to the file since the session was
 * read, or since the last call that said so (a merge from another shell:
 * SQLite's PRAGMA data_version); the session's own writes do not count.
 * The caller reads the record again (session_open) to show what changed. */
bool session_stale(struct session *s);
/* Whether field (path, item) holds different values in two sessions of
 * one record (the one shown and the one read again). */
bool session_differs(const struct session *a, const struct session *b, const char *path,
                     const char *item);

const char *session_uuid(const struct session *s);
const struct form *session_form(const struct session *s);
struct form_record *session_record(const struct session *s);
const char *session_lang(const struct session *s);
void session_set_lang(struct session *s, const char *lang);
/* A draft in a writable file: answers can be set. */
bool session_editable(const struct session *s);
bool session_finalized(const struct session *s);

/* ---- answers (session.c) ---------------------------------------------- */

enum session_set_result {
    SESSION_SET_OK,      /* saved (or unchanged) */
    SESSION_SET_INVALID, /* refused by the form: *msg is its message */
    SESSION_SET_FAILED,  /* the file refused it: *msg says why */
};

/* Set the answer of field (node, item) to value ("" clears it); a text
 * answer's trailing line breaks (typed by mistake) are dropped. Nothing
 * invalid is stored: on INVALID or FAILED the record keeps the value it
 * had and *msg (fresh) says why. */
enum session_set_result session_set(struct session *s, const struct form_node *n,
                                    const char *item, const char *value, char **msg);
/* The current value ("" when empty). */
const char *session_get(const struct session *s, const struct form_node *n, const char *item);

/* Add an instance of repeat under parent ("" top level), saved with its
 * defaults; its id is written to out. The pages are rebuilt. */
bool session_add_item(struct session *s, const struct form_node *repeat, const char *parent,
                      char out[UUID_STR_LEN], struct error *err);
/* Delete an instance (a tombstone) and everything in it; pages rebuilt. */
bool session_remove_item(struct session *s, const char *item, struct error *err);

/* One thing finalize refuses, and the page and field to fix it on. */
struct session_problem {
    size_t page, field;
    char *label; /* the question */
    char *msg;   /* what is wrong */
};

/* Finalize: when something is missing or invalid, false with the list in
 * *problems (free with session_problems_free) and err unset; else the
 * end-of-form values are saved and the record finalized. False with err
 * set when the file refuses. */
bool session_finalize(struct session *s, struct session_problem **problems, size_t *n,
                      struct error *err);
void session_problems_free(struct session_problem **p, size_t n);
/* What finalize would refuse, without finalizing: true when nothing;
 * else false with the list (as session_finalize). */
bool session_check(struct session *s, struct session_problem **problems, size_t *n);
/* Why answers cannot be set (finalized, or a read-only file), one line
 * for the screen; NULL when they can. */
const char *session_readonly_reason(const struct session *s);
/* Make the finalized record a draft again; reason must not be blank. */
bool session_reopen(struct session *s, const char *reason, struct error *err);

/* True when value is node n's default: the instance's text or the form's
 * text of it in any language (itext "<path>:default"). A new record starts
 * with the default in the session's language. */
bool session_is_default(const struct session *s, const struct form_node *n, const char *value);

/* ---- pages (session_pages.c) -------------------------------------------------- */

size_t session_page_count(const struct session *s);
const struct session_page *session_page(const struct session *s, size_t i);
/* Is the page asked, given the answers? */
bool session_page_relevant(const struct session *s, size_t i);
/* The next relevant page after (dir +1) or before (dir -1) page i;
 * SIZE_MAX when there is none. */
size_t session_page_step(const struct session *s, size_t i, int dir);
enum session_qstate session_field_state(const struct session *s, const struct session_field *f);
/* The page and field showing (field path, item); false when none does. */
bool session_find(const struct session *s, const char *path, const char *item, size_t *page,
                  size_t *field);
/* The label of a question in the session's language (grid cells: "row ›
 * column"), fresh. */
char *session_field_label(const struct session *s, const struct session_page *p, size_t field);
/* Label of the page itself (the group or control), fresh. */
char *session_page_label(const struct session *s, size_t i);
/* Where a one-question page stands, for its heading: the label of the
 * nearest enclosing group that has one and, inside a repeat instance, the
 * instance's place among its siblings ("Participant · 2/3"); "" when
 * neither. Fresh. */
char *session_page_context(const struct session *s, size_t i);
/* Questions answered and questions asked (relevant, not notes). */
void session_progress(const struct session *s, size_t *answered, size_t *asked);
/* Rebuild the page list (after items change); internal but harmless. */
void session_build_pages(struct session *s);

/* ---- where the user was (session_pages.c) ------------------------------------- */

/* Remember that the user is on (field path, item) of this record, so the
 * next start returns there. */
bool session_save_position(struct session *s, const char *path, const char *item,
                           struct error *err);
/* The last position saved in the file, as fresh strings; *record NULL
 * when there is none. */
bool session_last_position(struct store *st, char **record, char **path, char **item,
                           struct error *err);
/* Forget it (the user went back home on purpose). */
bool session_forget_position(struct store *st, struct error *err);

/* ---- the text being typed (session_pages.c) ------------------------------------ */

/* Keep the text typed into field (path, item) but not yet saved as its
 * answer, so that it survives a crash: one draft per file, in the meta
 * table (never an answer revision, never merged). */
bool session_draft_save(struct session *s, const char *path, const char *item, const char *text,
                        struct error *err);
/* The draft kept for this session's record, as fresh strings; *text NULL
 * when there is none (or it belongs to another record). */
bool session_draft_take(struct session *s, char **path, char **item, char **text,
                        struct error *err);
/* Forget the draft (the text was saved, or discarded). */
bool session_draft_clear(struct session *s, struct error *err);

#endif
