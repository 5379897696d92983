#include "config.h"

#include "app/path_complete.h"

#include "core/xalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* At most this many names are kept for the list (the screen shows fewer). */
#define NAMES_MAX 200

char *path_expand(const char *typed)
{
    const char *home = getenv("HOME");
    if (home && *home && typed[0] == '~' && (typed[1] == '/' || !typed[1]))
        return xasprintf("%s%s", home, typed + 1);
    return xstrdup(typed);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir(const char *dir, const char *name)
{
    char *p = xasprintf("%s%s", dir, name);
    struct stat st;
    bool d = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return d;
}

static size_t common_len(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

void path_complete(const char *typed, struct path_completion *out)
{
    memset(out, 0, sizeof *out);
    out->text = xstrdup(typed);
    char *full = path_expand(typed);
    const char *slash = strrchr(full, '/');
    /* the directory as typed (expanded), with its "/"; the name begun */
    char *dir = slash ? xstrndup(full, (size_t)(slash - full) + 1) : xstrdup("");
    const char *part = slash ? slash + 1 : full;
    size_t plen = strlen(part);
    DIR *d = opendir(*dir ? dir : ".");
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, prefix = 0;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strncmp(e->d_name, part, plen) != 0 || (e->d_name[0] == '.' && part[0] != '.'))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        size_t c = n ? common_len(names[0], e->d_name) : strlen(e->d_name);
        prefix = n && prefix < c ? prefix : c;
        names[n++] = xstrdup(e->d_name);
    }
    if (d)
        closedir(d);
    out->n = n;
    if (n) {
        /* what is added to what was typed (typed keeps its own "~/") */
        char *add = xstrndup(names[0] + plen, prefix - plen);
        bool dir1 = n == 1 && is_dir(dir, names[0]);
        free(out->text);
        out->text = xasprintf("%s%s%s", typed, add, dir1 ? "/" : "");
        free(add);
    }
    if (n > 1) {
        qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++)
            if (is_dir(dir, names[i])) {
                char *withslash = xasprintf("%s/", names[i]);
                free(names[i]);
                names[i] = withslash;
            }
        out->names = names;
        out->nnames = n > NAMES_MAX ? NAMES_MAX : n;
        for (size_t i = out->nnames; i < n; i++)
            free(names[i]);
        names = NULL;
    }
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    free(full);
}

void path_completion_free(struct path_completion *c)
{
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i]);
    free(c->names);
    free(c->text);
    memset(c, 0, sizeof *c);
}
