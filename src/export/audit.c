#include "config.h"

#include "export/audit.h"

#include "core/xalloc.h"
#include "export/tables.h"
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {"record_uuid", "at",        "action", "reason",
                                      "field",       "device_id", "author", "audit_uuid"};
enum { NCOLUMNS = sizeof columns / sizeof columns[0] };

/* The cells of one entry: a resolution's "reason" is what it settled,
 * shown in a column of its own: an answer's field named as long.csv and
 * wide.csv name it (below the form's root), "state" or a list entry's
 * item_uuid. */
static void entry_cells(const struct export_ctx *x, const struct store_audit *a, const char *at,
                        const char *cells[])
{
    bool resolve = strcmp(a->action, "resolve") == 0;
    cells[0] = a->record_uuid;
    cells[1] = at;
    cells[2] = a->action;
    cells[3] = resolve ? "" : a->reason;
    cells[4] = resolve && a->reason ? export_field_name(x, a->reason) : "";
    cells[5] = a->device_id;
    cells[6] = a->author;
    cells[7] = a->uuid;
}

bool export_audit(struct export_ctx *x, struct error *err)
{
    struct store_audit *list = NULL;
    size_t n = 0;
    if (!store_audit_list_form(x->s, x->filter.form_id, x->filter.form_version,
                               x->filter.finalized_only, &list, &n, err))
        return false;
    struct out_file *f = export_open(x, "audit", err);
    bool json = x->o->format == EXPORT_JSON;
    struct csv csv;
    if (f && json) {
        fputs("[", f->fp);
    } else if (f) {
        csv_init(&csv, f->fp, !x->o->raw);
        for (size_t c = 0; c < NCOLUMNS; c++)
            csv_cells(&csv, columns[c]);
        csv_end_row(&csv);
    }
    for (size_t i = 0; f && i < n; i++) {
        char at[32];
        const char *cells[NCOLUMNS];
        out_time_iso(list[i].at, at);
        entry_cells(x, &list[i], at, cells);
        for (size_t c = 0; c < NCOLUMNS; c++) {
            if (json) {
                fputs(c ? "," : i ? ",\n{" : "\n{", f->fp);
                json_strings(f->fp, columns[c]);
                fputc(':', f->fp);
                json_strings(f->fp, cells[c]);
            } else {
                csv_cells(&csv, cells[c]);
            }
        }
        if (json)
            fputc('}', f->fp);
        else
            csv_end_row(&csv);
    }
    if (f && json)
        fputs(n ? "\n]\n" : "]\n", f->fp);
    store_audit_list_free(&list, n);
    return f && !out_stopped(x->set, err);
}
