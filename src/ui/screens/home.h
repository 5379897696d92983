/* ui/screens/home.h: the home screen: the records in the file and the
 * forms that can be filled. */
#ifndef IMAS_UI_SCREENS_HOME_H
#define IMAS_UI_SCREENS_HOME_H

#include "ui/ui.h"

extern const struct screen_ops home_screen_ops;

#endif
