#include "config.h"

#include "export/report_out.h"

#include "core/utf8.h"
#include "core/xalloc.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

char ***report_table_new(size_t rows, size_t cols)
{
    char ***t = xcalloc(rows, sizeof *t);
    for (size_t r = 0; r < rows; r++)
        t[r] = xcalloc(cols, sizeof **t);
    return t;
}

void report_table_free(char ***t, size_t rows, size_t cols)
{
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++)
            free(t[r][c]);
        free(t[r]);
    }
    free(t);
}

/* Stored text is never sent raw to a terminal. */
void report_text_put(FILE *fp, const char *s, const char *indent)
{
    char *safe = utf8_sanitize(s ? s : "", true);
    for (const char *p = safe; *p; p++) {
        fputc(*p, fp);
        if (*p == '\n')
            fputs(indent, fp);
    }
    free(safe);
}

void report_text_table(FILE *fp, char ***t, size_t rows, size_t cols, size_t nleft)
{
    size_t *w = xcalloc(cols, sizeof *w);
    char ***safe = xcalloc(rows, sizeof *safe);
    for (size_t r = 0; r < rows; r++) {
        safe[r] = xcalloc(cols, sizeof **safe);
        for (size_t c = 0; c < cols; c++) {
            safe[r][c] = utf8_sanitize(t[r][c] ? t[r][c] : "", false);
            for (char *p = safe[r][c]; *p; p++)
                if (*p == '\t')
                    *p = ' ';
            size_t cw = utf8_width(safe[r][c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            size_t pad = w[c] - utf8_width(safe[r][c]);
            bool left = c < nleft; /* text to the left, numbers to the right */
            if (c > 0)
                fprintf(fp, "%*s", left ? 2 : (int)pad + 2, "");
            fputs(safe[r][c], fp);
            if (left && c + 1 < cols)
                fprintf(fp, "%*s", (int)pad, "");
        }
        fputc('\n', fp);
    }
    report_table_free(safe, rows, cols);
    free(w);
}

/* Text inside a table cell: one line, pipes and markup escaped. */
void report_md_put(FILE *fp, const char *s)
{
    char *safe = utf8_sanitize(s ? s : "", true);
    for (const char *p = safe; *p; p++) {
        if (*p == '\n')
            fputs("<br>", fp);
        else if (*p == '\r' || *p == '\t')
            fputc(' ', fp);
        else if (strchr("|\\*_`[]<>#", *p))
            fprintf(fp, "\\%c", *p);
        else
            fputc(*p, fp);
    }
    free(safe);
}

void report_md_table(FILE *fp, char ***t, size_t rows, size_t cols, size_t nleft)
{
    for (size_t r = 0; r < rows; r++) {
        fputs("|", fp);
        for (size_t c = 0; c < cols; c++) {
            fputs(" ", fp);
            report_md_put(fp, t[r][c]);
            fputs(" |", fp);
        }
        fputc('\n', fp);
        if (r == 0) {
            fputs("|", fp);
            for (size_t c = 0; c < cols; c++)
                fputs(c >= nleft ? " ---: |" : " --- |", fp);
            fputc('\n', fp);
        }
    }
}

void report_html_put(FILE *fp, const char *s)
{
    char *safe = utf8_sanitize(s ? s : "", true);
    for (const char *p = safe; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        case '\n': fputs("<br>", fp); break;
        default: fputc(*p, fp);
        }
    }
    free(safe);
}

const char report_html_style[] =
    "body{font-family:sans-serif;margin:1.5em;color:#111;max-width:80em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;text-align:left}"
    "td.num{text-align:right}"
    "#gap-table td.gap{text-align:center;font-weight:bold;min-width:3em}"
    "td.none{color:#666;background:#fff}"
    ".legend span{display:inline-block;padding:.2em .6em;border:1px solid #888}"
    ".dim td{width:23%}.dim td.num{width:8%}.default{color:#555;font-style:italic}"
    "@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{margin:0}section{break-inside:avoid-page}h2{break-after:avoid}}";

/* 1 (no gap) light green through yellow to 5 (severe) light red. */
void report_heat_colour(double mean, char buf[48])
{
    double t = (mean - 1.0) / 4.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    snprintf(buf, 48, "hsl(%d,70%%,%d%%)", (int)(120 * (1 - t)), 78 - (int)(10 * t));
}


void report_count_colour(double share, char buf[48])
{
    double t = share < 0 ? 0 : share > 1 ? 1 : share;
    snprintf(buf, 48, "hsl(210,70%%,%d%%)", 96 - (int)(36 * t));
}

void report_html_table(FILE *fp, const char *id, char ***t, size_t rows, size_t cols,
                       size_t nleft)
{
    if (id)
        fprintf(fp, "<table id=\"%s\">\n", id);
    else
        fputs("<table>\n", fp);
    for (size_t r = 0; r < rows; r++) {
        fputs("<tr>", fp);
        for (size_t c = 0; c < cols; c++) {
            fputs(r == 0 ? "<th>" : c >= nleft ? "<td class=\"num\">" : "<td>", fp);
            report_html_put(fp, t[r][c]);
            fputs(r == 0 ? "</th>" : "</td>", fp);
        }
        fputs("</tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

/* ---- a document in three formats ------------------------------------------ */

void report_doc_list_end(struct report_doc *o)
{
    if (o->in_list)
        o->after_table = false;
    if (o->in_list && o->format == REPORT_HTML)
        fputs("</ul>\n", o->fp);
    o->in_list = false;
}

/* A heading: level 2 a section, 3 a part of one. */
void report_doc_heading(struct report_doc *o, int level, const char *text)
{
    bool was_list = o->in_list;
    report_doc_list_end(o);
    o->after_table = false;
    switch (o->format) {
    case REPORT_HTML:
        fprintf(o->fp, "<h%d>", level);
        report_html_put(o->fp, text);
        fprintf(o->fp, "</h%d>\n", level);
        break;
    case REPORT_MD: /* a blank line before it; paragraphs and tables end with one */
        fputs(was_list ? "\n" : "", o->fp);
        fputs(level == 2 ? "## " : "### ", o->fp);
        report_md_put(o->fp, text);
        fputs("\n\n", o->fp);
        break;
    case REPORT_TEXT:
    default:
        fputs(level == 2 ? "\n\n" : "\n  ", o->fp);
        report_text_put(o->fp, text, level == 2 ? "" : "  ");
        fputc('\n', o->fp);
        for (size_t w = level == 2 ? utf8_width(text) : 0; w > 0; w--)
            fputc('=', o->fp);
        fputs(level == 2 ? "\n" : "", o->fp);
    }
}

void report_doc_para(struct report_doc *o, const char *text)
{
    report_doc_list_end(o);
    if (o->format == REPORT_HTML) {
        fputs("<p>", o->fp);
        report_html_put(o->fp, text);
        fputs("</p>\n", o->fp);
    } else if (o->format == REPORT_MD) {
        report_md_put(o->fp, text);
        fputs("\n\n", o->fp);
    } else {
        fputs("    ", o->fp);
        report_text_put(o->fp, text, "    ");
        fputc('\n', o->fp);
    }
}

/* A list item: who said it and where (lead), then the stored text. */
void report_doc_item(struct report_doc *o, const char *lead, const char *text)
{
    bool first = !o->in_list;
    if (first && o->format == REPORT_HTML)
        fputs("<ul>\n", o->fp);
    o->in_list = true;
    if (o->format == REPORT_HTML) {
        fputs("<li><span class=\"who\">", o->fp);
        report_html_put(o->fp, lead);
        fputs("</span> ", o->fp);
        report_html_put(o->fp, text);
        fputs("</li>\n", o->fp);
    } else if (o->format == REPORT_MD) {
        fputs("- ", o->fp);
        report_md_put(o->fp, lead);
        fputs(": ", o->fp);
        report_md_put(o->fp, text);
        fputc('\n', o->fp);
    } else {
        fputs(first && o->after_table ? "\n    - " : "    - ", o->fp);
        report_text_put(o->fp, lead, "");
        fputs(": ", o->fp);
        report_text_put(o->fp, text, "      ");
        fputc('\n', o->fp);
    }
}

/* A table, row 0 its header; heat: HTML cells coloured by their count. */
void report_doc_table(struct report_doc *o, const char *id, char ***t, size_t rows, size_t cols,
                      size_t nleft, bool heat)
{
    report_doc_list_end(o);
    o->after_table = true;
    if (o->format == REPORT_TEXT) {
        fputc('\n', o->fp);
        report_text_table(o->fp, t, rows, cols, nleft);
    } else if (o->format == REPORT_MD) {
        report_md_table(o->fp, t, rows, cols, nleft);
        fputc('\n', o->fp);
    } else if (!heat) {
        report_html_table(o->fp, id, t, rows, cols, nleft);
    } else {
        double max = 0;
        for (size_t r = 1; r < rows; r++)
            for (size_t c = 1; c < cols; c++)
                max = fmax(max, atof(t[r][c]));
        fprintf(o->fp, "<table id=\"%s\" class=\"heat\">\n", id);
        for (size_t r = 0; r < rows; r++) {
            fputs("<tr>", o->fp);
            for (size_t c = 0; c < cols; c++) {
                char colour[48];
                report_count_colour(max > 0 ? atof(t[r][c]) / max : 0, colour);
                if (r == 0 || c == 0)
                    fputs("<th>", o->fp);
                else
                    fprintf(o->fp, "<td class=\"num\" style=\"background:%s\">", colour);
                report_html_put(o->fp, t[r][c]);
                fputs(r == 0 || c == 0 ? "</th>" : "</td>", o->fp);
            }
            fputs("</tr>\n", o->fp);
        }
        fputs("</table>\n", o->fp);
    }
}

