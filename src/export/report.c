#include "config.h"

#include "export/report.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "export/out.h"
#include "export/report_data.h"
#include "export/fg_report.h"
#include "export/report_out.h"
#include "store/scan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- cells shared by the formats ----------------------------------------- */

/* "3.5" (the mean gap), or "–" when nobody rated it. */
static char *gap_mean(const struct rp_country *c, size_t k)
{
    if (!c->gap_n[k])
        return xstrdup("–");
    return xasprintf("%.1f", c->gap_sum[k] / c->gap_n[k]);
}

/* "n 2, 1 don't know" */
static char *gap_detail(const struct report_data *d, const struct rp_country *c, size_t k)
{
    const char *dk = rp_choice_label(d->gaps, d->ngaps, "dk");
    if (c->gap_dk[k])
        return xasprintf("n %d, %d %s", c->gap_n[k], c->gap_dk[k], dk);
    return xasprintf("n %d", c->gap_n[k]);
}

/* The source of a record's text when a country has several: "School,
 * 2026-03-01: ". */
static char *source_of(const struct rp_country *c, const struct rp_record *r)
{
    if (c->nrecs < 2)
        return xstrdup("");
    const char *school = r->school && *r->school ? r->school : r->uuid;
    if (r->date && *r->date)
        return xasprintf("%s, %s: ", school, r->date);
    return xasprintf("%s: ", school);
}

static char *recommendation_of(const struct report_data *d, const struct rp_cell *cell)
{
    if (cell->rec_level && *cell->rec_level)
        return xasprintf("[%s] %s",
                         rp_choice_label(d->levels, d->nlevels, cell->rec_level),
                         cell->recommendation);
    return xstrdup(cell->recommendation);
}

enum part { PART_TARGET, PART_STATUS_QUO, PART_RECOMMENDATION };

/* True when some record of c has a target state of its own for
 * dimension k (else the country kept the default). */
static bool own_target(const struct rp_country *c, size_t k)
{
    for (size_t j = 0; j < c->nrecs; j++)
        if (c->recs[j]->cells[k].target)
            return true;
    return false;
}

/* Record j's text of one part of dimension k, fresh, or NULL when it has
 * none. A record that kept the target state says so (*dflt). */
static char *part_text(const struct report_data *d, const struct rp_country *c, size_t j,
                       size_t k, enum part part, bool *dflt)
{
    const struct rp_cell *cell = &c->recs[j]->cells[k];
    *dflt = false;
    switch (part) {
    case PART_TARGET:
        if (cell->target)
            return xstrdup(cell->target);
        *dflt = true;
        /* TRANSLATORS: in the report, where a country's target state is
         * the form's default one */
        return xstrdup(_("the default"));
    case PART_STATUS_QUO:
        return cell->status_quo && *cell->status_quo ? xstrdup(cell->status_quo) : NULL;
    case PART_RECOMMENDATION:
    default:
        if (!cell->recommendation || !*cell->recommendation)
            return NULL;
        return recommendation_of(d, cell);
    }
}

static const char *part_name(enum part part)
{
    return part == PART_TARGET      ? _("Target state")
           : part == PART_STATUS_QUO ? _("Status quo")
                                     : _("Recommendations");
}

/* The counts table: a header row, then one row per country. */
static char ***counts_table(const struct report_data *d, size_t *rows, size_t *cols)
{
    *cols = 4 + d->nroles;
    *rows = d->ncountries + 1;
    char ***t = report_table_new(*rows, *cols);
    t[0][0] = xstrdup(_("country"));
    t[0][1] = xstrdup(_("records"));
    t[0][2] = xstrdup(_("finalized"));
    t[0][3] = xstrdup(_("visits"));
    for (size_t i = 0; i < d->nroles; i++)
        t[0][4 + i] = xstrdup(d->roles[i].label);
    for (size_t r = 1; r < *rows; r++) {
        const struct rp_country *c = &d->countries[r - 1];
        t[r][0] = xstrdup(c->label);
        t[r][1] = xasprintf("%zu", c->nrecs);
        t[r][2] = xasprintf("%lld", (long long)c->finalized);
        t[r][3] = xasprintf("%lld", (long long)c->visits);
        for (size_t i = 0; i < d->nroles; i++)
            t[r][4 + i] = xasprintf("%lld", (long long)c->roles[i]);
    }
    return t;
}

/* The gap table: dimensions down, countries across. */
static char ***gap_table(const struct report_data *d, size_t *rows, size_t *cols)
{
    *cols = d->ncountries + 1;
    *rows = d->ndims + 1;
    char ***t = report_table_new(*rows, *cols);
    t[0][0] = xstrdup(_("dimension"));
    for (size_t c = 1; c < *cols; c++)
        t[0][c] = xstrdup(d->countries[c - 1].code);
    for (size_t r = 1; r < *rows; r++) {
        t[r][0] = xstrdup(d->dims[r - 1].label);
        for (size_t c = 1; c < *cols; c++)
            t[r][c] = gap_mean(&d->countries[c - 1], r - 1);
    }
    return t;
}

/* ---- text ------------------------------------------------------------------ */

static void text_dimension(FILE *fp, const struct report_data *d, size_t k)
{
    fprintf(fp, "\n%zu. ", k + 1);
    report_text_put(fp, d->dims[k].label, "   ");
    fputc('\n', fp);
    if (*d->dims[k].target) {
        fprintf(fp, "   %s: ", _("Default target state"));
        report_text_put(fp, d->dims[k].target, "   ");
        fputc('\n', fp);
    }
    for (size_t i = 0; i < d->ncountries; i++) {
        const struct rp_country *c = &d->countries[i];
        char *mean = gap_mean(c, k), *detail = gap_detail(d, c, k);
        fputs("\n   ", fp);
        report_text_put(fp, c->label, "");
        fprintf(fp, " — %s %s (%s)\n", _("gap"), mean, detail);
        free(mean);
        free(detail);
        if (*d->dims[k].target && !own_target(c, k))
            fprintf(fp, "     %s: %s\n", _("Target state"), _("the default"));
        for (enum part part = PART_TARGET; part <= PART_RECOMMENDATION; part++) {
            if (part == PART_TARGET && !own_target(c, k))
                continue;
            bool any = false, dflt;
            for (size_t j = 0; j < c->nrecs; j++) {
                char *text = part_text(d, c, j, k, part, &dflt);
                if (!text)
                    continue;
                if (!any)
                    fprintf(fp, "     %s:\n", part_name(part));
                any = true;
                char *src = source_of(c, c->recs[j]);
                fputs("       - ", fp);
                report_text_put(fp, src, "");
                report_text_put(fp, text, "         ");
                fputc('\n', fp);
                free(src);
                free(text);
            }
        }
    }
}

static void write_text(FILE *fp, const struct report_data *d)
{
    size_t rows, cols;
    fputs("\n", fp);
    fprintf(fp, "%s\n\n", _("Records, visits and respondent roles per country"));
    char ***t = counts_table(d, &rows, &cols);
    report_text_table(fp, t, rows, cols, 1);
    report_table_free(t, rows, cols);
    fprintf(fp, "\n%s\n\n", _("Gap ratings per country (mean of 1 none … 5 severe)"));
    t = gap_table(d, &rows, &cols);
    report_text_table(fp, t, rows, cols, 1);
    report_table_free(t, rows, cols);
    fprintf(fp, "\n%s\n", _("Dimensions"));
    for (size_t k = 0; k < d->ndims; k++)
        text_dimension(fp, d, k);
}

/* ---- Markdown -------------------------------------------------------------- */

/* One cell listing every record's text of a country. */
static void md_texts(FILE *fp, const struct report_data *d, const struct rp_country *c,
                     size_t k, enum part part)
{
    if (part == PART_TARGET && !own_target(c, k)) {
        if (*d->dims[k].target)
            fprintf(fp, "*%s*", _("the default"));
        return;
    }
    bool any = false, dflt;
    for (size_t j = 0; j < c->nrecs; j++) {
        char *text = part_text(d, c, j, k, part, &dflt);
        if (!text)
            continue;
        char *src = source_of(c, c->recs[j]);
        if (any)
            fputs("<br><br>", fp);
        any = true;
        report_md_put(fp, src);
        fputs(dflt ? "*" : "", fp);
        report_md_put(fp, text);
        fputs(dflt ? "*" : "", fp);
        free(src);
        free(text);
    }
}

static void write_md(FILE *fp, const struct report_data *d)
{
    size_t rows, cols;
    fprintf(fp, "\n## %s\n\n", _("Records, visits and respondent roles per country"));
    char ***t = counts_table(d, &rows, &cols);
    report_md_table(fp, t, rows, cols, 1);
    report_table_free(t, rows, cols);
    fprintf(fp, "\n## %s\n\n", _("Gap ratings per country (mean of 1 none … 5 severe)"));
    t = gap_table(d, &rows, &cols);
    report_md_table(fp, t, rows, cols, 1);
    report_table_free(t, rows, cols);
    for (size_t k = 0; k < d->ndims; k++) {
        fprintf(fp, "\n## %zu. ", k + 1);
        report_md_put(fp, d->dims[k].label);
        fputs("\n\n", fp);
        if (*d->dims[k].target) {
            fprintf(fp, "%s: ", _("Default target state"));
            report_md_put(fp, d->dims[k].target);
            fputs("\n\n", fp);
        }
        fprintf(fp, "| %s | %s | %s | %s | %s |\n| --- | ---: | --- | --- | --- |\n",
                _("country"), _("gap"), _("Target state"), _("Status quo"),
                _("Recommendations"));
        for (size_t i = 0; i < d->ncountries; i++) {
            const struct rp_country *c = &d->countries[i];
            char *mean = gap_mean(c, k), *detail = gap_detail(d, c, k);
            fputs("| ", fp);
            report_md_put(fp, c->label);
            fprintf(fp, " | %s (%s) | ", mean, detail);
            md_texts(fp, d, c, k, PART_TARGET);
            fputs(" | ", fp);
            md_texts(fp, d, c, k, PART_STATUS_QUO);
            fputs(" | ", fp);
            md_texts(fp, d, c, k, PART_RECOMMENDATION);
            fputs(" |\n", fp);
            free(mean);
            free(detail);
        }
    }
}

/* ---- HTML ------------------------------------------------------------------ */

static void html_counts(FILE *fp, const struct report_data *d)
{
    size_t rows, cols;
    char ***t = counts_table(d, &rows, &cols);
    report_html_table(fp, "counts-table", t, rows, cols, 1);
    report_table_free(t, rows, cols);
}

static void html_heat(FILE *fp, const struct report_data *d)
{
    fprintf(fp, "<table id=\"gap-table\">\n<tr><th>%s</th>", _("dimension"));
    for (size_t i = 0; i < d->ncountries; i++) {
        fputs("<th title=\"", fp);
        report_html_put(fp, d->countries[i].label);
        fputs("\">", fp);
        report_html_put(fp, d->countries[i].code);
        fputs("</th>", fp);
    }
    fputs("</tr>\n", fp);
    for (size_t k = 0; k < d->ndims; k++) {
        fputs("<tr><th>", fp);
        report_html_put(fp, d->dims[k].label);
        fputs("</th>", fp);
        for (size_t i = 0; i < d->ncountries; i++) {
            const struct rp_country *c = &d->countries[i];
            char *mean = gap_mean(c, k), *detail = gap_detail(d, c, k), colour[48];
            if (c->gap_n[k]) {
                report_heat_colour(c->gap_sum[k] / c->gap_n[k], colour);
                fprintf(fp, "<td class=\"gap\" style=\"background:%s\" title=\"%s\">%s</td>",
                        colour, detail, mean);
            } else {
                fprintf(fp, "<td class=\"gap none\" title=\"%s\">%s</td>", detail, mean);
            }
            free(mean);
            free(detail);
        }
        fputs("</tr>\n", fp);
    }
    fputs("</table>\n<p class=\"legend\">", fp);
    for (int g = 1; g <= 5; g++) {
        char colour[48], value[2] = {(char)('0' + g), '\0'};
        report_heat_colour(g, colour);
        fprintf(fp, "<span style=\"background:%s\">", colour);
        report_html_put(fp, rp_choice_label(d->gaps, d->ngaps, value));
        fputs("</span> ", fp);
    }
    fputs("</p>\n", fp);
}

static void html_texts(FILE *fp, const struct report_data *d, const struct rp_country *c,
                       size_t k, enum part part)
{
    if (part == PART_TARGET && !own_target(c, k)) {
        if (*d->dims[k].target)
            fprintf(fp, "<p class=\"default\">%s</p>", _("the default"));
        return;
    }
    bool dflt;
    for (size_t j = 0; j < c->nrecs; j++) {
        char *text = part_text(d, c, j, k, part, &dflt);
        if (!text)
            continue;
        char *src = source_of(c, c->recs[j]);
        fputs(dflt ? "<p class=\"default\">" : "<p>", fp);
        if (*src) {
            fputs("<i>", fp);
            report_html_put(fp, src);
            fputs("</i>", fp);
        }
        report_html_put(fp, text);
        fputs("</p>", fp);
        free(src);
        free(text);
    }
}

static void html_dimension(FILE *fp, const struct report_data *d, size_t k)
{
    fprintf(fp, "<section class=\"dim\" id=\"dim-%zu\">\n<h3>%zu. ", k + 1, k + 1);
    report_html_put(fp, d->dims[k].label);
    fputs("</h3>\n", fp);
    if (*d->dims[k].target) {
        fprintf(fp, "<p><b>%s:</b> ", _("Default target state"));
        report_html_put(fp, d->dims[k].target);
        fputs("</p>\n", fp);
    }
    fprintf(fp, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            _("country"), _("gap"), _("Target state"), _("Status quo"), _("Recommendations"));
    for (size_t i = 0; i < d->ncountries; i++) {
        const struct rp_country *c = &d->countries[i];
        char *mean = gap_mean(c, k), *detail = gap_detail(d, c, k);
        fputs("<tr><td>", fp);
        report_html_put(fp, c->label);
        fprintf(fp, "</td><td class=\"num\">%s<br><small>", mean);
        report_html_put(fp, detail);
        fputs("</small></td><td>", fp);
        html_texts(fp, d, c, k, PART_TARGET);
        fputs("</td><td>", fp);
        html_texts(fp, d, c, k, PART_STATUS_QUO);
        fputs("</td><td>", fp);
        html_texts(fp, d, c, k, PART_RECOMMENDATION);
        fputs("</td></tr>\n", fp);
        free(mean);
        free(detail);
    }
    fputs("</table>\n</section>\n", fp);
}

static void write_html(FILE *fp, const struct report_data *d, const char *title)
{
    fputs("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
    report_html_put(fp, title);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", report_html_style);
    report_html_put(fp, title);
    fprintf(fp, "</h1>\n<p>%s: %lld</p>\n", _("records"), (long long)d->records);
    fprintf(fp, "<h2>%s</h2>\n", _("Gap ratings per country (mean of 1 none … 5 severe)"));
    html_heat(fp, d);
    fprintf(fp, "<h2>%s</h2>\n", _("Records, visits and respondent roles per country"));
    html_counts(fp, d);
    fprintf(fp, "<h2>%s</h2>\n", _("Dimensions"));
    for (size_t k = 0; k < d->ndims; k++)
        html_dimension(fp, d, k);
    fputs("</body>\n</html>\n", fp);
}

/* ---- the report -------------------------------------------------------- */

static bool grid_report_write(struct store *s, const struct report_options *o, FILE *fp,
                              struct error *err);

/* Which reports the file's records (of o->form_id only, when set) call
 * for: *grid for forms with an imas-grid group, *focus for forms with an
 * imas-log repeat; *any when it has records of form_id at all. */
static bool report_kinds(struct store *s, const char *form_id, bool *grid, bool *focus,
                         bool *any, struct error *err)
{
    struct store_form_use *uses = NULL;
    size_t n = 0;
    *grid = *focus = *any = false;
    if (!store_read_begin(s, err))
        return false;
    bool ok = store_scan_forms(s, false, &uses, &n, err);
    for (size_t i = 0; ok && i < n; i++) {
        if (form_id && strcmp(form_id, uses[i].form_id) != 0)
            continue;
        *any = true;
        struct form *f = rp_form_load(s, &uses[i]);
        *grid = *grid || (f && rp_form_has_grid(f));
        *focus = *focus || (f && form_log_repeat(f));
        form_free(&f);
    }
    store_form_uses_free(&uses, n);
    store_read_end(s);
    return ok;
}

bool report_write(struct store *s, const struct report_options *o, FILE *fp,
                  struct error *err)
{
    bool grid, focus, any;
    if (!report_kinds(s, o->form_id, &grid, &focus, &any, err))
        return false;
    if (o->form_id && !any)
        return error_set_at(err, store_path(s), 0, _("no records of form '%s' to report on"),
                            o->form_id);
    if (o->form_id && !grid && !focus)
        return error_set_at(err, store_path(s), 0,
                            _("form '%s' has neither a dimension grid nor a notes log"),
                            o->form_id);
    if (focus && !grid)
        return fg_report_write(s, o, fp, err);
    return grid_report_write(s, o, fp, err);
}

static bool grid_report_write(struct store *s, const struct report_options *o, FILE *fp,
                              struct error *err)
{
    struct report_data *d;
    if (!report_data_load(s, o->lang, o->form_id, &d, err))
        return false;
    /* TRANSLATORS: the report's title; %s is the form's title */
    char *title = xasprintf(_("%s: cross-country report"),
                            d->title ? d->title : _("Dimension grid"));
    if (o->format == REPORT_HTML) {
        write_html(fp, d, title);
    } else {
        fputs(o->format == REPORT_MD ? "# " : "", fp);
        if (o->format == REPORT_MD)
            report_md_put(fp, title);
        else
            report_text_put(fp, title, "");
        fprintf(fp, "\n\n%s: %lld\n", _("records"), (long long)d->records);
        if (!d->ndims)
            fprintf(fp, "%s\n", _("The file holds no dimension-grid records."));
        else if (o->format == REPORT_MD)
            write_md(fp, d);
        else
            write_text(fp, d);
    }
    free(title);
    report_data_free(&d);
    if (fflush(fp) != 0 || ferror(fp))
        return error_set(err, _("cannot write the report"));
    return true;
}

/* --output naming the survey file itself (by device and inode, so also
 * through another path or a link) would replace the data by its report. */
static bool is_survey_file(struct store *s, const char *path)
{
    struct stat a, b;
    return stat(path, &a) == 0 && stat(store_path(s), &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

bool report_write_file(struct store *s, const struct report_options *o,
                       const char *path, struct error *err)
{
    if (is_survey_file(s, path))
        return error_set_at(err, path, 0, _("it is the survey file being reported on"));
    /* --output names the report's file: a directory (or a name ending in
     * '/') would otherwise fail late as a bare "Not a directory" */
    struct stat st;
    size_t len = strlen(path);
    if ((len && path[len - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return error_set_at(err, path, 0,
                            _("a directory: --output names the file to write the report to"));
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        *slash = '\0';
    struct out_set set = {0};
    struct out_file *f = out_open(&set, slash ? (*dir ? dir : "/") : ".", base, false, err);
    bool ok = f && report_write(s, o, f->fp, err) && out_commit(&set, err);
    out_abort(&set);
    free(dir);
    return ok;
}
