/* ui/screens/question.h: the questionnaire screen (SPEC 5.2, and the
 * dimension grid of 5.3 as one of its pages). */
#ifndef IMAS_UI_SCREENS_QUESTION_H
#define IMAS_UI_SCREENS_QUESTION_H

#include <stdbool.h>

#include "core/uuid.h"
#include "form/form.h"
#include "ui/ui.h"

/* What ui_push(ui, &question_screen_ops, args) opens: a stored record
 * (record), or a new record of form. path/item: the question to start on
 * (NULL: the first page). finalize: try to finalize at once and show what
 * is missing. On failure the screen is not opened and error says why
 * (the caller frees it); once open, uuid is the record's (a new one's
 * too), so that the caller can follow it when the screen is left. */
struct question_args {
    const char *record;
    const struct form *form;
    const char *path, *item;
    bool finalize;
    char *error;
    char uuid[UUID_STR_LEN];
};

extern const struct screen_ops question_screen_ops;

#endif
