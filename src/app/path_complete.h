/* app/path_complete.h: Tab completion of a file path being typed, as a
 * shell does it: the longest common start of the matching names is
 * added, a directory that is the only match gets its "/", and when the
 * typed text matches several names they are listed. Names starting with
 * a dot are offered only when the typed name starts with one. "~/" is
 * the home directory. No curses. */
#ifndef IMAS_APP_PATH_COMPLETE_H
#define IMAS_APP_PATH_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

struct path_completion {
    char *text;   /* the typed text, completed as far as it goes (fresh) */
    char **names; /* when ambiguous: the matching names, sorted, a
                     directory's with "/" (fresh); else NULL */
    size_t nnames; /* entries in names (at most 200) */
    size_t n;     /* how many names match (0: none) */
};

/* Complete typed. out->n is the number of matches: 0 (text unchanged),
 * 1 (completed) or more (completed to their common start; names lists
 * them). */
void path_complete(const char *typed, struct path_completion *out);
void path_completion_free(struct path_completion *c);

/* typed with a leading "~/" (or "~" alone) replaced by $HOME (fresh). */
char *path_expand(const char *typed);

#endif
