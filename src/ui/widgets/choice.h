/* ui/widgets/choice.h: the value of a choice question (select1: one
 * value; select: space-separated values, as ODK stores them) changed by
 * ticking options. Pure functions, no drawing; the cursor over the
 * options is a list_state. */
#ifndef IMAS_UI_WIDGETS_CHOICE_H
#define IMAS_UI_WIDGETS_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

/* Is option among the values of value (multi: any of the space-separated
 * values; else the whole value)? */
bool choice_has(const char *value, const char *option, bool multi);

/* The value after ticking option: select1 takes it; select adds it when
 * absent and removes it when present, keeping the options' order (the
 * options array of n values). Fresh. */
char *choice_toggle(const char *value, const char *option, bool multi,
                    const char *const *options, size_t n);

/* The option a digit key picks: the option whose value is the digit,
 * else the digit-th option (1-based, 0 = tenth); n when none. */
size_t choice_for_digit(int digit, const char *const *options, size_t n);

#endif
