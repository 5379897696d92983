/* catalog.h: the forms found in the form directories (--list-forms, the
 * home screen's "new record"). */
#ifndef IMAS_FORM_CATALOG_H
#define IMAS_FORM_CATALOG_H

#include <stddef.h>

#include "form/form.h"

struct form_catalog;

struct form_catalog_entry {
    char *path;
    char *id;
    char *version;
    char *title;
    char **languages;  /* NULL-terminated */
    struct form *form; /* loaded and checked */
};

/* Every *.xml in the directories (NULL-terminated list; each directory in
 * name order, missing ones skipped), loaded; the first file with a given
 * (id, version) wins. A file that fails to load does not stop the scan:
 * it is listed among the errors. */
struct form_catalog *form_catalog_scan(char **dirs);
void form_catalog_free(struct form_catalog **c);
size_t form_catalog_count(const struct form_catalog *c);
const struct form_catalog_entry *form_catalog_get(const struct form_catalog *c, size_t i);
/* The first entry with that id (the newest version listed first wins
 * only by directory order), or NULL. */
const struct form_catalog_entry *form_catalog_find(const struct form_catalog *c, const char *id);
const struct form_catalog_entry *form_catalog_find_version(const struct form_catalog *c,
                                                           const char *id, const char *version);
/* Forms that failed to load: "FILE:LINE: what is wrong". */
size_t form_catalog_error_count(const struct form_catalog *c);
const char *form_catalog_error(const struct form_catalog *c, size_t i);

#endif
