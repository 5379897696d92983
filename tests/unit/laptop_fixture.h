/* tests/unit/laptop_fixture.h: the merge tests' files and laptops: a file
 * copied (mode 0600), the clock set (IMAS_SURVEY_NOW_MS, BASE_MS + ms), a
 * laptop's own device identity (its XDG state directory, tpath(name)), a
 * store opened or the test failed, and the first integer of a query.
 * Header-only: the test defines BASE_MS and tpath() before it includes
 * it, after cmocka.h. */
#ifndef IMAS_TESTS_LAPTOP_FIXTURE_H
#define IMAS_TESTS_LAPTOP_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/error.h"
#include "store/store.h"

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[1 << 15];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    chmod(to, 0600);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    return db;
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void at(int64_t ms)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)(BASE_MS + ms));
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

/* Work as the laptop called name from now on: its own device identity
 * (kept in its XDG state directory, never in the survey file). */
static void laptop(const char *name)
{
    char *state = tpath(name);
    mkdir(state, 0700);
    setenv("XDG_STATE_HOME", state, 1);
    unsetenv("IMAS_SURVEY_DEVICE_NAME");
    free(state);
}

static struct store *open_store(const char *path, unsigned flags)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, flags, &err);
    if (!s)
        fail_msg("store_open %s: %s", path, err.msg);
    return s;
}

#endif
