/* test_report.c: the reports (SPEC 7) in the report language on the
 * export fixture (export_fixture.c): every name from the form's
 * translations, each country's own target state where it was edited and
 * the default (in the report language) elsewhere. The golden files of the
 * English reports are compared in test_export. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "export/report.h"
#include "export_fixture.h"
#include "store/store.h"

static char tmpdir[] = "/tmp/test_report.XXXXXX";
static char *survey;
static struct export_fixture fx;

/* The report of the fixture in format f and language lang, as a string. */
static char *report(enum report_format f, const char *lang)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(survey, STORE_READONLY, &err);
    assert_non_null(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct report_options o = {.format = f, .lang = lang};
    if (!report_write(s, &o, fp, &err))
        fail_msg("%s", err.msg);
    fclose(fp);
    store_close(&s);
    return buf;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not in the report", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("'%s' in the report", needle);
}

static void test_grid_report_names_in_the_report_language(void **state)
{
    (void)state;
    char *r = report(REPORT_HTML, "bg");
    assert_has(r, "<th>Правна рамка</th>");                    /* dimension */
    assert_has(r, "<th title=\"България\">BG</th>");          /* country */
    assert_has(r, "<th>Учител</th>");                           /* role column */
    assert_has(r, "[Национално ниво]");                         /* level */
    assert_has(r, "<span style=\"background:hsl(120,70%,78%)\">1 – няма</span>"); /* legend */
    assert_has(r, "<span style=\"background:hsl(0,70%,68%)\">5 – много голяма</span>");
    assert_lacks(r, "Legal framework");
    assert_lacks(r, "Bulgaria");
    assert_lacks(r, "National level");
    assert_lacks(r, ">1 – none<"); /* (headings come from the catalogs: tests/e2e/export.sh) */
    free(r);
    r = report(REPORT_TEXT, "de_AT.UTF-8");
    assert_has(r, "Bulgarien");
    assert_has(r, "Rechtlicher Rahmen");
    free(r);
}

static void test_grid_report_own_target_state_where_edited(void **state)
{
    (void)state;
    /* Bulgaria's own text, in every language; the default elsewhere, in
     * the report language (Portugal's record holds the Portuguese
     * default: still the default) */
    static const char *const langs[] = {"en", "de", "bg", "pt", "sk"};
    static const char *const dflt[] = {
        "Inclusive education is a right in law;",
        "Inklusive Bildung ist ein gesetzlich verankertes Recht;",
        "Приобщаващото образование е право по закон;",
        "A educação inclusiva é um direito consagrado na lei;",
        "Inkluzívne vzdelávanie je právo zakotvené v zákone;",
    };
    for (size_t i = 0; i < 5; i++) {
        char *r = report(REPORT_MD, langs[i]);
        assert_has(r, "Законът урежда асистента като педагогически специалист");
        assert_has(r, dflt[i]);
        for (size_t j = 0; j < 5; j++)
            if (j != i)
                assert_lacks(r, dflt[j]);
        free(r);
    }
    char *r = report(REPORT_TEXT, NULL);
    /* the Portuguese record is not Portugal's own target: its line says
     * the default */
    const char *pt = strstr(r, "   Portugal — gap");
    assert_non_null(pt);
    assert_true(strncmp(strchr(pt, '\n') + 1, "     Target state: the default\n", 31) == 0);
    free(r);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmpdir))
        return -1;
    survey = xasprintf("%s/survey.sqlite", tmpdir);
    struct error err = ERROR_INIT;
    if (!export_fixture_build(survey, ABS_TOP_SRCDIR "/forms", &fx, &err)) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    free(cmd);
    free(survey);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_report_names_in_the_report_language),
        cmocka_unit_test(test_grid_report_own_target_state_where_edited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
