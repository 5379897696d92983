/* test_form_dates.c: dates, times and dateTimes as ODK's JavaRosa reads
 * them. A one-digit month, day, hour, minute or second ("1900-1-1") is
 * the date it means, in a form's default and in a typed answer, and is
 * kept padded ("1900-01-01"); a day that does not exist, a month 13 or
 * text stays refused. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "form/dates.h"
#include "form/form.h"
#include "form/record.h"

static void test_unpadded_dates_are_valid(void **state)
{
    (void)state;
    static const char *const dates[] = {"1900-1-1", "2023-3-05", "2023-03-5", "2024-2-29",
                                        "2023-12-31", "2023-1-31"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (!dates_valid_date(dates[i]))
            fail_msg("date \"%s\" refused", dates[i]);
    assert_true(dates_valid_time("9:05"));
    assert_true(dates_valid_time("9:5:3.25+02:00"));
    assert_true(dates_valid_datetime("2023-3-5T9:05"));
    assert_true(dates_valid_datetime("1900-1-1T0:0:0Z"));
}

static void test_garbage_dates_stay_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2023-13-40", "2023-2-30", "2023-13-1", "2023-0-1",  "2023-1-0",  "2023-1-32",
        "2023-2-29",  "text",      "",          "2023-001-01", "2023-1-001", "23-1-1",
        "2023--1",    "2023-1-",   "2023-1",    "2023-1-1x",  "2023-1-1T", "2023-1-1 ",
        " 2023-1-1",  "2023/1/1",  "2023-1-1T25:00", "2023-1-1T9:60",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (dates_valid_date(bad[i]) || dates_valid_datetime(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
        assert_null(dates_normalize(bad[i]));
    }
    assert_false(dates_valid_time("9"));
    assert_false(dates_valid_time("9:"));
    assert_false(dates_valid_time("123:00"));
    assert_false(dates_valid_time("9:05+2:00")); /* a zone keeps its two digits */
    assert_true(isnan(dates_to_days("2023-2-30")));
}

static void test_normalize_pads_one_digit_fields(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"1900-1-1", "1900-01-01"},
        {"2023-3-05", "2023-03-05"},
        {"2023-03-05", "2023-03-05"},
        {"2023-3-5T9:05", "2023-03-05T09:05"},
        {"2023-3-5T9:5:7.5Z", "2023-03-05T09:05:07.5Z"},
        {"2023-3-5T19:05:00.125-05:30", "2023-03-05T19:05:00.125-05:30"},
        {"7:3", "07:03"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = dates_normalize(cases[i].in);
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void test_unpadded_date_is_the_same_day(void **state)
{
    (void)state;
    assert_true(dates_to_days("1900-1-1") == dates_to_days("1900-01-01"));
    assert_true(dates_to_days("2023-3-5T9:05Z") == dates_to_days("2023-03-05T09:05Z"));
    struct dates_fields f;
    assert_true(dates_parse("2024-2-9", &f));
    assert_int_equal(f.y, 2024);
    assert_int_equal(f.mo, 2);
    assert_int_equal(f.d, 9);
}

static const char form_xml[] =
    "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\">"
    "<h:head><h:title>Unpadded</h:title><model><instance>"
    "<data id=\"unpadded\" version=\"1\"><d>1900-1-1</d><t>2023-3-5T9:05</t>"
    "<bad>2023-2-30</bad><s>1900-1-1</s></data></instance>"
    "<bind nodeset=\"/data/d\" type=\"date\"/><bind nodeset=\"/data/t\" type=\"dateTime\"/>"
    "<bind nodeset=\"/data/bad\" type=\"date\"/><bind nodeset=\"/data/s\" type=\"string\"/>"
    "</model></h:head><h:body>"
    "<input ref=\"/data/d\"><label>D</label></input>"
    "<input ref=\"/data/t\"><label>T</label></input>"
    "<input ref=\"/data/bad\"><label>Bad</label></input>"
    "<input ref=\"/data/s\"><label>S</label></input>"
    "</h:body></h:html>";

static void on_changed(void *ctx, const char *field, const char *item, const char *value)
{
    strbuf_addf(ctx, "%s|%s=%s\n", field, item, value);
}

static bool check(struct form_record *r, const char *path)
{
    char *msg = NULL;
    bool ok = form_record_check(r, form_find(form_record_form(r), path), NULL, NULL, &msg);
    free(msg);
    return ok;
}

static void test_form_default_unpadded_is_padded_and_valid(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory(form_xml, sizeof form_xml - 1, "unpadded.xml", &err);
    assert_non_null(f);
    assert_string_equal(form_find(f, "/data/d")->default_value, "1900-01-01");
    assert_string_equal(form_find(f, "/data/t")->default_value, "2023-03-05T09:05");
    /* not a date: left as written, and refused */
    assert_string_equal(form_find(f, "/data/bad")->default_value, "2023-2-30");
    /* a string is a string */
    assert_string_equal(form_find(f, "/data/s")->default_value, "1900-1-1");

    struct form_record *r = form_record_new(f);
    struct strbuf log;
    strbuf_init(&log);
    struct form_events ev = {.changed = on_changed, .ctx = &log};
    assert_true(form_record_first_load(r, NULL, &ev, &err));
    assert_non_null(strstr(log.buf, "/data/d|=1900-01-01\n"));
    assert_non_null(strstr(log.buf, "/data/t|=2023-03-05T09:05\n"));
    assert_string_equal(form_record_get(r, "/data/d", NULL), "1900-01-01");
    assert_string_equal(form_record_get(r, "/data/t", NULL), "2023-03-05T09:05");
    assert_true(check(r, "/data/d"));
    assert_true(check(r, "/data/t"));
    assert_false(check(r, "/data/bad"));
    /* an unpadded value set by hand (a file from elsewhere) is valid too */
    assert_true(form_record_set(r, "/data/d", NULL, "2024-2-9", NULL));
    assert_true(check(r, "/data/d"));
    assert_true(form_record_set(r, "/data/d", NULL, "2023-13-40", NULL));
    assert_false(check(r, "/data/d"));
    strbuf_free(&log);
    form_record_free(&r);
    form_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpadded_dates_are_valid),
        cmocka_unit_test(test_garbage_dates_stay_invalid),
        cmocka_unit_test(test_normalize_pads_one_digit_fields),
        cmocka_unit_test(test_unpadded_date_is_the_same_day),
        cmocka_unit_test(test_form_default_unpadded_is_padded_and_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
