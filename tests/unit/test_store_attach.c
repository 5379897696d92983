/* test_store_attach.c: files attached to <upload> questions, in the
 * survey file: stored once by their SHA-256, the size limit, the check of
 * stored bytes against their key, and the upgrade from schema version 2. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach_fixture.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/attach.h"
#include "store/check.h"
#include "store/schema.h"
#include "store/store.h"


static int setup(void **state)
{
    (void)state;
    return fixture_dir_setup("test_store_attach");
}

static int teardown(void **state)
{
    (void)state;
    return fixture_dir_teardown();
}

static struct store *open_new(const char *name)
{
    char *path = xasprintf("%s/%s", dir, name);
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, STORE_CREATE, &err);
    if (!s)
        fail_msg("store_open: %s", err.msg);
    free(path);
    return s;
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0,
                                     1,    2,    3,    4,    5, 6,    7,   8,   9};

static void test_attach_stores_content_once_by_hash(void **state)
{
    (void)state;
    struct store *s = open_new("a.sqlite");
    struct error err = ERROR_INIT;
    char hex[65], again[65], want[65];
    sha256_hex(jpeg, sizeof jpeg, want);
    assert_true(store_attach_put(s, jpeg, sizeof jpeg, hex, &err));
    assert_string_equal(hex, want);
    assert_true(store_attach_put(s, jpeg, sizeof jpeg, again, &err));
    assert_string_equal(again, want);
    assert_int_equal(raw_int(store_path(s), "SELECT count(*) FROM attachments"), 1);
    bool found;
    int64_t size;
    unsigned char head[MEDIA_HEAD_BYTES];
    size_t nhead;
    assert_true(store_attach_info(s, hex, &found, &size, head, &nhead, &err));
    assert_true(found);
    assert_int_equal(size, sizeof jpeg);
    assert_int_equal(nhead, sizeof jpeg);
    assert_memory_equal(head, jpeg, sizeof jpeg);
    void *data;
    size_t n;
    assert_true(store_attach_read(s, hex, &found, &data, &n, &err));
    assert_true(found);
    assert_int_equal(n, sizeof jpeg);
    assert_memory_equal(data, jpeg, n);
    free(data);
    /* another content is another row; a missing key is not found */
    assert_true(store_attach_put(s, "other", 5, again, &err));
    assert_string_not_equal(again, hex);
    assert_int_equal(raw_int(store_path(s), "SELECT count(*) FROM attachments"), 2);
    assert_true(store_attach_info(s, "00", &found, &size, head, &nhead, &err));
    assert_false(found);
    store_close(&s);
}

static void test_attach_refuses_more_than_the_limit(void **state)
{
    (void)state;
    struct store *s = open_new("big.sqlite");
    struct error err = ERROR_INIT;
    size_t n = MEDIA_MAX_BYTES + 1;
    char *big = xcalloc(1, n);
    char hex[65];
    assert_false(store_attach_put(s, big, n, hex, &err));
    assert_non_null(strstr(err.msg, "larger than 25 MiB"));
    error_clear(&err);
    assert_int_equal(raw_int(store_path(s), "SELECT count(*) FROM attachments"), 0);
    /* exactly the limit is taken */
    assert_true(store_attach_put(s, big, MEDIA_MAX_BYTES, hex, &err));
    free(big);
    store_close(&s);
}

static void bad_cb(void *ctx, const char *hex, const char *problem)
{
    char **out = ctx;
    free(*out);
    *out = xasprintf("%s: %s", hex, problem);
}

static void test_check_finds_bytes_that_do_not_match_their_hash(void **state)
{
    (void)state;
    struct store *s = open_new("tamper.sqlite");
    struct error err = ERROR_INIT;
    char hex[65];
    assert_true(store_attach_put(s, jpeg, sizeof jpeg, hex, &err));
    assert_true(store_attach_put(s, "fine", 4, hex, &err));
    char *path = xstrdup(store_path(s));
    int64_t count, bad;
    char *what = NULL;
    assert_true(store_attach_check(s, &count, &bad, bad_cb, &what, &err));
    assert_int_equal(count, 2);
    assert_int_equal(bad, 0);
    assert_null(what);
    store_close(&s);
    /* one byte changed behind our back */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE attachments SET data = X'FFD8FFE1' || "
                                      "substr(data, 5) WHERE size = 20",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    struct store_check_report r;
    assert_true(store_check(path, &r, &err));
    assert_int_equal(r.attachments, 2);
    assert_int_equal(r.nbad_attachments, 1);
    assert_non_null(strstr(r.bad_attachments[0], "does not match its SHA-256"));
    store_check_report_clear(&r);
    free(what);
    free(path);
}

/* A file made at version 2 (the previous schema, by today's steps) gets
 * the attachments table on its first open, after a backup. */
static void test_version_2_file_is_upgraded(void **state)
{
    (void)state;
    char *path = xasprintf("%s/v2.sqlite", dir);
    sqlite3 *db = NULL;
    struct error err = ERROR_INIT;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_true(schema_create(db, path, schema_steps, schema_nsteps, 2, &err));
    sqlite3_close(db);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                   "'attachments'"),
                     0);
    struct store *s = store_open(path, 0, &err);
    if (!s)
        fail_msg("%s", err.msg);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    char hex[65];
    assert_true(store_attach_put(s, jpeg, sizeof jpeg, hex, &err));
    store_close(&s);
    char *bak = xasprintf("%s.bak-v2", path);
    assert_int_equal(access(bak, F_OK), 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM attachments"), 1);
    /* the upgraded file's schema is exactly a new file's */
    struct store_check_report r;
    assert_true(store_check(path, &r, &err));
    assert_null(r.schema_problem);
    store_check_report_clear(&r);
    free(bak);
    free(path);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_attach_stores_content_once_by_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_refuses_more_than_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_bytes_that_do_not_match_their_hash,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_2_file_is_upgraded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
