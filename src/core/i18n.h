/* i18n.h: gettext macros for every user-visible string, and the locale
 * set-up (SPEC 8). */
#ifndef IMAS_CORE_I18N_H
#define IMAS_CORE_I18N_H

#include <stdbool.h>
#include <stddef.h>

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define NG_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define NG_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* Set the locale from the environment and lang (--lang LL, or NULL) and
 * bind the message catalogs: the installed ones, or the build tree's
 * po/locale when the program runs from its build tree. Works without
 * generated locales: LANG=bg_BG.UTF-8 where only C.UTF-8 exists still
 * gives Bulgarian messages (through LANGUAGE under C.UTF-8), and the
 * character type is always UTF-8. Call once, before the first message. */
void i18n_init(const char *lang);

/* The language the user asked for ("bg", "pl_PL"): --lang or LANGUAGE's
 * first entry, else the message locale without its codeset; NULL when
 * none was asked for (C, POSIX). For choosing a form's language
 * (form_language_match). A fresh string. */
char *i18n_language(void);

/* The languages --lang takes, "en, bg, de, ...", for a message. */
const char *i18n_language_list(void);
/* A --lang value as gettext's LANGUAGE takes it: the language in lower
 * case, a region after - or _ in upper case ("DE" -> "de", "de-AT" ->
 * "de_AT", "pt_br" -> "pt_BR"), "no" (Norwegian) as "nb". False, out
 * untouched, when the language is not one of i18n_language_list(). */
bool i18n_lang_normalize(const char *in, char *out, size_t outsz);

#endif
