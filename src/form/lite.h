/* form/lite.h: the XForms reader the CLI and home screen use today: loads
 * an ODK XForm safely (no DOCTYPE, no network, no entities), checks its
 * structure and expressions, and gives its id, version, title, languages
 * and question tree. */
#ifndef IMAS_FORM_LITE_H
#define IMAS_FORM_LITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct form;

/* Load and check a form file; NULL with err = FILE:LINE: what is wrong. */
struct form *form_load_file(const char *path, struct error *err);
void form_free(struct form **f);
const char *form_id(const struct form *f);
const char *form_version(const struct form *f);
const char *form_title(const struct form *f);
const char *form_hash(const struct form *f);   /* SHA-256 of the file bytes */
const char *form_source(const struct form *f); /* the XML text */
/* itext languages in document order, NULL-terminated ("" list if none). */
const char *const *form_languages(const struct form *f);
/* The question tree as text (what --check-form prints). Labels in lang,
 * falling back to the default language. */
char *form_tree_text(const struct form *f, const char *lang);

/* Every *.xml form in the directories, first (id, version) wins. */
struct form_catalog;
struct form_catalog_entry {
    char *path;
    char *id;
    char *version;
    char *title;
    char **languages; /* NULL-terminated */
};
struct form_catalog *form_catalog_scan(char **dirs);
void form_catalog_free(struct form_catalog **c);
size_t form_catalog_count(const struct form_catalog *c);
const struct form_catalog_entry *form_catalog_get(const struct form_catalog *c, size_t i);
const struct form_catalog_entry *form_catalog_find(const struct form_catalog *c, const char *id);
/* Forms that failed to load: "FILE:LINE: what is wrong". */
size_t form_catalog_error_count(const struct form_catalog *c);
const char *form_catalog_error(const struct form_catalog *c, size_t i);

#endif
