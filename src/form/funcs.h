/* funcs.h: the ODK XPath functions, registered on libxml2 contexts, and
 * evaluation of compiled form expressions. */
#ifndef IMAS_FORM_FUNCS_H
#define IMAS_FORM_FUNCS_H

#include "form/model.h"

#include <libxml/xpathInternals.h>

#define FORM_NS_XFORMS "http://www.w3.org/2002/xforms"
#define FORM_NS_JR "http://openrosa.org/javarosa"
#define FORM_NS_ODK "http://www.opendatakit.org/xforms"
#define FORM_NS_ORX "http://openrosa.org/xforms"
#define FORM_NS_IMAS "urn:imas-survey:xpath"

/* Is name (in namespace uri, NULL for none) a function we evaluate? Its
 * argument count range into min/max (max -1: no limit). */
bool funcs_lookup(const char *uri, const char *name, int *min, int *max);
/* The prefix expressions use for uri in our contexts ("jr"), or NULL. */
const char *funcs_prefix(const char *uri);

struct xp_state;
typedef const char *funcs_label_fn(struct xp_state *st, const char *path, const char *value);

/* What the functions need to know while an expression runs. */
struct xp_state {
    const struct form *f;
    xmlDocPtr main;             /* the record's instance */
    xmlNodePtr current;         /* current() */
    const char *lang;           /* jr:choice-name() */
    funcs_label_fn *choice_label;
    void *data;                 /* for choice_label */
    char *error;                /* the first evaluation error, fresh */
};

xmlXPathContextPtr funcs_context_new(struct xp_state *st);
void funcs_context_free(xmlXPathContextPtr *c);
/* Evaluate e with node as context node and current() = current (node when
 * NULL). NULL on error, st->error says what. */
xmlXPathObjectPtr funcs_eval(xmlXPathContextPtr c, const struct form_expr *e,
                             xmlNodePtr node, xmlNodePtr current);
/* Shuffle n nodes: the same way for the same seed, at random for NaN. */
void funcs_shuffle(xmlNodePtr *nodes, int n, double seed);
/* The value as ODK writes it: NaN → "", true/false, first node's text. */
char *funcs_string(xmlXPathObjectPtr o);
bool funcs_boolean(xmlXPathObjectPtr o);

#endif
