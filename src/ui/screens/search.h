/* ui/screens/search.h: the search screen (SPEC 5.6): full-text search over
 * the notes and text answers of every record, opened from home with '/'.
 * Enter opens a note on its record's capture screen, an answer on its
 * question. */
#ifndef IMAS_UI_SCREENS_SEARCH_H
#define IMAS_UI_SCREENS_SEARCH_H

#include "ui/ui.h"

/* The screen's argument (may be NULL): left receives the uuid of the
 * last record a hit opened, so home can follow it once the search is
 * closed (the record left moves to the top of home's list). */
struct search_args {
    char *left; /* UUID_STR_LEN bytes */
};

extern const struct screen_ops search_screen_ops;

#endif
