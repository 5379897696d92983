/* ui/widgets/yesno.h: the one y/n question, for every screen that asks
 * before it deletes or leaves: its keys (the letters the user's language
 * shows, the translation of "yn", and YES and NO in the action table;
 * Esc and F10 are no; any other key is refused with a message and the
 * question stays open) and its row. */
#ifndef IMAS_UI_WIDGETS_YESNO_H
#define IMAS_UI_WIDGETS_YESNO_H

#include <stdbool.h>

#include "ui/actions.h"

/* The actions while the question is asked (the screen's mode list). */
extern const enum action yesno_actions[];

enum yesno { YESNO_YES, YESNO_NO, YESNO_OTHER };

/* The answer key (its action a) gives: the language's letter for yes or
 * no (either case), y or n, Esc and F10 no; YESNO_OTHER for anything
 * else, which the screen refuses (yesno_refusal) without answering. */
enum yesno yesno_answer(int key, enum action a);
/* "Please answer t (yes) or n (no).", for a refused key; free it. */
char *yesno_refusal(void);
/* The language's letters for yes and no, as UTF-8 strings. */
void yesno_letters(char yes[5], char no[5]);

/* Whether action a leaves the question open and goes on down the chain:
 * F1 (the help lists y and n) and Ctrl-L. F10 is an answer (no), so a
 * question is never left unanswered by quitting. */
bool yesno_passes(enum action a);

/* The question on row y (going on in the row below when it is too long),
 * across cols columns, the cursor at its start. */
void yesno_draw(int y, int cols, const char *question);

#endif
