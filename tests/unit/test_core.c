/* test_core.c: strings, UTF-8 width, UUIDs, SHA-256, errors, paths. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/clock.h"
#include "core/device.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "core/xalloc.h"

static void test_width_of_cyrillic_is_one_column_per_letter(void **state)
{
    (void)state;
    /* "Асистент" (Bulgarian): 8 letters, 16 bytes, 8 columns */
    const char *s = "\xd0\x90\xd1\x81\xd0\xb8\xd1\x81\xd1\x82\xd0\xb5\xd0\xbd\xd1\x82";
    assert_int_equal(strlen(s), 16);
    assert_int_equal(utf8_width(s), 8);
    assert_int_equal(utf8_width("Učiteľ"), 6); /* Slovak */
    assert_int_equal(utf8_width("Zażółć gęślą jaźń"), 17); /* Polish */
}

static void test_width_of_combining_marks_is_zero(void **state)
{
    (void)state;
    /* "e" + COMBINING ACUTE ACCENT, then "a" */
    assert_int_equal(utf8_width("e\xcc\x81" "a"), 2);
    /* a prefix never separates the mark from its base */
    assert_int_equal(utf8_prefix_for_width("e\xcc\x81" "a", 1), 3);
}

static void test_width_of_cjk_is_two_columns(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("\xe4\xb8\xad\xe6\x96\x87"), 4); /* 中文 */
    /* a wide character that does not fit is left out whole */
    assert_int_equal(utf8_prefix_for_width("a\xe4\xb8\xad", 2), 1);
    assert_int_equal(utf8_prefix_for_width("a\xe4\xb8\xad", 3), 4);
}

static void test_decode_rejects_invalid_sequences(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);         /* overlong */
    assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
    assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
    assert_int_equal(utf8_decode("\xd0", 1, &cp), 0);             /* truncated */
    assert_int_equal(utf8_decode("\xd0\x96", 2, &cp), 2);
    assert_int_equal(cp, 0x416);
    assert_true(utf8_valid("Žltá ľalia", strlen("Žltá ľalia")));
    assert_false(utf8_valid("ab\xff", 3));
    /* Long ASCII runs are checked eight bytes at a time: a NUL or a bad
     * byte anywhere in or after them is still found. */
    const char *ok = "abcdefghijklmnopqrstuvwxyz0123456789 \xc5\xbd ABCDEFGH";
    assert_true(utf8_valid(ok, strlen(ok)));
    char buf[40];
    for (size_t at = 0; at < sizeof buf; at++) {
        memset(buf, 'x', sizeof buf);
        buf[at] = '\0';
        assert_false(utf8_valid(buf, sizeof buf));
        buf[at] = (char)0x80;
        assert_false(utf8_valid(buf, sizeof buf));
        buf[at] = (char)0xc3;
        assert_false(utf8_valid(buf, at + 1));
    }
}

static void test_lang_normalize_takes_case_regions_and_no(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"de", "de"}, {"DE", "de"}, {"de-AT", "de_AT"}, {"de_at", "de_AT"},
        {"pt_BR", "pt_BR"}, {"PT-br", "pt_BR"}, {"no", "nb"}, {"NO-no", "nb_NO"},
        {"nb", "nb"}, {"en", "en"}, {"sl_SI", "sl_SI"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[24] = "";
        assert_true(i18n_lang_normalize(cases[i][0], out, sizeof out));
        assert_string_equal(out, cases[i][1]);
    }
    static const char *const bad[] = {"xx", "", "all", "d", "-x", "--report", "de-",
                                      "de_A T", "fr", "de-ABCDEFGHIJ", "e1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char out[24] = "kept";
        assert_false(i18n_lang_normalize(bad[i], out, sizeof out));
        assert_string_equal(out, "kept");
    }
}

static void test_encode_round_trips(void **state)
{
    (void)state;
    uint32_t cps[] = {0x41, 0x416, 0x20AC, 0x1F600};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char buf[4];
        uint32_t back;
        size_t n = utf8_encode(cps[i], buf);
        assert_int_equal(utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
}

static void test_prev_and_next_step_whole_characters(void **state)
{
    (void)state;
    const char *s = "ж" "e\xcc\x81" "x"; /* 2 + 3 + 1 bytes */
    size_t len = strlen(s);
    assert_int_equal(utf8_next(s, len, 0, true), 2);
    assert_int_equal(utf8_next(s, len, 2, true), 5); /* e + accent */
    assert_int_equal(utf8_next(s, len, 2, false), 3);
    assert_int_equal(utf8_prev(s, 2), 0);
    assert_int_equal(utf8_prev(s, 6), 5);
}

static void test_sanitize_removes_escape_sequences(void **state)
{
    (void)state;
    char *s = utf8_sanitize("a\x1b[2Jb\xff" "c\nd", false);
    assert_string_equal(s, "a\xef\xbf\xbd[2Jb\xef\xbf\xbd" "c\xef\xbf\xbd" "d");
    free(s);
    s = utf8_sanitize("line1\nline2\x07", true);
    assert_string_equal(s, "line1\nline2\xef\xbf\xbd");
    free(s);
    /* C1 control (U+009B, CSI) is removed too */
    s = utf8_sanitize("x\xc2\x9by", false);
    assert_string_equal(s, "x\xef\xbf\xbdy");
    free(s);
}

/* A bidi override (U+202E) or isolate (U+2066..U+2069) from another file
 * would make a terminal show text reversed ("exe.gpj" as "jpg.exe"): shown
 * as U+FFFD, one column, like any control character; the marks that only
 * hint a direction (U+200E) stay. */
static void test_sanitize_removes_bidi_controls(void **state)
{
    (void)state;
    char *s = utf8_sanitize("a\xe2\x80\xaegpj.exe\xe2\x80\xac|\xe2\x81\xa6x\xe2\x81\xa9"
                            "\xe2\x80\xaa\xe2\x80\x8e", false);
    assert_string_equal(s, "a\xef\xbf\xbdgpj.exe\xef\xbf\xbd|\xef\xbf\xbdx\xef\xbf\xbd"
                           "\xef\xbf\xbd\xe2\x80\x8e");
    free(s);
    assert_int_equal(utf8_cp_width(0x202E), -1);
    assert_int_equal(utf8_cp_width(0x2069), -1);
    assert_int_equal(utf8_width("a\xe2\x80\xae" "b"), 3);
    assert_int_equal(utf8_cp_width(0x2010), 1);
}

static void test_uuids_are_valid_and_distinct(void **state)
{
    (void)state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    uuid_v4(a);
    uuid_v4(b);
    assert_true(uuid_valid(a));
    assert_string_not_equal(a, b);
    assert_int_equal(a[14], '4');
    uuid_v7(a);
    assert_true(uuid_valid(a));
    assert_int_equal(a[14], '7');
    assert_false(uuid_valid("not-a-uuid"));
}

static void test_uuid_v7_sorts_by_time(void **state)
{
    (void)state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    setenv("IMAS_SURVEY_NOW_MS", "1700000000000", 1);
    uuid_v7(a);
    setenv("IMAS_SURVEY_NOW_MS", "1700000000001", 1);
    uuid_v7(b);
    unsetenv("IMAS_SURVEY_NOW_MS");
    assert_true(strcmp(a, b) < 0);
}

static void test_sha256_known_vectors(void **state)
{
    (void)state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A million 'a' (FIPS 180-2) fed in uneven pieces, and a pseudo-random
 * megabyte, each through the CPU's SHA extensions (when it has them) and
 * the C code: the same digests. */
static void sha_pieces(const unsigned char *buf, size_t n, char hex[65])
{
    struct sha256 c;
    sha256_init(&c);
    for (size_t at = 0, step = 1; at < n; step = step * 7 % 9973 + 1) {
        size_t take = step < n - at ? step : n - at;
        sha256_update(&c, buf + at, take);
        at += take;
    }
    sha256_final_hex(&c, hex);
}

static void test_sha256_long_input_both_paths(void **state)
{
    (void)state;
    size_t n = 1000000;
    unsigned char *a = malloc(n), *r = malloc(n);
    assert_non_null(a);
    assert_non_null(r);
    memset(a, 'a', n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        r[i] = (unsigned char)(x >> 24);
    }
    char fast[65], fast_r[65], slow[65], slow_r[65];
    sha_pieces(a, n, fast);
    sha_pieces(r, n, fast_r);
    setenv("IMAS_SHA256_PORTABLE", "1", 1);
    sha_pieces(a, n, slow);
    sha_pieces(r, n, slow_r);
    unsetenv("IMAS_SHA256_PORTABLE");
    const char *want =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    assert_string_equal(fast, want);
    assert_string_equal(slow, want);
    assert_string_equal(fast_r, slow_r);
    free(a);
    free(r);
}

static void test_strbuf_grows_and_formats(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 100; i++)
        strbuf_addf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.buf));
    assert_memory_equal(sb.buf, "0,1,2,", 6);
    char *s = strbuf_detach(&sb);
    assert_null(sb.buf);
    assert_int_equal(strlen(s), 290);
    free(s);
}

static void test_error_formats_file_and_line(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    assert_false(error_isset(&err));
    assert_false(error_set_at(&err, "f.xml", 12, "bad %s", "thing"));
    char *m = error_format(&err);
    assert_string_equal(m, "f.xml:12: bad thing");
    free(m);
    error_set_at(&err, "s.sqlite", 0, "not ours");
    error_prefix(&err, "merge");
    m = error_format(&err);
    assert_string_equal(m, "s.sqlite: merge: not ours");
    free(m);
    error_clear(&err);
    assert_false(error_isset(&err));
    assert_false(error_set(NULL, "ignored"));
}

static void test_default_file_follows_environment(void **state)
{
    (void)state;
    setenv("IMAS_SURVEY_FILE", "/tmp/x/y.sqlite", 1);
    char *p = paths_default_survey_file(NULL);
    assert_string_equal(p, "/tmp/x/y.sqlite");
    free(p);
    unsetenv("IMAS_SURVEY_FILE");
    setenv("XDG_DATA_HOME", "/data", 1);
    p = paths_default_survey_file(NULL);
    assert_string_equal(p, "/data/imas-survey/survey.sqlite");
    free(p);
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/r", 1);
    p = paths_default_survey_file(NULL);
    assert_string_equal(p, "/home/r/.local/share/imas-survey/survey.sqlite");
    free(p);
}

static void test_parent_dirs_are_created_private(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/imas-core-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *file = xasprintf("%s/a/b/survey.sqlite", tmpl);
    struct error err = ERROR_INIT;
    assert_true(paths_ensure_parent_dir(file, &err));
    char *dir = xasprintf("%s/a/b", tmpl);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    rmdir(dir);
    free(dir);
    dir = xasprintf("%s/a", tmpl);
    rmdir(dir);
    free(dir);
    rmdir(tmpl);
    free(file);
}

static void test_iso_time_has_milliseconds_and_zulu(void **state)
{
    (void)state;
    char out[32];
    clock_format_iso(INT64_C(1767225600123), out);
    assert_string_equal(out, "2026-01-01T00:00:00.123Z");
    clock_format_iso(INT64_C(0), out);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
}

/* This laptop's identity: made once, 0600 in a 0700 directory, the same
 * id on every later load; named by the environment, else by the file's
 * name= line, else the host name. */
static void test_device_identity_kept_in_xdg_state(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/test_core_state.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    setenv("XDG_STATE_HOME", dir, 1);
    unsetenv("IMAS_SURVEY_DEVICE_NAME");
    struct device a, b;
    struct error err = ERROR_INIT;
    assert_true(device_load(&a, &err));
    assert_null(err.msg);
    assert_false(a.ephemeral);
    assert_true(uuid_valid(a.id));
    char *path = device_path();
    char *want = xasprintf("%s/imas-survey/device", dir);
    assert_string_equal(path, want);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *parent = xasprintf("%s/imas-survey", dir);
    assert_int_equal(stat(parent, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    if (*host)
        assert_string_equal(a.name, host);
    assert_true(device_load(&b, &err));
    assert_string_equal(a.id, b.id);
    /* the user names the laptop in the file... */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "id=%s\nname=Marias Laptop \x1b[31mx\n", a.id);
    fclose(f);
    assert_true(device_load(&b, &err));
    assert_string_equal(b.id, a.id);
    assert_null(strchr(b.name, '\x1b')); /* control characters replaced */
    assert_memory_equal(b.name, "Marias Laptop ", 14);
    /* ...or in the environment, which wins */
    setenv("IMAS_SURVEY_DEVICE_NAME", "Žofia's laptop", 1);
    assert_true(device_load(&b, &err));
    assert_string_equal(b.name, "Žofia's laptop");
    unsetenv("IMAS_SURVEY_DEVICE_NAME");
    /* another laptop (another state directory) is another device */
    char *other = xasprintf("%s/other", dir);
    setenv("XDG_STATE_HOME", other, 1);
    assert_true(device_load(&b, &err));
    assert_string_not_equal(b.id, a.id);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd), free(other), free(parent), free(want), free(path);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_identity_kept_in_xdg_state),
        cmocka_unit_test(test_width_of_cyrillic_is_one_column_per_letter),
        cmocka_unit_test(test_width_of_combining_marks_is_zero),
        cmocka_unit_test(test_width_of_cjk_is_two_columns),
        cmocka_unit_test(test_decode_rejects_invalid_sequences),
        cmocka_unit_test(test_encode_round_trips),
        cmocka_unit_test(test_lang_normalize_takes_case_regions_and_no),
        cmocka_unit_test(test_prev_and_next_step_whole_characters),
        cmocka_unit_test(test_sanitize_removes_escape_sequences),
        cmocka_unit_test(test_sanitize_removes_bidi_controls),
        cmocka_unit_test(test_uuids_are_valid_and_distinct),
        cmocka_unit_test(test_uuid_v7_sorts_by_time),
        cmocka_unit_test(test_sha256_known_vectors),
        cmocka_unit_test(test_sha256_long_input_both_paths),
        cmocka_unit_test(test_strbuf_grows_and_formats),
        cmocka_unit_test(test_error_formats_file_and_line),
        cmocka_unit_test(test_default_file_follows_environment),
        cmocka_unit_test(test_parent_dirs_are_created_private),
        cmocka_unit_test(test_iso_time_has_milliseconds_and_zulu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
