/* record.h: one record of a form, and the form's logic evaluated over it.
 *
 * A record is the form's main instance as a document without namespaces
 * (so /data/age matches however the form declares its namespaces): the
 * template's defaults are in it, repeat templates are not. Repeat
 * instances are added by item id (the store's item UUIDs), never by
 * position. Fields are named by their path without indexes
 * (/data/roster/code) and, inside a repeat, the item id of the instance
 * ("" or NULL at top level). Inside an instance, ".", "..", current(),
 * relative paths and absolute paths into the same repeat all name that
 * instance, as ODK tools do.
 *
 * Loading a stored record: form_record_new(), form_record_add_item() for
 * every stored item (parents first, in the store's order), then
 * form_record_set() for every stored answer. Starting a new one:
 * form_record_new() and form_record_first_load(), saving what it reports. */
#ifndef IMAS_FORM_RECORD_H
#define IMAS_FORM_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "form/form.h"

struct form_record;

/* The longest value an expression may compute (calculate, setvalue,
 * <output>): a longer one is an evaluation error and gives "". */
#define FORM_MAX_VALUE (1024 * 1024)

/* What jr:preload="property" and "context" read. */
struct form_env {
    const char *device_id;
    const char *username;
};

/* A value the record set by itself (default, preload, setvalue,
 * calculate); the caller saves it. */
typedef void form_changed_fn(void *ctx, const char *field, const char *item_id,
                             const char *value);
/* A repeat instance the record created by itself (pre-filled instances). */
typedef void form_item_fn(void *ctx, const char *repeat_path, const char *parent_item,
                          const char *item_id);

struct form_events {
    form_changed_fn *changed; /* may be NULL */
    form_item_fn *item_added; /* may be NULL */
    void *ctx;
};

/* A choice as offered now, its label in the language asked for. */
struct form_option {
    char *value;
    char *label;
};

struct form_record *form_record_new(const struct form *f);
void form_record_free(struct form_record **r);
const struct form *form_record_form(const struct form_record *r);

/* ---- structure and values (record.c) ---------------------------------- */

/* Add an instance of the repeat at repeat_path, after the existing ones,
 * filled from the repeat's template; parent_item names the instance of the
 * enclosing repeat (NULL at top level). */
bool form_record_add_item(struct form_record *r, const char *repeat_path,
                          const char *parent_item, const char *item_id, struct error *err);
/* Remove an instance and everything in it; false when there is none. */
bool form_record_remove_item(struct form_record *r, const char *item_id);
size_t form_record_item_count(const struct form_record *r, const char *repeat_path,
                              const char *parent_item);
bool form_record_set(struct form_record *r, const char *field, const char *item_id,
                     const char *value, struct error *err);
/* The value ("" when empty), or NULL when there is no such field or item. */
const char *form_record_get(const struct form_record *r, const char *field,
                            const char *item_id);

/* A new record: report the defaults, apply jr:preload (uid, timestamp
 * start, date today, property and context: device id, user name, empty
 * phone-only properties), create the pre-filled
 * repeat instances (new UUIDs, reported through item_added), run the
 * odk-instance-first-load setvalues and the calculations. */
bool form_record_first_load(struct form_record *r, const struct form_env *env,
                            const struct form_events *ev, struct error *err);
/* A new instance the user asked for: form_record_add_item(), then its
 * defaults, its odk-new-repeat setvalues and the calculations, reported. */
bool form_record_new_item(struct form_record *r, const char *repeat_path,
                          const char *parent_item, const char *item_id,
                          const struct form_events *ev, struct error *err);
/* The user changed field (in item_id): run the xforms-value-changed
 * setvalues of its control, then the calculations, each change reported.
 * True when there were any. */
bool form_record_value_changed(struct form_record *r, const char *field, const char *item_id,
                               const struct form_events *ev);
/* On finalize: jr:preload timestamp end, and the calculations. */
void form_record_finalize(struct form_record *r, const struct form_events *ev);
/* Recompute every calculate bind (every instance) until nothing changes;
 * each value that changed is reported once. */
void form_record_calculate(struct form_record *r, form_changed_fn *changed, void *ctx);

/* The text with its <output>s filled in from the record, evaluated at
 * node n of the instance item_id; in lang as form_text(). Fresh. */
char *form_record_text(struct form_record *r, const struct form_text *t,
                       const struct form_node *n, const char *item_id, const char *lang);
/* The choices of a select as they stand now (itemsets evaluated, with
 * their filters), labels in lang. Free with form_options_free(). */
size_t form_record_options(struct form_record *r, const struct form_node *n,
                           const char *item_id, const char *lang, struct form_option **out);
void form_options_free(struct form_option **o, size_t n);

/* ---- logic (validate.c) ----------------------------------------------- */

/* Is n relevant in that instance, its groups and repeats included? For a
 * repeat without item_id: would a new instance be? */
bool form_record_relevant(struct form_record *r, const struct form_node *n,
                          const char *item_id);
bool form_record_required(struct form_record *r, const struct form_node *n,
                          const char *item_id);
/* readonly="true()" or an expression, on n or around it. */
bool form_record_readonly(struct form_record *r, const struct form_node *n,
                          const char *item_id);
/* True when the value is acceptable: empty, or of the node's type (int,
 * decimal, date, time, dateTime, geopoint, a listed choice, a range step)
 * and meeting the constraint. Otherwise *msg (when msg is not NULL) is
 * the form's constraint message in lang or a translated generic one. */
bool form_record_check(struct form_record *r, const struct form_node *n, const char *item_id,
                       const char *lang, char **msg);

/* What a question asks of the user now, given the answers. */
enum form_qstate {
    FORM_Q_EMPTY,      /* not answered, not required */
    FORM_Q_ANSWERED,   /* answered, and form_record_check() accepts it */
    FORM_Q_MISSING,    /* required and not answered */
    FORM_Q_INVALID,    /* answered, but the form does not accept it */
    FORM_Q_IRRELEVANT, /* not relevant (or no node) */
    FORM_Q_NOTE,       /* a note, or read-only: nothing to answer */
};
/* A question in an instance (item "" or NULL at top level). */
struct form_qref {
    const struct form_node *node; /* NULL: FORM_Q_IRRELEVANT */
    const char *item;
    bool relevance; /* ask only whether node (a group, say) is relevant:
                     * FORM_Q_IRRELEVANT or FORM_Q_EMPTY */
};
/* The state of question n in item_id: what form_record_relevant(),
 * form_record_readonly(), form_record_get(), form_record_required() and
 * form_record_check() say, in that order, with its element found once. */
enum form_qstate form_record_qstate(struct form_record *r, const struct form_node *n,
                                    const char *item_id, const char *lang);
/* form_record_qstate() of each of the n questions q, into out[]. The
 * elements are found in one walk: the children of a group of many
 * questions are indexed once, not scanned for each of them, so the time
 * grows with n, not with n times the size of the group. */
void form_record_qstates(struct form_record *r, const struct form_qref *q, size_t n,
                         const char *lang, enum form_qstate *out);
/* jr:count evaluated for the instance parent_item of the enclosing
 * repeat; -1 for an open repeat. */
long form_record_repeat_count(struct form_record *r, const struct form_node *n,
                              const char *parent_item);

/* What finalize refuses: every relevant control, in every instance, that
 * is required and empty or fails form_record_check(). Returns the count. */
typedef void form_problem_fn(void *ctx, const struct form_node *n, const char *item_id,
                             const char *msg);
size_t form_record_problems(struct form_record *r, const char *lang, form_problem_fn *fn,
                            void *ctx);

/* The last evaluation error (a broken expression at run time), or NULL. */
const char *form_record_error(const struct form_record *r);

#endif
