#include "config.h"

#include "ui/widgets/text_keys.h"

const enum action text_keys_line[] = {
    ACTION_TEXT_BACKSPACE, ACTION_TEXT_BACKSPACE_H, ACTION_TEXT_DELETE, ACTION_TEXT_LEFT,
    ACTION_TEXT_RIGHT,     ACTION_TEXT_HOME,        ACTION_TEXT_END,    ACTION_TEXT_WORD,
    ACTION_TEXT_CLEAR,     ACTION_NONE,
};

const enum action text_keys_lines[] = {
    ACTION_TEXT_BACKSPACE, ACTION_TEXT_BACKSPACE_H, ACTION_TEXT_DELETE,    ACTION_TEXT_LEFT,
    ACTION_TEXT_RIGHT,     ACTION_TEXT_HOME,        ACTION_TEXT_END,       ACTION_TEXT_WORD,
    ACTION_TEXT_CLEAR,     ACTION_TEXT_LINE_UP,     ACTION_TEXT_LINE_DOWN, ACTION_TEXT_NEWLINE,
    ACTION_NONE,
};

bool text_keys_edit(struct textedit *t, int key, size_t width, bool newline_enter)
{
    enum action a = action_in(key, t->multiline ? text_keys_lines : text_keys_line);
    switch (a) {
    case ACTION_TEXT_BACKSPACE:
    case ACTION_TEXT_BACKSPACE_H:
        textedit_backspace(t);
        return true;
    case ACTION_TEXT_DELETE:
        textedit_delete(t);
        return true;
    case ACTION_TEXT_LEFT:
        textedit_left(t);
        return true;
    case ACTION_TEXT_RIGHT:
        textedit_right(t);
        return true;
    case ACTION_TEXT_HOME:
        textedit_home(t);
        return true;
    case ACTION_TEXT_END:
        textedit_end(t);
        return true;
    case ACTION_TEXT_WORD:
        textedit_delete_word(t);
        return true;
    case ACTION_TEXT_CLEAR:
        textedit_set(t, "");
        return true;
    case ACTION_TEXT_LINE_UP:
    case ACTION_TEXT_LINE_DOWN:
        return textedit_vertical(t, width, a == ACTION_TEXT_LINE_UP ? -1 : 1);
    case ACTION_TEXT_NEWLINE:
        if (!newline_enter)
            return false;
        textedit_insert_cp(t, '\n');
        return true;
    default:
        if (key < 32 || key >= UI_KEYCODE_BASE)
            return false;
        textedit_insert_cp(t, (uint32_t)key);
        return true;
    }
}
