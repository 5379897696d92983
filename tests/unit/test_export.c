/* test_export.c: export for analysis and the cross-country report (SPEC 7)
 * on a small fixture (export_fixture.c): every output against golden
 * files in tests/data/export (IMAS_UPDATE_GOLDEN=1 rewrites them, to be
 * read by a person before committing), the long table read back with an
 * RFC 4180 parser and compared with the survey file, JSON through a JSON
 * parser, tombstones never exported, --finalized, --bom, --raw, and an
 * interrupted export leaving no file behind. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "export/export.h"
#include "export/out.h"
#include "export/report.h"
#include "export/transcript.h"
#include "export_fixture.h"
#include "store/answers.h"
#include "store/store.h"

#define GOLDEN ABS_TOP_SRCDIR "/tests/data/export"
#define GRID_DIR "imas-dimension-grid-2026112301"
#define FG_DIR "ias-focus-group-2026112301"

static char tmpdir[] = "/tmp/test_export.XXXXXX";
static char *survey;
static struct export_fixture fx;
static int run_no;

/* ---- files --------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        strbuf_add(&sb, buf, n);
    fclose(fp);
    if (len)
        *len = sb.len;
    return strbuf_detach(&sb);
}

/* Relative paths of the regular files under dir, sorted, one per line. */
static void list_files(const char *dir, const char *rel, struct strbuf *out)
{
    char *path = *rel ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
    struct dirent **names = NULL;
    /* a directory that is not there (an export that removed it) lists
     * nothing: scandir then leaves names unset */
    int n = scandir(path, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            char *r = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
            char *full = xasprintf("%s/%s", dir, r);
            struct stat st;
            if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
                list_files(dir, r, out);
            else
                strbuf_addf(out, "%s\n", r);
            free(full);
            free(r);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    free(path);
}

static char *new_dir(void)
{
    char *d = xasprintf("%s/out%d", tmpdir, ++run_no);
    return d;
}

static bool updating(void)
{
    const char *u = getenv("IMAS_UPDATE_GOLDEN");
    return u && *u == '1';
}

/* Every file of got equals the golden one, and there are no others. */
static void compare_tree(const char *got, const char *golden)
{
    if (updating()) {
        char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s' && cp -r '%s'/. '%s'/", golden,
                              golden, got, golden);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    struct strbuf a, b;
    strbuf_init(&a);
    strbuf_init(&b);
    list_files(got, "", &a);
    list_files(golden, "", &b);
    assert_string_equal(a.buf, b.buf);
    for (char *line = a.buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        char *p1 = xasprintf("%s/%s", got, line), *p2 = xasprintf("%s/%s", golden, line);
        size_t n1, n2;
        char *c1 = slurp(p1, &n1), *c2 = slurp(p2, &n2);
        assert_non_null(c1);
        assert_non_null(c2);
        if (n1 != n2 || memcmp(c1, c2, n1) != 0)
            fail_msg("%s differs from %s", p1, p2);
        free(c1);
        free(c2);
        free(p1);
        free(p2);
    }
    strbuf_free(&a);
    strbuf_free(&b);
}

static struct store *open_ro(void)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(survey, STORE_READONLY, &err);
    if (!s)
        fail_msg("%s", err.msg);
    return s;
}

static char *export_with(const struct export_options *o, struct export_summary *sum)
{
    struct store *s = open_ro();
    char *out = new_dir();
    struct error err = ERROR_INIT;
    if (!export_run(s, out, o, sum, &err))
        fail_msg("%s", err.msg);
    store_close(&s);
    return out;
}

static bool file_has(const char *path, const char *needle)
{
    char *c = slurp(path, NULL);
    bool has = c && strstr(c, needle);
    free(c);
    return has;
}

/* No file under dir mentions needle (but the audit tables when
 * audit_names_it: a delete is audited by the record's uuid). */
static void tree_lacks_but(const char *dir, const char *needle, bool audit_names_it)
{
    struct strbuf files;
    strbuf_init(&files);
    list_files(dir, "", &files);
    for (char *line = files.buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        char *p = xasprintf("%s/%s", dir, line);
        const char *base = strrchr(p, '/') + 1;
        bool audit = strncmp(base, "audit.", 6) == 0;
        if (file_has(p, needle) && !(audit && audit_names_it))
            fail_msg("%s holds '%s', which was deleted", p, needle);
        free(p);
    }
    strbuf_free(&files);
}

static void tree_lacks(const char *dir, const char *needle)
{
    tree_lacks_but(dir, needle, false);
}

/* ---- an RFC 4180 reader, independent of the writer ----------------------- */

struct table {
    char ***rows; /* rows[r][c], NULL-terminated per row */
    size_t nrows;
};

static void table_add_cell(struct table *t, struct strbuf *cell, size_t *ncells)
{
    char ***row = &t->rows[t->nrows - 1];
    *row = xrealloc(*row, (*ncells + 2) * sizeof **row);
    (*row)[(*ncells)++] = strbuf_detach(cell);
    (*row)[*ncells] = NULL;
    strbuf_init(cell);
}

static void table_new_row(struct table *t)
{
    t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
    t->rows[t->nrows++] = NULL;
}

/* Quoted cells may hold commas, quotes ("") and line breaks; records end
 * with CRLF. Fails the test on anything else. */
static struct table csv_parse(const char *s)
{
    struct table t = {0};
    struct strbuf cell;
    strbuf_init(&cell);
    size_t ncells = 0;
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (*s) {
        if (ncells == 0 && cell.len == 0)
            table_new_row(&t);
        if (*s == '"') {
            for (s++;; s++) {
                assert_true(*s != '\0');
                if (*s == '"' && s[1] == '"')
                    strbuf_addc(&cell, *s++);
                else if (*s == '"')
                    break;
                else
                    strbuf_addc(&cell, *s);
            }
            s++;
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n' && *s != '"')
                strbuf_addc(&cell, *s++);
            assert_true(*s != '"');
        }
        table_add_cell(&t, &cell, &ncells);
        if (*s == ',') {
            s++;
        } else {
            assert_true(s[0] == '\r' && s[1] == '\n');
            s += 2;
            ncells = 0;
        }
    }
    strbuf_free(&cell);
    return t;
}

static void table_free(struct table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; t->rows[r] && t->rows[r][c]; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
}

static long column(const struct table *t, const char *name)
{
    for (long c = 0; t->rows[0][c]; c++)
        if (strcmp(t->rows[0][c], name) == 0)
            return c;
    fail_msg("no column %s", name);
    return -1;
}

static struct table read_csv(const char *dir, const char *rel)
{
    char *p = xasprintf("%s/%s", dir, rel);
    char *c = slurp(p, NULL);
    if (!c)
        fail_msg("%s is missing", p);
    struct table t = csv_parse(c);
    free(c);
    free(p);
    return t;
}

/* ---- tests --------------------------------------------------------------- */

static void test_csv_export_matches_golden(void **state)
{
    (void)state;
    struct export_options o = {.format = EXPORT_CSV};
    struct export_summary sum;
    char *out = export_with(&o, &sum);
    assert_int_equal(sum.forms, 2);
    assert_int_equal(sum.records, 6); /* 4 grid visits and 2 sessions */
    assert_int_equal(sum.nproblems, 0);
    compare_tree(out, GOLDEN "/csv");
    export_summary_clear(&sum);
    free(out);
}

static void test_json_export_matches_golden_and_parses(void **state)
{
    (void)state;
    struct export_options o = {.format = EXPORT_JSON};
    struct export_summary sum;
    char *out = export_with(&o, &sum);
    compare_tree(out, GOLDEN "/json");
    static const char *const files[] = {"wide", "long", "codebook", "repeat-participant",
                                        "repeat-note", "participants"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *cmd = xasprintf("python3 -m json.tool '%s/" FG_DIR "/%s.json' >/dev/null",
                              out, files[i]);
        if (system(cmd) != 0)
            fail_msg("%s: not valid JSON", cmd);
        free(cmd);
    }
    char *cmd = xasprintf("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                          "assert d[0][\"grid/legal_framework/status_quo\"].startswith("
                          "\"Законът\"), d[0]' '%s/" GRID_DIR "/wide.json'",
                          out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    export_summary_clear(&sum);
    free(out);
}

static void test_tombstones_never_exported(void **state)
{
    (void)state;
    for (int json = 0; json < 2; json++) {
        struct export_options o = {.format = json ? EXPORT_JSON : EXPORT_CSV};
        struct export_summary sum;
        char *out = export_with(&o, &sum);
        tree_lacks_but(out, fx.deleted_record, true);
        /* its delete is audited: who, when, which laptop; nothing more */
        char *audit = xasprintf("%s/" GRID_DIR "/audit.%s", out, json ? "json" : "csv");
        char *want = xasprintf(json ? "{\"record_uuid\":\"%s\",\"at\":\"2026-03-02T08:00:56.000Z\","
                                      "\"action\":\"delete\","
                                    : "%s,2026-03-02T08:00:56.000Z,delete,",
                               fx.deleted_record);
        assert_true(file_has(audit, want));
        free(audit);
        free(want);
        tree_lacks(out, "DELETED RECORD TEXT");
        tree_lacks(out, fx.deleted_item);
        tree_lacks(out, "GONE");
        tree_lacks(out, fx.deleted_note);
        tree_lacks(out, "DELETED NOTE TEXT");
        tree_lacks(out, "cleared later");
        export_summary_clear(&sum);
        free(out);
    }
}

static int64_t live_answers(void)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(survey, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM answers a JOIN records r "
                                        "USING (record_uuid) LEFT JOIN items i ON "
                                        "i.item_uuid = a.item_uuid WHERE a.deleted = 0 AND "
                                        "r.deleted = 0 AND COALESCE(i.deleted, 0) = 0",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Export the long table, read it back, and find every row in the file. */
static void test_long_csv_round_trip(void **state)
{
    (void)state;
    struct export_options o = {.format = EXPORT_CSV, .raw = true};
    struct export_summary sum;
    char *out = export_with(&o, &sum);
    struct store *s = open_ro();
    int64_t rows = 0;
    const char *dirs[] = {GRID_DIR, FG_DIR};
    for (size_t d = 0; d < 2; d++) {
        char *rel = xasprintf("%s/long.csv", dirs[d]);
        struct table t = read_csv(out, rel);
        free(rel);
        assert_string_equal(t.rows[0][0], "record_uuid");
        long crec = column(&t, "record_uuid"), citem = column(&t, "item_uuid"),
             cfield = column(&t, "field"), cval = column(&t, "value"),
             crev = column(&t, "revision"), cdev = column(&t, "device_id"),
             cauth = column(&t, "author");
        for (size_t r = 1; r < t.nrows; r++) {
            char **row = t.rows[r];
            char *field = xasprintf("/data/%s", row[cfield]);
            struct store_answer a;
            bool found;
            struct error err = ERROR_INIT;
            assert_true(store_answer_info(s, row[crec], row[citem], field, &a, &found, &err));
            if (!found)
                fail_msg("%s %s %s not in the file", row[crec], row[citem], field);
            assert_false(a.deleted);
            assert_string_equal(a.value, row[cval]);
            assert_int_equal(a.revision, atoll(row[crev]));
            assert_string_equal(a.device_id, row[cdev]);
            assert_string_equal(a.author, row[cauth]);
            store_answer_clear(&a);
            free(field);
            rows++;
        }
        table_free(&t);
    }
    assert_int_equal(rows, live_answers());
    assert_int_equal(rows, sum.answers);
    store_close(&s);
    export_summary_clear(&sum);
    free(out);
}

static void test_finalized_only(void **state)
{
    (void)state;
    struct export_options o = {.format = EXPORT_CSV, .finalized_only = true};
    struct export_summary sum;
    char *out = export_with(&o, &sum);
    assert_int_equal(sum.forms, 1); /* the session is a draft */
    assert_int_equal(sum.records, 1);
    struct table t = read_csv(out, GRID_DIR "/wide.csv");
    assert_int_equal(t.nrows, 2);
    assert_string_equal(t.rows[1][column(&t, "state")], "finalized");
    assert_string_equal(t.rows[1][column(&t, "visit/country")], "SK");
    table_free(&t);
    char *fg = xasprintf("%s/" FG_DIR, out);
    assert_true(access(fg, F_OK) != 0);
    free(fg);
    export_summary_clear(&sum);
    free(out);
}

static void test_bom_and_raw(void **state)
{
    (void)state;
    struct export_options o = {.format = EXPORT_CSV, .bom = true, .raw = true};
    struct export_summary sum;
    char *out = export_with(&o, &sum);
    char *p = xasprintf("%s/" GRID_DIR "/wide.csv", out);
    char *c = slurp(p, NULL);
    assert_memory_equal(c, "\xEF\xBB\xBFrecord_uuid,", 15);
    assert_non_null(strstr(c, ",\"=HYPERLINK(\"\"http://x\"\")\","));
    assert_non_null(strstr(c, ",\"@SUM(A1:A2), +1 and -minus\","));
    free(c);
    free(p);
    struct table t = read_csv(out, GRID_DIR "/wide.csv");
    assert_string_equal(t.rows[1][column(&t, "visit/n_respondents")], "-3");
    table_free(&t);
    export_summary_clear(&sum);
    free(out);
    /* guarded (the default): formulas get a ', numbers do not */
    o = (struct export_options){.format = EXPORT_CSV};
    out = export_with(&o, &sum);
    t = read_csv(out, GRID_DIR "/wide.csv");
    assert_string_equal(t.rows[1][column(&t, "grid/funding/status_quo")],
                        "'=HYPERLINK(\"http://x\")");
    assert_string_equal(t.rows[1][column(&t, "closing/strengths")],
                        "'@SUM(A1:A2), +1 and -minus");
    assert_string_equal(t.rows[1][column(&t, "visit/n_respondents")], "-3");
    table_free(&t);
    p = xasprintf("%s/" GRID_DIR "/wide.csv", out);
    c = slurp(p, NULL);
    assert_memory_equal(c, "record_uuid,", 12);
    free(c);
    free(p);
    export_summary_clear(&sum);
    free(out);
}

static volatile sig_atomic_t stop_now = 1;

static void test_interrupted_export_leaves_no_files(void **state)
{
    (void)state;
    struct store *s = open_ro();
    char *out = new_dir();
    struct export_options o = {.format = EXPORT_CSV, .stop = &stop_now};
    struct export_summary sum;
    struct error err = ERROR_INIT;
    assert_false(export_run(s, out, &o, &sum, &err));
    assert_non_null(strstr(err.msg, "interrupted"));
    error_clear(&err);
    struct strbuf files;
    strbuf_init(&files);
    list_files(out, "", &files);
    assert_string_equal(files.buf, ""); /* not even temporary ones */
    strbuf_free(&files);
    export_summary_clear(&sum);
    /* nor the directories it made: out was new, and is gone */
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    /* a directory of the user's stays, with what it held, and nothing
     * of the export's in it */
    assert_int_equal(mkdir(out, 0755), 0);
    char *mine = xasprintf("%s/mine.txt", out);
    FILE *f = fopen(mine, "w");
    assert_non_null(f);
    fclose(f);
    assert_false(export_run(s, out, &o, &sum, &err));
    error_clear(&err);
    strbuf_init(&files);
    list_files(out, "", &files);
    assert_string_equal(files.buf, "mine.txt\n");
    strbuf_free(&files);
    DIR *d = opendir(out);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 1); /* no empty form directory either */
    export_summary_clear(&sum);
    free(mine);
    store_close(&s);
    free(out);
}

static void test_export_into_a_file_is_refused(void **state)
{
    (void)state;
    struct store *s = open_ro();
    struct export_options o = {.format = EXPORT_CSV};
    struct export_summary sum;
    struct error err = ERROR_INIT;
    assert_false(export_run(s, survey, &o, &sum, &err));
    assert_non_null(strstr(err.msg, "not a directory"));
    error_clear(&err);
    export_summary_clear(&sum);
    store_close(&s);
}

static void report_golden(enum report_format f, const char *name)
{
    struct store *s = open_ro();
    char *path = xasprintf("%s/%s", tmpdir, name);
    char *golden = xasprintf("%s/%s", GOLDEN, name);
    struct report_options o = {.format = f};
    struct error err = ERROR_INIT;
    if (!report_write_file(s, &o, path, &err))
        fail_msg("%s", err.msg);
    if (updating()) {
        char *cmd = xasprintf("cp '%s' '%s'", path, golden);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
    char *got = slurp(path, NULL), *want = slurp(golden, NULL);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(got);
    free(want);
    free(path);
    free(golden);
    store_close(&s);
}

static void test_report_matches_golden(void **state)
{
    (void)state;
    report_golden(REPORT_TEXT, "report.txt");
    report_golden(REPORT_MD, "report.md");
    report_golden(REPORT_HTML, "report.html");
    char *html = slurp(GOLDEN "/report.html", NULL);
    assert_non_null(strstr(html, "<table id=\"gap-table\">"));
    /* self-contained: nothing to fetch (the fixture's "http://x" is text) */
    static const char *const fetches[] = {"src=", "href=", "<link", "@import", "url(",
                                          "<script"};
    for (size_t i = 0; i < sizeof fetches / sizeof fetches[0]; i++)
        assert_null(strstr(html, fetches[i]));
    assert_non_null(strstr(html, "=HYPERLINK(&quot;http://x&quot;)"));
    free(html);
}

static void test_csv_cells(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct csv c;
    csv_init(&c, fp, true);
    csv_cells(&c, "plain");
    csv_cells(&c, "a,b");
    csv_cells(&c, "say \"hi\"");
    csv_cells(&c, "two\nlines");
    csv_cells(&c, "=1+1");
    csv_cells(&c, "-12.5");
    csv_cells(&c, "\tx");
    csv_cells(&c, "");
    csv_cell(&c, "bad\xff", 4);
    csv_end_row(&c);
    fclose(fp);
    assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=1+1,-12.5,'\tx,,"
                             "bad\xEF\xBF\xBD\r\n");
    free(buf);
    assert_true(csv_formula_like("+a", 2));
    assert_true(csv_formula_like("\rx", 2));
    assert_false(csv_formula_like("+1", 2));
    assert_false(csv_formula_like("a=b", 3));
    /* every cell strtod reads whole is a number, never guarded */
    static const char *const numbers[] = {"-1.5e3", "-0.5", "+5", "1e-3", "-3", "+.5", "-2E+10"};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        assert_false(csv_formula_like(numbers[i], strlen(numbers[i])));
    static const char *const formulas[] = {"-1+2", "=1", "@x", "-e3", "-", "+1.5e3x", "-1 "};
    for (size_t i = 0; i < sizeof formulas / sizeof *formulas; i++)
        assert_true(csv_formula_like(formulas[i], strlen(formulas[i])));
    assert_true(csv_formula_like("\t1", 2)); /* strtod would skip the tab */
    assert_true(csv_formula_like("-1\0", 3));
}

/* out_time_iso formats without the C library; it must say what gmtime_r
 * says, for any time in 0000..9999 and around the ends of that range. */
static void reference_iso(int64_t ms, char *out, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    int frac = (int)(ms % 1000);
    if (frac < 0) {
        frac += 1000;
        t--;
    }
    struct tm tm;
    assert_non_null(gmtime_r(&t, &tm));
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static void check_iso(int64_t ms)
{
    char got[32], want[64];
    out_time_iso(ms, got);
    reference_iso(ms, want, sizeof want);
    if (strlen(want) > 31)
        want[31] = '\0';
    if (strcmp(got, want) != 0)
        fail_msg("%lld: %s, not %s", (long long)ms, got, want);
}

static void test_iso_times_match_gmtime(void **state)
{
    (void)state;
    char b[32];
    out_time_iso(INT64_C(1767225603215), b);
    assert_string_equal(b, "2026-01-01T00:00:03.215Z");
    out_time_iso(-1, b);
    assert_string_equal(b, "1969-12-31T23:59:59.999Z");
    static const int64_t edges[] = {0, 1, -1, 999, -999, -1000, -1001,
                                    INT64_C(951782400000),   /* 2000-02-29 */
                                    INT64_C(-62167219200000), /* 0000-01-01 */
                                    INT64_C(-62167219200001),
                                    INT64_C(253402300799999), /* 9999-12-31 */
                                    INT64_C(253402300800000)};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_iso(edges[i]);
    /* every day of 1600..2500 at a varying time, and random times */
    for (int64_t ms = INT64_C(-11676096000000); ms < INT64_C(16725225600000);
         ms += INT64_C(86400000) + 3723017)
        check_iso(ms);
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        check_iso((int64_t)(x % UINT64_C(600000000000000)) -
                  INT64_C(300000000000000));
    }
    /* outside 0..9999 and beyond what gmtime_r can say: still text */
    out_time_iso(INT64_MAX, b);
    assert_true(strlen(b) > 0 && strlen(b) < 32);
    out_time_iso(INT64_MIN, b);
    assert_true(strlen(b) > 0 && strlen(b) < 32);
}

static void test_csv_integers(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct csv c;
    csv_init(&c, fp, true);
    static const int64_t v[] = {0, 7, -7, 10, 1234567890123, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        csv_int(&c, v[i]);
    csv_end_row(&c);
    fclose(fp);
    assert_string_equal(buf, "0,7,-7,10,1234567890123,9223372036854775807,"
                             "-9223372036854775808\r\n");
    free(buf);
}

/* Cells that take the slow paths: invalid bytes next to quotes, a NUL,
 * and cells longer than the row buffer. */
static void test_csv_cells_odd_and_long(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct csv c;
    csv_init(&c, fp, true);
    csv_cell(&c, "\"x\xff\"y,", 6);
    csv_cell(&c, "a\0b", 3);
    csv_cell(&c, "=\xd0\"", 3);
    csv_cell(&c, "\xd0\xb4\xe2\x82", 4); /* a letter, then half of one */
    csv_end_row(&c);
    size_t n = 3 * CSV_BUFSIZE;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n / 2] = '"';
    csv_cell(&c, big, n);
    csv_cell(&c, big, CSV_BUFSIZE - 10);
    csv_end_row(&c);
    fclose(fp);
    const char *want1 = "\"\"\"x\xEF\xBF\xBD\"\"y,\",a\xEF\xBF\xBD" "b,\"'=\xEF\xBF\xBD\"\"\","
                        "\xd0\xb4\xEF\xBF\xBD\xEF\xBF\xBD\r\n";
    size_t l1 = strlen(want1);
    assert_true(len > l1);
    assert_memory_equal(buf, want1, l1);
    struct strbuf want;
    strbuf_init(&want);
    strbuf_addc(&want, '"');
    strbuf_add(&want, big, n / 2 + 1);
    strbuf_addc(&want, '"');
    strbuf_add(&want, big + n / 2 + 1, n - n / 2 - 1);
    strbuf_adds(&want, "\",");
    strbuf_add(&want, big, CSV_BUFSIZE - 10);
    strbuf_adds(&want, "\r\n");
    assert_int_equal(len - l1, want.len);
    assert_memory_equal(buf + l1, want.buf, want.len);
    strbuf_free(&want);
    free(big);
    free(buf);
}

/* The cell as the first, byte-by-byte version wrote it. */
static void ref_utf8(struct strbuf *sb, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp == 0) {
            strbuf_adds(sb, "\xEF\xBF\xBD");
            i++;
        } else {
            strbuf_add(sb, s + i, len);
            i += len;
        }
    }
}

static void ref_cell(struct strbuf *sb, const char *s, size_t n)
{
    /* the first version's test for formula-like text */
    bool prefix = n > 0 && strchr("=+-@\t\r", s[0]), quote = false;
    if (prefix) {
        size_t i = s[0] == '-' || s[0] == '+', digits = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
        if (i < n && s[i] == '.')
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
                digits++;
        prefix = !(digits > 0 && i == n);
    }
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote)
        strbuf_addc(sb, '"');
    if (prefix)
        strbuf_addc(sb, '\'');
    size_t start = 0;
    for (size_t i = 0; quote && i < n; i++) {
        if (s[i] != '"')
            continue;
        ref_utf8(sb, s + start, i + 1 - start);
        strbuf_addc(sb, '"');
        start = i + 1;
    }
    ref_utf8(sb, s + start, n - start);
    if (quote)
        strbuf_addc(sb, '"');
}

/* Random cells of ASCII, separators, NUL, letters of two to four bytes,
 * and broken sequences: csv_cell writes what the reference writes. */
static void test_csv_cells_match_reference(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "a", "Z", "7", " ", ",", "\"", "\n", "\r", "\t", "=", "-", "+", "@",
        ".", "\xd0\xb4", "\xc5\xbe", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "\xff", "\xc0\xaf", "\xd0", "\xe2\x82", "\xed\xa0\x80", "\x80",
        "\xf4\x90\x80\x80", "abcdefgh", "school teacher"};
    const size_t natoms = sizeof atoms / sizeof atoms[0];
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 20000; round++) {
        char cell[256];
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t parts = x % 24;
        for (size_t p = 0; p < parts; p++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *a = atoms[x % natoms];
            size_t len = strlen(a);
            if (x % 97 == 0) { /* a NUL byte */
                a = "";
                len = 1;
            }
            memcpy(cell + n, a, len);
            n += len;
        }
        char *buf = NULL;
        size_t blen = 0;
        FILE *fp = open_memstream(&buf, &blen);
        struct csv c;
        csv_init(&c, fp, true);
        csv_cell(&c, cell, n);
        csv_end_row(&c);
        fclose(fp);
        struct strbuf want;
        strbuf_init(&want);
        ref_cell(&want, cell, n);
        strbuf_adds(&want, "\r\n");
        assert_int_equal(blen, want.len);
        assert_memory_equal(buf, want.buf, want.len);
        strbuf_free(&want);
        free(buf);
    }
}

/* A tag typed with capitals is in the note's text already: the transcript
 * shows it as typed, not again lower-cased from the tags field. */
static void test_transcript_tags_once_whatever_their_case(void **state)
{
    (void)state;
    char *path = xasprintf("%s/tags.sqlite", tmpdir);
    struct error err = ERROR_INIT;
    if (!export_fixture_build_tags(path, ABS_TOP_SRCDIR "/forms", &err))
        fail_msg("fixture: %s", err.msg);
    struct store *s = store_open(path, STORE_READONLY, &err);
    assert_non_null(s);
    char *out = new_dir();
    struct export_options o = {.format = EXPORT_CSV};
    struct export_summary sum;
    if (!export_run(s, out, &o, &sum, &err))
        fail_msg("%s", err.msg);
    export_summary_clear(&sum);
    store_close(&s);
    char *dir = xasprintf("%s/" FG_DIR "/transcripts", out);
    struct strbuf files;
    strbuf_init(&files);
    list_files(dir, "", &files);
    assert_non_null(files.buf);
    *strchr(files.buf, '\n') = '\0'; /* the one session */
    char *file = xasprintf("%s/%s", dir, files.buf);
    char *t = slurp(file, NULL);
    assert_non_null(t);
    assert_non_null(strstr(t, "P01 (Parent): Rodzice i #Żłobek: #współpraca\n"));
    assert_non_null(strstr(t, "P01 (Parent): line one\n    line two #Multi [quote]\n"));
    assert_non_null(strstr(t, "money #rec-research\n"));
    assert_null(strstr(t, "#żłobek"));
    assert_null(strstr(t, "#multi"));
    free(t);
    free(file);
    strbuf_free(&files);
    free(dir);
    free(out);
    free(path);
}

static void test_transcript_stamp(void **state)
{
    (void)state;
    char b[32];
    transcript_stamp(0, b);
    assert_string_equal(b, "[00:00:00]");
    transcript_stamp(3723.9, b);
    assert_string_equal(b, "[01:02:03]");
    transcript_stamp(-5, b);
    assert_string_equal(b, "[00:00:00]");
}

static int setup(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C.UTF-8");
    assert_non_null(mkdtemp(tmpdir));
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
        cmocka_unit_test(test_csv_cells),
        cmocka_unit_test(test_transcript_stamp),
        cmocka_unit_test(test_transcript_tags_once_whatever_their_case),
        cmocka_unit_test(test_csv_cells_match_reference),
        cmocka_unit_test(test_csv_cells_odd_and_long),
        cmocka_unit_test(test_iso_times_match_gmtime),
        cmocka_unit_test(test_csv_integers),
        cmocka_unit_test(test_csv_export_matches_golden),
        cmocka_unit_test(test_json_export_matches_golden_and_parses),
        cmocka_unit_test(test_tombstones_never_exported),
        cmocka_unit_test(test_long_csv_round_trip),
        cmocka_unit_test(test_finalized_only),
        cmocka_unit_test(test_bom_and_raw),
        cmocka_unit_test(test_interrupted_export_leaves_no_files),
        cmocka_unit_test(test_export_into_a_file_is_refused),
        cmocka_unit_test(test_report_matches_golden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
