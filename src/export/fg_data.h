/* fg_data.h: the focus-group sessions of a survey file (the records of
 * forms with an imas-log repeat) gathered for their report (fg_report.c):
 * each session's country, date, place, theme and roster, and every live
 * note with its speaker, topic, phase, tags, quote flag and time.
 *
 * Recommendations are marked by tags (the notes log has no field for
 * them): a note tagged #rec or #recommendation is one, and #policy,
 * #practice or #research gives its level; #rec-policy, #rec-practice and
 * #rec-research (or with "_", or "recommendation-...") do both in one
 * tag. A note tagged for several levels has each of them. Tags are
 * compared without ASCII case. */
#ifndef IMAS_EXPORT_FG_DATA_H
#define IMAS_EXPORT_FG_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "export/report_data.h"
#include "store/store.h"

/* A recommendation level; a note's levels are a set of FG_LEVEL_BIT()s. */
enum fg_level { FG_NOT_REC, FG_REC_POLICY, FG_REC_PRACTICE, FG_REC_RESEARCH, FG_REC_NO_LEVEL };
#define FG_LEVEL_BIT(l) (1u << (l))

struct fg_person {
    char *code, *role; /* role: the choice value, or "" */
};

struct fg_session {
    char *uuid;
    char *country;                   /* the code ("other": what was typed), or "?" */
    char *country_label;             /* in the report language */
    char *date, *place, *theme;      /* theme: the choice value; "" when not given */
    struct fg_person *people;        /* the roster, with a code */
    size_t npeople;
    double start;                    /* days, of the first note; NAN before one */
};

struct fg_note {
    char *record;                    /* the session's record uuid */
    size_t session;                  /* index into sessions */
    char *speaker, *topic, *phase, *text; /* values, "" when not given */
    char **tags;                     /* without '#', in the note's order */
    size_t *tag_index;               /* of each, into fg_data.tags */
    size_t ntags;
    bool quote;
    double when;                     /* days since the epoch (UTC), or NAN */
    unsigned levels;                 /* FG_LEVEL_BITs; 0: not a recommendation */
};

struct fg_tag {
    char *name;
    size_t notes, quotes;
};

struct fg_data {
    char *title; /* the first focus-group form's title */
    struct rp_choice *countries, *roles, *topics, *phases, *themes; /* the form's choices */
    size_t ncountries, nroles, ntopics, nphases, nthemes;
    struct fg_session *sessions; /* by country (the form's order), date, place */
    size_t nsessions;
    struct fg_note *notes;       /* in the store's order */
    size_t nnotes;
    struct fg_tag *tags;         /* most notes first, then by name */
    size_t ntags;
};

/* Read every focus-group record of s (of form form_id only, when not
 * NULL) in one snapshot, labels in lang. No session is not an error. */
bool fg_data_load(struct store *s, const char *lang, const char *form_id,
                  struct fg_data **out, struct error *err);
void fg_data_free(struct fg_data **d);

/* The role value of code in session s, or "". */
const char *fg_role_of(const struct fg_session *s, const char *code);
/* The index of tag name in d->tags, or d->ntags. */
size_t fg_tag_index(const struct fg_data *d, const char *name);
/* The levels the tags give (see above), as FG_LEVEL_BITs: those of the
 * #rec-LEVEL tags when there are any, else those of #policy, #practice and
 * #research on a note tagged #rec, else FG_REC_NO_LEVEL; 0 when the tags
 * do not make a recommendation. */
unsigned fg_levels_of(char *const *tags, size_t n);

#endif
