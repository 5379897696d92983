/* report_out.h: what the reports' printers share (report.c, the grid;
 * fg_report.c, the focus groups): tables as rows of fresh strings, and
 * text for a terminal (stored text sanitized), Markdown and HTML with
 * everything stored escaped. */
#ifndef IMAS_EXPORT_REPORT_OUT_H
#define IMAS_EXPORT_REPORT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "export/report.h"

/* rows x cols cells, all NULL; free with report_table_free. */
char ***report_table_new(size_t rows, size_t cols);
void report_table_free(char ***t, size_t rows, size_t cols);

/* Text: s sanitized, each new line followed by indent. */
void report_text_put(FILE *fp, const char *s, const char *indent);
/* Columns aligned by display width, the first nleft to the left, the
 * others (numbers) to the right. */
void report_text_table(FILE *fp, char ***t, size_t rows, size_t cols, size_t nleft);

/* Markdown: s as one table cell's text (new lines as <br>, markup
 * escaped); a table with row 0 as its header, the first nleft columns
 * text, the others numbers (aligned right). */
void report_md_put(FILE *fp, const char *s);
void report_md_table(FILE *fp, char ***t, size_t rows, size_t cols, size_t nleft);

/* HTML: s escaped (new lines as <br>); a table with row 0 as its header,
 * the first nleft columns as text and the others as numbers. */
void report_html_put(FILE *fp, const char *s);
void report_html_table(FILE *fp, const char *id, char ***t, size_t rows, size_t cols,
                       size_t nleft);
/* The page's style sheet (no external assets). */
extern const char report_html_style[];
/* A heat-map colour: a gap rating mean (1 none .. 5 severe) green to red;
 * a share of the largest count (0..1) white to blue. */
void report_heat_colour(double mean, char buf[48]);
void report_count_colour(double share, char buf[48]);

/* A report written once for text, Markdown and HTML: headings, paragraphs,
 * list items (who said it and where, then the stored text) and tables. */
struct report_doc {
    FILE *fp;
    enum report_format format;
    bool in_list;
    bool after_table; /* text: a blank line before what follows */
};
/* A heading: level 2 a section, 3 a part of one. */
void report_doc_heading(struct report_doc *o, int level, const char *text);
void report_doc_para(struct report_doc *o, const char *text);
void report_doc_item(struct report_doc *o, const char *lead, const char *text);
/* End the list the items made (before anything else: the others do it). */
void report_doc_list_end(struct report_doc *o);
/* Row 0 the header, the first nleft columns text; heat: HTML cells
 * coloured by their number (report_count_colour of its share of the
 * largest). */
void report_doc_table(struct report_doc *o, const char *id, char ***t, size_t rows, size_t cols,
                      size_t nleft, bool heat);

#endif
