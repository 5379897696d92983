/* test_report.c: the reports (SPEC 7) on the export fixture
 * (export_fixture.c). The grid report: every name from the form's
 * translations, each country's own target state where it was edited and
 * the default (in the report language) elsewhere (its English golden files
 * are compared in test_export). The focus groups' report: golden files
 * (IMAS_UPDATE_GOLDEN=1 rewrites them), its sections, its language, the
 * recommendation levels the tags give, and --form. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <locale.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "export/fg_data.h"
#include "export/report.h"
#include "export_fixture.h"
#include "store/store.h"

static char tmpdir[] = "/tmp/test_report.XXXXXX";
static char *survey, *tags_survey;
static struct export_fixture fx;

/* The report of the survey file path with options o, as a string. */
static char *report_of(const char *path, const struct report_options *o)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, STORE_READONLY, &err);
    assert_non_null(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!report_write(s, o, fp, &err))
        fail_msg("%s", err.msg);
    fclose(fp);
    store_close(&s);
    return buf;
}

/* The report of the fixture with options o. */
static char *report_with(const struct report_options *o)
{
    return report_of(survey, o);
}

static char *report(enum report_format f, const char *lang)
{
    struct report_options o = {.format = f, .lang = lang};
    return report_with(&o);
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

#define GOLDEN ABS_TOP_SRCDIR "/tests/data/export"

static bool updating(void)
{
    const char *u = getenv("IMAS_UPDATE_GOLDEN");
    return u && *u && strcmp(u, "0") != 0;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int c;
    while ((c = getc(fp)) != EOF)
        putc(c, mem);
    fclose(fp);
    fclose(mem);
    return buf;
}

/* The focus-group report of the fixture against tests/data/export/NAME. */
static char *fg_golden(enum report_format f, const char *name)
{
    struct report_options o = {.format = f, .form_id = "ias-focus-group"};
    char *got = report_with(&o);
    char *path = xasprintf("%s/%s", GOLDEN, name);
    if (updating()) {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fputs(got, fp);
        fclose(fp);
    }
    char *want = slurp(path);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(want);
    free(path);
    return got;
}

static void test_focus_group_report_matches_golden(void **state)
{
    (void)state;
    free(fg_golden(REPORT_TEXT, "fg-report.txt"));
    free(fg_golden(REPORT_MD, "fg-report.md"));
    char *html = fg_golden(REPORT_HTML, "fg-report.html");
    /* self-contained: nothing to fetch */
    static const char *const fetches[] = {"src=", "href=", "<link", "@import", "url(",
                                          "<script"};
    for (size_t i = 0; i < sizeof fetches / sizeof fetches[0]; i++)
        assert_null(strstr(html, fetches[i]));
    /* the tag x country heat map: the most frequent cell the darkest */
    assert_has(html, "<table id=\"tag-country-table\" class=\"heat\">");
    assert_has(html, "<tr><th>#access</th><td class=\"num\" style=\"background:hsl(210,70%,84%)\">1</td>"
                     "<td class=\"num\" style=\"background:hsl(210,70%,60%)\">3</td></tr>");
    assert_has(html, "<table id=\"tag-topic-table\" class=\"heat\">");
    free(html);
}

static void test_focus_group_report_sections(void **state)
{
    (void)state;
    struct report_options o = {.format = REPORT_TEXT, .form_id = "ias-focus-group"};
    char *r = report_with(&o);
    /* participants by role, per session */
    assert_has(r, "Slovenia, 2026-03-09, Ljubljana, Družinski center: Practitioner: S3; "
                  "Researcher: S1; Parent: S2");
    /* a topic and phase with its speakers and notes */
    const char *ipc = strstr(r, "Interprofessional collaboration and leadership — Future plans");
    assert_non_null(ipc);
    assert_has(ipc, "Speakers: S3 (Practitioner; Slovenia, 2026-03-09) 1, "
                    "S1 (Researcher; Slovenia, 2026-03-09) 1");
    /* quotes under each of their tags, and those without one */
    const char *quotes = strstr(r, "Quotes by tag");
    assert_non_null(quotes);
    assert_has(quotes, "#access\n    - [00:04:30] S2 (Parent; Slovenia, 2026-03-09): "
                       "Nihče mi ni povedal, kam naj grem. #access\n");
    assert_has(quotes, "(no tag)\n    - [00:21:00] S3 (Practitioner; Slovenia, 2026-03-09): "
                       "Brez oznake, a citat.\n");
    /* recommendations by level, as the tags mark them */
    const char *recs = strstr(r, "Recommendations by level");
    assert_non_null(recs);
    const char *policy = strstr(recs, "Policy\n"), *practice = strstr(recs, "Practice\n"),
               *research = strstr(recs, "Research\n"), *none = strstr(recs, "Level not given\n");
    assert_true(policy && practice && research && none);
    assert_true(policy < practice && practice < research && research < none);
    assert_true(strstr(policy, "Zakon naj določi") < practice);
    assert_true(strstr(practice, "Skupni sestanki") < research);
    assert_true(strstr(research, "Evaluate the pilots") < none);
    assert_non_null(strstr(none, "Več denarja."));
    assert_null(strstr(recs, "Vrtec in zdravstveni dom")); /* no #rec */
    free(r);
}

static void test_focus_group_report_in_the_report_language(void **state)
{
    (void)state;
    struct report_options o = {.format = REPORT_HTML, .form_id = "ias-focus-group",
                               .lang = "pl"};
    char *r = report_with(&o);
    assert_has(r, "Polska");
    assert_has(r, "Otwarte miejsca spotkań");
    assert_lacks(r, "Open meeting places");
    assert_lacks(r, "Poland");
    assert_lacks(r, "Practitioner");
    free(r);
}

static void test_recommendation_levels_from_tags(void **state)
{
    (void)state;
    char *none[] = {"policy", "access"};
    assert_int_equal(fg_levels_of(none, 2), 0);
    char *plain[] = {"REC"};
    assert_int_equal(fg_levels_of(plain, 1), FG_LEVEL_BIT(FG_REC_NO_LEVEL));
    char *two[] = {"research", "recommendation"};
    assert_int_equal(fg_levels_of(two, 2), FG_LEVEL_BIT(FG_REC_RESEARCH));
    char *one[] = {"Rec_Practice"};
    assert_int_equal(fg_levels_of(one, 1), FG_LEVEL_BIT(FG_REC_PRACTICE));
    char *own[] = {"practice", "rec-policy"}; /* the level in the rec tag wins */
    assert_int_equal(fg_levels_of(own, 2), FG_LEVEL_BIT(FG_REC_POLICY));
    char *odd[] = {"recipe", "rec-other"};
    assert_int_equal(fg_levels_of(odd, 2), 0);
    /* tagged for two levels: both */
    char *both[] = {"rec-policy", "access", "rec_research"};
    assert_int_equal(fg_levels_of(both, 3),
                     FG_LEVEL_BIT(FG_REC_POLICY) | FG_LEVEL_BIT(FG_REC_RESEARCH));
    char *levels[] = {"rec", "practice", "Research"};
    assert_int_equal(fg_levels_of(levels, 3),
                     FG_LEVEL_BIT(FG_REC_PRACTICE) | FG_LEVEL_BIT(FG_REC_RESEARCH));
}

/* A tag typed with capitals is in the note's text already: the report
 * shows it as typed, not again lower-cased from the tags field. */
static void test_focus_group_report_tags_once_whatever_their_case(void **state)
{
    (void)state;
    static const enum report_format formats[] = {REPORT_TEXT, REPORT_MD, REPORT_HTML};
    for (size_t i = 0; i < 3; i++) {
        struct report_options o = {.format = formats[i], .form_id = "ias-focus-group"};
        char *r = report_of(tags_survey, &o);
        assert_has(r, "#Żłobek: ");
        assert_has(r, "line two ");
        assert_lacks(r, "#współpraca #żłobek");
        assert_lacks(r, "#współpraca \\#żłobek");
        assert_lacks(r, "#Multi #multi");
        assert_lacks(r, "#Multi \\#multi");
        free(r);
    }
    struct report_options o = {.format = REPORT_TEXT, .form_id = "ias-focus-group"};
    char *r = report_of(tags_survey, &o);
    assert_has(r, "P01 (Parent; Poland, 2026-03-16): Rodzice i #Żłobek: #współpraca\n");
    free(r);
}

/* A note tagged for two levels is listed under each, in every format. */
static void test_recommendation_listed_under_each_of_its_levels(void **state)
{
    (void)state;
    static const enum report_format formats[] = {REPORT_TEXT, REPORT_MD, REPORT_HTML};
    static const char *const policy[] = {"  Policy\n", "### Policy\n", "<h3>Policy</h3>"};
    static const char *const practice[] = {"  Practice\n", "### Practice\n", "<h3>Practice</h3>"};
    static const char *const research[] = {"  Research\n", "### Research\n", "<h3>Research</h3>"};
    for (size_t i = 0; i < 3; i++) {
        struct report_options o = {.format = formats[i], .form_id = "ias-focus-group"};
        char *r = report_of(tags_survey, &o);
        const char *recs = strstr(r, "Recommendations by level");
        assert_non_null(recs);
        const char *pol = strstr(recs, policy[i]), *res = strstr(recs, research[i]);
        assert_non_null(pol);
        assert_non_null(res);
        assert_true(pol < res);
        assert_null(strstr(recs, practice[i]));
        const char *first = strstr(pol, "We need more time");
        assert_true(first && first < res);
        assert_non_null(strstr(res, "We need more time"));
        free(r);
    }
}

static void test_report_form_option(void **state)
{
    (void)state;
    /* no --form: the grids (the file has both); an unknown form is an error */
    struct report_options o = {.format = REPORT_TEXT};
    char *r = report_with(&o);
    assert_has(r, "cross-country report");
    free(r);
    struct error err = ERROR_INIT;
    struct store *s = store_open(survey, STORE_READONLY, &err);
    FILE *fp = fopen("/dev/null", "w");
    o.form_id = "no-such-form";
    assert_false(report_write(s, &o, fp, &err));
    assert_has(err.msg, "no records of form 'no-such-form'");
    error_clear(&err);
    fclose(fp);
    store_close(&s);
}

static int setup(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C.UTF-8"); /* tags of any script, as the program runs */
    if (!mkdtemp(tmpdir))
        return -1;
    survey = xasprintf("%s/survey.sqlite", tmpdir);
    struct error err = ERROR_INIT;
    if (!export_fixture_build(survey, ABS_TOP_SRCDIR "/forms", &fx, &err)) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return -1;
    }
    tags_survey = xasprintf("%s/tags.sqlite", tmpdir);
    if (!export_fixture_build_tags(tags_survey, ABS_TOP_SRCDIR "/forms", &err)) {
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
    free(tags_survey);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_report_names_in_the_report_language),
        cmocka_unit_test(test_grid_report_own_target_state_where_edited),
        cmocka_unit_test(test_focus_group_report_matches_golden),
        cmocka_unit_test(test_focus_group_report_sections),
        cmocka_unit_test(test_focus_group_report_in_the_report_language),
        cmocka_unit_test(test_recommendation_levels_from_tags),
        cmocka_unit_test(test_focus_group_report_tags_once_whatever_their_case),
        cmocka_unit_test(test_recommendation_listed_under_each_of_its_levels),
        cmocka_unit_test(test_report_form_option),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
