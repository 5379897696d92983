#include "config.h"

#include "core/i18n.h"

#include "core/paths.h"
#include "core/xalloc.h"

#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *nonempty_env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static bool is_c_locale(const char *name)
{
    return !name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
           strncmp(name, "C.", 2) == 0;
}

/* The locale name the user asked for messages (LC_ALL, LC_MESSAGES, LANG,
 * as POSIX orders them), or NULL. */
static const char *asked_locale(void)
{
    const char *v = nonempty_env("LC_ALL");
    if (!v)
        v = nonempty_env("LC_MESSAGES");
    if (!v)
        v = nonempty_env("LANG");
    return v;
}

/* "bg_BG.UTF-8@mod" -> "bg_BG@mod": a locale name as gettext's LANGUAGE
 * takes it (the codeset means nothing there). */
static char *without_codeset(const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot)
        return xstrdup(name);
    const char *at = strchr(dot, '@');
    return xasprintf("%.*s%s", (int)(dot - name), name, at ? at : "");
}

void i18n_init(const char *lang)
{
    if (lang && *lang)
        setenv("LANGUAGE", lang, 1);
    if (!setlocale(LC_ALL, "")) {
        /* The locale asked for is not installed (bg_BG.UTF-8 never
         * generated): still show its language through LANGUAGE. */
        const char *want = asked_locale();
        if (want && !is_c_locale(want) && !nonempty_env("LANGUAGE")) {
            char *l = without_codeset(want);
            setenv("LANGUAGE", l, 1);
            free(l);
        }
    }
    /* Numbers are read and written with a decimal point whatever the
     * locale: under de_DE or bg_BG, strtod would read a typed 42.69 as 42
     * and printf would write 3,5 into reports and exports. */
    setlocale(LC_NUMERIC, "C");
    /* Text is UTF-8 inside and out: under a non-UTF-8 locale (LANG unset,
     * "C") widths and wide-character curses would be wrong. */
    const char *cs = nl_langinfo(CODESET);
    if (!cs || strcasecmp(cs, "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
    /* gettext ignores LANGUAGE under the "C" locale, not under C.UTF-8. */
    if (nonempty_env("LANGUAGE") && is_c_locale(setlocale(LC_MESSAGES, NULL)))
        setlocale(LC_MESSAGES, "C.UTF-8");
#if ENABLE_NLS
    char *dir = paths_locale_dir();
    bindtextdomain(PACKAGE, dir);
    free(dir);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}

char *i18n_language(void)
{
    /* as gettext does: LANGUAGE counts unless messages are in plain C */
    const char *cur = setlocale(LC_MESSAGES, NULL);
    const char *l = nonempty_env("LANGUAGE");
    if (l && cur && strcmp(cur, "C") != 0 && strcmp(cur, "POSIX") != 0) {
        size_t n = strcspn(l, ":");
        if (n)
            return xstrndup(l, n);
    }
    const char *m = cur;
    if (is_c_locale(m))
        m = asked_locale();
    return m && !is_c_locale(m) ? without_codeset(m) : NULL;
}

/* English, the program's own, and the catalogs of po/LINGUAS. */
static const char *const languages[] = {"en", "bg", "de", "fi", "nb", "nl",
                                        "pl", "pt", "sk", "sl", NULL};

const char *i18n_language_list(void)
{
    return "en, bg, de, fi, nb, nl, pl, pt, sk, sl";
}

bool i18n_lang_normalize(const char *in, char *out, size_t outsz)
{
    size_t n = strcspn(in, "-_");
    char code[4];
    if (n < 2 || n > 3 || outsz < 4)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return false;
        code[i] = (char)(ch | 0x20);
    }
    code[n] = '\0';
    if (strcmp(code, "no") == 0) /* Norwegian: the Bokmål catalog */
        strcpy(code, "nb");
    bool known = false;
    for (size_t i = 0; languages[i] && !known; i++)
        known = strcmp(code, languages[i]) == 0;
    if (!known)
        return false;
    const char *region = in[n] ? in + n + 1 : NULL;
    size_t rlen = region ? strlen(region) : 0;
    if (region && (rlen < 2 || rlen > 8 || strlen(code) + 1 + rlen >= outsz))
        return false;
    for (size_t i = 0; i < rlen; i++) {
        unsigned char ch = (unsigned char)region[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
            return false;
    }
    strcpy(out, code);
    if (!region)
        return true;
    size_t o = strlen(out);
    out[o++] = '_';
    for (size_t i = 0; i < rlen; i++) {
        unsigned char ch = (unsigned char)region[i];
        out[o++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 0x20 : ch);
    }
    out[o] = '\0';
    return true;
}
