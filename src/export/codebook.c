#include "config.h"

#include "export/codebook.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *codebook_type(const struct form_field *fld)
{
    const struct form_node *c = fld->control;
    if (c && c->kind == FORM_UPLOAD) /* the cell names a file in media/ */
        return "file";
    if (c && (c->kind == FORM_SELECT1 || c->kind == FORM_SELECT ||
              c->kind == FORM_RANK))
        return form_kind_name(c->kind);
    if (fld->bind && fld->bind->type != FORM_TYPE_NONE)
        return form_type_name(fld->bind->type);
    if (c && c->type != FORM_TYPE_NONE)
        return form_type_name(c->type);
    return form_type_name(FORM_TYPE_STRING);
}

/* The form's languages, or one unnamed language when it has no itext. */
static const char *const *languages(const struct form *f, size_t *n)
{
    static const char *const none[] = {NULL, NULL};
    const char *const *langs = form_languages(f);
    for (*n = 0; langs[*n]; (*n)++)
        ;
    if (*n)
        return langs;
    *n = 1;
    return none;
}

static const char *label_of(const struct form *f, const struct form_text *t,
                            const char *lang)
{
    return t ? form_text(f, t, lang) : "";
}

static bool exported(const struct form_field *fld)
{
    return !fld->control || fld->control->kind != FORM_NOTE;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_header(struct csv *c, const char *const *langs, size_t nl)
{
    static const char *const cols[] = {"field",    "repeat",   "type",
                                       "required", "relevant", "constraint",
                                       "choice"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_cells(c, cols[i]);
    for (size_t i = 0; i < nl; i++) {
        char *h = langs[i] ? xasprintf("label:%s", langs[i]) : xstrdup("label");
        csv_cells(c, h);
        free(h);
    }
    csv_end_row(c);
}

static void csv_field(struct export_ctx *x, struct csv *c,
                      const struct form_field *fld, const char *const *langs,
                      size_t nl)
{
    const struct form_bind *b = fld->bind;
    const struct form_node *n = fld->control;
    csv_cells(c, export_field_name(x, fld->path));
    csv_cells(c, fld->repeat_path ? export_field_name(x, fld->repeat_path) : "");
    csv_cells(c, codebook_type(fld));
    csv_cells(c, b ? b->required : NULL);
    csv_cells(c, b ? b->relevant : NULL);
    csv_cells(c, b ? b->constraint : NULL);
    csv_cells(c, "");
    for (size_t i = 0; i < nl; i++)
        csv_cells(c, label_of(x->form, n ? &n->label : NULL, langs[i]));
    csv_end_row(c);
    for (size_t k = 0; n && k < n->nchoices; k++) {
        csv_cells(c, export_field_name(x, fld->path));
        csv_cells(c, fld->repeat_path ? export_field_name(x, fld->repeat_path) : "");
        csv_cells(c, "choice");
        csv_cells(c, "");
        csv_cells(c, "");
        csv_cells(c, "");
        csv_cells(c, n->choices[k].value);
        for (size_t i = 0; i < nl; i++)
            csv_cells(c, label_of(x->form, &n->choices[k].label, langs[i]));
        csv_end_row(c);
    }
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_labels(FILE *fp, const struct form *f,
                        const struct form_text *t, const char *const *langs,
                        size_t nl)
{
    fputs("{", fp);
    for (size_t i = 0; i < nl; i++) {
        if (i)
            fputs(",", fp);
        json_strings(fp, langs[i] ? langs[i] : "");
        fputs(":", fp);
        json_strings(fp, label_of(f, t, langs[i]));
    }
    fputs("}", fp);
}

static void json_field(struct export_ctx *x, FILE *fp,
                       const struct form_field *fld, const char *const *langs,
                       size_t nl, bool first)
{
    const struct form_bind *b = fld->bind;
    const struct form_node *n = fld->control;
    fputs(first ? "\n{\"field\":" : ",\n{\"field\":", fp);
    json_strings(fp, export_field_name(x, fld->path));
    fputs(",\"repeat\":", fp);
    json_strings(fp, fld->repeat_path ? export_field_name(x, fld->repeat_path)
                                      : NULL);
    fputs(",\"type\":", fp);
    json_strings(fp, codebook_type(fld));
    fputs(",\"required\":", fp);
    json_strings(fp, b ? b->required : NULL);
    fputs(",\"relevant\":", fp);
    json_strings(fp, b ? b->relevant : NULL);
    fputs(",\"constraint\":", fp);
    json_strings(fp, b ? b->constraint : NULL);
    fputs(",\"labels\":", fp);
    json_labels(fp, x->form, n ? &n->label : NULL, langs, nl);
    fputs(",\"choices\":[", fp);
    for (size_t k = 0; n && k < n->nchoices; k++) {
        fputs(k ? ",{\"value\":" : "{\"value\":", fp);
        json_strings(fp, n->choices[k].value);
        fputs(",\"labels\":", fp);
        json_labels(fp, x->form, &n->choices[k].label, langs, nl);
        fputs("}", fp);
    }
    fputs("]}", fp);
}

static void json_head(struct export_ctx *x, FILE *fp)
{
    fputs("{\"form_id\":", fp);
    json_strings(fp, form_id(x->form));
    fputs(",\"form_version\":", fp);
    json_strings(fp, form_version(x->form));
    fputs(",\"title\":", fp);
    json_strings(fp, form_title(x->form));
    fputs(",\"languages\":[", fp);
    const char *const *langs = form_languages(x->form);
    for (size_t i = 0; langs[i]; i++) {
        if (i)
            fputs(",", fp);
        json_strings(fp, langs[i]);
    }
    fputs("],\"fields\":[", fp);
}

bool export_codebook(struct export_ctx *x, struct error *err)
{
    struct out_file *f = export_open(x, "codebook", err);
    if (!f)
        return false;
    size_t nl, n;
    const char *const *langs = languages(x->form, &nl);
    const struct form_field *fields = form_fields(x->form, &n);
    bool json = x->o->format == EXPORT_JSON, first = true;
    struct csv c;
    csv_init(&c, f->fp, !x->o->raw);
    if (json)
        json_head(x, f->fp);
    else
        csv_header(&c, langs, nl);
    for (size_t i = 0; i < n; i++) {
        if (!exported(&fields[i]))
            continue;
        if (json)
            json_field(x, f->fp, &fields[i], langs, nl, first);
        else
            csv_field(x, &c, &fields[i], langs, nl);
        first = false;
    }
    if (json)
        fputs("\n]}\n", f->fp);
    return true;
}
