#include "config.h"

#include "ui/widgets/yesno.h"

#include "ui/curses.h"
#include "ui/ui.h"

const enum action yesno_actions[] = {
    ACTION_HELP, ACTION_YES, ACTION_NO, ACTION_NONE,
};

bool yesno_yes(enum action a)
{
    return a == ACTION_YES;
}

bool yesno_passes(enum action a)
{
    return a == ACTION_HELP || a == ACTION_REDRAW;
}

void yesno_draw(int y, int cols, const char *question)
{
    ui_fill_row(y, cols, UI_TITLE);
    int w = ui_text(y, 1, question, cols - 2, UI_TITLE, false);
    (void)w;
    move(y, 1);
}
