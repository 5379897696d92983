#include "config.h"

#include "export/report_out.h"

#include "core/utf8.h"
#include "core/xalloc.h"

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
