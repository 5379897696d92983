#include "config.h"

#include "form/catalog.h"

#include "core/xalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

struct form_catalog {
    struct form_catalog_entry *entries;
    size_t n;
    char **errors;
    size_t nerrors;
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_file(struct form_catalog *c, const char *path)
{
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(path, &err);
    if (!f) {
        c->errors = xrealloc(c->errors, (c->nerrors + 1) * sizeof *c->errors);
        c->errors[c->nerrors++] = error_format(&err);
        error_clear(&err);
        return;
    }
    if (form_catalog_find_version(c, form_id(f), form_version(f))) {
        form_free(&f);
        return;
    }
    c->entries = xrealloc(c->entries, (c->n + 1) * sizeof *c->entries);
    struct form_catalog_entry *e = &c->entries[c->n++];
    e->path = xstrdup(path);
    e->id = xstrdup(form_id(f));
    e->version = xstrdup(form_version(f));
    e->title = xstrdup(form_title(f));
    const char *const *langs = form_languages(f);
    size_t nl = 0;
    while (langs[nl])
        nl++;
    e->languages = xcalloc(nl + 1, sizeof *e->languages);
    for (size_t i = 0; i < nl; i++)
        e->languages[i] = xstrdup(langs[i]);
    e->form = f;
}

static void scan_dir(struct form_catalog *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".xml") == 0 && de->d_name[0] != '.') {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        add_file(c, path);
        free(path);
        free(names[i]);
    }
    free(names);
}

struct form_catalog *form_catalog_scan(char **dirs)
{
    struct form_catalog *c = xcalloc(1, sizeof *c);
    for (char **d = dirs; d && *d; d++)
        scan_dir(c, *d);
    return c;
}

void form_catalog_free(struct form_catalog **cp)
{
    struct form_catalog *c = *cp;
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        struct form_catalog_entry *e = &c->entries[i];
        free(e->path), free(e->id), free(e->version), free(e->title);
        for (char **l = e->languages; *l; l++)
            free(*l);
        free(e->languages);
        form_free(&e->form);
    }
    free(c->entries);
    for (size_t i = 0; i < c->nerrors; i++)
        free(c->errors[i]);
    free(c->errors);
    xfree(cp);
}

size_t form_catalog_count(const struct form_catalog *c)
{
    return c ? c->n : 0;
}

const struct form_catalog_entry *form_catalog_get(const struct form_catalog *c, size_t i)
{
    return c && i < c->n ? &c->entries[i] : NULL;
}

const struct form_catalog_entry *form_catalog_find(const struct form_catalog *c, const char *id)
{
    for (size_t i = 0; c && id && i < c->n; i++)
        if (strcmp(c->entries[i].id, id) == 0)
            return &c->entries[i];
    return NULL;
}

const struct form_catalog_entry *form_catalog_find_version(const struct form_catalog *c,
                                                           const char *id, const char *version)
{
    for (size_t i = 0; c && id && version && i < c->n; i++)
        if (strcmp(c->entries[i].id, id) == 0 && strcmp(c->entries[i].version, version) == 0)
            return &c->entries[i];
    return NULL;
}

size_t form_catalog_error_count(const struct form_catalog *c)
{
    return c ? c->nerrors : 0;
}

const char *form_catalog_error(const struct form_catalog *c, size_t i)
{
    return c && i < c->nerrors ? c->errors[i] : NULL;
}
