#include "config.h"

#include "ui/actions.h"

#include "core/i18n.h"

#include <stdio.h>

static const struct action_info table[] = {
#define ACTION_ROW(name, key, key2, keyname, help, hint) \
    {ACTION_##name, key, key2, keyname, help, hint},
    ACTION_LIST(ACTION_ROW)
#undef ACTION_ROW
};

void action_key_names(const struct action_info *info, char *buf, size_t n)
{
    int k2 = info->key2;
    char second[16] = "";
    /* the vi letters beside the arrows, Home and End are aliases only
     * where nothing is typed: F1 names the arrows alone */
    bool nav = info->key == UK(KEY_UP) || info->key == UK(KEY_DOWN) ||
               info->key == UK(KEY_HOME) || info->key == UK(KEY_END);
    if (k2 > ' ' && k2 < 127 && !nav)
        snprintf(second, sizeof second, "%c", k2);
    else if (k2 > UA(' ') && k2 < UA(127))
        snprintf(second, sizeof second, "Alt-%c", k2 - UI_ALT_BASE);
    else if (k2 >= UK(KEY_F(1)) && k2 <= UK(KEY_F(12)))
        snprintf(second, sizeof second, "F%d", k2 - UK(KEY_F(0)));
    else if (k2 == UK(KEY_DC))
        snprintf(second, sizeof second, "Del");
    snprintf(buf, n, "%s%s%s", info->keyname, *second ? " " : "", second);
}

bool action_has_key(const struct action_info *info, int key)
{
    if (info->key == key)
        return true;
    if (info->key2 < 0) /* KEYS_TO: a range */
        return key >= info->key && key <= -info->key2;
    return info->key2 && info->key2 == key;
}

enum action action_for_key(int key)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (action_has_key(&table[i], key))
            return table[i].action;
    return ACTION_NONE;
}

static bool offers(const enum action *offered, enum action a)
{
    for (; offered && *offered != ACTION_NONE; offered++)
        if (*offered == a)
            return true;
    return false;
}

enum action action_for_key_in(int key, const enum action *offered)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (action_has_key(&table[i], key) && offers(offered, table[i].action))
            return table[i].action;
    /* F1, F10 and Ctrl-L work on every screen */
    enum action a = action_for_key(key);
    return a == ACTION_HELP || a == ACTION_REDRAW || (a == ACTION_QUIT && key != 'q')
               ? (a == ACTION_QUIT ? ACTION_QUIT_F10 : a)
               : ACTION_NONE;
}

enum action action_in(int key, const enum action *offered)
{
    for (; offered && *offered != ACTION_NONE; offered++) {
        const struct action_info *info = action_info(*offered);
        if (info && action_has_key(info, key))
            return *offered;
    }
    return ACTION_NONE;
}

/* Whether two table rows answer to a key in common. */
static bool share_key(const struct action_info *x, const struct action_info *y)
{
    int xk[2] = {x->key, x->key2 > 0 ? x->key2 : 0};
    for (int i = 0; i < 2; i++)
        if (xk[i] && action_has_key(y, xk[i]))
            return true;
    if (x->key2 < 0) /* a range: any of y's keys inside it */
        return action_has_key(x, y->key) || (y->key2 > 0 && action_has_key(x, y->key2));
    return false;
}

bool action_list_clash(const enum action *list, enum action *a, enum action *b)
{
    static const enum action everywhere[] = {ACTION_HELP, ACTION_REDRAW, ACTION_QUIT_F10};
    size_t n = 0;
    while (list && list[n] != ACTION_NONE)
        n++;
    for (size_t i = 0; i < n; i++) {
        const struct action_info *x = action_info(list[i]);
        for (size_t j = i + 1; j < n + 3; j++) {
            enum action other = j < n ? list[j] : everywhere[j - n];
            /* F10 is QUIT_F10 or QUIT (which adds q): the same action */
            bool quit = (list[i] == ACTION_QUIT || list[i] == ACTION_QUIT_F10) &&
                        other == ACTION_QUIT_F10;
            if (other == list[i] || quit)
                continue;
            if (share_key(x, action_info(other))) {
                *a = list[i];
                *b = other;
                return true;
            }
        }
    }
    return false;
}

const struct action_info *action_table(void)
{
    return table;
}

const struct action_info *action_info(enum action a)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (table[i].action == a)
            return &table[i];
    return NULL;
}
