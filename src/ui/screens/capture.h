/* ui/screens/capture.h: the live focus-group capture screen (SPEC 5.4):
 * the roster, the current speaker and topic, a running clock, the
 * transcript above a multi-line input. Notes are saved by a writer thread,
 * so typing never waits on the disk. */
#ifndef IMAS_UI_SCREENS_CAPTURE_H
#define IMAS_UI_SCREENS_CAPTURE_H

#include "form/form.h"
#include "ui/ui.h"

/* What ui_push(ui, &capture_screen_ops, args) opens: the notes of record.
 * form: the record's form when the caller has it loaded (it must outlive
 * the screen), else NULL (the copy stored in the file, else the catalog's).
 * note: a note to select at once (from search), or NULL. On failure the
 * screen is not opened and error says why (the caller frees it). */
struct capture_args {
    const char *record;
    const struct form *form;
    const char *note;
    char *error;
};

extern const struct screen_ops capture_screen_ops;

#endif
