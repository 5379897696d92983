/* clock.h: wall-clock time in UTC milliseconds, and its text forms. */
#ifndef IMAS_CORE_CLOCK_H
#define IMAS_CORE_CLOCK_H

#include <stdint.h>

/* Milliseconds since 1970-01-01 UTC. IMAS_SURVEY_NOW_MS in the environment
 * fixes it (for tests and golden files). */
int64_t clock_now_ms(void);
/* "2026-11-23T10:15:30.123Z" into out (at least 25 bytes). */
void clock_format_iso(int64_t ms, char out[32]);
/* "2026-11-23 10:15" in local time, for display. */
void clock_format_local(int64_t ms, char out[32]);

#endif
