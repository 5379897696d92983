/* ui/screens/capture_int.h: the capture screen's state, shared by
 * capture.c (opening, saving), capture_keys.c (keys) and capture_draw.c
 * (drawing). */
#ifndef IMAS_UI_SCREENS_CAPTURE_INT_H
#define IMAS_UI_SCREENS_CAPTURE_INT_H

#include "app/capture.h"
#include "app/capture_writer.h"
#include "ui/ui.h"
#include "ui/widgets/textedit.h"

enum cap_mode {
    CAP_TYPING,      /* the draft has the keys */
    CAP_EARLIER,     /* an earlier note is selected in the transcript */
    CAP_CORRECTING,  /* the selected note's text is in the input */
    CAP_ASK_CODE,    /* a new participant's code */
    CAP_ASK_CONSENT, /* ... and their consent */
    CAP_ASK_REMOVE,  /* remove the selected note? */
    CAP_ASK_LEAVE,   /* leave with a note half typed? */
};

/* How often the clock and the saved marks are redrawn while idle. */
#define CAP_TICK_MS 250

struct cscreen {
    struct ui *ui;
    struct capture *c;
    struct capture_writer *w; /* NULL: saving on the screen's connection */
    struct textedit draft;   /* the note being typed */
    struct textedit edit;    /* a correction */
    struct textedit prompt;  /* a participant code */
    char *code;              /* the code given, while consent is asked */
    enum cap_mode mode;
    size_t selected;         /* the note selected in the transcript */
    int selected_y;          /* its first row as drawn, -1 when not shown */
    char *message;
    bool message_error;
    int rows, cols;
};

/* The input the keys go to in this mode (draft or edit), or NULL. */
struct textedit *cap_input(struct cscreen *s);
/* Columns the input wraps at. */
size_t cap_input_width(const struct cscreen *s);
void cap_set_message(struct cscreen *s, const char *msg, bool error);
/* cap_set_message, then free msg. */
void cap_message_take(struct cscreen *s, char *msg, bool error);
/* The notes cannot be changed (s->c->editable is false): what is refused,
 * then why (a read-only file, else the finalized record), as the message. */
void cap_refuse(struct cscreen *s, const char *what);
/* F6: pause the clock or start it again, kept in the record's audit. */
void cap_pause(struct cscreen *s);
/* The actions of the hint bar and help in this mode (screen_ops.mode_actions). */
const enum action *cap_mode_actions(void *state);
/* Take what the writer has finished and mark it saved or failed. */
void cap_poll(struct cscreen *s);

/* capture_keys.c */
/* The screen's key handler (screen_ops.key). */
enum key_result cap_key(struct ui *ui, void *state, int key, enum action a);

/* capture_draw.c */
void cap_draw(struct ui *ui, void *state, int rows, int cols);

#endif
