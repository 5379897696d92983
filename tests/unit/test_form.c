/* test_form.c: the forms engine. Loading every supported construct, the
 * golden "file:line: message" of every refused one
 * (tests/data/forms/errors/bad-*.xml), translations and their fallback,
 * and the form's logic over a record: relevance, constraints, types,
 * required, calculations, repeats, itemsets, preloads and setvalue, the
 * ODK functions, namespace-less expressions. */
#include "config.h"

#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <libxml/parser.h>

#include "core/error.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/record.h"
#include "form/tree.h"

#define NOW_MS "1718452800000" /* 2024-06-15T12:00:00Z */

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

static struct form *load(const char *rel)
{
    char *path = xasprintf("%s/%s", srcdir(), rel);
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(path, &err);
    if (!f) {
        char *m = error_format(&err);
        print_error("%s\n", m);
        free(m);
    }
    error_clear(&err);
    free(path);
    assert_non_null(f);
    return f;
}

static const struct form_node *node(const struct form *f, const char *path)
{
    const struct form_node *n = form_find(f, path);
    if (!n)
        fail_msg("no node %s", path);
    return n;
}

static void set(struct form_record *r, const char *field, const char *item, const char *value)
{
    struct error err = ERROR_INIT;
    if (!form_record_set(r, field, item, value, &err))
        fail_msg("set %s: %s", field, err.msg);
}

static void add(struct form_record *r, const char *repeat, const char *parent, const char *id)
{
    struct error err = ERROR_INIT;
    if (!form_record_add_item(r, repeat, parent, id, &err))
        fail_msg("add %s %s: %s", repeat, id, err.msg);
}

static bool valid(struct form_record *r, const char *path, const char *item, const char *value,
                  const char *lang, char **msg)
{
    set(r, path, item, value);
    return form_record_check(r, form_find(form_record_form(r), path), item, lang, msg);
}

/* What the record reported through form_events. */
struct seen {
    struct strbuf log;
    int items;
    char last_item[64];
};

static void on_changed(void *ctx, const char *field, const char *item, const char *value)
{
    struct seen *s = ctx;
    strbuf_addf(&s->log, "%s|%s=%s\n", field, item, value);
}

static void on_item(void *ctx, const char *repeat, const char *parent, const char *item)
{
    struct seen *s = ctx;
    s->items++;
    snprintf(s->last_item, sizeof s->last_item, "%s", item);
    strbuf_addf(&s->log, "+%s|%s|%s\n", repeat, parent, item);
}

/* ---- loading ---------------------------------------------------------- */

static void test_every_construct_loads(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    assert_string_equal(form_id(f), "all-controls");
    assert_string_equal(form_version(f), "2024010101");
    assert_string_equal(form_title(f), "All controls");
    assert_string_equal(form_default_language(f), "English");
    assert_int_equal(node(f, "/data/age")->kind, FORM_INPUT);
    assert_int_equal(node(f, "/data/age")->type, FORM_TYPE_INT);
    assert_int_equal(node(f, "/data/height")->type, FORM_TYPE_DECIMAL);
    assert_int_equal(node(f, "/data/birth_date")->type, FORM_TYPE_DATE);
    assert_int_equal(node(f, "/data/meeting_time")->type, FORM_TYPE_TIME);
    assert_int_equal(node(f, "/data/seen_at")->type, FORM_TYPE_DATETIME);
    assert_int_equal(node(f, "/data/place")->type, FORM_TYPE_GEOPOINT);
    assert_int_equal(node(f, "/data/code")->type, FORM_TYPE_BARCODE);
    assert_int_equal(node(f, "/data/greeting")->kind, FORM_NOTE);
    assert_true(node(f, "/data/greeting")->readonly);
    assert_int_equal(node(f, "/data/colour")->kind, FORM_SELECT1);
    assert_string_equal(node(f, "/data/colour")->appearance, "minimal");
    assert_int_equal(node(f, "/data/fruits")->kind, FORM_SELECT);
    assert_int_equal(node(f, "/data/fruits")->nchoices, 3);
    assert_string_equal(node(f, "/data/fruits")->choices[2].value, "other");
    const struct form_node *size = node(f, "/data/size");
    assert_int_equal(size->kind, FORM_RANGE);
    assert_true(size->range_start == 1 && size->range_end == 5 && size->range_step == 1);
    assert_int_equal(node(f, "/data/priorities")->kind, FORM_RANK);
    assert_int_equal(node(f, "/data/priorities")->type, FORM_TYPE_RANK);
    assert_int_equal(node(f, "/data/ack")->kind, FORM_TRIGGER);
    const struct form_node *details = node(f, "/data/details");
    assert_int_equal(details->kind, FORM_GROUP);
    assert_int_equal(details->flags, FORM_FIELD_LIST);
    assert_int_equal(details->nchildren, 2);
    assert_string_equal(node(f, "/data/details/mood")->default_value, "ok");
    assert_int_equal(node(f, "/data/matrix")->flags, FORM_GRID | FORM_FIELD_LIST);
    assert_ptr_equal(node(f, "/data/matrix/row_b/remark")->parent->parent, node(f, "/data/matrix"));
    /* static itemset over a secondary instance, with itext labels */
    const struct form_node *colour = node(f, "/data/colour");
    assert_non_null(colour->itemset);
    assert_false(colour->itemset->dynamic);
    assert_int_equal(colour->nchoices, 3);
    assert_string_equal(colour->choices[1].value, "green");
    assert_string_equal(form_choice_label(f, colour, "green", "Deutsch"), "Grün");
    assert_true(node(f, "/data/region")->itemset->dynamic);
    assert_string_equal(node(f, "/data/age")->constraint, ". >= 16 and . <= 99");
    assert_string_equal(node(f, "/data/age")->bind->path, "/data/age");
    assert_int_equal(node(f, "/data/age")->line, 171);
    /* fields without a control are listed too */
    size_t nf;
    const struct form_field *fields = form_fields(f, &nf);
    assert_string_equal(fields[0].path, "/data/start");
    assert_null(fields[0].control);
    assert_string_equal(fields[0].bind->preload, "timestamp");
    assert_string_equal(fields[nf - 1].path, "/data/meta/instanceID");
    form_free(&f);
    assert_null(f);
}

static void test_text_falls_back_to_the_default_language(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    const char *const *langs = form_languages(f);
    assert_string_equal(langs[0], "English");
    assert_string_equal(langs[1], "Deutsch");
    assert_null(langs[2]);
    const struct form_node *age = node(f, "/data/age");
    assert_string_equal(form_text(f, &age->label, "Deutsch"), "Alter");
    assert_string_equal(form_text(f, &age->label, "English"), "Age");
    assert_string_equal(form_text(f, &age->label, "Klingon"), "Age");
    assert_string_equal(form_text(f, &age->label, NULL), "Age");
    /* no German text: English, and the image form is not the text */
    assert_string_equal(form_text(f, &node(f, "/data/colour")->label, "Deutsch"), "Favourite colour");
    /* guidance is not the hint */
    assert_string_equal(form_text(f, &node(f, "/data/name")->hint, "English"),
                        "A pseudonym, never a real name.");
    assert_string_equal(form_text(f, &node(f, "/data/name")->hint, "Deutsch"),
                        "A pseudonym, never a real name.");
    assert_string_equal(form_choice_label(f, node(f, "/data/colour"), "blue", "Deutsch"), "Blue");
    assert_string_equal(form_text(f, &node(f, "/data/height")->label, "Deutsch"), "Height (m)");
    assert_string_equal(form_text(f, &node(f, "/data/ack")->hint, "English"), "");
    assert_string_equal(form_text(f, node(f, "/data/age")->constraint_msg, "Deutsch"),
                        "Das Alter muss zwischen 16 und 99 liegen.");
    struct form *two = load("tests/data/forms/good-two-languages.xml");
    const struct form_node *notes = node(two, "/data/notes");
    assert_string_equal(form_text(two, &notes->label, "Български"), "Notes");
    assert_string_equal(form_text(two, &node(two, "/data/role")->label, "Български"), "Роля");
    assert_string_equal(form_choice_label(two, node(two, "/data/role"), "assistant", "Български"),
                        "Асистент");
    form_free(&two);
    form_free(&f);
}

static void test_hash_and_source_are_of_the_file_bytes(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    char hex[65];
    sha256_hex(form_source(f), form_source_len(f), hex);
    assert_string_equal(form_hash(f), hex);
    struct error err = ERROR_INIT;
    struct form *m = form_load_memory(form_source(f), form_source_len(f), "mem.xml", &err);
    assert_non_null(m);
    assert_string_equal(form_hash(m), form_hash(f));
    assert_string_equal(form_path(m), "mem.xml");
    form_free(&m);
    form_free(&f);
}

static void test_oversized_form_is_refused(void **state)
{
    (void)state;
    size_t n = FORM_MAX_BYTES + 1;
    char *big = xmalloc(n);
    memset(big, ' ', n);
    struct error err = ERROR_INIT;
    assert_null(form_load_memory(big, n, "big.xml", &err));
    char *m = error_format(&err);
    assert_string_equal(m, "big.xml: form is larger than 8 MiB");
    free(m);
    error_clear(&err);
    free(big);
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
        strbuf_add(&sb, buf, k);
    fclose(fp);
    return strbuf_detach(&sb);
}

/* Every errors/bad-*.xml fails with exactly the line in its .expected. */
static void test_every_bad_form_gives_its_golden_error(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/tests/data/forms/errors", srcdir());
    char *cwd = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    DIR *d = opendir(".");
    assert_non_null(d);
    int checked = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t n = strlen(de->d_name);
        if (strncmp(de->d_name, "bad-", 4) != 0 || n < 5 || strcmp(de->d_name + n - 4, ".xml"))
            continue;
        char *exp_path = xasprintf("%.*s.expected", (int)(n - 4), de->d_name);
        char *expected = read_text(exp_path);
        if (!expected)
            fail_msg("%s has no %s", de->d_name, exp_path);
        expected[strcspn(expected, "\n")] = '\0';
        struct error err = ERROR_INIT;
        struct form *f = form_load_file(de->d_name, &err);
        if (f)
            fail_msg("%s loaded, expected: %s", de->d_name, expected);
        char *got = error_format(&err);
        if (strcmp(got, expected) != 0)
            fail_msg("%s:\n  got      %s\n  expected %s", de->d_name, got, expected);
        free(got);
        free(expected);
        error_clear(&err);
        free(exp_path);
        checked++;
    }
    closedir(d);
    assert_int_equal(chdir(cwd), 0);
    free(cwd);
    free(dir);
    assert_true(checked >= 40);
}

/* A one-question form whose bind carries `attrs`. */
static char *one_bind_form(const char *attrs)
{
    return xasprintf(
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\""
        " xmlns:jr=\"http://openrosa.org/javarosa\"><h:head><h:title>t</h:title><model>"
        "<instance><data id=\"t\"><a/><b/><list/><d/><out/></data></instance>\n"
        "<bind nodeset=\"/data/out\" %s/></model></h:head><h:body>"
        "<input ref=\"/data/a\"><label>A</label></input></h:body></h:html>",
        attrs);
}

static void test_expression_errors_are_found_at_load(void **state)
{
    (void)state;
    static const struct {
        const char *attrs, *msg;
    } cases[] = {
        {"relevant=\"true() or digest('x', 'MD5')\"",
         "t.xml:2: unknown XPath function digest() in relevant of /data/out"},
        {"calculate=\"if(/data/a, 1)\"",
         "t.xml:2: wrong number of arguments to if() in calculate of /data/out"},
        {"constraint=\"jr:nope(.)\"",
         "t.xml:2: unknown XPath function jr:nope() in constraint of /data/out"},
        {"required=\"/data/a[\"", "t.xml:2: XPath syntax error in required of /data/out: /data/a["},
        {"readonly=\"'open\"", "t.xml:2: XPath syntax error in readonly of /data/out: 'open"},
        {"calculate=\"concat(/data/a, $v)\"",
         "t.xml:2: XPath variables ($v) are not supported, in calculate of /data/out"},
        {"type=\"colour\"", "t.xml:2: unknown bind type colour"},
        {"jr:requiredMsg=\"jr:itext('gone')\"", "t.xml:2: jr:requiredMsg refers to missing itext id gone"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *xml = one_bind_form(cases[i].attrs);
        struct error err = ERROR_INIT;
        struct form *f = form_load_memory(xml, strlen(xml), "t.xml", &err);
        if (f)
            fail_msg("loaded: %s", cases[i].attrs);
        char *got = error_format(&err);
        if (strcmp(got, cases[i].msg) != 0)
            fail_msg("%s:\n  got      %s\n  expected %s", cases[i].attrs, got, cases[i].msg);
        free(got);
        error_clear(&err);
        free(xml);
    }
}

static void test_tree_text_is_stable(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    char *tree = form_tree_text(f, "Deutsch");
    char *path = xasprintf("%s/tests/data/forms/good-all-controls.tree", srcdir());
    char *golden = read_text(path);
    assert_non_null(golden);
    if (strcmp(tree, golden) != 0)
        fail_msg("tree text differs from %s:\n%s", path, tree);
    free(golden);
    free(path);
    free(tree);
    form_free(&f);
}

static void test_catalog_keeps_the_first_form_and_lists_broken_ones(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/imas-forms-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *good = xasprintf("%s/tests/data/forms/good-repeats.xml", srcdir());
    char *a = xasprintf("%s/a.xml", tmpl), *b = xasprintf("%s/b.xml", tmpl);
    char *broken = xasprintf("%s/c.xml", tmpl), *other = xasprintf("%s/notes.txt", tmpl);
    assert_int_equal(symlink(good, a), 0);
    assert_int_equal(symlink(good, b), 0);
    FILE *fp = fopen(broken, "w");
    fputs("<h:html xmlns:h=\"http://www.w3.org/1999/xhtml\">\n<oops>\n", fp);
    fclose(fp);
    fp = fopen(other, "w");
    fputs("not a form", fp);
    fclose(fp);
    char *fifo = xasprintf("%s/d.xml", tmpl);
    assert_int_equal(mkfifo(fifo, 0600), 0); /* must not hang the scan */
    char *dirs[] = {tmpl, "/nonexistent-dir", NULL};
    struct form_catalog *c = form_catalog_scan(dirs);
    assert_int_equal(form_catalog_count(c), 1);
    const struct form_catalog_entry *e = form_catalog_get(c, 0);
    assert_string_equal(e->id, "repeats");
    assert_string_equal(e->version, "3");
    assert_string_equal(e->title, "Repeats");
    assert_string_equal(e->path, a);
    assert_non_null(e->form);
    assert_null(e->languages[0]);
    assert_ptr_equal(form_catalog_find(c, "repeats"), e);
    assert_ptr_equal(form_catalog_find_version(c, "repeats", "3"), e);
    assert_null(form_catalog_find_version(c, "repeats", "4"));
    assert_null(form_catalog_find(c, "nope"));
    assert_int_equal(form_catalog_error_count(c), 2);
    char *want = xasprintf("%s:3: not well-formed XML: ", broken);
    assert_memory_equal(form_catalog_error(c, 0), want, strlen(want));
    free(want);
    want = xasprintf("%s: not a regular file", fifo);
    assert_string_equal(form_catalog_error(c, 1), want);
    free(want);
    form_catalog_free(&c);
    assert_null(c);
    unlink(a), unlink(b), unlink(broken), unlink(other), unlink(fifo), rmdir(tmpl);
    free(good), free(a), free(b), free(broken), free(other), free(fifo);
}

static void test_shipped_forms_load_and_start(void **state)
{
    (void)state;
    static const char *const shipped[] = {"forms/imas-dimension-grid.xml",
                                          "forms/ias-focus-group.xml"};
    for (size_t i = 0; i < 2; i++) {
        struct form *f = load(shipped[i]);
        struct form_record *r = form_record_new(f);
        struct error err = ERROR_INIT;
        struct form_env env = {"dev", "me"};
        assert_true(form_record_first_load(r, &env, NULL, &err));
        assert_true(form_record_problems(r, NULL, NULL, NULL) > 0); /* required answers */
        assert_null(form_record_error(r));
        /* only the focus-group form has a notes log (imas-log) */
        const struct form_node *log = form_log_repeat(f);
        if (i == 0)
            assert_null(log);
        else
            assert_string_equal(log->path, "/data/note");
        form_record_free(&r);
        form_free(&f);
    }
}

/* ---- a record --------------------------------------------------------- */

static void test_relevance_follows_the_answers(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    const struct form_node *other = node(f, "/data/fruit_other");
    assert_false(form_record_relevant(r, other, NULL));
    set(r, "/data/fruits", NULL, "apple other");
    assert_true(form_record_relevant(r, other, NULL));
    set(r, "/data/fruits", NULL, "apple");
    assert_false(form_record_relevant(r, other, NULL));
    assert_false(form_record_relevant(r, node(f, "/data/greeting"), NULL));
    set(r, "/data/name", NULL, "Ana");
    assert_true(form_record_relevant(r, node(f, "/data/greeting"), NULL));
    /* relative path in a group, and a group's relevance over its children */
    const struct form_node *comment = node(f, "/data/details/comment");
    const struct form_node *remark = node(f, "/data/matrix/row_b/remark");
    assert_false(form_record_relevant(r, comment, NULL));
    assert_true(form_record_relevant(r, remark, NULL));
    set(r, "/data/details/mood", NULL, "bad");
    assert_true(form_record_relevant(r, comment, NULL));
    assert_false(form_record_relevant(r, node(f, "/data/matrix"), NULL));
    assert_false(form_record_relevant(r, remark, NULL));
    form_record_free(&r);
    form_free(&f);
}

static void test_relevance_inside_repeat_instances(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    struct form_record *r = form_record_new(f);
    add(r, "/data/roster", NULL, "p1");
    add(r, "/data/roster", NULL, "p2");
    set(r, "/data/roster/consent", "p1", "no");
    set(r, "/data/roster/consent", "p2", "yes");
    const struct form_node *cnote = node(f, "/data/roster/consent_note");
    const struct form_node *role = node(f, "/data/roster/role");
    /* ../consent */
    assert_true(form_record_relevant(r, cnote, "p1"));
    assert_false(form_record_relevant(r, cnote, "p2"));
    /* /data/roster/consent names the same instance, not any instance */
    assert_false(form_record_relevant(r, role, "p1"));
    assert_true(form_record_relevant(r, role, "p2"));
    set(r, "/data/roster/consent", "p1", "yes");
    assert_true(form_record_relevant(r, role, "p1"));
    /* a repeat without instance: would a new one be relevant? */
    assert_true(form_record_relevant(r, node(f, "/data/roster"), NULL));
    assert_false(form_record_relevant(r, cnote, NULL)); /* consent empty in a new one */
    assert_int_equal(form_record_item_count(r, "/data/roster", NULL), 2);
    form_record_free(&r);
    form_free(&f);
}

static void test_constraints_use_odk_functions_and_messages(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    char *msg = NULL;
    assert_true(valid(r, "/data/fruits", NULL, "apple pear", NULL, &msg));
    assert_null(msg);
    assert_false(valid(r, "/data/fruits", NULL, "apple pear other", NULL, &msg));
    assert_string_equal(msg, "This answer is not accepted by the form.");
    free(msg);
    assert_true(valid(r, "/data/fruit_other", NULL, "Star fruit", NULL, NULL));
    assert_false(valid(r, "/data/fruit_other", NULL, "Star-fruit 2", NULL, NULL));
    assert_true(valid(r, "/data/age", NULL, "30", NULL, NULL));
    assert_false(valid(r, "/data/age", NULL, "12", "Deutsch", &msg));
    assert_string_equal(msg, "Das Alter muss zwischen 16 und 99 liegen.");
    free(msg);
    assert_false(valid(r, "/data/age", NULL, "12", "Klingon", &msg));
    assert_string_equal(msg, "Age must be between 16 and 99.");
    free(msg);
    assert_false(valid(r, "/data/height", NULL, "0.4", NULL, &msg));
    assert_string_equal(msg, "Too short");
    free(msg);
    /* empty answers meet every constraint (required is another matter) */
    assert_true(valid(r, "/data/age", NULL, "", NULL, &msg));
    assert_null(msg);
    form_record_free(&r);
    form_free(&f);
}

static void test_dates_compare_as_days(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    assert_true(valid(r, "/data/birth_date", NULL, "2024-06-14", NULL, NULL));
    assert_true(valid(r, "/data/birth_date", NULL, "2024-06-15", NULL, NULL));
    assert_false(valid(r, "/data/birth_date", NULL, "2024-06-16", NULL, NULL));
    assert_true(valid(r, "/data/birth_date", NULL, "1999-12-31", NULL, NULL));
    form_record_free(&r);
    form_free(&f);
}

static void test_values_are_checked_against_their_type(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    static const struct {
        const char *path, *value;
        bool ok;
    } cases[] = {
        {"/data/age", "42", true}, {"/data/age", "4.2", false}, {"/data/age", "x", false},
        {"/data/age", "99999999999", false}, {"/data/height", "1.75", true},
        {"/data/height", "1,75", false}, {"/data/height", "-", false},
        {"/data/birth_date", "2024-02-29", true}, {"/data/birth_date", "2023-02-29", false},
        {"/data/birth_date", "15.06.2024", false}, {"/data/meeting_time", "10:30", true},
        {"/data/meeting_time", "10:30:15.000+02:00", true}, {"/data/meeting_time", "25:00", false},
        {"/data/seen_at", "2024-01-01T10:00:00.000+01:00", true},
        {"/data/seen_at", "2024-01-01", false}, {"/data/place", "46.05 14.51", true},
        {"/data/place", "46.05 14.51 300 5", true}, {"/data/place", "146 14", false},
        {"/data/place", "46.05", false}, {"/data/code", "any text 123", true},
        {"/data/colour", "red", true}, {"/data/colour", "purple", false},
        {"/data/fruits", "apple", true}, {"/data/fruits", "apple kiwi", false},
        {"/data/details/mood", "ok bad", false}, {"/data/size", "3", true},
        {"/data/size", "6", false}, {"/data/size", "2.5", false},
        {"/data/priorities", "staff time money", true}, {"/data/priorities", "time time", false},
        {"/data/priorities", "time fun", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *msg = NULL;
        bool ok = valid(r, cases[i].path, NULL, cases[i].value, NULL, &msg);
        if (ok != cases[i].ok)
            fail_msg("%s = \"%s\": %s", cases[i].path, cases[i].value, ok ? "accepted" : msg);
        assert_true(ok ? msg == NULL : msg && *msg);
        free(msg);
    }
    char *msg = NULL;
    assert_false(valid(r, "/data/birth_date", NULL, "2023-13-01", NULL, &msg));
    assert_string_equal(msg, "Enter a date as YYYY-MM-DD.");
    free(msg);
    form_record_free(&r);
    form_free(&f);
}

struct problem_log {
    struct strbuf sb;
};

static void on_problem(void *ctx, const struct form_node *n, const char *item, const char *msg)
{
    struct problem_log *p = ctx;
    strbuf_addf(&p->sb, "%s|%s: %s\n", n->path, item, msg);
}

static void test_required_and_finalize_problems(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    const struct form_node *comment = node(f, "/data/details/comment");
    assert_true(form_record_required(r, node(f, "/data/name"), NULL));
    assert_false(form_record_required(r, node(f, "/data/height"), NULL));
    assert_false(form_record_required(r, comment, NULL));
    set(r, "/data/details/mood", NULL, "bad");
    assert_true(form_record_required(r, comment, NULL));
    set(r, "/data/age", NULL, "7");
    struct problem_log p;
    strbuf_init(&p.sb);
    size_t n = form_record_problems(r, "English", on_problem, &p);
    assert_string_equal(p.sb.buf, "/data/name|: An answer is required.\n"
                                  "/data/age|: Age must be between 16 and 99.\n"
                                  "/data/fruits|: An answer is required.\n"
                                  "/data/ack|: An answer is required.\n"
                                  "/data/details/comment|: An answer is required.\n");
    assert_int_equal(n, 5);
    strbuf_reset(&p.sb);
    set(r, "/data/age", NULL, "");
    set(r, "/data/details/mood", NULL, "ok");
    form_record_problems(r, "English", on_problem, &p);
    assert_non_null(strstr(p.sb.buf, "/data/age|: Please give the age.\n"));
    assert_null(strstr(p.sb.buf, "comment"));
    strbuf_free(&p.sb);
    form_record_free(&r);
    form_free(&f);
}

static void test_first_load_applies_preloads_defaults_and_setvalue(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    struct seen s = {0};
    strbuf_init(&s.log);
    struct form_events ev = {on_changed, on_item, &s};
    struct form_env env = {"dev-1", "ana"};
    struct error err = ERROR_INIT;
    assert_true(form_record_first_load(r, &env, &ev, &err));
    assert_string_equal(form_record_get(r, "/data/deviceid", NULL), "dev-1");
    assert_string_equal(form_record_get(r, "/data/username", NULL), "ana");
    assert_string_equal(form_record_get(r, "/data/today", NULL), "2024-06-15");
    assert_string_equal(form_record_get(r, "/data/start", NULL), "2024-06-15T12:00:00.000+00:00");
    assert_string_equal(form_record_get(r, "/data/end", NULL), "");
    assert_string_equal(form_record_get(r, "/data/code", NULL), "C-dev-1");
    const char *id = form_record_get(r, "/data/meta/instanceID", NULL);
    assert_int_equal(strlen(id), 41);
    assert_memory_equal(id, "uuid:", 5);
    assert_non_null(strstr(s.log.buf, "/data/details/mood|=ok\n"));
    assert_non_null(strstr(s.log.buf, "/data/code|=C-dev-1\n"));
    assert_non_null(strstr(s.log.buf, "/data/deviceid|=dev-1\n"));
    char *want = xasprintf("/data/meta/instanceID|=%s\n", id);
    assert_non_null(strstr(s.log.buf, want));
    free(want);
    assert_int_equal(s.items, 0);
    strbuf_reset(&s.log);
    setenv("IMAS_SURVEY_NOW_MS", "1718456400000", 1); /* an hour later */
    form_record_finalize(r, &ev);
    setenv("IMAS_SURVEY_NOW_MS", NOW_MS, 1);
    assert_string_equal(form_record_get(r, "/data/end", NULL), "2024-06-15T13:00:00.000+00:00");
    assert_string_equal(s.log.buf, "/data/end|=2024-06-15T13:00:00.000+00:00\n");
    strbuf_free(&s.log);
    form_record_free(&r);
    form_free(&f);
}

static void test_calculate_reports_each_change_once(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    struct seen s = {0};
    strbuf_init(&s.log);
    set(r, "/data/name", NULL, "Ana");
    set(r, "/data/colour", NULL, "green");
    form_record_calculate(r, on_changed, &s);
    assert_string_equal(s.log.buf, "/data/summary|=Ana (Green)\n");
    strbuf_reset(&s.log);
    form_record_calculate(r, on_changed, &s);
    assert_string_equal(s.log.buf, "");
    strbuf_free(&s.log);
    form_record_free(&r);
    form_free(&f);
}

static void test_repeats_calculate_per_instance(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    struct form_record *r = form_record_new(f);
    const struct form_node *kid = node(f, "/data/kid");
    assert_int_equal(form_record_repeat_count(r, kid, NULL), 0);
    set(r, "/data/n_kids", NULL, "2");
    assert_int_equal(form_record_repeat_count(r, kid, NULL), 2);
    assert_int_equal(form_record_repeat_count(r, node(f, "/data/roster"), NULL), -1);
    add(r, "/data/kid", NULL, "k1");
    add(r, "/data/kid", NULL, "k2");
    set(r, "/data/kid/kid_name", "k1", "Ann");
    set(r, "/data/kid/kid_age", "k1", "12");
    set(r, "/data/kid/kid_name", "k2", "Bob");
    set(r, "/data/kid/kid_age", "k2", "5");
    struct seen s = {0};
    strbuf_init(&s.log);
    form_record_calculate(r, on_changed, &s);
    assert_string_equal(form_record_get(r, "/data/kid/older", "k1"), "yes");
    assert_string_equal(form_record_get(r, "/data/kid/older", "k2"), "no");
    assert_string_equal(form_record_get(r, "/data/kid/pos", "k2"), "2");
    assert_string_equal(form_record_get(r, "/data/total_age", NULL), "17");
    assert_string_equal(form_record_get(r, "/data/first_kid", NULL), "Ann");
    assert_non_null(strstr(s.log.buf, "/data/kid/older|k2=no\n"));
    assert_non_null(strstr(s.log.buf, "/data/total_age|=17\n"));
    /* labels with outputs, per instance */
    char *label = form_record_text(r, &node(f, "/data/kid/kid_age")->label,
                                   node(f, "/data/kid/kid_age"), "k2", NULL);
    assert_string_equal(label, "Age of Bob");
    free(label);
    label = form_record_text(r, &node(f, "/data/kid/kid_name")->label,
                             node(f, "/data/kid/kid_name"), "k2", NULL);
    assert_string_equal(label, "Name of child 2");
    free(label);
    /* removing an instance takes its values */
    assert_true(form_record_remove_item(r, "k1"));
    assert_false(form_record_remove_item(r, "k1"));
    assert_null(form_record_get(r, "/data/kid/kid_name", "k1"));
    form_record_calculate(r, NULL, NULL);
    assert_string_equal(form_record_get(r, "/data/total_age", NULL), "5");
    assert_string_equal(form_record_get(r, "/data/kid/pos", "k2"), "1");
    assert_int_equal(form_record_item_count(r, "/data/kid", NULL), 1);
    strbuf_free(&s.log);
    form_record_free(&r);
    form_free(&f);
}

static void test_nested_repeats_need_their_parent_item(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    struct form_record *r = form_record_new(f);
    add(r, "/data/kid", NULL, "k1");
    struct error err = ERROR_INIT;
    assert_false(form_record_add_item(r, "/data/kid/toy", NULL, "t0", &err));
    assert_string_equal(err.msg, "/data/kid/toy needs the item of /data/kid it belongs to");
    error_clear(&err);
    assert_false(form_record_add_item(r, "/data/kid", NULL, "k1", &err));
    error_clear(&err);
    assert_false(form_record_add_item(r, "/data/n_kids", NULL, "x", &err));
    error_clear(&err);
    add(r, "/data/kid/toy", "k1", "t1");
    set(r, "/data/kid/toy/toy_name", "t1", "ball");
    assert_string_equal(form_record_get(r, "/data/kid/toy/toy_name", "t1"), "ball");
    /* a field of the parent instance, named from the child's item */
    set(r, "/data/kid/kid_age", "t1", "5");
    assert_string_equal(form_record_get(r, "/data/kid/kid_age", "k1"), "5");
    const struct form_node *toy = node(f, "/data/kid/toy/toy_name");
    assert_true(form_record_relevant(r, toy, "t1"));
    set(r, "/data/kid/kid_age", "k1", "15");
    assert_false(form_record_relevant(r, toy, "t1"));
    assert_int_equal(form_record_item_count(r, "/data/kid/toy", "k1"), 1);
    assert_true(form_record_remove_item(r, "k1"));
    assert_null(form_record_get(r, "/data/kid/toy/toy_name", "t1"));
    assert_false(form_record_remove_item(r, "t1"));
    form_record_free(&r);
    form_free(&f);
}

static void test_prefilled_instances_and_new_repeat_setvalue(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    assert_int_equal(node(f, "/data/roster")->prefilled, 1);
    struct form_record *r = form_record_new(f);
    assert_int_equal(form_record_item_count(r, "/data/roster", NULL), 0);
    struct seen s = {0};
    strbuf_init(&s.log);
    struct form_events ev = {on_changed, on_item, &s};
    struct error err = ERROR_INIT;
    assert_true(form_record_first_load(r, NULL, &ev, &err));
    assert_int_equal(s.items, 1);
    assert_int_equal(form_record_item_count(r, "/data/roster", NULL), 1);
    assert_string_equal(form_record_get(r, "/data/roster/code", s.last_item), "P01");
    char *want = xasprintf("+/data/roster||%s\n/data/roster/code|%s=P01\n/data/roster/role|%s=teacher\n",
                           s.last_item, s.last_item, s.last_item);
    assert_non_null(strstr(s.log.buf, want));
    free(want);
    const struct form_node *cnote = node(f, "/data/roster/consent_note");
    char *label = form_record_text(r, &cnote->label, cnote, s.last_item, NULL);
    assert_string_equal(label, "Do not quote P01.");
    free(label);
    strbuf_reset(&s.log);
    assert_true(form_record_new_item(r, "/data/note", NULL, "n1", &ev, &err));
    assert_string_equal(form_record_get(r, "/data/note/started_at", "n1"),
                        "2024-06-15T12:00:00.000+00:00");
    assert_non_null(strstr(s.log.buf, "/data/note/started_at|n1=2024-06-15T12:00:00.000+00:00\n"));
    assert_non_null(strstr(s.log.buf, "/data/n_notes|=1\n"));
    strbuf_free(&s.log);
    form_record_free(&r);
    form_free(&f);
}

static void test_itemset_over_the_main_instance(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    struct form_record *r = form_record_new(f);
    add(r, "/data/roster", NULL, "p1");
    add(r, "/data/roster", NULL, "p2");
    add(r, "/data/roster", NULL, "p3");
    set(r, "/data/roster/code", "p1", "P07");
    set(r, "/data/roster/role", "p1", "assistant");
    set(r, "/data/roster/code", "p3", "P09");
    add(r, "/data/note", NULL, "n1");
    const struct form_node *speaker = node(f, "/data/note/speaker");
    struct form_option *o;
    size_t n = form_record_options(r, speaker, "n1", NULL, &o);
    assert_int_equal(n, 2);
    assert_string_equal(o[0].value, "P07");
    assert_string_equal(o[0].label, "P07");
    assert_string_equal(o[1].value, "P09");
    form_options_free(&o, n);
    assert_null(o);
    assert_true(valid(r, "/data/note/speaker", "n1", "P07", NULL, NULL));
    assert_false(valid(r, "/data/note/speaker", "n1", "P08", NULL, NULL));
    set(r, "/data/note/speaker", "n1", "P07");
    form_record_calculate(r, NULL, NULL);
    assert_string_equal(form_record_get(r, "/data/note/speaker_role", "n1"), "assistant");
    assert_string_equal(form_record_get(r, "/data/note/speaker_name", "n1"), "P07");
    form_record_free(&r);
    form_free(&f);
}

static void test_itemset_filtered_with_current(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-all-controls.xml");
    struct form_record *r = form_record_new(f);
    const struct form_node *region = node(f, "/data/region");
    struct form_option *o;
    size_t n = form_record_options(r, region, NULL, NULL, &o);
    assert_int_equal(n, 0);
    form_options_free(&o, n);
    set(r, "/data/country", NULL, "AT");
    n = form_record_options(r, region, NULL, NULL, &o);
    assert_int_equal(n, 2);
    assert_string_equal(o[1].value, "tyr");
    assert_string_equal(o[1].label, "Tyrol");
    form_options_free(&o, n);
    n = form_record_options(r, node(f, "/data/colour"), NULL, "Deutsch", &o);
    assert_int_equal(n, 3);
    assert_string_equal(o[0].label, "Rot");
    assert_string_equal(o[2].label, "Blue");
    form_options_free(&o, n);
    char *text = form_record_text(r, &node(f, "/data/greeting")->label, node(f, "/data/greeting"),
                                  NULL, NULL);
    assert_string_equal(text, "Hello , you are .");
    free(text);
    set(r, "/data/name", NULL, "Ana");
    set(r, "/data/age", NULL, "30");
    text = form_record_text(r, &node(f, "/data/greeting")->label, node(f, "/data/greeting"), NULL,
                            NULL);
    assert_string_equal(text, "Hello Ana, you are 30.");
    free(text);
    assert_string_equal(form_text(f, &node(f, "/data/greeting")->label, NULL),
                        "Hello ${/data/name}, you are ${/data/age}.");
    form_record_free(&r);
    form_free(&f);
}

static void test_expressions_without_namespaces_match(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-namespaces.xml");
    struct form_record *r = form_record_new(f);
    struct error err = ERROR_INIT;
    assert_true(form_record_first_load(r, NULL, NULL, &err));
    assert_string_equal(form_record_get(r, "/data/b", NULL), "default b");
    const struct form_node *b = node(f, "/data/b");
    assert_false(form_record_relevant(r, b, NULL));
    set(r, "/data/a", NULL, "4");
    assert_true(form_record_relevant(r, b, NULL));
    form_record_calculate(r, NULL, NULL);
    const char *id = form_record_get(r, "/data/meta/instanceID", NULL);
    char *want = xasprintf("4-%s-%s", id, id);
    assert_string_equal(form_record_get(r, "/data/c", NULL), want);
    free(want);
    char *label = form_record_text(r, &b->label, b, NULL, NULL);
    assert_string_equal(label, "B (4)");
    free(label);
    form_record_free(&r);
    form_free(&f);
}

static void test_record_set_refuses_what_is_not_a_field(void **state)
{
    (void)state;
    struct form *f = load("tests/data/forms/good-repeats.xml");
    struct form_record *r = form_record_new(f);
    struct error err = ERROR_INIT;
    assert_false(form_record_set(r, "/data/nope", NULL, "x", &err));
    assert_string_equal(err.msg, "the record has no field /data/nope");
    assert_false(form_record_set(r, "/data/meta", NULL, "x", &err));
    assert_string_equal(err.msg, "/data/meta is a group, not a field");
    assert_false(form_record_set(r, "/data/roster/code", NULL, "x", &err));
    assert_false(form_record_set(r, "/data/roster/code", "ghost", "x", &err));
    assert_false(form_record_set(r, "/data/n_kids", NULL, "\xff", &err));
    assert_string_equal(err.msg, "the value of /data/n_kids is not valid UTF-8");
    error_clear(&err);
    assert_null(form_record_get(r, "/data/roster/code", NULL));
    assert_string_equal(form_record_get(r, "/data/n_kids", NULL), "");
    /* text is stored as text, never parsed as markup */
    set(r, "/data/n_kids", NULL, "<a>&amp; \"Žluťoučký\"");
    assert_string_equal(form_record_get(r, "/data/n_kids", NULL), "<a>&amp; \"Žluťoučký\"");
    form_record_free(&r);
    form_free(&f);
}

/* ---- the ODK functions ------------------------------------------------ */

static char *xml_attr(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (; *s; s++) {
        if (*s == '<')
            strbuf_adds(&sb, "&lt;");
        else if (*s == '>')
            strbuf_adds(&sb, "&gt;");
        else if (*s == '&')
            strbuf_adds(&sb, "&amp;");
        else if (*s == '"')
            strbuf_adds(&sb, "&quot;");
        else
            strbuf_addc(&sb, *s);
    }
    return strbuf_detach(&sb);
}

static void test_odk_functions(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b, *list, *expr, *want;
    } cases[] = {
        {"x", "y", "", "concat(/data/a, '-', /data/b)", "x-y"},
        {"x", "", "", "concat(/data/a)", "x"},
        {"", "", "", "coalesce(/data/a, 'none')", "none"},
        {"x", "", "", "if(/data/a = 'x', 'yes', 'no')", "yes"},
        {"", "", "a b c", "selected(/data/list, 'b')", "true"},
        {"", "", "a b c", "selected(/data/list, 'd')", "false"},
        {"", "", "a b c", "count-selected(/data/list)", "3"},
        {"", "", "a b c", "selected-at(/data/list, 1)", "b"},
        {"abc", "", "", "regex(/data/a, '^[a-z]+$')", "true"},
        {"", "", "", "regex('A1', '^\\w\\d$')", "true"},
        {"", "", "", "regex('AB', '^\\w\\d$')", "false"},
        {"", "", "", "string-length('Žluťoučký')", "9"},
        {"", "", "", "substr('Bulgarian Българ', 10)", "Българ"},
        {"", "", "", "substr('abcdef', 1, 3)", "bc"},
        {"", "", "", "int(-3.7)", "-3"},
        {"", "", "", "round(2.345, 2)", "2.35"},
        {"", "", "", "round(2.5)", "3"},
        {"12", "", "", "number(/data/a) + 1", "13"},
        {"", "", "", "boolean-from-string('true')", "true"},
        {"", "", "", "boolean-from-string('yes')", "false"},
        {"", "", "", "join('-', 'a', 'b')", "a-b"},
        {"", "", "", "min(3, 1, 2)", "1"},
        {"4", "7", "", "max(/data/a, /data/b)", "7"},
        {"4", "7", "", "sum(/data/a | /data/b)", "11"},
        {"4", "", "", "count-non-empty(/data/a | /data/b)", "1"},
        {"", "", "", "format-date('2024-03-05', '%Y/%m/%d %b %e %a')", "2024/03/05 Mar 5 Tue"},
        {"", "", "", "date(decimal-date-time('2024-02-28') + 2)", "2024-03-01"},
        {"2024-06-10", "", "", "today() - /data/a", "5"},
        {"2024-06-10", "", "", "/data/a < '2024-06-11'", "true"},
        {"", "", "", "decimal-date-time('1970-01-02T12:00:00Z')", "1.5"},
        {"", "", "", "decimal-time('18:00')", "0.75"},
        {"", "", "", "string-length(uuid())", "36"},
        {"", "", "", "string-length(uuid(8))", "8"},
        {"", "", "", "once('first')", "first"},
        {"", "", "", "pow(2, 10) + abs(-2)", "1026"},
        {"", "", "", "ends-with('report.pdf', '.pdf')", "true"},
        {"", "", "", "checklist(2, -1, 'true', 'false', '1')", "true"},
        {"", "", "", "weighted-checklist(5, -1, 'true', 2, '1', 2)", "false"},
        {"", "", "", "normalize-space('  a   b ')", "a b"},
        {"", "", "", "position(..)", "1"},
        {"", "", "", "string(pi() > 3.14)", "true"},
        {"", "", "", "1 div 0 > 1", "true"},
        {"", "", "", "number('x')", ""},
    };
    setenv("IMAS_SURVEY_NOW_MS", NOW_MS, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = xml_attr(cases[i].expr);
        char *attrs = xasprintf("calculate=\"%s\"", e);
        char *xml = one_bind_form(attrs);
        struct error err = ERROR_INIT;
        struct form *f = form_load_memory(xml, strlen(xml), "calc.xml", &err);
        if (!f)
            fail_msg("%s: %s", cases[i].expr, err.msg);
        struct form_record *r = form_record_new(f);
        set(r, "/data/a", NULL, cases[i].a);
        set(r, "/data/b", NULL, cases[i].b);
        set(r, "/data/list", NULL, cases[i].list);
        form_record_calculate(r, NULL, NULL);
        const char *got = form_record_get(r, "/data/out", NULL);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\" (%s)", cases[i].expr, got, cases[i].want,
                     form_record_error(r) ? form_record_error(r) : "no error");
        form_record_free(&r);
        form_free(&f);
        free(xml), free(attrs), free(e);
    }
}

static void test_evaluation_errors_do_not_break_the_record(void **state)
{
    (void)state;
    char *xml = one_bind_form("calculate=\"regex(/data/a, '(')\"");
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory(xml, strlen(xml), "t.xml", &err);
    assert_non_null(f);
    struct form_record *r = form_record_new(f);
    set(r, "/data/a", NULL, "x");
    form_record_calculate(r, NULL, NULL);
    assert_string_equal(form_record_get(r, "/data/out", NULL), "");
    assert_non_null(form_record_error(r));
    assert_non_null(strstr(form_record_error(r), "invalid regular expression"));
    form_record_free(&r);
    form_free(&f);
    free(xml);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("TZ", "UTC", 1);
    tzset();
    setenv("IMAS_SURVEY_NOW_MS", NOW_MS, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_construct_loads),
        cmocka_unit_test(test_text_falls_back_to_the_default_language),
        cmocka_unit_test(test_hash_and_source_are_of_the_file_bytes),
        cmocka_unit_test(test_oversized_form_is_refused),
        cmocka_unit_test(test_every_bad_form_gives_its_golden_error),
        cmocka_unit_test(test_expression_errors_are_found_at_load),
        cmocka_unit_test(test_tree_text_is_stable),
        cmocka_unit_test(test_catalog_keeps_the_first_form_and_lists_broken_ones),
        cmocka_unit_test(test_shipped_forms_load_and_start),
        cmocka_unit_test(test_relevance_follows_the_answers),
        cmocka_unit_test(test_relevance_inside_repeat_instances),
        cmocka_unit_test(test_constraints_use_odk_functions_and_messages),
        cmocka_unit_test(test_dates_compare_as_days),
        cmocka_unit_test(test_values_are_checked_against_their_type),
        cmocka_unit_test(test_required_and_finalize_problems),
        cmocka_unit_test(test_first_load_applies_preloads_defaults_and_setvalue),
        cmocka_unit_test(test_calculate_reports_each_change_once),
        cmocka_unit_test(test_repeats_calculate_per_instance),
        cmocka_unit_test(test_nested_repeats_need_their_parent_item),
        cmocka_unit_test(test_prefilled_instances_and_new_repeat_setvalue),
        cmocka_unit_test(test_itemset_over_the_main_instance),
        cmocka_unit_test(test_itemset_filtered_with_current),
        cmocka_unit_test(test_expressions_without_namespaces_match),
        cmocka_unit_test(test_record_set_refuses_what_is_not_a_field),
        cmocka_unit_test(test_odk_functions),
        cmocka_unit_test(test_evaluation_errors_do_not_break_the_record),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
