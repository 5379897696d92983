/* tables.h: one form version's export (the state every writer shares) and
 * its data tables: wide, one per repeat, long. */
#ifndef IMAS_EXPORT_TABLES_H
#define IMAS_EXPORT_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "export/export.h"
#include "export/layout.h"
#include "export/out.h"
#include "form/form.h"
#include "store/scan.h"

struct export_media;

struct export_ctx {
    struct store *s;
    const struct export_options *o;
    struct out_set *set;
    struct store_scan_filter filter;
    const struct form *form;     /* NULL when it could not be loaded */
    const struct layout *layout; /* NULL with form */
    const char *dir;             /* the form's output directory */
    int64_t records, answers;    /* counted while writing */
    struct export_media *media;  /* the attachments written (export/media.h) */
};

/* Open dir/base.csv or .json as the options say. */
struct out_file *export_open(struct export_ctx *x, const char *base,
                             struct error *err);
/* The field's exported name (below the form's root, when known). */
const char *export_field_name(const struct export_ctx *x, const char *path);

/* The long table (written even without the form) and, from the same
 * pass, the wide table and every repeat's table when the form is known. */
bool export_long(struct export_ctx *x, struct error *err);

#endif
