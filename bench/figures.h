/* bench/figures.h: a benchmark's figure for the SPEC 10 table.
 *
 * `make bench` sets IMAS_BENCH_FIGURES to a file; each benchmark appends a
 * line per figure (what, measured, target, ok or MISSED, tab-separated) and
 * bench/figures.sh prints them as one table at the end. Without the
 * variable nothing is written: the benchmark's own report is enough. */
#ifndef IMAS_BENCH_FIGURES_H
#define IMAS_BENCH_FIGURES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static inline void bench_figure(const char *what, const char *target, bool ok,
                                const char *fmt, ...)
{
    const char *path = getenv("IMAS_BENCH_FIGURES");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(f, "%s\t", what);
    vfprintf(f, fmt, ap);
    fprintf(f, "\t%s\t%s\n", target, ok ? "ok" : "MISSED");
    va_end(ap);
    fclose(f);
}

#endif
