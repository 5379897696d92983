/* instance.h: the record's instance document, shared by record.c and
 * validate.c: finding nodes by field path and item, repeat instances,
 * evaluating compiled expressions on them. */
#ifndef IMAS_FORM_INSTANCE_H
#define IMAS_FORM_INSTANCE_H

#include "form/funcs.h"
#include "form/model.h"
#include "form/record.h"

struct item {
    char *id;
    xmlNodePtr node; /* node->_private points back here */
    const struct repeat_info *repeat;
};

struct form_record {
    const struct form *f;
    xmlDocPtr doc;
    xmlHashTablePtr items; /* id → struct item */
    struct xp_state st;
    xmlXPathContextPtr xp;
    char *error;   /* last evaluation error */
    char *scratch; /* the last jr:choice-name() label */
};

/* The element for field (or group/repeat) path in the instance item_id
 * (NULL/"" at top level), or NULL. */
xmlNodePtr inst_resolve(const struct form_record *r, const char *path, const char *item_id);
/* A walk resolves many paths in a document that does not change while it
 * lives: the children of an element with many (a group of 1000 questions)
 * are indexed by name the first time a path steps through it, in one pass,
 * instead of being scanned again for every path. It keeps pointers into
 * the document: free it before the document changes (one read-only call,
 * such as form_record_qstates, owns it). NULL (out of memory) works: every
 * step scans, as inst_resolve does. */
struct inst_walk;
struct inst_walk *inst_walk_new(void);
void inst_walk_free(struct inst_walk **w);
/* inst_resolve through walk w (NULL: none); the same element. */
xmlNodePtr inst_resolve_walk(const struct form_record *r, struct inst_walk *w, const char *path,
                             const char *item_id);
/* The element at path below base (which is at base_path), or NULL. */
xmlNodePtr inst_resolve_in(const struct form_record *r, xmlNodePtr base, const char *base_path,
                           const char *path);
/* The item whose instance holds n (or is n), or NULL at top level. */
const struct item *inst_item_of(xmlNodePtr n);
const char *inst_item_id(xmlNodePtr n); /* "" at top level */
/* The text of a leaf ("" when empty). */
const char *inst_text(xmlNodePtr n);
void inst_set_text(xmlNodePtr n, const char *value);
bool inst_is_leaf(xmlNodePtr n);
/* Every element at path, in every instance, document order. */
void inst_each(const struct form_record *r, const char *path,
               void (*fn)(void *ctx, xmlNodePtr n), void *ctx);
/* A new instance of rep filled from src, under parent, after its siblings
 * (not registered as an item). */
xmlNodePtr inst_insert(struct form_record *r, const struct repeat_info *rep, xmlNodePtr parent,
                       xmlNodePtr src);
/* Evaluate e at n (current() = n). Errors are kept in r->error. */
xmlXPathObjectPtr inst_eval(struct form_record *r, const struct form_expr *e, xmlNodePtr n);
bool inst_eval_bool(struct form_record *r, const struct form_expr *e, xmlNodePtr n, bool dflt);
char *inst_eval_string(struct form_record *r, const struct form_expr *e, xmlNodePtr n);
/* A throwaway instance of the repeat at path (for questions about a repeat
 * with no instance yet); remove it with inst_probe_end(). NULL if the
 * parent cannot be found. */
xmlNodePtr inst_probe(struct form_record *r, const struct repeat_info *rep, const char *parent_item);
void inst_probe_end(xmlNodePtr probe);

#endif
