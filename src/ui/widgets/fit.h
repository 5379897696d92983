/* ui/widgets/fit.h: making text fit a width, without curses (pure, so the
 * unit tests link it): clipping with "…", counting wrapped rows and
 * sharing a row among columns. Widths are by wcwidth: a Cyrillic or
 * accented letter takes one column, a CJK character two, a combining
 * mark none. */
#ifndef IMAS_UI_WIDGETS_FIT_H
#define IMAS_UI_WIDGETS_FIT_H

#include <stddef.h>

/* s cut to at most width columns, never in the middle of a character;
 * when anything but blanks is cut off, the last column is "…". A new
 * string. */
char *fit_clip(const char *s, size_t width);

/* Rows s takes wrapped to width columns (between words, as
 * textedit_wrap breaks them); at least 1. */
size_t fit_rows(const char *s, size_t width);

/* s broken into at most rows lines of width columns, for a heading:
 * after a space or after a hyphen inside a word ("Fort-", "Sozial-"),
 * inside a word only when the word is wider than width (never inside a
 * character). When text is left over, the last line ends in "…". Fresh
 * strings into out[0..rows); returns how many (at least 1). */
size_t fit_words(const char *s, size_t width, size_t rows, char **out);

/* Share cols columns among n columns: column i wants want[i] and may
 * shrink to least[i]; column flex takes what is left (at least
 * least[flex]). When the row is too narrow, the others give up columns,
 * the widest first, until flex has want[flex] or all are at their least.
 * The widths go to out. */
void fit_columns(size_t cols, const size_t *want, const size_t *least, size_t n, size_t flex,
                 size_t *out);

#endif
