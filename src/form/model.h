/* model.h: the inside of a loaded form, shared by the loader, the
 * evaluator and the printers of src/form. Nothing outside src/form
 * includes it: the UI reads form.h and record.h. */
#ifndef IMAS_FORM_MODEL_H
#define IMAS_FORM_MODEL_H

#include "form/form.h"

#include <libxml/hash.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

/* A piece of a text: a literal, or an <output value="..."/>. */
struct form_part {
    char *literal; /* or NULL */
    char *output;  /* the expression, trimmed */
};

/* One itext text in one language. */
struct itext_value {
    bool present;
    char *display; /* outputs shown as ${expr} */
    struct form_part *parts;
    size_t nparts;
};

struct itext_entry {
    char *id;
    struct itext_value *v; /* one per language, in f->languages order */
};

/* An expression as written and as handed to libxml2 (namespace prefixes
 * of steps dropped, same-repeat absolute paths made relative to current(),
 * relational and additive operands converted so dates compare as days). */
struct form_expr {
    char *src;
    char *xpath;
    xmlXPathCompExprPtr comp;
    char **refs; /* the instance paths it reads (plain paths, outside predicates) */
    size_t nrefs;
};

struct form_bind_x {
    xmlNodePtr el; /* the <bind> */
    struct form_expr *relevant, *constraint, *required, *calculate, *readonly;
};

struct form_itemset_x {
    xmlNodePtr el; /* the <itemset> */
    struct form_expr *nodeset, *value, *label;
    /* nodeset="randomize(NODES[, SEED])": nodeset is NODES, shuffled after
     * evaluation (libxml2 sorts a node-set a function returns back into
     * document order) */
    bool randomize;
    struct form_expr *seed; /* or NULL */
};

struct form_node_x {
    xmlNodePtr el;           /* the control */
    struct form_expr *count; /* jr:count, evaluated at the repeat's parent */
};

#define SETVALUE_FIRST_LOAD 0x1u
#define SETVALUE_NEW_REPEAT 0x2u
#define SETVALUE_VALUE_CHANGED 0x4u

/* <setvalue event="..." ref="..." value="..."/> */
struct setvalue {
    unsigned events;
    char *ref;               /* normalised path */
    char *literal;           /* the element's text when there is no value */
    char *value_src;         /* the value attribute, or NULL */
    struct form_expr *value; /* compiled value_src */
    xmlNodePtr el;
    const char *repeat;      /* odk-new-repeat: the repeat's path */
    char *control;           /* xforms-value-changed: the control's path */
    long line;
};

/* A repeat of the main instance, with what the instance says about it. */
struct repeat_info {
    char *path;
    const struct form_node *node; /* the <repeat> control, or NULL */
    xmlNodePtr tmpl;              /* jr:template, else the first instance */
    xmlNodePtr *prefilled;        /* the instances the form ships */
    size_t nprefilled;
    char **after;                 /* names of the element siblings after it */
    size_t nafter;
};

struct form {
    char *path, *id, *version, *title, *hash, *source;
    size_t source_len;
    char **languages; /* NULL-terminated */
    size_t nlang;
    char *default_lang;
    size_t default_idx;

    struct itext_entry **itext;
    size_t nitext;
    xmlHashTablePtr itext_index;

    struct form_bind **binds;
    size_t nbinds;
    xmlHashTablePtr bind_index;
    xmlHashTablePtr bind_ids; /* a <bind id="..."> -> its node's path (borrowed) */

    struct form_node *root;
    xmlHashTablePtr node_index;

    struct form_field *fields;
    size_t nfields;

    struct repeat_info **repeats;
    size_t nrepeats;

    struct setvalue **setvalues;
    size_t nsetvalues;

    char **dead_binds; /* "LINE: nodeset" of binds naming no node (ignored) */
    size_t ndead_binds;

    xmlDocPtr doc;            /* the parsed file */
    xmlNodePtr instance_root; /* main instance's root element in doc */
    xmlDocPtr *secondary;     /* internal secondary instances, namespaces dropped */
    char **secondary_ids;
    size_t nsecondary;
};

/* ---- model.c: helpers shared by the loader and the evaluator ---------- */

/* "/data/orx:meta/ x" → "/data/meta/x" (fresh); NULL for an empty path. */
char *model_path_normalize(const char *p);
/* ctx + "/" + ref, normalised ("." and ".." resolved); NULL if it climbs out. */
char *model_path_join(const char *ctx, const char *ref);
/* Number of steps of an absolute path ("/data/a" → 2). */
size_t model_path_depth(const char *p);
/* The element of the parsed main instance at path (prefixes ignored). */
xmlNodePtr model_instance_node(const struct form *f, const char *path);
/* Path of an element of an instance (local names). */
char *model_node_path(xmlNodePtr n);
const struct repeat_info *model_repeat(const struct form *f, const char *path);
/* Innermost repeat strictly containing path (or path itself when
 * or_self), or NULL. */
const struct repeat_info *model_repeat_of(const struct form *f, const char *path, bool or_self);
/* A copy of src into doc with namespaces dropped; repeats below it are
 * left out when skip_repeats. Leaves keep their text. */
xmlNodePtr model_copy_stripped(const struct form *f, xmlDocPtr doc, xmlNodePtr src,
                               const char *path, bool skip_repeats);
/* Trimmed text content of a leaf (fresh, "" when only whitespace). */
char *model_leaf_text(xmlNodePtr n);
bool model_is_el(xmlNodePtr n, const char *name);
/* err = "FILE:LINE: message" for a problem at element n (line 0 when n is
 * NULL); false, so a check can return it. */
__attribute__((format(printf, 4, 5)))
bool model_fail(struct error *err, const struct form *f, xmlNodePtr n, const char *fmt, ...);
xmlNodePtr model_child(xmlNodePtr n, const char *name);
char *model_attr(xmlNodePtr n, const char *name);             /* no namespace */
char *model_attr_ns(xmlNodePtr n, const char *name, const char *ns);
void model_text_clear(struct form_text *t);
void model_node_free(struct form_node *n);
void model_expr_free(struct form_expr **e);

#endif
