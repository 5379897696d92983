/* report_data.h: the dimension grids of a survey file gathered by country,
 * for the report's printers (report.c). */
#ifndef IMAS_EXPORT_REPORT_DATA_H
#define IMAS_EXPORT_REPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "form/form.h"
#include "store/scan.h"
#include "store/store.h"

/* A dimension: one row group of the grid. */
struct rp_dim {
    char *name;   /* the row group's name, "legal_framework" */
    char *label;  /* its label */
    char *target; /* the default target state in the report's language, or "" */
    char **defaults; /* the default in every language the form has, and its
                      * instance's: a record holding one of them kept it */
    size_t ndefaults;
};

/* One record's row of one dimension. */
struct rp_cell {
    char *status_quo, *gap, *recommendation, *rec_level; /* or NULL */
    char *target; /* the record's own target state, NULL where it kept the default */
};

struct rp_record {
    char *uuid, *state, *school, *date;
    struct rp_cell *cells; /* one per dimension */
};

struct rp_country {
    char *code, *label;
    struct rp_record **recs;
    size_t nrecs;
    int64_t finalized, visits;
    int64_t *roles;   /* records naming each role, as report_data.roles */
    double *gap_sum;  /* per dimension, of the 1..5 ratings */
    int *gap_n, *gap_dk;
};

struct rp_choice {
    char *value, *label;
};

struct report_data {
    char *title; /* the grid form's title */
    struct rp_dim *dims;
    size_t ndims;
    struct rp_country *countries; /* in the form's order of countries */
    size_t ncountries;
    struct rp_choice *roles, *gaps, *levels, *country_list; /* the form's choices */
    size_t nroles, ngaps, nlevels, ncountry_list;
    int64_t records;
};

/* Read every grid record of s (one snapshot), of form form_id only when
 * not NULL. A file without any is not an error: the report says so. */
bool report_data_load(struct store *s, const char *lang, const char *form_id,
                      struct report_data **out, struct error *err);
void report_data_free(struct report_data **d);

/* True when value (a record's target state) is empty or one of the
 * dimension's default texts, in any language, spaces around ignored. */
bool rp_target_is_default(const struct rp_dim *dim, const char *value);

/* The stored definition of a form version, loaded; NULL when it is
 * missing or does not load (--export says what is wrong with it). */
struct form *rp_form_load(struct store *s, const struct store_form_use *u);
/* Call fn for each form version the file's records use (only form_id's
 * when it is not NULL), in one read snapshot; stops at the first false. */
bool rp_each_version(struct store *s, const char *form_id,
                     bool (*fn)(struct store *s, const struct store_form_use *u, void *ctx,
                                struct error *err),
                     void *ctx, struct error *err);
/* True when f has an imas-grid group. */
bool rp_form_has_grid(const struct form *f);
/* The choices of node n (none: nothing) with their labels in lang, into
 * *out unless it is set already; free with rp_choices_free. */
void rp_choices_take(const struct form *f, const struct form_node *n, const char *lang,
                     struct rp_choice **out, size_t *nout);
void rp_choices_free(struct rp_choice **c, size_t n);

/* The label of a choice value, or the value itself. */
const char *rp_choice_label(const struct rp_choice *c, size_t n,
                            const char *value);

#endif
