/* ui/widgets/yesno.c: the one y/n question: the answer a key gives (the
 * letters the user's language shows, and y/n), and the question's row. */
#include "config.h"

#include "ui/widgets/yesno.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "ui/curses.h"
#include "ui/ui.h"
#include "ui/widgets/fit.h"
#include "ui/widgets/wrap.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

const enum action yesno_actions[] = {
    ACTION_HELP, ACTION_YES, ACTION_NO, ACTION_NONE,
};

/* The language's letters for yes and no (lower case), from the catalog;
 * y and n when it gives none, or not two letters. */
static void letters(uint32_t *yes, uint32_t *no)
{
    /* TRANSLATORS: the letters for yes and no in yes/no questions, in this
     * order, one character each and different from each other (Polish:
     * "tn" for tak/nie). The prompts that show the letters use them, and
     * y and n are taken too. */
    const char *s = _("yn");
    size_t len = strlen(s);
    size_t k = utf8_decode(s, len, yes);
    size_t k2 = k ? utf8_decode(s + k, len - k, no) : 0;
    if (!k || !k2 || k + k2 != len || *yes == *no) {
        *yes = 'y';
        *no = 'n';
    }
    *yes = (uint32_t)towlower((wint_t)*yes);
    *no = (uint32_t)towlower((wint_t)*no);
}

enum yesno yesno_answer(int key, enum action a)
{
    uint32_t yes, no;
    letters(&yes, &no);
    if (key > 0 && key < UI_KEYCODE_BASE) {
        uint32_t c = (uint32_t)towlower((wint_t)key);
        if (c == yes)
            return YESNO_YES;
        if (c == no)
            return YESNO_NO;
    }
    if (a == ACTION_YES)
        return YESNO_YES;
    /* Esc is not in the question's key list (F1 would show it as "Back"):
     * ACTION_NO's help names it */
    if (a == ACTION_NO || a == ACTION_BACK || key == 27 || a == ACTION_QUIT_F10 ||
        (a == ACTION_QUIT && key == UK(KEY_F(10))))
        return YESNO_NO;
    return YESNO_OTHER;
}

bool yesno_passes(enum action a)
{
    return a == ACTION_HELP || a == ACTION_REDRAW;
}

char *yesno_refusal(void)
{
    uint32_t yes, no;
    letters(&yes, &no);
    char y[5] = "", n[5] = "";
    y[utf8_encode(yes, y)] = '\0';
    n[utf8_encode(no, n)] = '\0';
    /* TRANSLATORS: a y/n question got another key; %1$s is the letter for
     * yes, %2$s the letter for no (the translation of "yn") */
    return xasprintf(_("Please answer %1$s (yes) or %2$s (no)."), y, n);
}

void yesno_letters(char yes[5], char no[5])
{
    uint32_t y, n;
    letters(&y, &n);
    yes[utf8_encode(y, yes)] = '\0';
    no[utf8_encode(n, no)] = '\0';
}

/* The question with "(y/n)" shown as the letters the user's language
 * takes ("(t/n)" in Polish), whatever its translation wrote: the keys
 * and the text cannot disagree. */
static char *with_letters(const char *question)
{
    const char *at = strstr(question, "(y/n)");
    if (!at)
        return xstrdup(question);
    char yes[5], no[5];
    yesno_letters(yes, no);
    return xasprintf("%.*s(%s/%s)%s", (int)(at - question), question, yes, no,
                     at + strlen("(y/n)"));
}

void yesno_draw(int y, int cols, const char *prompt)
{
    char *question = with_letters(prompt);
    /* a question too long for its row (a record's long name in it) goes
     * on in the row below rather than losing its letters */
    size_t width = cols > 4 ? (size_t)cols - 2 : 2;
    size_t rows = fit_rows(question, width) > 1 ? 2 : 1;
    for (size_t k = 0; k < rows; k++)
        ui_fill_row(y + (int)k, cols, UI_TITLE);
    struct wrap_view v = {.y = y, .x = 1, .width = width, .rows = rows, .attr = UI_TITLE,
                          .ellipsis = true};
    wrap_draw(&v, question);
    free(question);
    move(y, 1);
}
