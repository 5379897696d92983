/* ui/ui.h: the terminal UI's frame: start and stop curses, the screen
 * stack and its key loop, the theme, and safe text drawing. Screens only
 * render and route keys; what a screen shows and does is its model in
 * src/app. */
#ifndef IMAS_UI_UI_H
#define IMAS_UI_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "ui/actions.h"

struct store;
struct form_catalog;

enum key_result {
    KEY_HANDLED,   /* the screen used the key */
    KEY_UNHANDLED, /* pass it down the chain (screen → global) */
    KEY_LEAVE,     /* close this screen */
    KEY_QUIT_ALL,  /* leave the program */
};

#define UI_STACK_MAX 8

struct screen_ops;

/* A screen on the stack and its state. */
struct ui_frame {
    const struct screen_ops *ops;
    void *state;
};

struct ui {
    struct store *store;
    struct form_catalog *catalog;
    const char *lang; /* form language chosen, or NULL for the default */
    bool file_created; /* the survey file was made by this start */
    bool color;
    bool help_open;
    struct ui_frame stack[UI_STACK_MAX]; /* stack[0] is home */
    int depth;
};

/* One screen: an ops table built with designated initialisers (STYLE). */
struct screen_ops {
    const char *name;
    /* arg: what ui_push was given (NULL for the first screen). */
    void *(*open)(struct ui *ui, void *arg);
    void (*draw)(struct ui *ui, void *state, int rows, int cols);
    enum key_result (*key)(struct ui *ui, void *state, int key, enum action a);
    void (*resize)(struct ui *ui, void *state, int rows, int cols);
    void (*close)(void *state);
    /* Optional: no key came within the screen's timeout() (home looks
     * for a merge from another program); the screen is drawn after it. */
    void (*idle)(struct ui *ui, void *state);
    /* Optional: the screen is on top again (the one above it closed). */
    void (*resume)(struct ui *ui, void *state);
    /* Actions this screen offers, for the hint bar and F1 (ACTION_NONE ends). */
    const enum action *actions;
    /* Optional: the actions of the screen's current mode (a cell editor
     * offers other keys than the grid around it); overrides actions. */
    const enum action *(*mode_actions)(void *state);
    /* Optional: the keys of the widget that has the cursor (a text field's,
     * ui/widgets/text_keys.h), which see a key before the screen does;
     * F1 lists them after the screen's. NULL: none. */
    const enum action *(*widget_actions)(void *state);
    /* Every list actions and mode_actions may return, NULL-terminated: no
     * two actions of one list may share a key (tests/unit/test_ui_actions.c). */
    const enum action *const *action_sets;
};

enum ui_attr { UI_NORMAL, UI_TITLE, UI_SELECTED, UI_HINT, UI_DIM, UI_ERROR };

/* Run the UI with `first` as the home screen until the user quits.
 * Returns false with err set if the terminal cannot be used. */
bool ui_run(struct ui *ui, const struct screen_ops *first, struct error *err);

/* The loop of ui_run in steps, for benchmarks and tests that drive the
 * UI on a pseudo-terminal: start curses on (out, in) with `first` drawn;
 * feed one key (UK() for curses key codes), which is handled and the
 * screen redrawn, false once the user quit; stop closes every screen. */
bool ui_start(struct ui *ui, const struct screen_ops *first, FILE *out, FILE *in,
              struct error *err);
bool ui_feed(struct ui *ui, int key);
void ui_redraw(struct ui *ui);
void ui_stop(struct ui *ui);

/* Open a screen above the current one; it gets the keys until its key
 * function returns KEY_LEAVE. False when the stack is full or open fails. */
bool ui_push(struct ui *ui, const struct screen_ops *ops, void *arg);

/* Draw text at (y, x) clipped to `width` columns, never splitting a
 * character; control characters and invalid bytes are replaced, so stored
 * text is never sent raw to the terminal. Text cut short ends in "…" in
 * the last column (blanks cut off do not count). Pads with spaces when pad
 * is set. Returns the columns used. */
int ui_text(int y, int x, const char *text, int width, enum ui_attr attr, bool pad);
/* Fill the row with spaces in attr. */
void ui_fill_row(int y, int cols, enum ui_attr attr);
/* Smallest terminal the screens are laid out for. */
#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

#endif
