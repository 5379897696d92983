/* ui/screens/search.h: the search screen (SPEC 5.6): full-text search over
 * the notes and text answers of every record, opened from home with '/'.
 * Enter opens a note on its record's capture screen, an answer on its
 * question. */
#ifndef IMAS_UI_SCREENS_SEARCH_H
#define IMAS_UI_SCREENS_SEARCH_H

#include "ui/ui.h"

extern const struct screen_ops search_screen_ops;

#endif
