/* paths.h: where the survey file and the forms live (SPEC 2). */
#ifndef IMAS_CORE_PATHS_H
#define IMAS_CORE_PATHS_H

#include <stdbool.h>

#include "core/error.h"

/* The home directory: $HOME when it is an absolute path, else the
 * password database's for this user; NULL when neither is. Not to free. */
const char *paths_home(void);
/* The survey file to use when none is named: $IMAS_SURVEY_FILE, else
 * $XDG_DATA_HOME/imas-survey/survey.sqlite (XDG_DATA_HOME defaulting to
 * ~/.local/share, ~ being $HOME, else the password database's home). A
 * fresh string, or NULL with err set when there is no home directory. */
char *paths_default_survey_file(struct error *err);
/* Create the directory that will hold `file` (and its parents) with mode
 * 0700 where they do not exist yet. */
bool paths_ensure_parent_dir(const char *file, struct error *err);
/* The directories searched for forms, in order: form_dir (if not NULL),
 * $XDG_DATA_HOME/imas-survey/forms, the source tree's forms/ when the
 * program runs from its build tree, then the installed pkgdatadir/forms.
 * Returns a NULL-terminated array of fresh strings (free with
 * paths_free_list). */
char **paths_form_dirs(const char *form_dir);
void paths_free_list(char ***list);
/* Where the message catalogs are: the build tree's po/locale (made by
 * `make` from po/LL.gmo) when the program runs from its build tree, else
 * the installed LOCALEDIR. A fresh string. */
char *paths_locale_dir(void);

#endif
