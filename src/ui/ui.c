#include "config.h"

#include "ui/ui.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "ui/widgets/fit.h"
#include "ui/widgets/yesno.h"
#include "ui/widgets/wrap.h"
#include "ui/curses.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool use_color;

static int attr_of(enum ui_attr a)
{
    switch (a) {
    case UI_TITLE:
        return use_color ? (int)(COLOR_PAIR(1) | A_BOLD) : (int)(A_REVERSE | A_BOLD);
    case UI_SELECTED:
        return use_color ? (int)(COLOR_PAIR(2) | A_BOLD) : (int)A_REVERSE;
    case UI_HINT:
        return use_color ? (int)COLOR_PAIR(3) : (int)A_REVERSE;
    case UI_DIM:
        return use_color ? (int)COLOR_PAIR(4) : (int)A_DIM;
    case UI_ERROR:
        return use_color ? (int)(COLOR_PAIR(5) | A_BOLD) : (int)(A_BOLD | A_UNDERLINE);
    case UI_NORMAL:
    default:
        return A_NORMAL;
    }
}

static void theme_init(struct ui *ui)
{
    const char *no_color = getenv("NO_COLOR");
    use_color = has_colors() && !(no_color && *no_color);
    if (use_color && start_color() == OK) {
        use_default_colors();
        init_pair(1, COLOR_WHITE, COLOR_BLUE);
        init_pair(2, COLOR_BLACK, COLOR_CYAN);
        init_pair(3, COLOR_BLACK, COLOR_WHITE);
        init_pair(4, COLOR_BLUE, -1);
        init_pair(5, COLOR_RED, -1);
    } else {
        use_color = false;
    }
    ui->color = use_color;
}

int ui_text(int y, int x, const char *text, int width, enum ui_attr attr, bool pad)
{
    if (width <= 0)
        return 0;
    char *safe = utf8_sanitize(text ? text : "", false);
    /* cut short: the last column says so, so nobody takes the part shown
     * for the whole text */
    char *fit = fit_clip(safe, (size_t)width);
    free(safe);
    safe = fit;
    size_t bytes = strlen(safe);
    int used = (int)utf8_width(safe);
    attron(attr_of(attr));
    mvaddnstr(y, x, safe, (int)bytes);
    if (pad)
        for (int i = used; i < width; i++)
            addch(' ');
    attroff(attr_of(attr));
    free(safe);
    return pad ? width : used;
}

void ui_fill_row(int y, int cols, enum ui_attr attr)
{
    ui_text(y, 0, "", cols, attr, true);
}

static const enum action *actions_of(const struct screen_ops *scr, void *state)
{
    return scr->mode_actions ? scr->mode_actions(state) : scr->actions;
}

static void draw_hints(const enum action *actions, int rows, int cols)
{
    ui_fill_row(rows - 1, cols, UI_HINT);
    int x = 0;
    for (const enum action *a = actions; a && *a != ACTION_NONE; a++) {
        const struct action_info *info = action_info(*a);
        if (!info || !info->hint)
            continue;
        /* only the first word of the help text in the hint bar */
        char word[64];
        const char *help = _(info->help);
        size_t n = strcspn(help, ":( ");
        if (n >= sizeof word) {
            n = sizeof word - 1;
            while (n > 0 && ((unsigned char)help[n] & 0xC0) == 0x80)
                n--; /* never half a character */
        }
        memcpy(word, help, n);
        word[n] = '\0';
        /* yes and no show the letters the question shows (Polish t, n) */
        char yes[5], no[5];
        yesno_letters(yes, no);
        const char *key = *a == ACTION_YES ? yes : *a == ACTION_NO ? no : info->keyname;
        /* a hint is shown whole or not at all */
        size_t w = utf8_width(key) + 1 + utf8_width(word);
        if ((size_t)x + w > (size_t)cols)
            break;
        x += ui_text(rows - 1, x, key, cols - x, UI_TITLE, false);
        x += ui_text(rows - 1, x, " ", cols - x, UI_HINT, false);
        x += ui_text(rows - 1, x, word, cols - x, UI_HINT, false);
        x += ui_text(rows - 1, x, "  ", cols - x, UI_HINT, false);
    }
}

/* The widest key name of a list of actions, in columns. */
static int key_width(const enum action *actions)
{
    int w = 1;
    for (const enum action *a = actions; a && *a != ACTION_NONE; a++) {
        const struct action_info *info = action_info(*a);
        char keys[48];
        if (info)
            action_key_names(info, keys, sizeof keys);
        if (info && (int)utf8_width(keys) > w)
            w = (int)utf8_width(keys);
    }
    return w;
}

/* F1's columns: the key names from x + 2, their texts kw + 1 further. */
static size_t help_text_width(int width, int kw)
{
    return width > kw + 6 ? (size_t)(width - kw - 4) : 2;
}

/* Rows the F1 lines of actions take in a column width wide: a help text
 * longer than its row wraps under itself. */
static int help_height(const enum action *actions, int width, int kw)
{
    int n = 0;
    for (const enum action *a = actions; a && *a != ACTION_NONE; a++) {
        const struct action_info *info = action_info(*a);
        if (info)
            n += (int)fit_rows(_(info->help), help_text_width(width, kw));
    }
    return n;
}

/* The rows of F1 for a list of actions, from row y in columns x to x +
 * width; the next free row. A text wraps between words under itself; the
 * last row that fits ends in "…" when the text goes on. */
static int help_rows(const enum action *actions, int y, int x, int width, int kw, int rows)
{
    for (const enum action *a = actions; a && *a != ACTION_NONE && y < rows - 1; a++) {
        const struct action_info *info = action_info(*a);
        if (!info)
            continue;
        char keys[48];
        action_key_names(info, keys, sizeof keys);
        ui_text(y, x + 2, keys, kw, UI_NORMAL, true);
        struct wrap_view v = {.y = y, .x = x + 3 + kw, .width = help_text_width(width, kw),
                              .rows = (size_t)(rows - 1 - y), .attr = UI_NORMAL,
                              .ellipsis = true};
        y += (int)wrap_draw(&v, _(info->help));
    }
    return y;
}

/* The F1 page shown, and whether another follows (PgDn turns to it). */
static int help_page, help_more;

/* F1 in pages when the keys do not fit on one even side by side: the
 * screen's keys, then the text field's, in one column, each entry whole
 * on its page; the last row says how to turn. */
static void draw_help_pages(const enum action *actions, const enum action *widget, int rows,
                            int cols, int kw)
{
    int room = rows - 3; /* rows 1 .. rows - 3; rows - 2 says "PgDn" */
    int page = 0, y = 1;
    const enum action *lists[2] = {actions, widget};
    for (int l = 0; l < 2; l++) {
        if (l == 1 && widget) {
            if (y + 1 > room) /* the heading never last on a page */
                page++, y = 1;
            if (page == help_page)
                ui_text(y, 1, _("In the text field:"), cols - 2, UI_DIM, false);
            y++;
        }
        for (const enum action *a = lists[l]; a && *a != ACTION_NONE; a++) {
            const struct action_info *info = action_info(*a);
            if (!info)
                continue;
            int h = (int)fit_rows(_(info->help), help_text_width(cols, kw));
            if (y + h - 1 > room && y > 1)
                page++, y = 1;
            if (page == help_page) {
                enum action one[2] = {*a, ACTION_NONE};
                help_rows(one, y, 0, cols, kw, room + 2);
            }
            y += h;
        }
    }
    help_more = help_page < page;
    char more[160];
    snprintf(more, sizeof more,
             /* TRANSLATORS: the last row of F1 when its keys take more than
              * one page */
             help_more ? _("Page %d of %d: PgDn shows the next") : _("Page %d of %d: PgUp shows the previous"),
             help_page + 1, page + 1);
    ui_text(rows - 2, 1, more, cols - 2, UI_DIM, false);
}

static void draw_help(const enum action *actions, const enum action *widget, int rows, int cols)
{
    for (int y = 0; y < rows; y++) {
        move(y, 0);
        clrtoeol();
    }
    ui_fill_row(0, cols, UI_TITLE);
    ui_text(0, 1, _("Keys on this screen (any key closes this help)"), cols - 2, UI_TITLE, false);
    /* the key names as wide as the widest, the rest for the texts */
    int kw = key_width(actions);
    if (key_width(widget) > kw)
        kw = key_width(widget);
    help_more = 0;
    /* a text field's keys below the screen's, or beside them when they
     * would not fit, where the two columns are the least tall; else pages */
    int all = help_height(actions, cols, kw) + (widget ? 1 + help_height(widget, cols, kw) : 0);
    int split = 0, best = 0;
    if (all > rows - 2 && widget) {
        for (int x = cols / 3; x <= cols - cols / 3; x++) {
            int left = help_height(actions, x, kw), right = 1 + help_height(widget, cols - x, kw);
            int tall = left > right ? left : right;
            if (!split || tall < best)
                split = x, best = tall;
        }
    }
    if (all > rows - 2 && (!split || best > rows - 2)) {
        draw_help_pages(actions, widget, rows, cols, kw);
        move(0, 0);
        return;
    }
    help_page = 0;
    int y = help_rows(actions, 1, 0, split ? split : cols, kw, rows);
    if (widget) {
        int x = split;
        y = split ? 1 : y;
        ui_text(y++, x + 1, _("In the text field:"), cols - x - 2, UI_DIM, false);
        help_rows(widget, y, x, cols - x, kw, rows);
    }
    move(0, 0);
}

/* The terminal is smaller than the screens need: only the notice shows. */
static bool too_small(void)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    return rows < UI_MIN_ROWS || cols < UI_MIN_COLS;
}

static void draw_too_small(int rows, int cols)
{
    erase();
    char msg[128];
    snprintf(msg, sizeof msg, _("Terminal too small: %dx%d (need %dx%d)"), cols, rows,
             UI_MIN_COLS, UI_MIN_ROWS);
    ui_text(rows / 2, 0, msg, cols, UI_ERROR, false);
}

static void draw(struct ui *ui, const struct screen_ops *scr, void *state)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    if (too_small()) {
        draw_too_small(rows, cols);
    } else if (ui->help_open) {
        draw_help(actions_of(scr, state), scr->widget_actions ? scr->widget_actions(state) : NULL,
                  rows, cols);
        draw_hints(actions_of(scr, state), rows, cols);
        move(0, 0);
    } else {
        /* the screen leaves the cursor on its active field: draw the hint
         * bar first, then the screen, so the cursor stays where it put it */
        draw_hints(actions_of(scr, state), rows, cols);
        scr->draw(ui, state, rows - 1, cols);
    }
    refresh();
}

bool ui_push(struct ui *ui, const struct screen_ops *ops, void *arg)
{
    if (ui->depth >= UI_STACK_MAX)
        return false;
    /* the frame exists before open, so a screen may push another from its
     * open function (home reopening the record the user was in) */
    int at = ui->depth++;
    ui->stack[at] = (struct ui_frame){ops, NULL};
    void *state = ops->open(ui, arg);
    if (!state) {
        /* drop this frame and anything its open pushed */
        for (int i = ui->depth - 1; i > at; i--)
            ui->stack[i].ops->close(ui->stack[i].state);
        ui->depth = at;
        return false;
    }
    ui->stack[at].state = state;
    return true;
}

static void pop(struct ui *ui)
{
    struct ui_frame *f = &ui->stack[--ui->depth];
    f->ops->close(f->state);
    if (ui->depth > 0) {
        struct ui_frame *top = &ui->stack[ui->depth - 1];
        if (top->ops->resume)
            top->ops->resume(ui, top->state);
    }
}

static void on_resize(struct ui *ui)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i].ops->resize)
            ui->stack[i].ops->resize(ui, ui->stack[i].state, rows - 1, cols);
}

static bool dispatch(struct ui *ui, int key)
{
    struct ui_frame *top = &ui->stack[ui->depth - 1];
    enum action a = action_for_key_in(key, actions_of(top->ops, top->state));
    enum key_result r = top->ops->key(ui, top->state, key, a);
    if (r == KEY_UNHANDLED) {
        if (a == ACTION_QUIT || a == ACTION_QUIT_F10)
            r = KEY_QUIT_ALL;
        else if (a == ACTION_HELP)
            ui->help_open = true, help_page = 0;
        else if (a == ACTION_REDRAW)
            clearok(curscr, TRUE);
    }
    if (r == KEY_QUIT_ALL)
        return false;
    if (r == KEY_LEAVE)
        pop(ui);
    return ui->depth > 0;
}

/* The sequences common terminals send whatever TERM says: Home and End
 * from tmux or screen (\e[1~ \e[4~), rxvt (\e[7~ \e[8~), xterm in either
 * cursor mode (\eOH \e[H), the Linux console's F1-F5 (\e[[A...) and
 * rxvt's (\e[11~...). Without these a key missing from the terminfo entry
 * arrives as Esc and its letters, and "[1~" ended up in a note. */
static void define_common_keys(void)
{
    static const struct {
        const char *seq;
        int key;
    } keys[] = {
        {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME}, {"\033OH", KEY_HOME},
        {"\033[H", KEY_HOME},  {"\033[4~", KEY_END},  {"\033[8~", KEY_END},
        {"\033OF", KEY_END},   {"\033[F", KEY_END},   {"\033[2~", KEY_IC},
        {"\033[3~", KEY_DC},   {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE},
        {"\033[A", KEY_UP},    {"\033[B", KEY_DOWN},  {"\033[C", KEY_RIGHT},
        {"\033[D", KEY_LEFT},  {"\033OA", KEY_UP},    {"\033OB", KEY_DOWN},
        {"\033OC", KEY_RIGHT}, {"\033OD", KEY_LEFT},  {"\033[Z", KEY_BTAB},
        {"\033[[A", KEY_F(1)}, {"\033[[B", KEY_F(2)}, {"\033[[C", KEY_F(3)},
        {"\033[[D", KEY_F(4)}, {"\033[[E", KEY_F(5)}, {"\033[11~", KEY_F(1)},
        {"\033[12~", KEY_F(2)}, {"\033[13~", KEY_F(3)}, {"\033[14~", KEY_F(4)},
        {"\033[15~", KEY_F(5)}, {"\033OP", KEY_F(1)}, {"\033OQ", KEY_F(2)},
        {"\033OR", KEY_F(3)},  {"\033OS", KEY_F(4)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (key_defined(keys[i].seq) == 0)
            define_key(keys[i].seq, keys[i].key);
}

bool ui_start(struct ui *ui, const struct screen_ops *first, FILE *out, FILE *in,
              struct error *err)
{
    if (!newterm(NULL, out, in))
        return error_set(err, _("cannot use this terminal (TERM=%s)"),
                         getenv("TERM") ? getenv("TERM") : "");
    /* raw, not cbreak: Ctrl-C, Ctrl-\ and Ctrl-Z are keys, not signals that
     * end or stop the program mid-answer; Ctrl-S does not freeze it */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    define_common_keys();
    set_escdelay(25);
    curs_set(1);
    theme_init(ui);
    ui->depth = 0;
    if (!ui_push(ui, first, NULL)) {
        endwin();
        return error_set(err, _("cannot open the first screen"));
    }
    ui_redraw(ui);
    return true;
}

void ui_redraw(struct ui *ui)
{
    struct ui_frame *top = &ui->stack[ui->depth - 1];
    draw(ui, top->ops, top->state);
}

bool ui_feed(struct ui *ui, int key)
{
    if (key == UK(KEY_RESIZE))
        on_resize(ui);
    else if (too_small() && key != UK(KEY_F(10)))
        ; /* nothing on screen to act on: a key (d, then y) would act unseen */
    else if (ui->help_open && key == UK(KEY_NPAGE) && help_more)
        help_page++; /* F1 in pages: the next; any other key closes it */
    else if (ui->help_open && key == UK(KEY_PPAGE) && help_page > 0)
        help_page--;
    else if (ui->help_open)
        ui->help_open = false;
    else if (!dispatch(ui, key))
        return false;
    ui_redraw(ui);
    return true;
}

void ui_stop(struct ui *ui)
{
    /* top first: each screen saves where the user was as it closes */
    while (ui->depth > 0) {
        struct ui_frame *f = &ui->stack[--ui->depth];
        f->ops->close(f->state);
    }
    endwin();
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* A hangup (the terminal window closed), a TERM (shutdown) or an INT from
 * another program ends the program the way F10 does, so the screens save
 * what is being typed. No SA_RESTART: the wait for a key returns. */
static void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static void quit_as_f10(struct ui *ui)
{
    for (int i = 0; i < UI_STACK_MAX + 2 && ui_feed(ui, UK(KEY_F(10))); i++)
        ;
}

bool ui_run(struct ui *ui, const struct screen_ops *first, struct error *err)
{
    if (!isatty(0) || !isatty(1))
        return error_set(err, _("the terminal interface needs a terminal (stdin and stdout)"));
    if (!ui_start(ui, first, stdout, stdin, err))
        return false;
    catch_stop_signals();
    for (;;) {
        wint_t wch;
        int kind = get_wch(&wch);
        if (stop_signal) {
            quit_as_f10(ui);
            break;
        }
        if (kind == ERR) {
            /* no key within a screen's timeout() (the capture screen's
             * clock and saved marks, home's look for a merge): draw it again */
            struct ui_frame *top = &ui->stack[ui->depth - 1];
            if (top->ops->idle)
                top->ops->idle(ui, top->state);
            ui_redraw(ui);
            continue;
        }
        int key = kind == KEY_CODE_YES ? UK((int)wch) : (int)wch;
        if (!ui_feed(ui, key))
            break;
    }
    ui_stop(ui);
    return true;
}
