#include "config.h"

#include "core/paths.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *paths_home(void)
{
    const char *home = getenv("HOME");
    if (home && *home == '/')
        return home;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* $XDG_DATA_HOME/imas-survey, else under the home directory: $HOME, else
 * the password database's (a cron job or `env -i` has no HOME). NULL
 * when there is none: a path relative to wherever the program was started
 * would scatter survey files. */
static char *data_home(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/imas-survey", xdg);
    const char *home = paths_home();
    if (!home)
        return NULL;
    return xasprintf("%s/.local/share/imas-survey", home);
}

char *paths_default_survey_file(struct error *err)
{
    const char *env = getenv("IMAS_SURVEY_FILE");
    if (env && *env)
        return xstrdup(env);
    char *dir = data_home();
    if (!dir) {
        error_set(err, _("no home directory for the survey file: set HOME, "
                         "XDG_DATA_HOME or IMAS_SURVEY_FILE, or name the FILE"));
        return NULL;
    }
    char *file = xasprintf("%s/survey.sqlite", dir);
    free(dir);
    return file;
}

bool paths_ensure_parent_dir(const char *file, struct error *err)
{
    char *dir = xstrdup(file);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        free(dir);
        return true;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            error_set_at(err, dir, 0, _("cannot create directory: %s"),
                         strerror(errno));
            free(dir);
            return false;
        }
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        error_set_at(err, dir, 0, _("cannot create directory: %s"),
                     strerror(errno));
        free(dir);
        return false;
    }
    free(dir);
    return true;
}

/* True when this program is the one built in the build tree (not an
 * installed copy), so the forms come from the source tree. */
static bool running_uninstalled(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    const char *build = ABS_TOP_BUILDDIR;
    size_t blen = strlen(build);
    return strncmp(exe, build, blen) == 0 && exe[blen] == '/';
}

char **paths_form_dirs(const char *form_dir)
{
    char **list = xcalloc(5, sizeof *list);
    int n = 0;
    if (form_dir)
        list[n++] = xstrdup(form_dir);
    char *dh = data_home();
    if (dh)
        list[n++] = xasprintf("%s/forms", dh);
    free(dh);
    if (running_uninstalled())
        list[n++] = xstrdup(ABS_TOP_SRCDIR "/forms");
    list[n++] = xstrdup(PKGDATADIR "/forms");
    list[n] = NULL;
    return list;
}

char *paths_locale_dir(void)
{
    if (running_uninstalled())
        return xstrdup(ABS_TOP_BUILDDIR "/po/locale");
    return xstrdup(LOCALEDIR);
}

void paths_free_list(char ***list)
{
    if (!*list)
        return;
    for (char **p = *list; *p; p++)
        free(*p);
    xfree(list);
}
