/* ui/actions.h: every action, its keys and its help text, declared once.
 * The dispatcher, the hint bar and the F1 help are generated from this list
 * (tig's REQ_INFO idea). Columns: name, key, second key (0 for none, or
 * KEYS_TO(last) for every key from key to last), key name shown to the
 * user, help text, shown in the hint bar (1/0). Every key a screen reacts
 * to is here: the screens and widgets dispatch on the action, never on the
 * key (typing text into a field is the one exception). */
#ifndef IMAS_UI_ACTIONS_H
#define IMAS_UI_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/curses.h"

/* Keys reach screens as one int: a character is its code point; a curses
 * key code (KEY_UP, KEY_F(1), ...) is UK(code), above every code point, so
 * that typing a letter such as U+0109 never looks like a function key. */
#define UI_KEYCODE_BASE 0x200000
#define UK(k) ((k) + UI_KEYCODE_BASE)

/* Alt-x (Esc then x at once, as terminals send it) as one int: the capture
 * screen reads the second key itself (ui/screens/capture.c). */
#define UI_ALT_BASE 0x400000
#define UA(c) ((c) + UI_ALT_BASE)

/* A second key that is a range: every key from the first through k. */
#define KEYS_TO(k) (-(k))

/* The focus-group capture and search screens' actions (SPEC 5.4, 5.6). */
#define CAPTURE_ACTIONS(_)                                                     \
    _(CAPTURE, 'l', 0, "l", N_("Log: live notes of a focus-group record"), 1) \
    _(SEARCH, '/', 0, "/", N_("Search the notes and text answers of all records"), 1) \
    _(CAP_SAVE, 13, UK(KEY_ENTER), "Enter", N_("Save the note (timed from its first keystroke)"), 1) \
    _(CAP_NEWLINE, 10, 0, "Ctrl-J", N_("New line inside the note"), 0)        \
    _(CAP_SPEAKER, UA('0'), KEYS_TO(UA('9')), "Alt-1..9,0", N_("Speaker: the participant at that roster position (0: the 10th)"), 1) \
    _(CAP_SPEAKER_NEXT, '\t', 0, "Tab", N_("Next speaker in the roster"), 0)  \
    _(CAP_SPEAKER_PREV, UK(KEY_BTAB), 0, "S-Tab", N_("Previous speaker in the roster"), 0) \
    _(CAP_TOPIC, UA('t'), 20, "Alt-t", N_("Topic: the next topic of the guide (also Ctrl-T)"), 1) \
    _(CAP_TOPIC_PREV, UA('T'), 0, "Alt-T", N_("Topic: the previous topic"), 0) \
    _(CAP_PHASE, UA('p'), 0, "Alt-p", N_("Phase: context, state of play, future plans"), 1) \
    _(CAP_QUOTE, UA('q'), 0, "Alt-q", N_("Quote: mark the note as said word for word"), 1) \
    _(CAP_EARLIER, UK(KEY_PPAGE), UA('e'), "PgUp", N_("Earlier notes: select one to correct or remove"), 1) \
    _(CAP_ADD_PERSON, UK(KEY_F(5)), UA('a'), "F5", N_("Add a participant to the roster"), 1) \
    _(CAP_PAUSE, UK(KEY_F(6)), 0, "F6", N_("Pause the clock for a break, or go on"), 1) \
    _(CAP_RETRY, UK(KEY_F(7)), 0, "F7", N_("Retry: save again what could not be saved"), 0) \
    _(CAP_BACK, 27, 0, "Esc", N_("Back to the record (asks first when a note is being typed)"), 1) \
    _(CAP_LEAVE, 27, 0, "Esc", N_("Leave without saving the note"), 1)          \
    _(CAP_SAVE_LEAVE, 13, UK(KEY_ENTER), "Enter", N_("Save the note, then leave"), 1) \
    _(CAP_NO_CONSENT, 13, UK(KEY_ENTER), "Enter", N_("Later: consent not asked yet, nothing is stored (answer it later on the participant's page of the record)"), 1)   \
    _(CAP_CORRECT, 13, UK(KEY_ENTER), "Enter", N_("Correct the selected note (a new revision)"), 1) \
    _(CAP_REMOVE, UK(KEY_DC), 'd', "Del", N_("Remove the selected note (asks first)"), 1) \
    _(CAP_TYPE, 27, 0, "Esc", N_("Back to typing"), 1)                         \
    /* notes that can only be read (a finalized record, a read-only file): \
       these say why not at once, and stay out of the hint bar */          \
    _(RO_CAP_SAVE, 13, UK(KEY_ENTER), "Enter", N_("Save a note: not where the notes can only be read (says why)"), 0) \
    _(RO_CAP_ADD_PERSON, UK(KEY_F(5)), UA('a'), "F5", N_("Add a participant: not where the notes can only be read (says why)"), 0) \
    _(RO_CAP_CORRECT, 13, UK(KEY_ENTER), "Enter", N_("Correct: not where the notes can only be read (says why)"), 0) \
    _(RO_CAP_REMOVE, UK(KEY_DC), 'd', "Del", N_("Remove: not where the notes can only be read (says why)"), 0) \
    /* F1 of the capture screen explains the clock (a keyless row) */         \
    _(CAP_CLOCK, 0, 0, "hh:mm:ss", N_("Clock: time since the session's first note, F6 pauses left out"), 0) \
    _(SEARCH_OPEN, 13, UK(KEY_ENTER), "Enter", N_("Open the note or answer in its record"), 1) \
    /* F1 of the search screen says how typing matches (keyless rows) */      \
    _(SEARCH_WORDS, 0, 0, "abc", N_("Each word finds the words that start with it, in any case"), 0) \
    /* TRANSLATORS: "zlob" is what is typed, "żłobek" a Polish word it finds; \
       keep both and the letters */                                           \
    _(SEARCH_FOLD, 0, 0, "zlob", N_("finds żłobek: accents and ł ø đ ħ ß æ œ þ ı may be typed plain"), 0) \
    _(SEARCH_PAGE_DOWN, UK(KEY_NPAGE), 0, "PgDn", N_("Page down; reads more results while \"more below\" shows"), 0)

/* The keys of a text field (ui/widgets/text_keys.h), listed after the
 * screen's own in F1 while one has the cursor; typing inserts text. */
#define TEXT_ACTIONS(_)                                                        \
    _(TEXT_BACKSPACE, UK(KEY_BACKSPACE), 127, "Backspace", N_("Delete the character before the cursor"), 0) \
    _(TEXT_BACKSPACE_H, 8, 0, "Ctrl-H", N_("Delete the character before the cursor"), 0) \
    _(TEXT_DELETE, UK(KEY_DC), 0, "Del", N_("Delete the character at the cursor"), 0) \
    _(TEXT_LEFT, UK(KEY_LEFT), 0, "Left", N_("Move left"), 0)                   \
    _(TEXT_RIGHT, UK(KEY_RIGHT), 0, "Right", N_("Move right"), 0)               \
    _(TEXT_HOME, UK(KEY_HOME), 1, "Home", N_("Start of the line (also Ctrl-A)"), 0) \
    _(TEXT_END, UK(KEY_END), 5, "End", N_("End of the line (also Ctrl-E)"), 0)  \
    _(TEXT_WORD, 23, 0, "Ctrl-W", N_("Delete the word before the cursor"), 0)   \
    _(TEXT_CLEAR, 21, 0, "Ctrl-U", N_("Clear the field"), 0)                    \
    _(TEXT_LINE_UP, UK(KEY_UP), 0, "Up", N_("Line up in a text of several lines"), 0) \
    _(TEXT_LINE_DOWN, UK(KEY_DOWN), 0, "Down", N_("Line down in a text of several lines"), 0) \
    _(TEXT_NEWLINE, 13, UK(KEY_ENTER), "Enter", N_("New line in a text of several lines"), 0)

/* One key may serve several actions on different screens: the screen's
 * own list of actions says which (action_for_key_in). */
#define ACTION_LIST(_)                                                         \
    _(HELP, UK(KEY_F(1)), 0, "F1", N_("Help: list the keys of this screen"), 1)    \
    _(QUIT, UK(KEY_F(10)), 'q', "F10", N_("Quit (everything is already saved)"), 1) \
    _(QUIT_F10, UK(KEY_F(10)), 0, "F10", N_("Quit (everything is already saved)"), 1) \
    _(BACK, 27, 0, "Esc", N_("Back / close"), 0)                               \
    _(UP, UK(KEY_UP), 'k', "Up", N_("Move up"), 0)                                 \
    _(DOWN, UK(KEY_DOWN), 'j', "Down", N_("Move down"), 0)                         \
    _(LEFT, UK(KEY_LEFT), 0, "Left", N_("Move left"), 0)                           \
    _(RIGHT, UK(KEY_RIGHT), 0, "Right", N_("Move right"), 0)                       \
    _(PAGE_UP, UK(KEY_PPAGE), 0, "PgUp", N_("Page up"), 0)                         \
    _(PAGE_DOWN, UK(KEY_NPAGE), 0, "PgDn", N_("Page down"), 0)                     \
    _(FIRST, UK(KEY_HOME), 'g', "Home", N_("First row"), 0)                        \
    _(LAST, UK(KEY_END), 'G', "End", N_("Last row"), 0)                            \
    _(REDRAW, 12, 0, "Ctrl-L", N_("Redraw the screen"), 0)                         \
    _(OPEN, 13, UK(KEY_ENTER), "Enter", N_("Open: fill in the record (the last one open: where you left off)"), 1)         \
    _(START_FORM, 13, UK(KEY_ENTER), "Enter", N_("Start: a new record of the highlighted form"), 1) \
    _(PROMPT_OK, 13, UK(KEY_ENTER), "Enter", N_("Accept: keep what is typed and go on"), 1) \
    _(NEW, 'n', 0, "n", N_("New record: choose a form"), 1)                        \
    _(DELETE, 'd', UK(KEY_DC), "d", N_("Delete the record (asks first)"), 1)       \
    _(FINALIZE, 'f', 0, "f", N_("Finalize: says what it means and asks first, then checks required answers and locks"), 1) \
    _(REOPEN, 'r', 0, "r", N_("Reopen a finalized record (asks why)"), 1)         \
    /* home on a read-only file: the keys say why not at once (F1 lists them) */ \
    _(RO_NEW, 'n', 0, "n", N_("New record: not in a read-only file (says why)"), 0) \
    _(RO_DELETE, 'd', UK(KEY_DC), "d", N_("Delete: not in a read-only file (says why)"), 0) \
    _(RO_FINALIZE, 'f', 0, "f", N_("Finalize: not in a read-only file (says why)"), 0) \
    _(RO_REOPEN, 'r', 0, "r", N_("Reopen: not in a read-only file (says why)"), 0) \
    _(RO_CAPTURE, 'l', 0, "l", N_("Log: not in a read-only file (says why)"), 0) \
    _(NEXT_PAGE, UK(KEY_NPAGE), 0, "PgDn", N_("Next page"), 1)                     \
    _(PREV_PAGE, UK(KEY_PPAGE), 0, "PgUp", N_("Previous page"), 1)                 \
    _(NEXT_FIELD, '\t', 0, "Tab", N_("Next question (checks the answer)"), 0)      \
    _(PREV_FIELD, UK(KEY_BTAB), 0, "S-Tab", N_("Previous question"), 0)            \
    _(ENTER, 13, UK(KEY_ENTER), "Enter", N_("Choose, or go on to the next question"), 0) \
    _(TOGGLE, ' ', 0, "Space", N_("Tick or untick a choice"), 0)                  \
    _(JUMP, UK(KEY_F(2)), 0, "F2", N_("Jump list: every question and its state"), 1) \
    _(LANGUAGE, UK(KEY_F(3)), 0, "F3", N_("Switch the form's language"), 1)        \
    _(ADD_ITEM, UK(KEY_F(5)), 0, "F5", N_("Add an entry to this list"), 0)         \
    _(COUNTED_ITEM, UK(KEY_F(5)), 0, "F5", N_("Not here: an earlier answer sets the number of entries of this list"), 0) \
    _(OPEN_LOG, UK(KEY_F(5)), 0, "F5", N_("Capture: open the live notes screen of this list"), 1) \
    _(DEL_ITEM, UK(KEY_F(8)), 0, "F8", N_("Delete this entry of the list (asks first)"), 0) \
    _(Q_FINALIZE, UK(KEY_F(9)), 0, "F9", N_("Finalize the record: says what it means, then asks"), 1)             \
    /* a read-only record (finalized, or the file read-only): these keys \
     * change nothing and say why (F1 lists them, the hint bar does not) */ \
    _(RO_Q_FINALIZE, UK(KEY_F(9)), 0, "F9", N_("Finalize: not in a read-only record (says why)"), 0) \
    _(RO_ADD_ITEM, UK(KEY_F(5)), 0, "F5", N_("Add an entry or take notes: not in a read-only record (says why)"), 0) \
    _(RO_DEL_ITEM, UK(KEY_F(8)), 0, "F8", N_("Delete an entry: not in a read-only record (says why)"), 0) \
    _(RO_EDIT_CELL, 13, UK(KEY_ENTER), "Enter", N_("Edit the cell: not in a read-only record (says why)"), 0) \
    _(RO_CLEAR_CELL, UK(KEY_DC), 0, "Del", N_("Clear the cell: not in a read-only record (says why)"), 0) \
    _(HOME_BACK, 27, 0, "Esc", N_("Back to the records"), 1)                       \
    _(EDIT_CELL, 13, UK(KEY_ENTER), "Enter", N_("Edit the cell (text editor or choice list)"), 1) \
    _(SET_RATING, '0', KEYS_TO('9'), "0-9", N_("Set a rating cell to that choice directly"), 0) \
    _(CLEAR_CELL, UK(KEY_DC), 0, "Del", N_("Clear the cell (asks first)"), 1)     \
    _(EDIT_DONE, 27, 0, "Esc", N_("Close the editor (saves the text)"), 1)        \
    _(EDIT_DISCARD, UK(KEY_F(4)), 7, "F4", N_("Discard: close the editor, the cell keeps its saved text (also Ctrl-G)"), 1) \
    _(EDIT_NEXT, '\t', 0, "Tab", N_("Next cell (saves and closes the editor)"), 1) \
    _(GO_TO, 13, UK(KEY_ENTER), "Enter", N_("Go to the selected question"), 1)  \
    _(GRID_NEXT_CELL, '\t', 0, "Tab", N_("Next cell, to the right"), 0)         \
    _(GRID_CHOICE_PICK, 13, UK(KEY_ENTER), "Enter", N_("Choose the selected value and close the list"), 1) \
    _(GRID_CHOICE_CLOSE, 27, 0, "Esc", N_("Close the list: the cell keeps its value"), 1) \
    /* F1 of the grid explains the count beside each row (a keyless row) */  \
    _(GRID_ROW_COUNT, 0, 0, "1/6", N_("Beside a dimension: its cells answered, of those asked"), 0) \
    _(FILTER, UK(KEY_F(4)), 0, "F4", N_("Filter: list only the records whose form, title, country, school, state or author contain a text"), 1) \
    _(SORT, 's', UK(KEY_F(6)), "s", N_("Sort by last edit, form, title, country, state or author (each press: the next)"), 1) \
    _(FILTER_KEEP, 13, UK(KEY_ENTER), "Enter", N_("List: keep the filter and go back to the list"), 1) \
    _(ARROW_UP, UK(KEY_UP), 0, "Up", N_("Move up"), 0)                             \
    _(ARROW_DOWN, UK(KEY_DOWN), 0, "Down", N_("Move down"), 0)                     \
    _(FILTER_CLEAR, 27, 0, "Esc", N_("Clear the filter: list every record again"), 1) \
    _(CONFLICTS, 'c', 0, "c", N_("Conflicts: see and resolve the merge conflicts"), 1)     \
    _(KEEP_CURRENT, '1', 0, "1", N_("This: keep this file's value"), 1)                 \
    _(KEEP_OTHER, '2', 0, "2", N_("Other: keep the other laptop's value"), 1)            \
    _(EDIT_VALUE, 'e', 0, "e", N_("Type: write the value to keep"), 1)                   \
    _(SAVE_VALUE, UK(KEY_F(2)), 0, "F2", N_("Save: the typed value becomes the answer"), 1) \
    /* the conflicts screen on a read-only file: viewed; these say why not */ \
    _(RO_KEEP_CURRENT, '1', 0, "1", N_("This: not in a read-only file (says why)"), 0) \
    _(RO_KEEP_OTHER, '2', 0, "2", N_("Other: not in a read-only file (says why)"), 0) \
    _(RO_EDIT_VALUE, 'e', 0, "e", N_("Type: not in a read-only file (says why)"), 0) \
    _(YES, 'y', 'Y', "y", N_("Yes: y, or the letter for yes the question shows"), 1)                                          \
    _(NO, 'n', 'N', "n", N_("No: n, the letter for no the question shows, Esc or F10"), 1)                                            \
    _(CHOOSE, ' ', 0, "Space", N_("Choose the selected value"), 0)               \
    _(UPLOAD_COMPLETE, '\t', 0, "Tab", N_("Complete the file's path, as a shell does (lists the names when several fit); in an empty field: next question"), 1) \
    _(UPLOAD_ATTACH, 13, UK(KEY_ENTER), "Enter", N_("Attach the file whose path is typed (replaces the attached one); in an empty field: next question"), 1) \
    _(UPLOAD_REMOVE, UK(KEY_DC), 0, "Del", N_("Remove the attached file (in an empty path field; asks first)"), 1) \
    CAPTURE_ACTIONS(_)                                                         \
    TEXT_ACTIONS(_)

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
/* The action bound to a key among those a screen offers (ACTION_NONE
 * ends the list), else among all; ACTION_NONE when none. */
enum action action_for_key_in(int key, const enum action *offered);
/* The keys of a as F1 lists them: its key name, then its second key when
 * that is another key one can name (Alt-e, F6, Del, q), into buf. */
void action_key_names(const struct action_info *info, char *buf, size_t n);
/* Whether key is one of a's keys. */
bool action_has_key(const struct action_info *info, int key);
/* The action bound to key in offered only (no global fallback). */
enum action action_in(int key, const enum action *offered);
/* Two actions of one list that share a key (into *a and *b); false when
 * none do. F1, Ctrl-L and F10, which work on every screen, count as part
 * of every list. */
bool action_list_clash(const enum action *list, enum action *a, enum action *b);
/* The whole table, ACTION_COUNT - 1 entries. */
const struct action_info *action_table(void);
const struct action_info *action_info(enum action a);

#endif
