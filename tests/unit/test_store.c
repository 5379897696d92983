/* test_store.c: the survey file: opening and refusing, schema and
 * upgrades, records, items, answers, history, search, audit, check. */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "as_owner.h"
#include "old_schema.h"
#include "search_check.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/check.h"
#include "store/forms.h"
#include "store/history.h"
#include "store/meta.h"
#include "store/records.h"
#include "store/scan.h"
#include "store/schema.h"
#include "store/schema_v6.h"
#include "store/schema_v7.h"
#include "store/store.h"
#include "store/search_index.h"

static char tmpdir[] = "/tmp/test_store.XXXXXX";
static char *dir;

/* ---- helpers ---------------------------------------------------------- */

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool sidecar_exists(const char *path, const char *suffix)
{
    char *p = xasprintf("%s%s", path, suffix);
    bool found = exists(p);
    free(p);
    return found;
}

static void file_sha(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct sha256 c;
    sha256_init(&c);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, n);
    fclose(f);
    sha256_final_hex(&c, hex);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* A plain connection, as another program (or a test) would use. */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    return db;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}

static char *raw_text(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(st, 0);
    char *copy = v ? xstrdup(v) : NULL;
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return copy;
}

static struct store *open_new(const char *path)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, STORE_CREATE, &err);
    if (!s)
        fail_msg("store_open: %s", err.msg);
    return s;
}

static void put_form(struct store *s)
{
    struct error err = ERROR_INIT;
    assert_true(store_form_put(s, "visit", "2026-01", NULL, "Visit",
                               "<h:html/>", &err));
}

static void new_record(struct store *s, char uuid[UUID_STR_LEN])
{
    struct error err = ERROR_INIT;
    put_form(s);
    if (!store_record_create(s, "visit", "2026-01", uuid, &err))
        fail_msg("store_record_create: %s", err.msg);
}

static void set(struct store *s, const char *rec, const char *item,
                const char *field, const char *value)
{
    struct error err = ERROR_INIT;
    if (!store_answer_set(s, rec, item, field, value, &err))
        fail_msg("store_answer_set %s: %s", field, err.msg);
}

static int64_t revision_of(struct store *s, const char *rec,
                           const char *field)
{
    struct store_answer a;
    bool found;
    assert_true(store_answer_info(s, rec, "", field, &a, &found, NULL));
    assert_true(found);
    int64_t r = a.revision;
    store_answer_clear(&a);
    return r;
}

static void assert_value(struct store *s, const char *rec, const char *item,
                         const char *field, const char *want)
{
    char *v = NULL;
    assert_true(store_answer_get(s, rec, item, field, &v, NULL));
    if (want)
        assert_string_equal(v, want);
    else
        assert_null(v);
    free(v);
}

static void assert_err_contains(const struct error *err, const char *part)
{
    assert_non_null(err->msg);
    if (!strstr(err->msg, part))
        fail_msg("error \"%s\" does not contain \"%s\"", err->msg, part);
}

static int64_t count_versions(const char *path, const char *field)
{
    char *sql = sqlite3_mprintf(
        "SELECT count(*) FROM answers_versions WHERE field = %Q", field);
    int64_t n = raw_int(path, sql);
    sqlite3_free(sql);
    return n;
}

static int setup(void **state)
{
    (void)state;
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    unsetenv("IMAS_SURVEY_NOW_MS");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("IMAS_SURVEY_NOW_MS");
    return 0;
}

/* ---- creating and opening ---------------------------------------------- */

static void test_new_file_is_private_wal_with_our_ids(void **state)
{
    (void)state;
    char *path = tpath("new.sqlite");
    struct store *s = open_new(path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_false(store_readonly(s));
    assert_null(store_readonly_reason(s));
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    assert_string_equal(store_path(s), path);
    assert_string_equal(store_author(s), "tester");
    char db_uuid[UUID_STR_LEN];
    snprintf(db_uuid, sizeof db_uuid, "%s", store_db_uuid(s));
    assert_true(uuid_valid(db_uuid));
    assert_true(uuid_valid(store_device_id(s)));
    assert_string_not_equal(db_uuid, store_device_id(s));
    store_close(&s);
    assert_null(s);

    /* the header, as the file says it before SQLite is asked */
    unsigned char h[100];
    int fd = open(path, O_RDONLY);
    assert_int_equal(read(fd, h, sizeof h), 100);
    close(fd);
    assert_memory_equal(h, "SQLite format 3", 16);
    assert_int_equal(h[18], 2); /* WAL */
    assert_int_equal(h[19], 2);
    assert_memory_equal(h + 68, "IMAS", 4);
    assert_int_equal(raw_int(path, "PRAGMA application_id"), 0x494D4153);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), SCHEMA_VERSION);
    char *mode = raw_text(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    char *meta = raw_text(path, "SELECT value FROM meta WHERE key='db_uuid'");
    assert_string_equal(meta, db_uuid);
    free(meta);
    assert_true(raw_int(path, "SELECT count(*) FROM meta WHERE "
                              "key = 'created_at'") == 1);
    /* the laptop's identity is the user's, never the file's */
    assert_true(raw_int(path, "SELECT count(*) FROM meta WHERE "
                              "key = 'device_id'") == 0);
    /* every table of ours is WITHOUT ROWID (the search index's aside: its
     * ids are integers, FTS5's; answer_rows, whose rowids are those ids;
     * records and device_ids, whose rowids are the numbers answer_rows
     * names them by; and attachments, whose big rows SQLite keeps better
     * with a rowid); answers is a view */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
                                   "type = 'table' AND name NOT LIKE "
                                   "'search%' AND name NOT IN ('attachments', "
                                   "'answer_rows', 'records', 'device_ids') "
                                   "AND sql NOT LIKE '%WITHOUT ROWID'"),
                     0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
                                   "type = 'view' AND name = 'answers'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
                                   "name IN ('records_versions', "
                                   "'items_versions', 'answers_versions', "
                                   "'merge_log', 'audit', 'search')"),
                     6);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
                                   "name = 'search_map'"),
                     0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
                                   "name LIKE 'answers_fts%'"),
                     0);
    /* the file was built aside and moved into place: nothing left over */
    char *leftover = xasprintf("ls %s | grep -c new- >/dev/null", dir);
    assert_int_not_equal(system(leftover), 0);
    free(leftover);
    free(path);
}

static void test_empty_file_becomes_new_only_with_create(void **state)
{
    (void)state;
    char *path = tpath("empty.sqlite");
    write_file(path, "", 0);
    chmod(path, 0644);
    struct error err = ERROR_INIT;
    assert_null(store_open(path, 0, &err));
    assert_err_contains(&err, "not an SQLite database");
    assert_false(sidecar_exists(path, "-wal"));
    error_clear(&err);
    struct store *s = store_open(path, STORE_CREATE, &err);
    assert_non_null(s);
    store_close(&s);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), SCHEMA_VERSION);
    free(path);
}

static void test_record_and_answers_survive_close_and_reopen(void **state)
{
    (void)state;
    char *path = tpath("reopen.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/visit/country", "SK");
    set(s, rec, "", "/data/visit/school", "ZŠ Hviezdoslavova");
    char db_uuid[UUID_STR_LEN];
    snprintf(db_uuid, sizeof db_uuid, "%s", store_db_uuid(s));
    store_close(&s);
    assert_false(sidecar_exists(path, "-wal"));

    s = open_new(path);
    assert_string_equal(store_db_uuid(s), db_uuid);
    struct store_record *list = NULL;
    size_t n = 0;
    assert_true(store_record_list(s, &list, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].uuid, rec);
    assert_string_equal(list[0].form_id, "visit");
    assert_string_equal(list[0].state, "draft");
    assert_string_equal(list[0].author, "tester");
    store_record_list_free(&list, n);
    assert_null(list);
    assert_value(s, rec, "", "/data/visit/country", "SK");
    assert_value(s, rec, "", "/data/visit/school", "ZŠ Hviezdoslavova");
    store_close(&s);
    free(path);
}

/* ---- refusals ---------------------------------------------------------- */

/* store_open refuses path with a message containing `part`, naming the
 * file, and leaves it byte for byte as it was, with no -wal or -shm. */
static void assert_refused_untouched(const char *path, unsigned flags,
                                     const char *part)
{
    struct stat st;
    bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                   faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0;
    char before[65] = "", after[65] = "";
    if (regular)
        file_sha(path, before);
    bool had_wal = sidecar_exists(path, "-wal");
    bool had_shm = sidecar_exists(path, "-shm");
    struct error err = ERROR_INIT;
    alarm(10); /* a FIFO must not hang the test */
    struct store *s = store_open(path, flags, &err);
    alarm(0);
    assert_null(s);
    assert_err_contains(&err, part);
    assert_non_null(err.file);
    assert_string_equal(err.file, path);
    error_clear(&err);
    if (regular) {
        file_sha(path, after);
        assert_string_equal(before, after);
    }
    /* SQLite never saw it: it made no -wal, -shm or -journal */
    assert_int_equal(sidecar_exists(path, "-wal"), had_wal);
    assert_int_equal(sidecar_exists(path, "-shm"), had_shm);
    assert_false(sidecar_exists(path, "-journal"));
}

static void test_missing_file_refused_without_create(void **state)
{
    (void)state;
    char *path = tpath("missing.sqlite");
    assert_refused_untouched(path, 0, "no such file");
    assert_refused_untouched(path, STORE_READONLY, "no such file");
    assert_false(exists(path));
    free(path);
}

static void test_directory_refused(void **state)
{
    (void)state;
    char *path = tpath("adir");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_refused_untouched(path, STORE_CREATE, "not a regular file");
    free(path);
}

static void test_fifo_refused_without_hanging(void **state)
{
    (void)state;
    char *path = tpath("fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_refused_untouched(path, STORE_CREATE, "not a regular file");
    assert_refused_untouched(path, STORE_READONLY, "not a regular file");
    free(path);
}

static void test_text_file_refused_as_not_sqlite(void **state)
{
    (void)state;
    char *path = tpath("notes.txt");
    const char text[] = "country;school\nSK;ZŠ Hviezdoslavova\n"
                        "padding so the file is longer than a header ......"
                        "...................................................";
    write_file(path, text, sizeof text - 1);
    assert_refused_untouched(path, STORE_CREATE, "not an SQLite database");
    assert_refused_untouched(path, STORE_READONLY, "not an SQLite database");
    char *short_path = tpath("short.sqlite");
    write_file(short_path, "SQLite format 3", 16);
    assert_refused_untouched(short_path, 0, "not an SQLite database");
    free(short_path);
    free(path);
}

/* The whole file's SHA-256, or "" when it is missing. */
static void sha_of(const char *path, char hex[65])
{
    hex[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = xmalloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    sha256_hex(buf, (size_t)n, hex);
    free(buf);
}

/* A file whose log holds what makes the open refuse it (here a view; in
 * the field also a -wal that belongs to another file, refused as damaged):
 * closing the refused connection does not checkpoint that log into the
 * file, so file and log stay byte for byte and the log is not removed. */
static void test_refused_open_leaves_file_and_its_log(void **state)
{
    (void)state;
    char *a = tpath("partner.sqlite");
    struct store *s = open_new(a);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, NULL, "/data/visit/region", "Bratislava");
    store_close(&s);
    /* a change left in the log: a child that exits without closing */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        bool ok = sqlite3_open(a, &db) == SQLITE_OK &&
                  sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 0; CREATE VIEW evil AS "
                                   "SELECT 1", NULL, NULL, NULL) == SQLITE_OK;
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *wal = xasprintf("%s-wal", a);
    char before[65], wal_before[65], after[65], wal_after[65];
    sha_of(a, before);
    sha_of(wal, wal_before);
    assert_true(wal_before[0] != '\0');
    struct error err = ERROR_INIT;
    s = store_open(a, STORE_CREATE, &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "view evil"));
    error_clear(&err);
    sha_of(a, after);
    sha_of(wal, wal_after);
    assert_string_equal(before, after);
    assert_string_equal(wal_before, wal_after);
    free(wal);
    free(a);
}

static void test_foreign_sqlite_file_refused(void **state)
{
    (void)state;
    char *path = tpath("foreign.sqlite");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE t(x); INSERT INTO t "
                                  "VALUES (1); PRAGMA user_version = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_refused_untouched(path, STORE_CREATE, "not an imas-survey file");
    assert_refused_untouched(path, 0, "not an imas-survey file");
    assert_refused_untouched(path, STORE_READONLY, "not an imas-survey file");
    struct store_check_report r;
    struct error err = ERROR_INIT;
    assert_false(store_check(path, &r, &err));
    assert_err_contains(&err, "not an imas-survey file");
    error_clear(&err);
    free(path);
}

static void test_unwritable_file_refused_unless_readonly(void **state)
{
    (void)state;
    if (!as_owner_begin())
        skip(); /* root could not give up its override of permissions */
    char *path = tpath("locked.sqlite");
    struct store *s = open_new(path);
    store_close(&s);
    assert_int_equal(chmod(path, 0400), 0);
    assert_refused_untouched(path, 0, "file is read-only");
    struct error err = ERROR_INIT;
    s = store_open(path, STORE_READONLY, &err);
    assert_non_null(s);
    assert_true(store_readonly(s));
    store_close(&s);
    char before[65], after[65];
    file_sha(path, before);
    assert_int_equal(chmod(path, 0000), 0);
    assert_refused_untouched(path, STORE_READONLY, "not readable");
    assert_int_equal(chmod(path, 0600), 0);
    file_sha(path, after);
    assert_string_equal(before, after);
    /* a directory that cannot take the -wal file is as read-only */
    char *ro_dir = tpath("ro-dir");
    assert_int_equal(mkdir(ro_dir, 0700), 0);
    char *inner = xasprintf("%s/survey.sqlite", ro_dir);
    s = open_new(inner);
    store_close(&s);
    assert_int_equal(chmod(ro_dir, 0500), 0);
    assert_refused_untouched(inner, 0, "file is read-only");
    /* but it can be checked there (read-only media) */
    struct store_check_report r;
    if (!store_check(inner, &r, &err))
        fail_msg("store_check: %s", err.msg);
    assert_string_equal(r.quick_check, "ok");
    assert_int_equal(r.schema_version, SCHEMA_VERSION);
    store_check_report_clear(&r);
    assert_false(sidecar_exists(inner, "-wal"));
    assert_int_equal(chmod(ro_dir, 0700), 0);
    free(inner);
    free(ro_dir);
    free(path);
}

/* The terminal interface holds the file: a second one opens it read-only,
 * naming the process that has it; once that one closes it, it is
 * writable again. */
static void test_exclusive_open_makes_a_second_read_only(void **state)
{
    (void)state;
    char *path = tpath("held.sqlite");
    struct store *first = open_new(path);
    store_close(&first);
    struct error err = ERROR_INIT;
    first = store_open(path, STORE_EXCLUSIVE, &err);
    assert_non_null(first);
    assert_false(store_readonly(first));
    struct store *second = store_open(path, STORE_EXCLUSIVE, &err);
    assert_non_null(second);
    assert_true(store_readonly(second));
    char *pid = xasprintf("process %ld", (long)getpid());
    assert_non_null(strstr(store_readonly_reason(second), pid));
    free(pid);
    char rec[UUID_STR_LEN];
    assert_false(store_record_create(second, "visit", "2026-01", rec, &err));
    error_clear(&err);
    store_close(&second);
    /* the first still writes; --check and merge open without the lock */
    new_record(first, rec);
    struct store *plain = store_open(path, 0, &err);
    assert_non_null(plain);
    assert_false(store_readonly(plain));
    store_close(&plain);
    store_close(&first);
    second = store_open(path, STORE_EXCLUSIVE, &err);
    assert_non_null(second);
    assert_false(store_readonly(second));
    store_close(&second);
    free(path);
}

static void test_newer_schema_opens_read_only_and_refuses_writes(void **state)
{
    (void)state;
    char *path = tpath("newer.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "kept");
    store_close(&s);
    raw_exec(path, "PRAGMA user_version = 99");
    char before[65], after[65];
    file_sha(path, before);

    struct error err = ERROR_INIT;
    s = store_open(path, STORE_CREATE, &err);
    assert_non_null(s);
    assert_true(store_readonly(s));
    assert_int_equal(store_schema_version(s), 99);
    assert_non_null(store_readonly_reason(s));
    assert_non_null(strstr(store_readonly_reason(s), "newer version"));
    assert_non_null(strstr(store_readonly_reason(s), "schema 99"));
    assert_non_null(strstr(store_readonly_reason(s), path));
    assert_value(s, rec, "", "/data/a", "kept"); /* still readable */
    char other[UUID_STR_LEN];
    assert_false(store_record_create(s, "visit", "2026-01", other, &err));
    assert_err_contains(&err, "read-only");
    assert_string_equal(err.file, path);
    assert_false(store_answer_set(s, rec, "", "/data/a", "changed", &err));
    assert_false(store_record_finalize(s, rec, &err));
    error_clear(&err);
    store_close(&s);
    file_sha(path, after);
    assert_string_equal(before, after); /* never downgraded, never written */
    assert_int_equal(raw_int(path, "PRAGMA user_version"), 99);

    struct store_check_report r;
    assert_true(store_check(path, &r, &err));
    assert_true(r.readonly_newer);
    assert_int_equal(r.schema_version, 99);
    store_check_report_clear(&r);
    free(path);
}

/* A file's own view never runs on our connections: only a file whose
 * views are exactly ours (schema 9's answers) has views on. A file that
 * says it is newer is not compared with our schema, and --check opens
 * any file: before, a view in place of a table (here a thousand made-up
 * records; a recursive one made --check, --export and --report run
 * forever) was read as if it were the table. */
#define PLANTED_VIEW(table)                                                 \
    "ALTER TABLE " table " RENAME TO " table "_t; CREATE VIEW " table      \
    " AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "  \
    "LIMIT 1000) SELECT t.* FROM " table "_t AS t, n;"

static void test_own_view_of_a_file_never_runs(void **state)
{
    (void)state;
    char *path = tpath("view-newer.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "kept");
    store_close(&s);
    raw_exec(path, PLANTED_VIEW("records") "PRAGMA user_version = 99");
    assert_int_equal(raw_int(path, "SELECT count(*) FROM records"), 1000);
    struct error err = ERROR_INIT;
    s = store_open(path, 0, &err);
    assert_non_null(s);
    assert_true(store_readonly(s));
    struct store_record *list = NULL;
    size_t n = 0;
    if (store_record_list(s, &list, &n, &err))
        assert_true(n <= 1);
    error_clear(&err);
    store_record_list_free(&list, n);
    store_close(&s);
    struct store_check_report r;
    if (store_check(path, &r, &err)) {
        assert_true(r.records <= 1);
        store_check_report_clear(&r);
    }
    error_clear(&err);

    /* --check of a file of our version holding a view of its own */
    char *path9 = tpath("view-meta.sqlite");
    s = open_new(path9);
    store_close(&s);
    raw_exec(path9, PLANTED_VIEW("meta"));
    if (store_check(path9, &r, &err)) {
        assert_non_null(r.schema_problem);
        store_check_report_clear(&r);
    }
    error_clear(&err);
    free(path9);
    free(path);
}

/* Schema 9 names an answer's record by number: a record made after the
 * file lost its last record row (damaged, edited by hand; --check counts
 * the answers as lost) gets a number above every answer's, so it never
 * shows the lost record's answers as its own. */
static void test_new_record_never_takes_lost_answers(void **state)
{
    (void)state;
    char *path = tpath("lost-record.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN], rec2[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "of a record lost");
    store_close(&s);
    raw_exec(path, "DELETE FROM records");
    s = open_new(path);
    new_record(s, rec2);
    char *v = NULL;
    struct error err = ERROR_INIT;
    assert_true(store_answer_get(s, rec2, "", "/data/a", &v, &err));
    assert_null(v);
    set(s, rec2, "", "/data/a", "its own");
    store_close(&s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answer_rows"), 2);
    free(path);
    /* numbers above 2^62 (damaged, or made so): SQLite's own next number
     * would be the lost record's; a new record counts down instead */
    path = tpath("lost-high.sqlite");
    s = open_new(path);
    new_record(s, rec);
    new_record(s, rec2);
    set(s, rec2, "", "/data/a", "of a record lost");
    store_close(&s);
    char *sql = xasprintf("DELETE FROM records WHERE record_uuid = '%s'; "
                          "UPDATE records SET rid = rid + "
                          "4611686018427387904; UPDATE answer_rows SET rid "
                          "= rid + 4611686018427387904",
                          rec2);
    raw_exec(path, sql);
    free(sql);
    s = open_new(path);
    char rec3[UUID_STR_LEN];
    new_record(s, rec3);
    assert_true(store_answer_get(s, rec3, "", "/data/a", &v, &err));
    assert_null(v);
    set(s, rec3, "", "/data/a", "its own");
    store_close(&s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answer_rows WHERE "
                                   "rid NOT IN (SELECT rid FROM records)"),
                     1);
    /* below the others */
    assert_int_equal(raw_int(path, "SELECT rid FROM records ORDER BY rid "
                                   "LIMIT 1"),
                     INT64_C(4611686018427387904));
    free(path);
}

static void test_readonly_flag_refuses_writes(void **state)
{
    (void)state;
    char *path = tpath("ro.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    store_close(&s);
    struct error err = ERROR_INIT;
    s = store_open(path, STORE_READONLY, &err);
    assert_non_null(s);
    assert_true(store_readonly(s));
    assert_non_null(store_readonly_reason(s));
    assert_false(store_answer_set(s, rec, "", "/data/a", "x", &err));
    assert_err_contains(&err, "read-only");
    error_clear(&err);
    store_close(&s);
    free(path);
}

/* ---- answers ----------------------------------------------------------- */

static void test_revision_bumps_on_change_not_on_same_value(void **state)
{
    (void)state;
    char *path = tpath("rev.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, NULL, "/data/visit/region", "Bratislava");
    assert_int_equal(revision_of(s, rec, "/data/visit/region"), 1);
    set(s, rec, "", "/data/visit/region", "Bratislava");
    assert_int_equal(revision_of(s, rec, "/data/visit/region"), 1);
    assert_int_equal(count_versions(path, "/data/visit/region"), 0);
    set(s, rec, "", "/data/visit/region", "Košice");
    assert_int_equal(revision_of(s, rec, "/data/visit/region"), 2);
    set(s, rec, "", "/data/visit/region", "Žilina");
    assert_int_equal(revision_of(s, rec, "/data/visit/region"), 3);

    struct store_answer a;
    bool found;
    assert_true(store_answer_info(s, rec, "", "/data/visit/region", &a, &found,
                                  NULL));
    assert_string_equal(a.device_id, store_device_id(s));
    assert_string_equal(a.author, "tester");
    assert_false(a.deleted);
    assert_true(a.updated_at > 0);
    store_answer_clear(&a);
    store_close(&s);
    free(path);
}

/* A file written elsewhere (opened as it is, not merged) may hold an
 * answer at revision INT64_MAX: the next edit is refused with a message,
 * never counted past it (signed overflow), and the value stays. */
static void test_edit_never_counts_past_the_highest_revision(void **state)
{
    (void)state;
    char *path = tpath("maxrev.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, NULL, "/data/visit/region", "Bratislava");
    set(s, rec, NULL, "/data/visit/school", "ZŠ");
    store_close(&s);
    raw_exec(path, "UPDATE answer_rows SET revision = 9223372036854775807 WHERE "
                   "field = '/data/visit/region'; UPDATE answer_rows SET revision "
                   "= 9007199254740991 WHERE field = '/data/visit/school'");
    struct error err = ERROR_INIT;
    s = store_open(path, 0, &err);
    assert_non_null(s);
    assert_false(store_answer_set(s, rec, "", "/data/visit/region", "Košice", &err));
    assert_non_null(strstr(err.msg, "revision or time out of range"));
    error_clear(&err);
    assert_int_equal(revision_of(s, rec, "/data/visit/region"), INT64_MAX);
    struct store_answer a;
    bool found;
    assert_true(store_answer_info(s, rec, "", "/data/visit/region", &a, &found, NULL));
    assert_string_equal(a.value, "Bratislava");
    store_answer_clear(&a);
    /* the highest revision a merge takes is 2^53: one below it still counts up */
    set(s, rec, "", "/data/visit/school", "ZŠ Hlboká");
    assert_int_equal(revision_of(s, rec, "/data/visit/school"), INT64_C(1) << 53);
    store_close(&s);
    free(path);
}

struct history {
    int n;
    char values[4][64];
    int64_t revisions[4];
    char reasons[4][16];
};

static bool collect_history(void *ctx, const struct store_answer *v,
                            const char *reason, int64_t superseded_at)
{
    struct history *h = ctx;
    assert_true(superseded_at >= v->updated_at);
    if (h->n < 4) {
        snprintf(h->values[h->n], 64, "%s", v->value ? v->value : "(null)");
        snprintf(h->reasons[h->n], 16, "%s", reason);
        h->revisions[h->n] = v->revision;
    }
    h->n++;
    return true;
}

static void test_correction_keeps_replaced_value_in_versions(void **state)
{
    (void)state;
    char *path = tpath("versions.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/q", "first");
    set(s, rec, "", "/data/q", "second");
    set(s, rec, "", "/data/q", "third");
    struct history h = {0};
    assert_true(store_answer_history(s, rec, "", "/data/q", collect_history,
                                     &h, NULL));
    assert_int_equal(h.n, 2);
    assert_string_equal(h.values[0], "first");
    assert_int_equal(h.revisions[0], 1);
    assert_string_equal(h.values[1], "second");
    assert_int_equal(h.revisions[1], 2);
    assert_string_equal(h.reasons[0], "edit");
    assert_value(s, rec, "", "/data/q", "third");
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers_versions "
                                   "WHERE value = 'first' AND revision = 1 "
                                   "AND reason = 'edit'"),
                     1);
    store_close(&s);
    free(path);
}

struct seen {
    int n;
    char fields[8][64];
};

static bool collect_answer(void *ctx, const char *item, const char *field,
                           const char *value)
{
    struct seen *seen = ctx;
    (void)item;
    (void)value;
    if (seen->n < 8)
        snprintf(seen->fields[seen->n], 64, "%s", field);
    seen->n++;
    return true;
}

static void test_cleared_answer_is_tombstone_with_new_revision(void **state)
{
    (void)state;
    char *path = tpath("clear.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "typed by mistake");
    set(s, rec, "", "/data/b", "stays");
    set(s, rec, "", "/data/a", NULL);
    assert_value(s, rec, "", "/data/a", NULL);
    struct store_answer a;
    bool found;
    assert_true(store_answer_info(s, rec, "", "/data/a", &a, &found, NULL));
    assert_true(found);
    assert_true(a.deleted);
    assert_null(a.value);
    assert_int_equal(a.revision, 2);
    store_answer_clear(&a);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers_versions "
                                   "WHERE value = 'typed by mistake'"),
                     1);
    set(s, rec, "", "/data/a", NULL); /* clearing again: no change */
    assert_int_equal(revision_of(s, rec, "/data/a"), 2);
    struct seen seen = {0};
    assert_true(store_answer_foreach(s, rec, collect_answer, &seen, NULL));
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.fields[0], "/data/b");
    set(s, rec, "", "/data/a", "again");
    assert_int_equal(revision_of(s, rec, "/data/a"), 3);
    /* never set and cleared: nothing to do, nothing stored */
    set(s, rec, "", "/data/never", NULL);
    assert_true(store_answer_info(s, rec, "", "/data/never", &a, &found, NULL));
    assert_false(found);
    store_close(&s);
    free(path);
}

static void test_unicode_stored_byte_for_byte_invalid_utf8_refused(void **state)
{
    (void)state;
    char *path = tpath("utf8.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    const char *bg = "Асистентът помага на учителя в класната стая.";
    const char *sk = "Asistentka učiteľa pomáha žiakom; ďakujeme.";
    const char *combining = "e\xcc\x81" "cole"; /* e + U+0301 */
    set(s, rec, "", "/data/bg", bg);
    set(s, rec, "", "/data/sk", sk);
    set(s, rec, "", "/data/comb", combining);
    store_close(&s);
    s = open_new(path);
    char *v = NULL;
    assert_true(store_answer_get(s, rec, "", "/data/bg", &v, NULL));
    assert_int_equal(strlen(v), strlen(bg));
    assert_memory_equal(v, bg, strlen(bg));
    free(v);
    assert_value(s, rec, "", "/data/sk", sk);
    assert_value(s, rec, "", "/data/comb", combining);

    static const char *const bad[] = {"\xc3\x28", "abc\xff", "\xc0\xaf",
                                      "\xed\xa0\x80", "\xd0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error err = ERROR_INIT;
        assert_false(store_answer_set(s, rec, "", "/data/bad", bad[i], &err));
        assert_err_contains(&err, "not valid UTF-8");
        error_clear(&err);
    }
    struct store_answer a;
    bool found;
    assert_true(store_answer_info(s, rec, "", "/data/bad", &a, &found, NULL));
    assert_false(found);
    store_close(&s);
    free(path);
}

static void test_answer_needs_live_draft_record_and_item(void **state)
{
    (void)state;
    char *path = tpath("needs.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    struct error err = ERROR_INIT;
    assert_false(store_answer_set(s, "00000000-0000-4000-8000-000000000000",
                                  "", "/data/a", "x", &err));
    assert_err_contains(&err, "no such record");
    assert_false(store_answer_set(s, rec,
                                  "00000000-0000-4000-8000-000000000000",
                                  "/data/r/a", "x", &err));
    assert_err_contains(&err, "no such repeat item");
    assert_false(store_answer_set(s, rec, "", "data/a", "x", &err));
    assert_err_contains(&err, "not a field path");
    error_clear(&err);
    store_close(&s);
    free(path);
}

/* ---- records, audit ---------------------------------------------------- */

static void test_record_delete_is_audited_tombstone(void **state)
{
    (void)state;
    char *path = tpath("delete.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN], keep[UUID_STR_LEN];
    new_record(s, rec);
    new_record(s, keep);
    set(s, rec, "", "/data/a", "x");
    struct error err = ERROR_INIT;
    assert_true(store_record_delete(s, rec, &err));
    struct store_record r;
    assert_false(store_record_get(s, rec, &r, &err));
    assert_err_contains(&err, "no such record");
    assert_false(store_answer_set(s, rec, "", "/data/a", "y", &err));
    assert_false(store_record_delete(s, rec, &err));
    error_clear(&err);
    struct store_record *list = NULL;
    size_t n = 0;
    assert_true(store_record_list(s, &list, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].uuid, keep);
    store_record_list_free(&list, n);

    char *sql = sqlite3_mprintf("SELECT revision * 10 + deleted FROM records "
                                "WHERE record_uuid = %Q",
                                rec);
    assert_int_equal(raw_int(path, sql), 21);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT count(*) FROM records_versions WHERE "
                          "record_uuid = %Q AND revision = 1 AND deleted = 0",
                          rec);
    assert_int_equal(raw_int(path, sql), 1);
    sqlite3_free(sql);
    /* its answers stay in the file */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers"), 1);
    struct store_audit *audit = NULL;
    assert_true(store_audit_list(s, rec, &audit, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(audit[0].action, "delete");
    assert_string_equal(audit[0].author, "tester");
    assert_string_equal(audit[0].device_id, store_device_id(s));
    store_audit_list_free(&audit, n);
    store_close(&s);
    free(path);
}

static void test_reopen_needs_reason_which_audit_keeps(void **state)
{
    (void)state;
    char *path = tpath("reopen-reason.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/visit/country", "AT");
    struct error err = ERROR_INIT;
    assert_false(store_record_reopen(s, rec, "not finalized yet", &err));
    assert_err_contains(&err, "not finalized");
    assert_true(store_record_finalize(s, rec, &err));
    assert_false(store_record_finalize(s, rec, &err));
    assert_err_contains(&err, "already finalized");

    struct store_record r;
    assert_true(store_record_get(s, rec, &r, NULL));
    assert_string_equal(r.state, "finalized");
    assert_int_equal(r.revision, 2);
    store_record_clear(&r);
    assert_false(store_answer_set(s, rec, "", "/data/visit/country", "BG",
                                  &err));
    assert_err_contains(&err, "finalized");
    char item[UUID_STR_LEN];
    assert_false(store_item_add(s, rec, NULL, "/data/roster", item, &err));

    assert_false(store_record_reopen(s, rec, "", &err));
    assert_err_contains(&err, "reason");
    assert_false(store_record_reopen(s, rec, " \t\n", &err));
    assert_false(store_record_reopen(s, rec, NULL, &err));
    error_clear(&err);
    assert_true(store_record_get(s, rec, &r, NULL));
    assert_string_equal(r.state, "finalized");
    store_record_clear(&r);

    const char *why = "Country was wrong: the visit was in Bulgaria";
    assert_true(store_record_reopen(s, rec, why, &err));
    set(s, rec, "", "/data/visit/country", "BG");
    assert_value(s, rec, "", "/data/visit/country", "BG");

    struct store_audit *audit = NULL;
    size_t n = 0;
    assert_true(store_audit_list(s, rec, &audit, &n, NULL));
    assert_int_equal(n, 2);
    assert_string_equal(audit[0].action, "finalize");
    assert_string_equal(audit[1].action, "reopen");
    assert_string_equal(audit[1].reason, why);
    assert_string_equal(audit[1].record_uuid, rec);
    store_audit_list_free(&audit, n);
    store_close(&s);
    free(path);
}

static void test_record_needs_its_form_stored(void **state)
{
    (void)state;
    char *path = tpath("forms.sqlite");
    struct store *s = open_new(path);
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN];
    assert_false(store_record_create(s, "visit", "2026-01", rec, &err));
    assert_err_contains(&err, "not stored");
    error_clear(&err);
    assert_true(store_form_put(s, "visit", "2026-01", NULL, "Visit", "<a/>",
                               &err));
    assert_true(store_form_put(s, "visit", "2026-01", NULL, "Visit", "<a/>",
                               &err)); /* idempotent */
    assert_false(store_form_put(s, "visit", "2026-01", NULL, "Visit",
                                "<b/>", &err));
    assert_err_contains(&err, "new version");
    error_clear(&err);
    assert_true(store_record_create(s, "visit", "2026-01", rec, &err));
    struct store_form f;
    bool found;
    assert_true(store_form_get(s, "visit", "2026-01", &f, &found, NULL));
    assert_true(found);
    assert_string_equal(f.definition, "<a/>");
    char hex[65];
    sha256_hex("<a/>", 4, hex);
    assert_string_equal(f.hash, hex);
    store_form_clear(&f);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM forms"), 1);
    store_close(&s);
    free(path);
}

/* ---- repeat items ------------------------------------------------------ */

static void add_item_at(struct store *s, const char *rec, const char *now,
                        char uuid[UUID_STR_LEN])
{
    setenv("IMAS_SURVEY_NOW_MS", now, 1);
    struct error err = ERROR_INIT;
    if (!store_item_add(s, rec, "", "/data/roster", uuid, &err))
        fail_msg("store_item_add: %s", err.msg);
}

static int64_t item_created_at(const char *path, const char *uuid)
{
    char *sql = sqlite3_mprintf(
        "SELECT created_at FROM items WHERE item_uuid = %Q", uuid);
    int64_t v = raw_int(path, sql);
    sqlite3_free(sql);
    return v;
}

/* An item from another laptop, as a merge brings it. */
static void foreign_item(const char *path, const char *rec, const char *uuid,
                         int64_t created_at, const char *device)
{
    char *sql = sqlite3_mprintf(
        "INSERT INTO items VALUES (%Q, %Q, '', '/data/roster', %lld, 1, "
        "%lld, %Q, 'other', 0, '')",
        uuid, rec, (long long)created_at, (long long)created_at, device);
    raw_exec(path, sql);
    sqlite3_free(sql);
}

static void test_items_listed_by_time_device_then_uuid(void **state)
{
    (void)state;
    char *path = tpath("items.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN], a[UUID_STR_LEN], b[UUID_STR_LEN], c[UUID_STR_LEN];
    char d[UUID_STR_LEN];
    new_record(s, rec);
    add_item_at(s, rec, "1700000003000", a);
    /* the clock went back: the new item still comes last */
    add_item_at(s, rec, "1700000001000", b);
    /* several in one millisecond (jr:count): in the order added */
    add_item_at(s, rec, "1700000002000", c);
    add_item_at(s, rec, "1700000002000", d);
    assert_int_equal(item_created_at(path, a), 1700000003000);
    assert_int_equal(item_created_at(path, b), 1700000003001);
    assert_int_equal(item_created_at(path, c), 1700000003002);
    assert_int_equal(item_created_at(path, d), 1700000003003);
    /* at c's time: a device below ours, one above; two items of one
     * device at one time, inserted against uuid order */
    const char *low = "00000000-0000-4000-8000-000000000000";
    const char *high = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    foreign_item(path, rec, "30000000-0000-7000-8000-000000000000",
                 1700000003002, high);
    foreign_item(path, rec, "20000000-0000-7000-8000-000000000000",
                 1700000003002, high);
    foreign_item(path, rec, "10000000-0000-7000-8000-000000000000",
                 1700000003002, low);
    foreign_item(path, rec, "40000000-0000-7000-8000-000000000000",
                 1700000000000, high);

    char **uuids = NULL;
    size_t n = 0;
    assert_true(store_item_list(s, rec, NULL, "/data/roster", &uuids, &n,
                                NULL));
    const char *want[] = {"40000000-0000-7000-8000-000000000000",
                          a,
                          b,
                          "10000000-0000-7000-8000-000000000000",
                          c,
                          "20000000-0000-7000-8000-000000000000",
                          "30000000-0000-7000-8000-000000000000",
                          d};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(uuids[i], want[i]);
    store_item_list_free(&uuids, n);
    assert_null(uuids);
    /* other repeats and parents are listed apart */
    assert_true(store_item_list(s, rec, "", "/data/notes", &uuids, &n, NULL));
    assert_int_equal(n, 0);
    store_item_list_free(&uuids, n);
    store_close(&s);
    free(path);
}

static void test_item_with_given_uuid_refuses_bad_or_reused_uuid(void **state)
{
    (void)state;
    char *path = tpath("item-uuid.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    struct error err = ERROR_INIT;
    const char *u = "11111111-2222-4333-8444-555555555555";
    assert_true(store_item_add_uuid(s, rec, NULL, "/data/roster", u, &err));
    assert_false(store_item_add_uuid(s, rec, NULL, "/data/roster", u, &err));
    error_clear(&err);
    assert_false(store_item_add_uuid(s, rec, NULL, "/data/roster", "not-a-uuid", &err));
    assert_err_contains(&err, "not a UUID");
    error_clear(&err);
    char **uuids = NULL;
    size_t n = 0;
    assert_true(store_item_list(s, rec, NULL, "/data/roster", &uuids, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(uuids[0], u);
    store_item_list_free(&uuids, n);
    store_close(&s);
    free(path);
}

static void test_settings_are_ui_keys_kept_across_reopen(void **state)
{
    (void)state;
    char *path = tpath("settings.sqlite");
    struct store *s = open_new(path);
    struct error err = ERROR_INIT;
    char *v = NULL;
    assert_true(store_setting_get(s, "ui.last", &v, &err));
    assert_null(v);
    assert_true(store_setting_set(s, "ui.last", "rec\t/data/a\t", &err));
    assert_true(store_setting_set(s, "ui.last", "Učiteľ", &err));
    /* the file's identity cannot be touched through settings */
    assert_false(store_setting_set(s, "db_uuid", "x", &err));
    assert_err_contains(&err, "not a setting name");
    error_clear(&err);
    assert_false(store_setting_set(s, "ui.x", "\xff", &err));
    error_clear(&err);
    store_close(&s);
    s = open_new(path);
    assert_true(store_setting_get(s, "ui.last", &v, &err));
    assert_string_equal(v, "Učiteľ");
    free(v);
    assert_true(store_setting_set(s, "ui.last", NULL, &err));
    assert_true(store_setting_get(s, "ui.last", &v, &err));
    assert_null(v);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM meta WHERE key LIKE 'ui.%'"), 0);
    store_close(&s);
    free(path);
}

static void test_item_delete_tombstones_its_subtree(void **state)
{
    (void)state;
    char *path = tpath("subtree.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN], parent[UUID_STR_LEN], child[UUID_STR_LEN];
    char other[UUID_STR_LEN];
    new_record(s, rec);
    struct error err = ERROR_INIT;
    assert_true(store_item_add(s, rec, "", "/data/topic", parent, &err));
    assert_true(store_item_add(s, rec, "", "/data/topic", other, &err));
    assert_true(store_item_add(s, rec, parent, "/data/topic/note", child,
                               &err));
    set(s, rec, child, "/data/topic/note/text", "Rodičia chcú viac");
    set(s, rec, other, "/data/topic/name", "open meeting places");
    assert_true(store_item_delete(s, parent, &err));
    assert_false(store_item_delete(s, parent, &err));
    assert_err_contains(&err, "no such repeat item");
    error_clear(&err);

    char **uuids = NULL;
    size_t n = 0;
    assert_true(store_item_list(s, rec, "", "/data/topic", &uuids, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(uuids[0], other);
    store_item_list_free(&uuids, n);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM items WHERE "
                                   "deleted = 1 AND revision = 2"),
                     2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM items_versions"), 2);
    /* the nested answer stays in the file but is no longer listed */
    struct seen seen = {0};
    assert_true(store_answer_foreach(s, rec, collect_answer, &seen, NULL));
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.fields[0], "/data/topic/name");
    assert_false(store_answer_set(s, rec, child, "/data/topic/note/text", "x",
                                  &err));
    error_clear(&err);
    store_close(&s);
    free(path);
}

/* ---- search ------------------------------------------------------------ */

static bool count_hit(void *ctx, const char *rec, const char *item,
                      const char *field, const char *value)
{
    (void)rec;
    (void)item;
    (void)field;
    (void)value;
    (*(int *)ctx)++;
    return true;
}

static int hits(struct store *s, const char *query)
{
    int n = 0;
    struct error err = ERROR_INIT;
    if (!store_search(s, query, count_hit, &n, &err))
        fail_msg("store_search %s: %s", query, err.msg);
    return n;
}

static void test_search_ignores_case_and_diacritics(void **state)
{
    (void)state;
    char *path = tpath("search.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/sk", "Učiteľka pomáha asistentke");
    set(s, rec, "", "/data/bg", "Асистентът работи с учителя");
    assert_int_equal(hits(s, "ucitelka"), 1);
    assert_int_equal(hits(s, "UČITEĽ"), 1); /* prefix, any case */
    assert_int_equal(hits(s, "асистент"), 1);
    assert_int_equal(hits(s, "АСИСТЕНТЪТ учителя"), 1);
    assert_int_equal(hits(s, "nikde"), 0);
    assert_int_equal(hits(s, "\"unbalanced OR ( *"), 0); /* no syntax error */
    assert_int_equal(hits(s, "  "), 0);
    /* a correction replaces the indexed text */
    set(s, rec, "", "/data/sk", "Riaditeľ školy");
    assert_int_equal(hits(s, "ucitelka"), 0);
    assert_int_equal(hits(s, "riaditel"), 1);
    set(s, rec, "", "/data/sk", NULL);
    assert_int_equal(hits(s, "riaditel"), 0);
    assert_int_equal(assert_search_in_step(path), 1);
    struct error err = ERROR_INIT;
    assert_true(store_record_delete(s, rec, &err));
    assert_int_equal(hits(s, "асистент"), 0);
    store_close(&s);
    free(path);
}

/* A search entry's id is its answer's rowid, which an answer keeps
 * through every correction, clearing and new value; the entries of the
 * answers around it stay as they were. */
static void test_search_entry_follows_its_answer_rowid(void **state)
{
    (void)state;
    char *path = tpath("rowid.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "Prvá poznámka");
    set(s, rec, "", "/data/note", "Kolíziu prežije");
    set(s, rec, "", "/data/z", "Posledná poznámka");
    long long id = raw_int(path, "SELECT rowid FROM answers WHERE field = "
                                 "'/data/note'");
    assert_int_equal(raw_int(path, "SELECT rowid FROM search WHERE search "
                                   "MATCH 'kolizi*'"),
                     id);
    set(s, rec, "", "/data/note", "Opravené");
    assert_int_equal(hits(s, "kolizi"), 0);
    assert_int_equal(hits(s, "opravene"), 1);
    set(s, rec, "", "/data/note", NULL);
    assert_int_equal(hits(s, "opravene"), 0);
    set(s, rec, "", "/data/note", "Znova");
    assert_int_equal(hits(s, "znova"), 1);
    assert_int_equal(raw_int(path, "SELECT rowid FROM answers WHERE field = "
                                   "'/data/note'"),
                     id);
    assert_int_equal(hits(s, "poznamka"), 2);
    store_close(&s);
    assert_int_equal(assert_search_in_step(path), 3);
    free(path);
}

/* ---- durability -------------------------------------------------------- */

static void test_failed_write_keeps_earlier_data(void **state)
{
    (void)state;
    char *path = tpath("full.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/before", "safe");
    /* a "disk" with no room for a 4 MB answer */
    struct rlimit old, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 1024 * 1024;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    size_t big_len = 4 * 1024 * 1024;
    char *big = xmalloc(big_len + 1);
    memset(big, 'x', big_len);
    big[big_len] = '\0';
    struct error err = ERROR_INIT;
    bool ok = store_answer_set(s, rec, "", "/data/big", big, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_false(ok);
    assert_non_null(err.msg);
    assert_string_equal(err.file, path);
    error_clear(&err);
    free(big);
    assert_value(s, rec, "", "/data/big", NULL);
    assert_value(s, rec, "", "/data/before", "safe");
    set(s, rec, "", "/data/after", "works again");
    store_close(&s);
    s = open_new(path);
    assert_value(s, rec, "", "/data/before", "safe");
    assert_value(s, rec, "", "/data/after", "works again");
    store_close(&s);
    free(path);
}

/* ---- schema upgrades --------------------------------------------------- */

static bool step_add_note_column(sqlite3 *db, const char *path,
                                 struct error *err)
{
    if (sqlite3_exec(db, "ALTER TABLE answer_rows ADD COLUMN note TEXT", NULL,
                     NULL, NULL) != SQLITE_OK)
        return error_set_at(err, path, 0, "%s", sqlite3_errmsg(db));
    return true;
}

static bool step_half_then_fail(sqlite3 *db, const char *path,
                                struct error *err)
{
    if (sqlite3_exec(db, "CREATE TABLE half(x); DELETE FROM answer_rows", NULL,
                     NULL, NULL) != SQLITE_OK)
        return error_set_at(err, path, 0, "%s", sqlite3_errmsg(db));
    return error_set_at(err, path, 0, "step failed on purpose");
}

static char *file_with_answer(const char *name, char rec[UUID_STR_LEN])
{
    char *path = tpath(name);
    struct store *s = open_new(path);
    new_record(s, rec);
    set(s, rec, "", "/data/a", "Здравей");
    store_close(&s);
    return path;
}

/* Upgrade steps are tested from the current version to the next. */
#define V SCHEMA_VERSION

static void test_upgrade_backs_up_then_applies_step(void **state)
{
    (void)state;
    char rec[UUID_STR_LEN];
    char *path = file_with_answer("upgrade.sqlite", rec);
    static const struct schema_step steps[] = {{V, step_add_note_column}};
    sqlite3 *db = raw_open(path);
    struct error err = ERROR_INIT;
    char *backup = NULL;
    if (!schema_upgrade(db, path, steps, 1, V + 1, &backup, &err))
        fail_msg("schema_upgrade: %s", err.msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_non_null(backup);
    char *want = xasprintf("%s.bak-v%d", path, V);
    assert_string_equal(backup, want);
    struct stat st;
    assert_int_equal(stat(backup, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(raw_int(backup, "PRAGMA user_version"), V);
    assert_int_equal(raw_int(backup, "SELECT count(*) FROM answers WHERE "
                                     "value = 'Здравей'"),
                     1);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), V + 1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answer_rows WHERE "
                                   "value = 'Здравей' AND note IS NULL"),
                     1);
    /* at the target already: nothing to do, no backup */
    db = raw_open(path);
    free(backup);
    assert_true(schema_upgrade(db, path, steps, 1, V + 1, &backup, &err));
    assert_null(backup);
    /* never downgraded */
    assert_false(schema_upgrade(db, path, steps, 1, V, &backup, &err));
    assert_err_contains(&err, "never downgraded");
    error_clear(&err);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    free(want);
    free(path);
}

static void test_failing_upgrade_rolls_back(void **state)
{
    (void)state;
    char rec[UUID_STR_LEN];
    char *path = file_with_answer("upgrade-fail.sqlite", rec);
    static const struct schema_step steps[] = {{V, step_half_then_fail}};
    for (int attempt = 1; attempt <= 2; attempt++) {
        sqlite3 *db = raw_open(path);
        struct error err = ERROR_INIT;
        char *backup = NULL;
        assert_false(schema_upgrade(db, path, steps, 1, V + 1, &backup, &err));
        assert_err_contains(&err, "on purpose");
        assert_err_contains(&err, "schema upgrade failed");
        error_clear(&err);
        assert_int_equal(sqlite3_close(db), SQLITE_OK);
        /* each attempt keeps its own backup, none overwritten */
        char *bak = attempt == 1 ? xasprintf("%s.bak-v%d", path, V)
                                 : xasprintf("%s.bak-v%d.2", path, V);
        assert_non_null(backup);
        assert_string_equal(backup, bak);
        assert_int_equal(raw_int(bak, "SELECT count(*) FROM answers"), 1);
        free(bak);
        free(backup);
    }
    assert_int_equal(raw_int(path, "PRAGMA user_version"), V);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE name = 'half'"),
                     0);
    struct store *s = open_new(path);
    assert_value(s, rec, "", "/data/a", "Здравей");
    store_close(&s);
    /* a missing step is refused before anything is written */
    sqlite3 *db = raw_open(path);
    struct error err = ERROR_INIT;
    assert_false(schema_upgrade(db, path, steps, 1, V + 2, NULL, &err));
    char *missing = xasprintf("no upgrade from schema version %d", V + 1);
    assert_err_contains(&err, missing);
    free(missing);
    error_clear(&err);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    char *bak3 = xasprintf("%s.bak-v%d.3", path, V);
    assert_false(exists(bak3));
    free(bak3);
    free(path);
}

#undef V

/* Schema 6 drops answers_by_time; a record's last edit is still its
 * latest answer's, read from the primary key's range. */
static void test_v5_file_loses_answers_by_time(void **state)
{
    (void)state;
    char rec[UUID_STR_LEN];
    char *path = file_with_answer("v5.sqlite", rec);
    char *old = old_schema_v7_sql();
    char *sql = xasprintf("%sCREATE INDEX answers_by_time ON "
                          "answers(record_uuid, updated_at); UPDATE answers "
                          "SET updated_at = updated_at + 5000; DROP TABLE "
                          "record_edits; PRAGMA user_version = 5;", old);
    raw_exec(path, sql);
    free(sql);
    free(old);
    struct store *s = open_new(path);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    struct store_record *list = NULL;
    size_t n = 0;
    struct error err = ERROR_INIT;
    assert_true(store_record_list(s, &list, &n, &err));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].updated_at,
                     raw_int(path, "SELECT max(updated_at) FROM answers"));
    store_record_list_free(&list, n);
    store_close(&s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE name = 'answers_by_time'"),
                     0);
    /* safe to run again */
    sqlite3 *db = raw_open(path);
    assert_true(schema_v5_to_v6(db, path, &err));
    assert_true(schema_v5_to_v6(db, path, &err));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    free(path);
}

/* Every answer of a file, every column, as one text. */
static char *answers_text(const char *path)
{
    return raw_text(path, "SELECT group_concat(r, char(10)) FROM (SELECT "
                          "quote(record_uuid) || quote(item_uuid) || "
                          "quote(field) || quote(value) || revision || "
                          "updated_at || device_id || author || deleted || "
                          "quote(parents) AS r FROM answers ORDER BY "
                          "record_uuid, item_uuid, field)");
}

/* Schema 8 writes answers again as a table with rowids and fills the
 * search index under them: a schema 7 file (answers without rowids, the
 * hashed map) keeps every answer, column for column, and finds what it
 * found, with a backup of the old file beside it. */
static void test_v7_file_gets_answer_rowids(void **state)
{
    (void)state;
    char *path = tpath("v7.sqlite");
    struct store *s = open_new(path);
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], item[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "Здравей, учителю");
    set(s, rec, "", "/data/b", "Prvá verzia");
    set(s, rec, "", "/data/b", "Druhá verzia");
    set(s, rec, "", "/data/c", NULL);
    assert_true(store_item_add(s, rec, "", "/data/r", item, &err));
    assert_true(store_answer_set(s, rec, item, "/data/r/x", "Žlutý kůň",
                                 &err));
    store_close(&s);
    char *before = answers_text(path);
    char *old = old_schema_v7_sql();
    char *sql = xasprintf("%sPRAGMA user_version = 7;", old);
    raw_exec(path, sql);
    free(sql);
    free(old);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE name = 'search_map'"),
                     1);
    s = open_new(path);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    store_close(&s);
    char *after = answers_text(path);
    assert_string_equal(after, before);
    free(after);
    assert_int_equal(assert_search_in_step(path), 3);
    s = open_new(path);
    assert_int_equal(hits(s, "учител"), 1);
    assert_int_equal(hits(s, "druha"), 1);
    assert_int_equal(hits(s, "prva"), 0);
    assert_int_equal(hits(s, "zluty kun"), 1);
    set(s, rec, "", "/data/a", "Nový text");
    assert_int_equal(hits(s, "учител"), 0);
    assert_int_equal(hits(s, "novy"), 1);
    store_close(&s);
    char *bak = xasprintf("%s.bak-v7", path);
    assert_true(exists(bak));
    assert_int_equal(raw_int(bak, "PRAGMA user_version"), 7);
    char *in_bak = answers_text(bak);
    assert_string_equal(in_bak, before);
    free(in_bak);
    free(bak);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE name = 'search_map'"),
                     0);
    assert_int_equal(assert_search_in_step(path), 3);
    free(before);
    free(path);
}

static char *records_text(const char *path)
{
    return raw_text(path, "SELECT group_concat(r, char(10)) FROM (SELECT "
                          "quote(record_uuid) || form_id || form_version || "
                          "state || created_at || revision || updated_at || "
                          "device_id || author || deleted || quote(parents) "
                          "AS r FROM records ORDER BY record_uuid)");
}

/* Schema 9 names an answer's record and device by numbers local to the
 * file (answer_rows; answers a view of it): a schema 8 file keeps every
 * record and answer, column for column, under the same rowids (so its
 * search index stays), with a backup; edits and search go on. A schema 8
 * file holding an answer of no record is not upgraded (the view could
 * not show it), and stays as it was. */
static void test_v8_file_gets_record_numbers(void **state)
{
    (void)state;
    char *path = tpath("v8.sqlite");
    struct store *s = open_new(path);
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], rec2[UUID_STR_LEN], item[UUID_STR_LEN];
    new_record(s, rec);
    new_record(s, rec2);
    set(s, rec, "", "/data/a", "Здравей, учителю");
    set(s, rec, "", "/data/b", "Prvá verzia");
    set(s, rec, "", "/data/b", "Druhá verzia");
    set(s, rec2, "", "/data/a", "Lehrkraft");
    set(s, rec, "", "/data/c", NULL);
    assert_true(store_item_add(s, rec, "", "/data/r", item, &err));
    assert_true(store_answer_set(s, rec, item, "/data/r/x", "Žlutý kůň",
                                 &err));
    store_close(&s);
    raw_exec(path, OLD_SCHEMA_V8_SQL "PRAGMA user_version = 8;"
                   "UPDATE answers SET device_id = "
                   "'0b7e3c55-1d2f-4a8b-9c6d-5e4f3a2b1c0d' WHERE field = "
                   "'/data/b'");
    char *before = answers_text(path), *recs = records_text(path);
    int64_t rowid = raw_int(path, "SELECT rowid FROM answers WHERE field = "
                                  "'/data/r/x'");
    s = open_new(path);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    store_close(&s);
    char *after = answers_text(path), *recs2 = records_text(path);
    assert_string_equal(after, before);
    assert_string_equal(recs2, recs);
    free(after);
    free(recs2);
    assert_int_equal(raw_int(path, "SELECT rowid FROM answers WHERE field = "
                                   "'/data/r/x'"),
                     rowid);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM device_ids"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answer_rows"), 4);
    assert_int_equal(assert_search_in_step(path), 4);
    s = open_new(path);
    assert_int_equal(hits(s, "учител"), 1);
    assert_int_equal(hits(s, "druha"), 1);
    assert_int_equal(hits(s, "zluty kun"), 1);
    set(s, rec, "", "/data/a", "Nový text");
    set(s, rec2, "", "/data/d", "новое");
    assert_int_equal(hits(s, "учител"), 0);
    assert_int_equal(hits(s, "novy"), 1);
    assert_int_equal(hits(s, "новое"), 1);
    store_close(&s);
    assert_int_equal(assert_search_in_step(path), 5);
    char *bak = xasprintf("%s.bak-v8", path);
    assert_true(exists(bak));
    assert_int_equal(raw_int(bak, "PRAGMA user_version"), 8);
    char *in_bak = answers_text(bak);
    assert_string_equal(in_bak, before);
    free(in_bak);
    free(bak);
    free(before);
    free(recs);

    /* an answer of no record: not upgraded, nothing changed */
    char *bad = tpath("v8-orphan.sqlite");
    s = open_new(bad);
    new_record(s, rec);
    set(s, rec, "", "/data/a", "x");
    store_close(&s);
    raw_exec(bad, OLD_SCHEMA_V8_SQL "PRAGMA user_version = 8; DELETE FROM "
                  "records");
    assert_null(store_open(bad, 0, &err));
    assert_non_null(strstr(err.msg, "belong to no record"));
    error_clear(&err);
    assert_int_equal(raw_int(bad, "PRAGMA user_version"), 8);
    assert_int_equal(raw_int(bad, "SELECT count(*) FROM answers"), 1);
    free(bad);
    free(path);
}

/* Schema 7 keeps each record's last edit in record_edits: filled on
 * upgrade from every version of the answers (a corrected answer's older
 * value here carries the latest time), then moved on by each save; the
 * records list reads it. */
static void test_v6_file_gets_record_edits(void **state)
{
    (void)state;
    char rec[UUID_STR_LEN];
    char *path = file_with_answer("v6.sqlite", rec);
    struct error err = ERROR_INIT;
    struct store *s = open_new(path);
    assert_true(store_answer_set(s, rec, NULL, "/data/q2", "first", &err));
    assert_true(store_answer_set(s, rec, NULL, "/data/q2", "second", &err));
    store_close(&s);
    char *old = old_schema_v7_sql();
    char *sql = xasprintf("%sUPDATE answers_versions SET updated_at = "
                          "updated_at + 90000; DROP TABLE record_edits; "
                          "PRAGMA user_version = 6;", old);
    raw_exec(path, sql);
    free(sql);
    free(old);
    int64_t latest = raw_int(path, "SELECT max(updated_at) FROM "
                                   "answers_versions");
    /* read-only (--check, a read-only disk), it is not upgraded: the
     * list reads the answers' versions themselves */
    s = store_open(path, STORE_READONLY, &err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 6);
    struct store_record *ro = NULL;
    size_t nro = 0;
    assert_true(store_record_list(s, &ro, &nro, &err));
    assert_int_equal(nro, 1);
    assert_int_equal(ro[0].updated_at, latest);
    store_record_list_free(&ro, nro);
    struct store_record one;
    assert_true(store_record_get(s, rec, &one, &err));
    assert_int_equal(one.updated_at, latest);
    store_record_clear(&one);
    store_close(&s);
    s = open_new(path);
    assert_int_equal(store_schema_version(s), SCHEMA_VERSION);
    struct store_record *list = NULL;
    size_t n = 0;
    assert_true(store_record_list(s, &list, &n, &err));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].updated_at, latest);
    store_record_list_free(&list, n);
    /* a save later than that moves it on */
    char *now = xasprintf("%lld", (long long)(latest + 1000));
    setenv("IMAS_SURVEY_NOW_MS", now, 1);
    assert_true(store_answer_set(s, rec, NULL, "/data/q2", "third", &err));
    unsetenv("IMAS_SURVEY_NOW_MS");
    free(now);
    assert_true(store_record_list(s, &list, &n, &err));
    assert_int_equal(list[0].updated_at, latest + 1000);
    store_record_list_free(&list, n);
    store_close(&s);
    /* safe to run again */
    sqlite3 *db = raw_open(path);
    assert_true(schema_v6_to_v7(db, path, &err));
    assert_true(schema_v6_to_v7(db, path, &err));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_int_equal(raw_int(path, "SELECT at FROM record_edits"),
                     latest + 1000);
    /* a time that is not a number (a file edited by hand) is left out:
     * the list shows the record's own time, not one sorted above all */
    raw_exec(path, "UPDATE record_edits SET at = 'evil'");
    s = open_new(path);
    assert_true(store_record_list(s, &list, &n, &err));
    assert_int_equal(n, 1);
    assert_true(list[0].updated_at > 0 && list[0].updated_at < latest);
    store_record_list_free(&list, n);
    store_close(&s);
    free(path);
}

/* ---- check ------------------------------------------------------------- */

static void test_check_counts_what_the_file_holds(void **state)
{
    (void)state;
    char *path = tpath("check.sqlite");
    struct store *s = open_new(path);
    char draft[UUID_STR_LEN], fin[UUID_STR_LEN], del[UUID_STR_LEN];
    char item[UUID_STR_LEN];
    new_record(s, draft);
    new_record(s, fin);
    new_record(s, del);
    set(s, draft, "", "/data/a", "1");
    set(s, draft, "", "/data/b", "2");
    set(s, draft, "", "/data/c", "3");
    set(s, draft, "", "/data/c", NULL);
    struct error err = ERROR_INIT;
    assert_true(store_item_add(s, draft, "", "/data/roster", item, &err));
    assert_true(store_record_finalize(s, fin, &err));
    assert_true(store_record_delete(s, del, &err));
    char db_uuid[UUID_STR_LEN], device[UUID_STR_LEN];
    snprintf(db_uuid, sizeof db_uuid, "%s", store_db_uuid(s));
    snprintf(device, sizeof device, "%s", store_device_id(s));
    store_close(&s);

    char before[65], after[65];
    file_sha(path, before);
    struct store_check_report r;
    if (!store_check(path, &r, &err))
        fail_msg("store_check: %s", err.msg);
    assert_string_equal(r.quick_check, "ok");
    assert_null(r.schema_problem);
    assert_int_equal(r.schema_version, SCHEMA_VERSION);
    assert_false(r.readonly_newer);
    assert_string_equal(r.db_uuid, db_uuid);
    assert_string_equal(r.device_id, device);
    assert_int_equal(r.records, 3);
    assert_int_equal(r.drafts, 1);
    assert_int_equal(r.finalized, 1);
    assert_int_equal(r.deleted_records, 1);
    assert_int_equal(r.answers, 2);
    assert_int_equal(r.items, 1);
    assert_int_equal(r.forms, 1);
    assert_int_equal(r.audit, 2);
    assert_int_equal(r.merges, 0);
    store_check_report_clear(&r);
    assert_null(r.quick_check);
    file_sha(path, after);
    assert_string_equal(before, after);
    free(path);
}

static void test_check_reports_objects_we_did_not_create(void **state)
{
    (void)state;
    char *path = tpath("tampered.sqlite");
    struct store *s = open_new(path);
    store_close(&s);
    raw_exec(path, "CREATE TRIGGER sneaky AFTER INSERT ON answer_rows BEGIN "
                   "DELETE FROM answer_rows; END");
    struct store_check_report r;
    struct error err = ERROR_INIT;
    assert_true(store_check(path, &r, &err));
    assert_non_null(r.schema_problem);
    assert_non_null(strstr(r.schema_problem, "sneaky"));
    store_check_report_clear(&r);
    /* opening it to work in is refused, and changes nothing */
    char before[65], after[65];
    file_sha(path, before);
    assert_null(store_open(path, 0, &err));
    assert_non_null(strstr(err.msg, "trigger sneaky"));
    error_clear(&err);
    assert_null(store_open(path, STORE_READONLY, &err));
    error_clear(&err);
    file_sha(path, after);
    assert_string_equal(before, after);
    free(path);
}

/* Schema 9: answer rows whose record or device number names nothing the
 * file holds are a damaged file's, which the view answers does not show:
 * --check counts them. */
static void test_check_counts_answers_of_no_record(void **state)
{
    (void)state;
    char *path = tpath("lost.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "one");
    set(s, rec, "", "/data/b", "two");
    store_close(&s);
    struct store_check_report r;
    struct error err = ERROR_INIT;
    assert_true(store_check(path, &r, &err));
    assert_int_equal(r.lost_answers, 0);
    assert_int_equal(r.answers, 2);
    store_check_report_clear(&r);
    raw_exec(path, "UPDATE answer_rows SET did = did + 7 WHERE field = "
                   "'/data/b'");
    assert_true(store_check(path, &r, &err));
    assert_int_equal(r.lost_answers, 1);
    assert_int_equal(r.answers, 1);
    store_check_report_clear(&r);
    raw_exec(path, "DELETE FROM records");
    assert_true(store_check(path, &r, &err));
    assert_int_equal(r.lost_answers, 2);
    store_check_report_clear(&r);
    free(path);
}

/* Schema 9: an answer whose laptop has no number (a damaged file) is
 * not shown by the view, but a save over it still keeps it as a version
 * and drops its search entry, as for any other. */
static void test_save_keeps_an_answer_of_a_lost_device(void **state)
{
    (void)state;
    char *path = tpath("lost-device.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "старый текст");
    store_close(&s);
    raw_exec(path, "UPDATE answer_rows SET did = did + 5");
    s = open_new(path);
    set(s, rec, "", "/data/a", "new text");
    store_close(&s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM answers_versions "
                                   "WHERE value = 'старый текст'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT revision FROM answers WHERE "
                                   "field = '/data/a'"),
                     2);
    assert_int_equal(assert_search_in_step(path), 1);
    free(path);
}

/* Schema 9: a scan names each answer's laptop from its number, reading
 * the laptops once; one that first wrote after the cursor was opened is
 * read then. */
static void test_scan_names_each_answers_device(void **state)
{
    (void)state;
    char *path = tpath("scan-devices.sqlite");
    struct store *s = open_new(path);
    char rec[UUID_STR_LEN];
    new_record(s, rec);
    set(s, rec, "", "/data/a", "one");
    set(s, rec, "", "/data/b", "two");
    struct store_scan_filter f = {.form_id = "visit",
                                  .form_version = "2026-01"};
    struct store_cursor *c = NULL;
    struct error err = ERROR_INIT;
    assert_true(store_scan_answers(s, &f, &c, &err));
    raw_exec(path, "INSERT INTO device_ids(device_id) VALUES "
                   "('0b7e3c55-1d2f-4a8b-9c6d-5e4f3a2b1c0d'); UPDATE "
                   "answer_rows SET did = (SELECT max(did) FROM device_ids) "
                   "WHERE field = '/data/b'");
    struct store_row row;
    int n = 0;
    while (store_cursor_next(c, &row, &err) == 1) {
        if (!row.field)
            continue;
        n++;
        assert_string_equal(row.device_id,
                            strcmp(row.field, "/data/b") == 0
                                ? "0b7e3c55-1d2f-4a8b-9c6d-5e4f3a2b1c0d"
                                : store_device_id(s));
    }
    assert_int_equal(n, 2);
    store_cursor_free(&c);
    store_close(&s);
    free(path);
}

/* teardown for a test that gave up root's permission override */
static int teardown_as_owner(void **state)
{
    as_owner_end(state);
    return teardown(state);
}

/* A version's id is "%lld.%lld.%.8s" (written without snprintf), at the
 * ends of the numbers' range too. */
static void test_version_id_is_printf_of_its_parts(void **state)
{
    (void)state;
    static const int64_t nums[] = {0, 1, 9, 10, -1, 1767225600000,
                                   INT64_MAX, INT64_MIN, -10};
    static const char *const devs[] = {
        "abcdef12-0000-7000-8000-000000000000", "abc", "", NULL, "ab d"};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        for (size_t j = 0; j < sizeof nums / sizeof *nums; j++)
            for (size_t d = 0; d < sizeof devs / sizeof *devs; d++) {
                char got[STORE_VID_MAX], want[STORE_VID_MAX];
                store_version_id(got, nums[i], nums[j], devs[d]);
                snprintf(want, sizeof want, "%" PRId64 ".%" PRId64 ".%.8s",
                         nums[i], nums[j], devs[d] ? devs[d] : "");
                assert_string_equal(got, want);
            }
}

/* imas_names_parent gives what the instr() it replaced gives (one id of a
 * space-separated list, never a part of one), over lists of every shape. */
static void test_names_parent_matches_instr(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_true(store_history_functions(db));
    static const char *const lists[] = {
        "", " ", "2.5.abcdef12", "12.5.abcdef12", "2.5.abcdef123",
        "1.1.aaaaaaaa 2.5.abcdef12", "2.5.abcdef12 3.1.bbbbbbbb",
        "2.5.abcdef12x 2.5.abcdef1", "  2.5.abcdef12  ", "x2.5.abcdef12",
        "2.5.abcdef12\t", "2.5.abcdef", "2.55.abcdef12 2.5.abcdef12",
        "1.1.a 2.5.ab d", "2.5.ab d", NULL};
    static const struct {
        sqlite3_int64 rev, at;
        const char *dev;
    } vs[] = {{2, 5, "abcdef12-0000-7000-8000-000000000000"},
              {2, 5, "abcdef1"},
              {2, 5, "ab d"},
              {2, 5, ""},
              {1, 1, "a"}};
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT " STORE_NAMES_PARENT_SQL("p", "v") ", "
                           "instr(' ' || p.parents || ' ', ' ' || printf("
                           "'%d.%d.%.8s', v.revision, v.updated_at, "
                           "v.device_id) || ' ') > 0 FROM (SELECT ?1 AS "
                           "parents) AS p, (SELECT ?2 AS revision, ?3 AS "
                           "updated_at, ?4 AS device_id) AS v",
                           -1, &st, NULL),
        SQLITE_OK);
    int found = 0;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        for (size_t j = 0; j < sizeof vs / sizeof vs[0]; j++) {
            sqlite3_reset(st);
            if (lists[i])
                sqlite3_bind_text(st, 1, lists[i], -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, 1);
            sqlite3_bind_int64(st, 2, vs[j].rev);
            sqlite3_bind_int64(st, 3, vs[j].at);
            sqlite3_bind_text(st, 4, vs[j].dev, -1, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
                assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
                continue;
            }
            if (sqlite3_column_int(st, 0) != sqlite3_column_int(st, 1))
                fail_msg("list \"%s\", version %d.%d.%s: %d, instr %d",
                         lists[i], (int)vs[j].rev, (int)vs[j].at, vs[j].dev,
                         sqlite3_column_int(st, 0),
                         sqlite3_column_int(st, 1));
            found += sqlite3_column_int(st, 0);
        }
    assert_true(found >= 8);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    setlocale(LC_ALL, "");
    dir = mkdtemp(tmpdir);
    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_id_is_printf_of_its_parts),
        cmocka_unit_test(test_names_parent_matches_instr),
        T(test_new_file_is_private_wal_with_our_ids),
        T(test_empty_file_becomes_new_only_with_create),
        T(test_record_and_answers_survive_close_and_reopen),
        T(test_missing_file_refused_without_create),
        T(test_directory_refused),
        T(test_fifo_refused_without_hanging),
        T(test_text_file_refused_as_not_sqlite),
        T(test_foreign_sqlite_file_refused),
        cmocka_unit_test_setup_teardown(test_unwritable_file_refused_unless_readonly, setup,
                                        teardown_as_owner),
        T(test_exclusive_open_makes_a_second_read_only),
        T(test_newer_schema_opens_read_only_and_refuses_writes),
        T(test_own_view_of_a_file_never_runs),
        T(test_new_record_never_takes_lost_answers),
        T(test_readonly_flag_refuses_writes),
        T(test_revision_bumps_on_change_not_on_same_value),
        T(test_edit_never_counts_past_the_highest_revision),
        T(test_refused_open_leaves_file_and_its_log),
        T(test_correction_keeps_replaced_value_in_versions),
        T(test_cleared_answer_is_tombstone_with_new_revision),
        T(test_unicode_stored_byte_for_byte_invalid_utf8_refused),
        T(test_answer_needs_live_draft_record_and_item),
        T(test_record_delete_is_audited_tombstone),
        T(test_reopen_needs_reason_which_audit_keeps),
        T(test_record_needs_its_form_stored),
        T(test_items_listed_by_time_device_then_uuid),
        T(test_item_delete_tombstones_its_subtree),
        T(test_item_with_given_uuid_refuses_bad_or_reused_uuid),
        T(test_settings_are_ui_keys_kept_across_reopen),
        T(test_search_ignores_case_and_diacritics),
        T(test_search_entry_follows_its_answer_rowid),
        T(test_failed_write_keeps_earlier_data),
        T(test_upgrade_backs_up_then_applies_step),
        T(test_failing_upgrade_rolls_back),
        T(test_v5_file_loses_answers_by_time),
        T(test_v7_file_gets_answer_rowids),
        T(test_v8_file_gets_record_numbers),
        T(test_check_counts_answers_of_no_record),
        T(test_scan_names_each_answers_device),
        T(test_save_keeps_an_answer_of_a_lost_device),
        T(test_v6_file_gets_record_edits),
        T(test_check_counts_what_the_file_holds),
        T(test_check_reports_objects_we_did_not_create),
    };
#undef T
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(rm);
    return failed;
}
