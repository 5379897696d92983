#include "config.h"

#include "ui/actions.h"

#include "core/i18n.h"

static const struct action_info table[] = {
#define ACTION_ROW(name, key, key2, keyname, help, hint) \
    {ACTION_##name, key, key2, keyname, help, hint},
    ACTION_LIST(ACTION_ROW)
#undef ACTION_ROW
};

enum action action_for_key(int key)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (table[i].key == key || (table[i].key2 && table[i].key2 == key))
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
        if ((table[i].key == key || (table[i].key2 && table[i].key2 == key)) &&
            offers(offered, table[i].action))
            return table[i].action;
    /* F1, F10 and Ctrl-L work on every screen */
    enum action a = action_for_key(key);
    return a == ACTION_HELP || a == ACTION_REDRAW || (a == ACTION_QUIT && key != 'q')
               ? (a == ACTION_QUIT ? ACTION_QUIT_F10 : a)
               : ACTION_NONE;
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
