/* xpath.h: reading the form's XPath expressions before libxml2 runs them.
 *
 * libxml2 compiles XPath 1.0 but only finds an unknown function, a wrong
 * number of arguments or an undeclared prefix when it evaluates, and it
 * knows nothing of ODK's habits. So every expression is also parsed here:
 * function calls are checked against the functions we register (funcs.h),
 * and the text is rewritten for evaluation over a record, whose instance
 * has no namespaces:
 *  - name tests lose their prefix (/data/orx:meta → /data/meta);
 *  - an absolute path into the repeat the expression sits in names the
 *    current instance, as ODK tools do (/data/roster/age from
 *    /data/roster/code → current()/../age);
 *  - operands of < <= > >= + - go through imas:num(), which reads dates,
 *    times and dateTimes as days, so `. <= today()` works as in ODK. */
#ifndef IMAS_FORM_XPATH_H
#define IMAS_FORM_XPATH_H

#include "form/model.h"

struct xp_opts {
    const struct form *f;
    const char *what;     /* "relevant", "constraint", ... for messages */
    const char *where;    /* the path it belongs to, for messages */
    const char *ctx_path; /* path of the context node, or NULL */
    xmlNodePtr el;        /* element it was read from (line, prefixes), or NULL */
};

/* Check and compile src. NULL with err = "FILE:LINE: what is wrong". */
struct form_expr *xpath_compile(const char *src, const struct xp_opts *o, struct error *err);

#endif
