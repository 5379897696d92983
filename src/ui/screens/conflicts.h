/* screens/conflicts.h: the merge conflicts screen (SPEC 5.5), opened from
 * home when the file has answers in conflict. */
#ifndef IMAS_UI_SCREENS_CONFLICTS_H
#define IMAS_UI_SCREENS_CONFLICTS_H

#include "ui/ui.h"

extern const struct screen_ops conflicts_screen_ops;

#endif
