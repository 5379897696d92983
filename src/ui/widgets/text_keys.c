#include "config.h"

#include "ui/widgets/text_keys.h"

#include "ui/actions.h"

bool text_keys_edit(struct textedit *t, int key)
{
    switch (key) {
    case UK(KEY_BACKSPACE):
    case 127:
    case 8:
        textedit_backspace(t);
        return true;
    case UK(KEY_DC):
        textedit_delete(t);
        return true;
    case UK(KEY_LEFT):
        textedit_left(t);
        return true;
    case UK(KEY_RIGHT):
        textedit_right(t);
        return true;
    case UK(KEY_HOME):
    case 1: /* Ctrl-A */
        textedit_home(t);
        return true;
    case UK(KEY_END):
    case 5: /* Ctrl-E */
        textedit_end(t);
        return true;
    case 23: /* Ctrl-W */
        textedit_delete_word(t);
        return true;
    case 21: /* Ctrl-U */
        textedit_set(t, "");
        return true;
    default:
        if (key < 32 || key >= UI_KEYCODE_BASE)
            return false;
        textedit_insert_cp(t, (uint32_t)key);
        return true;
    }
}
