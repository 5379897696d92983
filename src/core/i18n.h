/* i18n.h: gettext macros for every user-visible string. */
#ifndef IMAS_CORE_I18N_H
#define IMAS_CORE_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define NG_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define NG_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

#endif
