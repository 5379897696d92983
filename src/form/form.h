/* form.h: an ODK XForm, loaded safely into a read-only model.
 *
 * The loader (form_load_file) parses with libxml2 without DTDs, entities
 * or network, checks every construct it meets and refuses what it cannot
 * honour, naming file and line. What it returns is a tree of form_node (the
 * body's controls, with their binds), the itext translations and the main
 * instance's fields. Nothing here changes after loading; records are
 * evaluated with form/record.h. */
#ifndef IMAS_FORM_FORM_H
#define IMAS_FORM_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Hostile-input limits of the loader. */
#define FORM_MAX_BYTES (8u * 1024 * 1024)
#define FORM_MAX_DEPTH 64
/* libxml2 2.9 checks an element's attributes and namespace declarations
 * for duplicates pairwise: 200,000 of them on one element take minutes. */
#define FORM_MAX_ATTRS 64
/* Loading time grows faster than the element count (600,000: 11 s). */
#define FORM_MAX_ELEMENTS 200000

enum form_kind {
    FORM_GROUP,
    FORM_REPEAT,
    FORM_INPUT,
    FORM_SELECT1,
    FORM_SELECT,
    FORM_NOTE, /* an input bound readonly="true()" with a string (or no) type */
    FORM_TRIGGER,
    FORM_RANGE,
    FORM_RANK,
    FORM_UPLOAD, /* <upload>: a file attachment (bind type binary) */
};

/* The value type, from the bind's type (string when there is none). */
enum form_type {
    FORM_TYPE_NONE, /* groups and repeats */
    FORM_TYPE_STRING,
    FORM_TYPE_INT,
    FORM_TYPE_DECIMAL,
    FORM_TYPE_DATE,
    FORM_TYPE_TIME,
    FORM_TYPE_DATETIME,
    FORM_TYPE_BOOLEAN,
    FORM_TYPE_GEOPOINT, /* "lat lon [alt [accuracy]]" */
    FORM_TYPE_BARCODE,  /* text */
    FORM_TYPE_SELECT1,
    FORM_TYPE_SELECT,   /* space-separated values */
    FORM_TYPE_RANK,     /* space-separated values, in order */
    FORM_TYPE_BINARY,   /* a file attachment: <upload> */
};

/* Flags from the appearance attribute. */
#define FORM_FIELD_LIST 0x1u /* "field-list": the group is one screen */
#define FORM_GRID 0x2u       /* "imas-grid" on a group: a matrix */
#define FORM_LOG 0x4u        /* "imas-log" on a repeat: the live capture screen */

struct form_part;

/* A translatable text: a jr:itext id, or inline text (which may hold
 * <output value="..."/> parts). Read it with form_text(), or with
 * form_record_text() to fill in the outputs. */
struct form_text {
    char *itext;             /* itext id, or NULL */
    char *text;              /* inline text, outputs shown as ${expr}; or NULL */
    struct form_part *parts; /* inline text in parts (internal) */
    size_t nparts;
};

/* One inline <item>, or one item of an itemset over a secondary instance. */
struct form_choice {
    char *value;
    struct form_text label;
};

/* <itemset nodeset="..."><value ref="..."/><label ref="..."/></itemset>. */
struct form_itemset {
    char *nodeset;     /* as written, e.g. instance('roles')/root/item */
    char *value_ref;   /* e.g. name */
    char *label_ref;   /* e.g. itextId (inside jr:itext()) or label */
    bool label_itext;  /* the label is jr:itext(label_ref) */
    bool dynamic;      /* depends on the record: choices only via form_record_options */
    struct form_itemset_x *x; /* compiled (internal) */
};

/* A <bind>: what the model says about one instance node. */
struct form_bind {
    char *path;                 /* normalised nodeset, e.g. /data/visit/country */
    enum form_type type;
    char *type_name;            /* as written, or NULL */
    char *relevant, *constraint, *required, *calculate, *readonly; /* or NULL */
    struct form_text constraint_msg, required_msg; /* empty when absent */
    char *preload, *preload_params; /* jr:preload, jr:preloadParams */
    long line;
    struct form_bind_x *x;      /* compiled (internal) */
};

/* A body control. Paths are absolute instance paths without indexes and
 * without namespace prefixes; inside a repeat they name the field of any
 * instance (/data/roster/code): this is the store's field key. */
struct form_node {
    enum form_kind kind;
    enum form_type type;
    const char *name;           /* last step of path ("" for a ref-less group) */
    char *path;                 /* "" for a group without ref */
    struct form_text label, hint;
    char *appearance;           /* as written, or NULL */
    unsigned flags;             /* FORM_FIELD_LIST | FORM_GRID | FORM_LOG */
    const struct form_bind *bind; /* or NULL */
    /* Shortcuts into bind (NULL when absent). */
    const char *relevant, *constraint, *required, *calculate;
    const struct form_text *constraint_msg, *required_msg; /* NULL when absent */
    bool readonly;              /* bound readonly="true()" */
    char *default_value;        /* from the instance ("" when none) */
    struct form_choice *choices; /* inline items, or a static itemset's items */
    size_t nchoices;
    struct form_itemset *itemset; /* or NULL */
    double range_start, range_end, range_step; /* FORM_RANGE */
    char *mediatype;            /* FORM_UPLOAD: as written ("image/..."), or NULL: any file */
    char *count;                /* FORM_REPEAT: jr:count expression, or NULL (open) */
    size_t prefilled;           /* FORM_REPEAT: instances the form pre-fills */
    long line;
    struct form_node *parent;   /* NULL for the root */
    struct form_node **children;
    size_t nchildren;
    const struct form_node *repeat; /* innermost enclosing repeat, or NULL */
    struct form_node_x *x;      /* internal */
};

/* A leaf of the main instance (every answer the form can hold, with or
 * without a control), in document order. Repeat templates count once. */
struct form_field {
    char *path;
    const char *name;
    const struct form_bind *bind;    /* or NULL */
    const struct form_node *control; /* or NULL (calculated or preloaded) */
    const char *repeat_path;         /* innermost repeat, or NULL at top level */
    char *default_value;             /* "" when none */
};

struct form;

/* Load and check a form file; NULL with err = FILE:LINE: what is wrong. */
struct form *form_load_file(const char *path, struct error *err);
/* The same from memory; name stands for the file in messages. */
struct form *form_load_memory(const char *xml, size_t len, const char *name,
                              struct error *err);
void form_free(struct form **f);

const char *form_id(const struct form *f);
const char *form_version(const struct form *f); /* "" when the form has none */
const char *form_title(const struct form *f);
const char *form_hash(const struct form *f);   /* SHA-256 of the file bytes, hex */
const char *form_source(const struct form *f); /* the XML text */
size_t form_source_len(const struct form *f);
const char *form_path(const struct form *f);   /* as given to the loader */
/* itext languages in document order, NULL-terminated (empty if none). */
const char *const *form_languages(const struct form *f);
const char *form_default_language(const struct form *f); /* or NULL */
/* The form language that want ("bg", "de_AT.UTF-8", "Deutsch (de)", as
 * from --lang or the locale) selects: the name itself, the code in its
 * parentheses ("Български (bg)"), or a name without a code, compared
 * without case; NULL when none. form_text() and friends match this way. */
const char *form_language_match(const struct form *f, const char *want);

/* The body as a tree; the root is a ref-less group standing for <h:body>. */
const struct form_node *form_root(const struct form *f);
/* The control at path (a repeat rather than the group around it), or NULL. */
const struct form_node *form_find(const struct form *f, const char *path);
/* The first repeat with the imas-log appearance (a focus group's notes),
 * in document order, or NULL. */
const struct form_node *form_log_repeat(const struct form *f);
const struct form_bind *form_bind(const struct form *f, const char *path);
const struct form_field *form_fields(const struct form *f, size_t *n);
/* True when path names a repeat (by a <repeat> control or jr:template). */
bool form_is_repeat(const struct form *f, const char *path);

/* The text in lang (matched as form_language_match does), else in the
 * default language, else in any language; an empty translation counts as
 * missing. "" only when the text has none at all. Never NULL. */
const char *form_text(const struct form *f, const struct form_text *t, const char *lang);
bool form_text_empty(const struct form_text *t);
/* True when t has non-empty text of its own in lang, without falling back
 * (inline text counts for every language): to find missing translations. */
bool form_text_in(const struct form *f, const struct form_text *t, const char *lang);
/* The label of a choice value of node n in lang ("" when not a choice);
 * static choices only (see form_record_options for itemsets). */
const char *form_choice_label(const struct form *f, const struct form_node *n,
                              const char *value, const char *lang);

const char *form_kind_name(enum form_kind k);
const char *form_type_name(enum form_type t);

#endif
