/* layout.h: the tables a form's records export to, read from the form.
 *
 * The wide table holds every top-level field, one row per record; each
 * repeat gets a table of its own, one row per instance. Columns follow the
 * form's order and are named by the field's path below the form's root
 * element ("visit/country" for /data/visit/country). Read-only notes hold
 * no answers and get no column. A form with an imas-log repeat also has a
 * roster (the repeat its speaker question chooses from) and a transcript. */
#ifndef IMAS_EXPORT_LAYOUT_H
#define IMAS_EXPORT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "form/form.h"
#include "survey/notes_log.h"

struct layout_column {
    const char *path;                /* the store's field key */
    char *name;                      /* path below the root */
    const char *short_name;          /* last step */
    const struct form_field *field;
    const struct form_node *control; /* or NULL */
};

struct layout_table {
    const char *repeat_path; /* NULL for the wide table */
    char *name;              /* "wide", or "repeat-participant" ... */
    struct layout_column *cols;
    size_t ncols;
    size_t *by_path; /* column indexes in byte order of path */
};

/* The live-capture notes (imas-log) and their roster, when the form has
 * them; NULL fields when it does not. The paths are survey_log's
 * (survey/notes_log.h), the one description of the notes log. */
struct layout_log {
    const char *repeat_path; /* /data/note */
    const char *roster_path; /* /data/participant, or NULL */
    const char *speaker, *topic, *phase, *text, *tags, *quote, *started_at,
        *committed_at;       /* field paths, NULL when absent */
    const char *code, *role; /* roster fields, NULL when absent */
};

struct layout {
    const struct form *form;
    struct layout_table *tables; /* [0] is the wide table */
    size_t ntables;
    struct layout_log log;
    bool has_log;
    struct survey_log notes; /* what log points into */
};

/* The layout of form f (which must outlive it). */
struct layout *layout_new(const struct form *f);
void layout_free(struct layout **l);

/* The column of table t whose path is field, or -1. */
long layout_find(const struct layout_table *t, const char *field);
/* The table of repeat_path (NULL: the wide one), or NULL. */
const struct layout_table *layout_table(const struct layout *l,
                                        const char *repeat_path);
/* The field's name below the form's root ("visit/country"). */
const char *layout_name(const struct layout *l, const char *field);

/* Walk the columns of t in path order while answers arrive in path order:
 * call layout_match_reset at each new row, then layout_match for each
 * answer's field to get its column (or -1 for a field the form does not
 * have). */
struct layout_match {
    const struct layout_table *t;
    size_t pos;
};
void layout_match_reset(struct layout_match *m, const struct layout_table *t);
long layout_match(struct layout_match *m, const char *field);

#endif
