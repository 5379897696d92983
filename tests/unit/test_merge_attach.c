/* test_merge_attach.c: attachments in a merge: a partner's file arrives
 * with its content (one row per content), and a partner file whose
 * attachment was changed, or whose answer names a file outside a plain
 * name, is refused saying why, changing nothing. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach_fixture.h"
#include "merge/merge.h"


static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 7};

static int setup(void **state)
{
    (void)state;
    return fixture_dir_setup("test_merge_attach");
}

static int teardown(void **state)
{
    (void)state;
    return fixture_dir_teardown();
}

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* Merge input into target: the reason when refused (fresh), else NULL. */
static char *merge(const char *target, const char *input)
{
    const char *inputs[] = {input};
    struct merge_input_result res;
    struct error err = ERROR_INIT;
    if (!merge_run(target, inputs, 1, false, &res, &err))
        fail_msg("%s", err.msg);
    char *why = res.refused ? xstrdup(res.reason) : NULL;
    merge_input_result_clear(&res);
    return why;
}

static void test_partner_attachment_arrives_once(void **state)
{
    (void)state;
    char *a = tpath("a.sqlite"), *b = tpath("b.sqlite"), *t = tpath("t.sqlite");
    char ha[65], hb[65];
    fixture_make(a, "/data/photo", jpeg, sizeof jpeg, "school.jpg", ha);
    fixture_make(b, "/data/photo", jpeg, sizeof jpeg, "same picture.jpg", hb);
    assert_string_equal(ha, hb);
    assert_null(merge(t, a));
    assert_null(merge(t, b));
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM attachments"), 1);
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM answers WHERE field = '/data/photo'"),
                     2);
    /* byte for byte */
    char *q = xasprintf("SELECT count(*) FROM attachments WHERE sha256 = '%s' AND size = %zu AND "
                        "hex(data) = 'FFD8FFE000104A4649460007'",
                        ha, sizeof jpeg);
    assert_int_equal(fixture_int(t, q), 1);
    free(q);
    /* merging again changes no data */
    assert_null(merge(t, a));
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM attachments"), 1);
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM answers"), 2);
    free(a), free(b), free(t);
}

static void expect_refused(const char *t, const char *in, const char *words)
{
    int64_t answers = fixture_int(t, "SELECT count(*) FROM answers");
    int64_t files = fixture_int(t, "SELECT count(*) FROM attachments");
    char *why = merge(t, in);
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("'%s' does not say '%s'", why, words);
    free(why);
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM answers"), answers);
    assert_int_equal(fixture_int(t, "SELECT count(*) FROM attachments"), files);
}

static void test_tampered_attachment_is_refused(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite"), *ok = tpath("ok.sqlite"), *bad = tpath("bad.sqlite");
    char h[65];
    fixture_make(ok, "/data/any", "first", 5, "first.txt", h);
    assert_null(merge(t, ok));
    fixture_make(bad, "/data/photo", jpeg, sizeof jpeg, "school.jpg", h);
    /* one byte changed, the key kept */
    fixture_exec(bad, "UPDATE attachments SET data = X'FFD8FFE1' || substr(data, 5)");
    expect_refused(t, bad, "does not match its SHA-256");
    free(bad);
    /* a size that lies */
    fixture_make(bad = tpath("bad2.sqlite"), "/data/photo", jpeg, sizeof jpeg, "x.jpg", h);
    fixture_exec(bad, "UPDATE attachments SET size = 3");
    expect_refused(t, bad, "does not match its SHA-256 or size");
    free(bad);
    /* text smuggled into the data column */
    fixture_make(bad = tpath("bad3.sqlite"), "/data/photo", jpeg, sizeof jpeg, "x.jpg", h);
    fixture_exec(bad, "UPDATE attachments SET data = CAST(data AS TEXT)");
    expect_refused(t, bad, "does not match");
    free(bad), free(ok), free(t);
}

static void test_attachment_name_leaving_a_directory_is_refused(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite"), *ok = tpath("ok.sqlite");
    char h[65];
    fixture_make(ok, "/data/any", "first", 5, "first.txt", h);
    assert_null(merge(t, ok));
    const char *names[] = {"../../evil", "..", "a/b.jpg", "bell\a.jpg"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *in = xasprintf("%s/evil%zu.sqlite", dir, i);
        fixture_make(in, "/data/photo", jpeg, sizeof jpeg, names[i], h);
        expect_refused(t, in, "not a plain file name");
        free(in);
    }
    /* in a kept version only (the current value is a plain name) */
    char *kept = tpath("kept.sqlite");
    fixture_make(kept, "/data/photo", jpeg, sizeof jpeg, "x.jpg", h);
    fixture_exec(kept, "INSERT INTO answers_versions(record_uuid, item_uuid, "
                       "field, revision, device_id, updated_at, value, "
                       "author, deleted, superseded_at, reason, parents) "
                       "SELECT record_uuid, item_uuid, field, revision, "
                       "device_id, updated_at - 1, replace(value, 'x.jpg', "
                       "'../up.jpg'), author, deleted, updated_at, 'edit', "
                       "'' FROM answers WHERE field = '/data/photo'");
    expect_refused(t, kept, "\"../up.jpg\", which is not a plain file name");
    free(kept);
    /* a name with dots inside, or a leading dot, is a plain name */
    char *in = tpath("fine.sqlite");
    fixture_make(in, "/data/photo", jpeg, sizeof jpeg, ".class..photo.jpg", h);
    assert_null(merge(t, in));
    free(in), free(ok), free(t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_partner_attachment_arrives_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_attachment_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attachment_name_leaving_a_directory_is_refused,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
