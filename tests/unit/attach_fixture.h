/* tests/unit/attach_fixture.h: survey files holding a record of the
 * uploads form (tests/data/forms/good-upload.xml) with a file attached,
 * made through the store as the program makes them; for the merge and
 * export tests of attachments. Header-only: each test includes it once. */
#ifndef IMAS_TESTS_ATTACH_FIXTURE_H
#define IMAS_TESTS_ATTACH_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/media.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/attach.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"

/* The test's scratch directory, with the laptop's identity and the author
 * kept inside it; removed by fixture_dir_teardown. */
static char fixture_tmp[80];
static char *dir;

static inline int fixture_dir_setup(const char *name)
{
    snprintf(fixture_tmp, sizeof fixture_tmp, "/tmp/%s.XXXXXX", name);
    dir = mkdtemp(fixture_tmp);
    setenv("XDG_STATE_HOME", dir, 1);
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    return dir ? 0 : -1;
}

static inline int fixture_dir_teardown(void)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static inline char *fixture_form_source(void)
{
    char *p = xasprintf("%s/tests/data/forms/good-upload.xml", ABS_TOP_SRCDIR);
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    char *buf = xcalloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    free(p);
    return buf;
}

/* A new survey file at path with one record whose field (e.g.
 * "/data/photo") names data[0..n) attached as name; the hash into hex. */
static inline void fixture_make(const char *path, const char *field, const void *data, size_t n,
                         const char *name, char hex[MEDIA_HASH_HEX + 1])
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, STORE_CREATE, &err);
    if (!s)
        fail_msg("%s", err.msg);
    char *src = fixture_form_source();
    char uuid[64];
    assert_true(store_form_put(s, "upload", "1", NULL, "Uploads", src, &err));
    assert_true(store_record_create(s, "upload", "1", uuid, &err));
    assert_true(store_attach_put(s, data, n, hex, &err));
    char *value = xasprintf("%s %s", hex, name);
    assert_true(store_answer_set(s, uuid, "", field, value, &err));
    free(value);
    free(src);
    store_close(&s);
}

/* Run sql on the file at path, as another program would. */
static inline void fixture_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static inline int64_t fixture_int(const char *path, const char *sql)
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

#endif
