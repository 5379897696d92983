/* dates.h: the XML Schema date, time and dateTime forms ODK stores, read
 * strictly, and converted to days since 1970-01-01 for arithmetic. */
#ifndef IMAS_FORM_DATES_H
#define IMAS_FORM_DATES_H

#include <stdbool.h>

struct dates_fields {
    int y, mo, d, h, mi;
    double s;
    bool has_date, has_time, has_tz;
    int tz_min; /* offset east of UTC */
};

long dates_days_from_civil(int y, int m, int d);
void dates_civil_from_days(long days, int *y, int *m, int *d);
/* Whole-string checks: YYYY-MM-DD (a real day), HH:MM[:SS[.s]][zone],
 * and date "T" time. As in ODK's JavaRosa, a month, day, hour, minute or
 * second may have one digit ("1900-1-1", "9:05"); the year has four. */
bool dates_valid_date(const char *s);
bool dates_valid_time(const char *s);
bool dates_valid_datetime(const char *s);
/* Read a date, time or dateTime (whole string) into f. */
bool dates_parse(const char *s, struct dates_fields *f);
/* s (a date, time or dateTime) with its one-digit fields padded to two:
 * "1900-1-1" -> "1900-01-01", "2023-3-5T9:05" -> "2023-03-05T09:05".
 * Fresh; NULL when s is none of these. */
char *dates_normalize(const char *s);
/* Days since the epoch: dates as whole days, dateTimes with their time
 * (in UTC; local time when they have no zone), times as a fraction of a
 * day. NaN when s is none of these. */
double dates_to_days(const char *s);
/* Today (local) as YYYY-MM-DD; now as YYYY-MM-DDTHH:MM:SS.mmm+HH:MM. */
void dates_today(char out[32]);
void dates_now(char out[64]);
/* A whole number of days as YYYY-MM-DD; a fractional one as a dateTime (UTC). */
void dates_from_days(double days, bool with_time, char out[40]);
/* ODK format-date(): %Y %y %m %n %b %d %e %a %H %h %M %S %3 %%. Fresh. */
char *dates_format(const struct dates_fields *f, const char *fmt);

#endif
