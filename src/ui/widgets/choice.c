#include "config.h"

#include "ui/widgets/choice.h"

#include "core/strbuf.h"
#include "core/xalloc.h"

#include <string.h>

bool choice_has(const char *value, const char *option, bool multi)
{
    if (!value || !option || !*option)
        return false;
    if (!multi)
        return strcmp(value, option) == 0;
    size_t n = strlen(option);
    for (const char *p = value; *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k == n && strncmp(p, option, n) == 0)
            return true;
        p += k;
    }
    return false;
}

char *choice_toggle(const char *value, const char *option, bool multi,
                    const char *const *options, size_t n)
{
    if (!multi)
        return xstrdup(option);
    bool had = choice_has(value, option, true);
    struct strbuf b;
    strbuf_init(&b);
    /* listed options first, in their order; then values the form no
     * longer offers, kept rather than silently dropped */
    for (size_t i = 0; i < n; i++) {
        bool on = strcmp(options[i], option) == 0 ? !had : choice_has(value, options[i], true);
        if (on) {
            if (b.len)
                strbuf_addc(&b, ' ');
            strbuf_adds(&b, options[i]);
        }
    }
    for (const char *p = value ? value : ""; *p;) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        bool listed = false;
        for (size_t i = 0; i < n && !listed; i++)
            listed = strlen(options[i]) == k && strncmp(options[i], p, k) == 0;
        if (k && !listed) {
            if (b.len)
                strbuf_addc(&b, ' ');
            strbuf_add(&b, p, k);
        }
        p += k;
    }
    return strbuf_detach(&b);
}

size_t choice_for_digit(int digit, const char *const *options, size_t n)
{
    if (digit < 0 || digit > 9)
        return n;
    char want[2] = {(char)('0' + digit), '\0'};
    for (size_t i = 0; i < n; i++)
        if (strcmp(options[i], want) == 0)
            return i;
    size_t idx = digit == 0 ? 9 : (size_t)digit - 1;
    return idx < n ? idx : n;
}
