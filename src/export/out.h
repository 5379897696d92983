/* out.h: the files an export writes, and the CSV and JSON text in them.
 *
 * Every file is written under a temporary name in its directory and only
 * renamed to its real name by out_commit, when all of an export's files are
 * complete and on disk: an interrupted or failed export leaves no half
 * files, and the files of an earlier export stay as they were. */
#ifndef IMAS_EXPORT_OUT_H
#define IMAS_EXPORT_OUT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

struct out_file {
    char *path; /* the real name */
    char *tmp;  /* where it is written */
    FILE *fp;
    char *buf; /* fp's buffer (glibc ignores a size given without one) */
};

/* The files of one export, committed or dropped together. */
struct out_set {
    struct out_file **files;
    size_t n;
    volatile sig_atomic_t *stop; /* set by a signal handler: give up */
    char **dirs; /* the directories out_mkdir made, for out_abort */
    size_t ndirs;
};

/* Create dir/name for writing (as a temporary file beside it); with bom,
 * start it with the UTF-8 byte order mark. */
struct out_file *out_open(struct out_set *set, const char *dir,
                          const char *name, bool bom, struct error *err);
/* Flush, sync and close every file, then rename each to its real name
 * (and sync the directories). On failure nothing more is renamed and the
 * temporary files are removed. */
bool out_commit(struct out_set *set, struct error *err);
/* Finish writing f now (flushed, synced, closed), so that an export of
 * many files does not hold them all open; out_commit still renames it. */
bool out_close_early(struct out_file *f, struct error *err);
/* Close and remove every temporary file (after a failure), and the
 * directories out_mkdir made, when they are empty; frees the set's
 * contents. Harmless after out_commit (which keeps the directories). */
void out_abort(struct out_set *set);
/* True (with err set) when the user asked to stop. */
bool out_stopped(const struct out_set *set, struct error *err);

/* Make dir (one level) unless it is a directory already; the set
 * remembers it, so that an export that fails or is stopped leaves no
 * empty directory of its own behind (out_abort). */
bool out_mkdir(struct out_set *set, const char *dir, struct error *err);

/* A name safe as one path component: letters, digits, '.', '_' and '-'
 * kept, anything else '_', never starting with '.'; "_" when empty. */
char *out_safe_name(const char *s);

/* ms UTC as 2026-03-01T09:15:00.000Z into buf. */
void out_time_iso(int64_t ms, char buf[32]);

/* ---- CSV (RFC 4180): UTF-8, CRLF between rows -------------------------- */

/* A row is gathered in buf and handed to fp by csv_end_row (or when buf
 * fills): one stdio call per row rather than several per cell. Between
 * csv_init and a csv_end_row, write nothing to fp but through the csv. */
#define CSV_BUFSIZE 8192

struct csv {
    FILE *fp;
    bool guard;  /* prefix formula-like text cells with ' */
    bool at_row_start;
    size_t len;
    char buf[CSV_BUFSIZE];
};

void csv_init(struct csv *c, FILE *fp, bool guard);
/* One cell: quoted when it holds a comma, quote, CR or LF; invalid UTF-8
 * replaced by U+FFFD. With guard, a cell starting with = + - @ TAB or CR
 * gets a leading ' unless it is a plain number (-3, +1.5). */
void csv_cell(struct csv *c, const char *s, size_t n);
void csv_cells(struct csv *c, const char *s); /* NUL-terminated, NULL = "" */
void csv_int(struct csv *c, int64_t v);
/* CRLF, and the row written to the file. */
void csv_end_row(struct csv *c);
/* Would csv_cell prefix this text? */
bool csv_formula_like(const char *s, size_t n);

/* ---- JSON (RFC 8259) --------------------------------------------------- */

/* A JSON string with its quotes; invalid UTF-8 replaced by U+FFFD. */
void json_string(FILE *fp, const char *s, size_t n);
void json_strings(FILE *fp, const char *s); /* NULL writes null */

/* Write n bytes of s, invalid UTF-8 replaced by U+FFFD. */
void out_utf8(FILE *fp, const char *s, size_t n);

#endif
