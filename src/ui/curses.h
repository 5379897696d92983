/* ui/curses.h: the one place that includes curses (htop's ProvideCurses.h
 * idea). Wide-character ncursesw, whichever header path configure found. */
#ifndef IMAS_UI_CURSES_H
#define IMAS_UI_CURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#endif
