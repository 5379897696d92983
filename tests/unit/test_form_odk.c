/* test_form_odk.c: the XForms constructs that real ODK forms use, each in
 * its own small form (tests/data/forms/good-*.xml) whose
 * `--check-form --lang all` text is kept beside it (good-*.golden), and
 * what each does over a record: relative binds, merged duplicate binds,
 * jr:itext() in expressions, metadata preloads, setvalue on
 * xforms-value-changed and odk-new-repeat, an empty default="" on a
 * translation, calculate cycles, <upload>. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "form/markup.h"
#include "form/record.h"
#include "form/tree.h"

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = xmalloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    fclose(fp);
    return buf;
}

static struct form *load(const char *name)
{
    char *path = xasprintf("%s/tests/data/forms/%s", srcdir(), name);
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(path, &err);
    if (!f)
        fail_msg("%s: %s", path, err.msg);
    free(path);
    return f;
}

static struct form *load_xml(const char *xml, struct error *err)
{
    return form_load_memory(xml, strlen(xml), "mem.xml", err);
}

static void set(struct form_record *r, const char *field, const char *item, const char *value)
{
    struct error err = ERROR_INIT;
    if (!form_record_set(r, field, item, value, &err))
        fail_msg("set %s: %s", field, err.msg);
}

static void expect(struct form_record *r, const char *field, const char *item, const char *want)
{
    const char *got = form_record_get(r, field, item);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", field, got ? got : "(none)", want);
}

/* Every good-*.xml with a .golden prints exactly that with --lang all. */
static void test_construct_forms_match_their_golden(void **state)
{
    (void)state;
    char *dir = xasprintf("%s/tests/data/forms", srcdir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int checked = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t n = strlen(de->d_name);
        if (strncmp(de->d_name, "good-", 5) != 0 || n < 5 || strcmp(de->d_name + n - 4, ".xml"))
            continue;
        char *golden_path = xasprintf("%s/%.*s.golden", dir, (int)(n - 4), de->d_name);
        char *golden = read_text(golden_path);
        if (golden) {
            struct form *f = load(de->d_name);
            char *text = form_tree_text_all(f);
            if (strcmp(text, golden) != 0)
                fail_msg("%s differs from %s:\n%s", de->d_name, golden_path, text);
            free(text);
            form_free(&f);
            checked++;
        }
        free(golden);
        free(golden_path);
    }
    closedir(d);
    free(dir);
    assert_true(checked >= 7);
}

static void test_relative_binds_and_refs_name_instance_nodes(void **state)
{
    (void)state;
    struct form *f = load("good-relative-bind.xml");
    const struct form_bind *b = form_bind(f, "/data/name/first");
    assert_non_null(b);
    assert_string_equal(b->required, "true()");
    assert_int_equal(form_bind(f, "/data/age")->type, FORM_TYPE_INT);
    const struct form_node *n = form_find(f, "/data/name/first");
    assert_non_null(n);
    assert_ptr_equal(n->bind, b);
    assert_non_null(form_find(f, "/data/age"));
    form_free(&f);
}

static void test_duplicate_binds_merge_and_contradictions_name_both_lines(void **state)
{
    (void)state;
    struct form *f = load("good-duplicate-bind.xml");
    const struct form_bind *b = form_bind(f, "/data/b");
    assert_string_equal(b->relevant, "/data/a > 1");
    assert_string_equal(b->constraint, "string-length(.) > 2");
    assert_string_equal(form_text(f, &b->constraint_msg, NULL), "Too short");
    assert_int_equal(form_bind(f, "/data/a")->type, FORM_TYPE_INT);
    form_free(&f);

    const char *xml =
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
        "<h:head><h:title>t</h:title><model><instance><data id=\"t\"><a/></data></instance>\n"
        "<bind nodeset=\"/data/a\" relevant=\"true()\"/>\n"
        "<bind nodeset=\"a\" relevant=\"false()\"/>\n"
        "</model></h:head><h:body><input ref=\"/data/a\"><label>A</label></input></h:body></h:html>";
    struct error err = ERROR_INIT;
    assert_null(load_xml(xml, &err));
    char *m = error_format(&err);
    assert_string_equal(m, "mem.xml:3: bind for /data/a says relevant=\"false()\", the bind on "
                           "line 2 says \"true()\"");
    free(m);
    error_clear(&err);

    const char *msgs =
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\" "
        "xmlns:jr=\"http://openrosa.org/javarosa\">"
        "<h:head><h:title>t</h:title><model><instance><data id=\"t\"><a/></data></instance>\n"
        "<bind nodeset=\"/data/a\" jr:constraintMsg=\"Too big\"/>\n"
        "<bind nodeset=\"/data/a\" jr:constraintMsg=\" Too big \"/>\n"
        "<bind nodeset=\"/data/a\" jr:constraintMsg=\"Too small\"/>\n"
        "</model></h:head><h:body><input ref=\"/data/a\"><label>A</label></input></h:body></h:html>";
    assert_null(load_xml(msgs, &err));
    m = error_format(&err);
    assert_string_equal(m, "mem.xml:4: bind for /data/a says jr:constraintMsg=\"Too small\", the "
                           "bind on line 2 says \"Too big\"");
    free(m);
    error_clear(&err);
}

static void test_itext_function_gives_the_text_in_the_language(void **state)
{
    (void)state;
    struct form *f = load("good-itext-function.xml");
    struct form_record *r = form_record_new(f);
    assert_true(form_record_first_load(r, NULL, NULL, NULL));
    set(r, "/data/fruit", NULL, "pear");
    form_record_calculate(r, NULL, NULL);
    expect(r, "/data/fruit_label", NULL, "Pear"); /* stored: the default language */
    const struct form_node *n = form_find(f, "/data/shown");
    char *de = form_record_text(r, &n->hint, n, NULL, "de");
    char *en = form_record_text(r, &n->hint, n, NULL, "en");
    assert_string_equal(de, "Zum Beispiel: Birne");
    assert_string_equal(en, "For example: Pear");
    free(de);
    free(en);
    char *label = form_record_text(r, &n->label, n, NULL, "de");
    assert_string_equal(label, "Gewählt: Pear");
    free(label);
    assert_null(form_record_error(r));
    form_record_free(&r);
    form_free(&f);
}

static void test_preloads_on_a_laptop(void **state)
{
    (void)state;
    struct form *f = load("good-preloads.xml");
    struct form_record *r = form_record_new(f);
    struct form_env env = {"device-7", "Ana Novak"};
    assert_true(form_record_first_load(r, &env, NULL, NULL));
    expect(r, "/data/deviceid", NULL, "device-7");
    expect(r, "/data/username", NULL, "Ana Novak");
    expect(r, "/data/context_user", NULL, "Ana Novak");
    expect(r, "/data/subscriberid", NULL, "");
    expect(r, "/data/simserial", NULL, "");
    expect(r, "/data/phonenumber", NULL, "");
    expect(r, "/data/email", NULL, "");
    assert_int_equal(strlen(form_record_get(r, "/data/today", NULL)), 10);
    assert_true(strlen(form_record_get(r, "/data/start", NULL)) >= 19);
    expect(r, "/data/end", NULL, "");
    form_record_finalize(r, NULL);
    assert_true(strlen(form_record_get(r, "/data/end", NULL)) >= 19);
    form_record_free(&r);
    form_free(&f);
}

struct seen {
    char log[512];
};

static void on_changed(void *ctx, const char *field, const char *item, const char *value)
{
    (void)item;
    struct seen *s = ctx;
    size_t n = strlen(s->log);
    snprintf(s->log + n, sizeof s->log - n, "%s=%s;", field, value);
}

static void test_setvalue_runs_when_the_control_changes(void **state)
{
    (void)state;
    struct form *f = load("good-value-changed.xml");
    struct form_record *r = form_record_new(f);
    struct seen s = {""};
    struct form_events ev = {on_changed, NULL, &s};
    assert_true(form_record_first_load(r, NULL, NULL, NULL));
    set(r, "/data/weight", NULL, "70.5");
    assert_true(form_record_value_changed(r, "/data/weight", NULL, &ev));
    expect(r, "/data/weighed_at", NULL, "weighed 70.5");
    expect(r, "/data/changes", NULL, "1");
    assert_string_equal(s.log, "/data/weighed_at=weighed 70.5;/data/changes=1;");
    set(r, "/data/weight", NULL, "71");
    assert_true(form_record_value_changed(r, "/data/weight", NULL, &ev));
    expect(r, "/data/changes", NULL, "2");
    /* no action on another field */
    assert_false(form_record_value_changed(r, "/data/changes", NULL, &ev));

    struct error err = ERROR_INIT;
    assert_true(form_record_new_item(r, "/data/visit", NULL, "i1", NULL, &err));
    assert_true(form_record_new_item(r, "/data/visit", NULL, "i2", NULL, &err));
    expect(r, "/data/visit/number", "i1", "1");
    expect(r, "/data/visit/number", "i2", "2");
    set(r, "/data/visit/child", "i2", "Mila");
    assert_true(form_record_value_changed(r, "/data/visit/child", "i2", NULL));
    expect(r, "/data/visit/child_changed", "i2", "4");
    expect(r, "/data/visit/child_changed", "i1", "");
    form_record_free(&r);
    form_free(&f);
}

static void test_empty_default_attribute_marks_the_default_language(void **state)
{
    (void)state;
    struct form *f = load("good-default-empty.xml");
    assert_string_equal(form_default_language(f), "English (en)");
    const struct form_node *n = form_find(f, "/data/q");
    assert_string_equal(form_text(f, &n->hint, "fr"), "Only in English");
    assert_string_equal(form_text(f, &n->label, "fr"), "Question");
    assert_string_equal(form_text(f, &n->label, NULL), "Question in English");
    form_free(&f);
}

static void test_calculate_cycles_are_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *binds, *msg;
    } cases[] = {
        {"<bind nodeset=\"/data/a\" calculate=\". + 1\"/>",
         "mem.xml:2: calculations depend on each other in a cycle: /data/a -> /data/a"},
        {"<bind nodeset=\"/data/a\" calculate=\"/data/b\"/>\n"
         "<bind nodeset=\"/data/b\" calculate=\"../c * 2\"/>\n"
         "<bind nodeset=\"/data/c\" calculate=\"current()/../a\"/>",
         "mem.xml:2: calculations depend on each other in a cycle: /data/a -> /data/b -> "
         "/data/c -> /data/a"},
        {"<bind nodeset=\"/data/r/x\" calculate=\"/data/r/y + 1\"/>\n"
         "<bind nodeset=\"/data/r/y\" calculate=\"../x\"/>",
         "mem.xml:2: calculations depend on each other in a cycle: /data/r/x -> /data/r/y -> "
         "/data/r/x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *xml = xasprintf(
            "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
            "<h:head><h:title>t</h:title><model><instance><data id=\"t\"><a/><b/><c/>"
            "<r><x/><y/></r></data></instance>\n%s\n</model></h:head><h:body>"
            "<input ref=\"/data/a\"><label>A</label></input>"
            "<repeat nodeset=\"/data/r\"><input ref=\"/data/r/x\"><label>X</label></input></repeat>"
            "</h:body></h:html>", cases[i].binds);
        struct error err = ERROR_INIT;
        struct form *f = load_xml(xml, &err);
        if (f)
            fail_msg("loaded: %s", cases[i].binds);
        char *m = error_format(&err);
        if (strcmp(m, cases[i].msg) != 0)
            fail_msg("got      %s\nexpected %s", m, cases[i].msg);
        free(m);
        error_clear(&err);
        free(xml);
    }
    /* a chain, a predicate's own context and a secondary instance are no cycle */
    const char *ok =
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
        "<h:head><h:title>t</h:title><model><instance><data id=\"t\"><a/><b/><c/><name/></data>"
        "</instance><instance id=\"l\"><root><item><name>x</name></item></root></instance>\n"
        "<bind nodeset=\"/data/a\" calculate=\"/data/b + /data/c\"/>\n"
        "<bind nodeset=\"/data/b\" calculate=\"/data/c * 2\"/>\n"
        "<bind nodeset=\"/data/c\" calculate=\"count(instance('l')/root/item[name = 'x'])\"/>\n"
        "<bind nodeset=\"/data/name\" calculate=\"instance('l')/root/item[name = /data/a]/name\"/>\n"
        "</model></h:head><h:body><input ref=\"/data/a\"><label>A</label></input></h:body></h:html>";
    struct error err = ERROR_INIT;
    struct form *f = load_xml(ok, &err);
    if (!f)
        fail_msg("%s", err.msg);
    form_free(&f);
}

static void test_upload_is_a_media_question(void **state)
{
    (void)state;
    struct form *f = load("good-upload.xml");
    const struct form_node *n = form_find(f, "/data/photo");
    assert_int_equal(n->kind, FORM_UPLOAD);
    assert_int_equal(n->type, FORM_TYPE_BINARY);
    assert_string_equal(n->mediatype, "image/*");
    assert_string_equal(form_find(f, "/data/voice")->mediatype, "audio/*");
    assert_string_equal(form_find(f, "/data/clip")->mediatype, "video/*");
    assert_null(form_find(f, "/data/any")->mediatype);
    assert_string_equal(form_kind_name(n->kind), "upload");
    form_free(&f);
}

/* randomize(): every choice once; with a seed, the same order each time */
static void test_randomize_shuffles_choices(void **state)
{
    (void)state;
    struct form *f = load("real/javarosa-randomize.xml");
    struct form_record *r = form_record_new(f);
    struct form_option *a, *b, *c;
    size_t na = form_record_options(r, form_find(f, "/randomize/seededFruit1"), NULL, NULL, &a);
    size_t nb = form_record_options(r, form_find(f, "/randomize/seededFruit2"), NULL, NULL, &b);
    size_t nc = form_record_options(r, form_find(f, "/randomize/fruit1"), NULL, NULL, &c);
    assert_int_equal(na, 6);
    assert_int_equal(nb, 6);
    assert_int_equal(nc, 6);
    bool same_as_document = true;
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(a[i].value, b[i].value);
        static const char *const doc[] = {"apple", "banana", "cherimoya", "durian", "elderberry", "fig"};
        same_as_document = same_as_document && strcmp(a[i].value, doc[i]) == 0;
        size_t hits = 0;
        for (size_t k = 0; k < 6; k++)
            hits += strcmp(c[k].value, doc[i]) == 0;
        assert_int_equal(hits, 1);
    }
    assert_false(same_as_document);
    form_options_free(&a, na);
    form_options_free(&b, nb);
    form_options_free(&c, nc);
    form_record_free(&r);
    form_free(&f);
}

/* XForms lets a control or a setvalue name a <bind id> instead of the
 * node (JavaRosa's form-with-setvalue-action.xml); an unknown id is a load
 * error naming it and the line. */
static void test_controls_and_setvalues_may_name_a_bind_by_id(void **state)
{
    (void)state;
    static const char xml[] =
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">\n"
        "<h:head><h:title>t</h:title><model>\n"
        "<instance><data id=\"b\"><text/><age/></data></instance>\n"
        "<bind id=\"text-binding\" nodeset=\"/data/text\" type=\"string\"/>\n"
        "<bind id=\"age-binding\" nodeset=\"/data/age\" type=\"int\"/>\n"
        "<setvalue bind=\"text-binding\" event=\"odk-instance-first-load\">Test Value</setvalue>\n"
        "</model></h:head>\n"
        "<h:body><input bind=\"age-binding\"><label>Age</label></input></h:body></h:html>\n";
    struct error err = ERROR_INIT;
    struct form *f = load_xml(xml, &err);
    if (!f)
        fail_msg("%s", err.msg);
    const struct form_node *age = form_find(f, "/data/age");
    assert_non_null(age);
    assert_int_equal(age->kind, FORM_INPUT);
    assert_int_equal(age->type, FORM_TYPE_INT);
    struct form_record *r = form_record_new(f);
    assert_true(form_record_first_load(r, NULL, NULL, NULL));
    expect(r, "/data/text", NULL, "Test Value");
    form_record_free(&r);
    form_free(&f);

    char *bad = xstrdup(xml);
    memcpy(strstr(bad, "bind=\"text-binding\" event"), "bind=\"text-bindinx\"", 19);
    assert_null(load_xml(bad, &err));
    assert_non_null(strstr(err.msg, "text-bindinx"));
    assert_int_equal(err.line, 6);
    error_clear(&err);
    free(bad);
}

static void expect_plain(const char *in, const char *want)
{
    char *got = markup_plain(in);
    if (strcmp(got, want) != 0)
        fail_msg("markup_plain(\"%s\"): got \"%s\", want \"%s\"", in, got, want);
    free(got);
}

/* Labels carry ODK Collect's markdown and HTML (Collect's form_styling.xml):
 * a terminal shows their text, as Collect shows it without the styling. */
static void test_label_markup_is_shown_as_plain_text(void **state)
{
    (void)state;
    expect_plain("<span style=\"color:blue\">Note text</span>", "Note text");
    expect_plain("#### <span style=\"color:blue\">Required text</span>", "Required text");
    expect_plain("In notes you can emphasize _words_ or __strongly emphasize__.",
                 "In notes you can emphasize words or strongly emphasize.");
    expect_plain("**bold** and *em* and * not em* and a_b_c", "bold and em and * not em* and abc");
    expect_plain("formatted: ** and _normal_ text", "formatted: ** and normal text");
    expect_plain("\\*not em\\* and \\_kept\\_ \\# \\\\", "*not em* and _kept_ # \\");
    expect_plain("# Title\nline one<br/>line two", "Title\nline one\nline two");
    expect_plain("see [the guide](https://example.org/a_b_c) or [https://x.org](https://x.org)",
                 "see the guide (https://example.org/a_b_c) or https://x.org");
    expect_plain("2 < 1 and <5 years and a <b", "2 < 1 and <5 years and a <b");
    expect_plain("&lt;b&gt; &amp; &#1046;&#x416; &quot;q&quot;", "<b> & ЖЖ \"q\"");
    expect_plain("Привет, <b>мир</b> — \x01!", "Привет, мир — \x01!");
    expect_plain("bell\x07 gone", "bell gone");
    expect_plain("Your random value: \n\t\t\t\t\x01", "Your random value:\n\x01");
    expect_plain("  a  \t b \n  c", "a b\nc");

    /* over a record: labels, choices and outputs; a value put in by an
     * output keeps its marks (it is an answer) */
    static const char xml[] =
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">\n"
        "<h:head><h:title>t</h:title><model>\n"
        "<instance><data id=\"m\"><name/><pick/><pick2/></data></instance>\n"
        "<instance id=\"c\"><root><item><name>x</name><label>*Ex* &amp;lt;i&amp;gt;</label></item></root></instance>\n"
        "</model></h:head><h:body>\n"
        "<input ref=\"/data/name\"><label>&lt;span style=\"color:red\"&gt;**Name** of "
        "<output value=\"/data/name\"/>&lt;/span&gt;</label></input>\n"
        "<select1 ref=\"/data/pick\"><label>Pick</label>"
        "<item><label>&lt;b&gt;One&lt;/b&gt;</label><value>one</value></item></select1>\n"
        "<select1 ref=\"/data/pick2\"><label>Pick</label><itemset nodeset=\"instance('c')/root/item\">"
        "<value ref=\"name\"/><label ref=\"label\"/></itemset></select1>\n"
        "</h:body></h:html>\n";
    struct error err = ERROR_INIT;
    struct form *f = load_xml(xml, &err);
    if (!f)
        fail_msg("%s", err.msg);
    struct form_record *r = form_record_new(f);
    assert_true(form_record_first_load(r, NULL, NULL, NULL));
    set(r, "/data/name", NULL, "_Ann_ <b>");
    const struct form_node *name = form_find(f, "/data/name");
    char *label = form_record_text(r, &name->label, name, NULL, NULL);
    assert_string_equal(label, "Name of _Ann_ <b>");
    free(label);
    const struct form_node *pick = form_find(f, "/data/pick");
    assert_non_null(pick);
    struct form_option *o = NULL;
    size_t n = form_record_options(r, pick, NULL, NULL, &o);
    assert_int_equal(n, 1);
    assert_string_equal(o[0].label, "One");
    form_options_free(&o, n);
    const struct form_node *second = form_find(f, "/data/pick2");
    assert_non_null(second);
    n = form_record_options(r, second, NULL, NULL, &o);
    assert_int_equal(n, 1);
    assert_string_equal(o[0].label, "Ex <i>");
    form_options_free(&o, n);
    form_record_free(&r);
    form_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_construct_forms_match_their_golden),
        cmocka_unit_test(test_relative_binds_and_refs_name_instance_nodes),
        cmocka_unit_test(test_duplicate_binds_merge_and_contradictions_name_both_lines),
        cmocka_unit_test(test_itext_function_gives_the_text_in_the_language),
        cmocka_unit_test(test_preloads_on_a_laptop),
        cmocka_unit_test(test_setvalue_runs_when_the_control_changes),
        cmocka_unit_test(test_empty_default_attribute_marks_the_default_language),
        cmocka_unit_test(test_calculate_cycles_are_load_errors),
        cmocka_unit_test(test_upload_is_a_media_question),
        cmocka_unit_test(test_randomize_shuffles_choices),
        cmocka_unit_test(test_controls_and_setvalues_may_name_a_bind_by_id),
        cmocka_unit_test(test_label_markup_is_shown_as_plain_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
