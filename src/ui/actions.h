/* ui/actions.h: every action, its keys and its help text, declared once.
 * The dispatcher, the hint bar and the F1 help are generated from this list
 * (tig's REQ_INFO idea). Columns: name, key, second key (0 for none), key
 * name shown to the user, help text, shown in the hint bar (1/0). */
#ifndef IMAS_UI_ACTIONS_H
#define IMAS_UI_ACTIONS_H

#include "ui/curses.h"

/* Keys reach screens as one int: a character is its code point; a curses
 * key code (KEY_UP, KEY_F(1), ...) is UK(code), above every code point, so
 * that typing a letter such as U+0109 never looks like a function key. */
#define UI_KEYCODE_BASE 0x200000
#define UK(k) ((k) + UI_KEYCODE_BASE)

#define ACTION_LIST(_)                                                         \
    _(HELP, UK(KEY_F(1)), 0, "F1", N_("Help: list the keys of this screen"), 1)    \
    _(QUIT, UK(KEY_F(10)), 'q', "F10", N_("Quit (everything is already saved)"), 1) \
    _(BACK, 27, 0, "Esc", N_("Back / close"), 0)                               \
    _(UP, UK(KEY_UP), 'k', "Up", N_("Move up"), 0)                                 \
    _(DOWN, UK(KEY_DOWN), 'j', "Down", N_("Move down"), 0)                         \
    _(PAGE_UP, UK(KEY_PPAGE), 0, "PgUp", N_("Page up"), 0)                         \
    _(PAGE_DOWN, UK(KEY_NPAGE), 0, "PgDn", N_("Page down"), 0)                     \
    _(FIRST, UK(KEY_HOME), 'g', "Home", N_("First row"), 0)                        \
    _(LAST, UK(KEY_END), 'G', "End", N_("Last row"), 0)                            \
    _(REDRAW, 12, 0, "Ctrl-L", N_("Redraw the screen"), 0)

enum action {
    ACTION_NONE = 0,
#define ACTION_ENUM(name, key, key2, keyname, help, hint) ACTION_##name,
    ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
    ACTION_COUNT
};

struct action_info {
    enum action action;
    int key;
    int key2;
    const char *keyname;
    const char *help; /* untranslated; translate with _() when shown */
    int hint;
};

/* The action bound to a key, or ACTION_NONE. */
enum action action_for_key(int key);
/* The whole table, ACTION_COUNT - 1 entries. */
const struct action_info *action_table(void);
const struct action_info *action_info(enum action a);

#endif
