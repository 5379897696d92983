/* bench/stats.h: the clock and the percentiles the latency benchmarks
 * share. */
#ifndef IMAS_BENCH_STATS_H
#define IMAS_BENCH_STATS_H

#include <stddef.h>
#include <time.h>

/* Milliseconds on the monotonic clock. */
static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* For qsort of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th (0..1) value of n sorted values, nearest rank. */
static inline double percentile(const double *sorted, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

#endif
