#include "config.h"

#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int64_t clock_now_ms(void)
{
    const char *fixed = getenv("IMAS_SURVEY_NOW_MS");
    if (fixed && *fixed)
        return strtoll(fixed, NULL, 10);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_format_iso(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[24];
    if (!strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm))
        date[0] = '\0';
    int frac = (int)(ms % 1000);
    snprintf(out, 32, "%.19s.%03dZ", date, frac < 0 ? frac + 1000 : frac);
}

void clock_format_local(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}
