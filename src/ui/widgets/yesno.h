/* ui/widgets/yesno.h: the one y/n question, for every screen that asks
 * before it deletes or leaves: its keys (YES and NO in the action table;
 * any other key is no) and its row. */
#ifndef IMAS_UI_WIDGETS_YESNO_H
#define IMAS_UI_WIDGETS_YESNO_H

#include <stdbool.h>

#include "ui/actions.h"

/* The actions while the question is asked (the screen's mode list). */
extern const enum action yesno_actions[];

/* Whether the answer given by action a is yes: anything but y is no. */
bool yesno_yes(enum action a);
/* Whether action a leaves the question open and goes on down the chain:
 * F1 (the help lists y and n) and Ctrl-L. F10 is an answer (no), so a
 * question is never left unanswered by quitting. */
bool yesno_passes(enum action a);

/* The question on row y, across cols columns, the cursor after it. */
void yesno_draw(int y, int cols, const char *question);

#endif
