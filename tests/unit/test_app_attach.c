/* test_app_attach.c: an <upload> question's answer (app/attach.h): a file
 * attached from a typed path, stored once, checked against the question's
 * mediatype and the size limit, refused without changing anything, shown
 * by name, size and type; and Tab completion of the path
 * (app/path_complete.h). */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/attach.h"
#include "app/path_complete.h"
#include "app/session.h"
#include "core/media.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "store/store.h"

static char tmpdir[] = "/tmp/test_app_attach.XXXXXX";
static char *dir;

struct fixture {
    struct store *store;
    struct form *form;
    struct session *s;
};

static void write_file(const char *name, const void *data, size_t n)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
    free(p);
}

static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 42};
static const unsigned char wav[] = "RIFF\x24\0\0\0WAVEfmt data";

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/test_app_attach.XXXXXX");
    dir = mkdtemp(tmpdir);
    setenv("XDG_STATE_HOME", dir, 1);
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    struct fixture *fx = xcalloc(1, sizeof *fx);
    char *path = xasprintf("%s/s.sqlite", dir);
    struct error err = ERROR_INIT;
    fx->store = store_open(path, STORE_CREATE, &err);
    assert_non_null(fx->store);
    free(path);
    char *fp = xasprintf("%s/tests/data/forms/good-upload.xml", ABS_TOP_SRCDIR);
    fx->form = form_load_file(fp, &err);
    if (!fx->form)
        fail_msg("%s", err.msg);
    free(fp);
    fx->s = session_create(fx->store, fx->form, NULL, &err);
    assert_non_null(fx->s);
    write_file("school visit.jpg", jpeg, sizeof jpeg);
    write_file("talk.wav", wav, sizeof wav - 1);
    write_file("notes.txt", "plain text\n", 11);
    char *sub = xasprintf("%s/photos", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    free(sub);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    session_free(&fx->s);
    store_close(&fx->store);
    form_free(&fx->form);
    free(fx);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static int64_t count_attachments(struct fixture *fx)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(store_path(fx->store), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM attachments", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static const struct form_node *q(struct fixture *fx, const char *path)
{
    return form_find(fx->form, path);
}

static enum session_set_result attach(struct fixture *fx, const char *field, const char *file,
                                      char **msg)
{
    char *p = xasprintf("%s/%s", dir, file);
    enum session_set_result r = session_attach(fx->s, q(fx, field), "", p, msg);
    free(p);
    return r;
}

static void test_attach_stores_file_and_names_it(void **state)
{
    struct fixture *fx = *state;
    char *msg = NULL;
    assert_int_equal(attach(fx, "/data/photo", "school visit.jpg", &msg), SESSION_SET_OK);
    assert_null(msg);
    char hex[65];
    sha256_hex(jpeg, sizeof jpeg, hex);
    char *want = xasprintf("%s school visit.jpg", hex);
    assert_string_equal(session_get(fx->s, q(fx, "/data/photo"), ""), want);
    free(want);
    struct session_attachment a;
    assert_true(session_attachment(fx->s, q(fx, "/data/photo"), "", &a));
    assert_true(a.attached);
    assert_true(a.stored);
    assert_string_equal(a.name, "school visit.jpg");
    assert_int_equal(a.size, sizeof jpeg);
    assert_string_equal(a.type, "image/jpeg");
    session_attachment_clear(&a);
    /* the same content on another question is stored once */
    assert_int_equal(attach(fx, "/data/any", "school visit.jpg", &msg), SESSION_SET_OK);
    assert_int_equal(count_attachments(fx), 1);
    /* it survives reopening: the answer is committed */
    char uuid[64];
    snprintf(uuid, sizeof uuid, "%s", session_uuid(fx->s));
    session_free(&fx->s);
    struct error err = ERROR_INIT;
    fx->s = session_open(fx->store, NULL, uuid, NULL, &err);
    assert_non_null(fx->s);
    assert_true(session_attachment(fx->s, q(fx, "/data/photo"), "", &a));
    assert_string_equal(a.name, "school visit.jpg");
    session_attachment_clear(&a);
    /* removing it clears the answer; the content stays for the history */
    assert_int_equal(session_detach(fx->s, q(fx, "/data/photo"), "", &msg), SESSION_SET_OK);
    assert_string_equal(session_get(fx->s, q(fx, "/data/photo"), ""), "");
    assert_int_equal(count_attachments(fx), 1);
}

static void expect_refused(struct fixture *fx, const char *field, const char *file,
                           const char *words)
{
    const char *before = session_get(fx->s, q(fx, field), "");
    char *keep = xstrdup(before);
    int64_t n = count_attachments(fx);
    char *msg = NULL;
    assert_int_not_equal(attach(fx, field, file, &msg), SESSION_SET_OK);
    assert_non_null(msg);
    if (!strstr(msg, words))
        fail_msg("'%s' does not say '%s'", msg, words);
    free(msg);
    assert_string_equal(session_get(fx->s, q(fx, field), ""), keep);
    assert_int_equal(count_attachments(fx), n);
    free(keep);
}

static void test_refusals_change_nothing(void **state)
{
    struct fixture *fx = *state;
    char *msg = NULL;
    assert_int_equal(attach(fx, "/data/photo", "school visit.jpg", &msg), SESSION_SET_OK);
    expect_refused(fx, "/data/photo", "notes.txt", "notes.txt is not attached: its content is "
                                                   "not image/*");
    expect_refused(fx, "/data/photo", "talk.wav", "it is audio/wav, not image/*");
    expect_refused(fx, "/data/photo", "missing.jpg", "missing.jpg: there is no such file");
    expect_refused(fx, "/data/photo", "photos", "photos is a directory");
    expect_refused(fx, "/data/photo", "photos/", "is a directory");
    /* a picture named as sound */
    write_file("song.mp3", jpeg, sizeof jpeg);
    expect_refused(fx, "/data/photo", "song.mp3", "its name says audio/mpeg, its content image/jpeg");
    /* larger than the limit (a sparse file: nothing is written) */
    char *big = xasprintf("%s/big.jpg", dir);
    int fd = open(big, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, MEDIA_MAX_BYTES + 1), 0);
    close(fd);
    /* one byte over: its rounded size would read "25.0 MiB" as a file of
     * exactly 25 MiB does, so the bytes are given */
    expect_refused(fx, "/data/photo", "big.jpg",
                   "big.jpg is 26214401 bytes: over the limit of 26214400 bytes (25 MiB)");
    /* well over: the rounded size tells */
    fd = open(big, O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)MEDIA_MAX_BYTES + 1048576), 0);
    close(fd);
    expect_refused(fx, "/data/photo", "big.jpg", "big.jpg is 26.0 MiB: files over 25 MiB cannot "
                                                 "be attached");
    free(big);
    /* sound fits the audio question, anything the file question */
    assert_int_equal(attach(fx, "/data/voice", "talk.wav", &msg), SESSION_SET_OK);
    assert_int_equal(attach(fx, "/data/any", "notes.txt", &msg), SESSION_SET_OK);
}

static void test_required_upload_blocks_finalize(void **state)
{
    struct fixture *fx = *state;
    struct session_problem *p = NULL;
    size_t n = 0;
    assert_false(session_check(fx->s, &p, &n));
    assert_int_equal(n, 1);
    assert_string_equal(p[0].label, "Photo of the classroom");
    session_problems_free(&p, n);
    char *msg = NULL;
    assert_int_equal(attach(fx, "/data/photo", "school visit.jpg", &msg), SESSION_SET_OK);
    assert_true(session_check(fx->s, &p, &n));
    /* a typed path is not an answer */
    assert_int_equal(session_set(fx->s, q(fx, "/data/voice"), "", "/tmp/x.wav", &msg),
                     SESSION_SET_INVALID);
    free(msg);
}

static void test_tab_completes_like_a_shell(void **state)
{
    (void)state;
    write_file("school map.png", "\x89PNG\r\n\x1a\n", 8);
    write_file(".hidden.jpg", jpeg, sizeof jpeg);
    struct path_completion c;
    char *typed = xasprintf("%s/sch", dir);
    path_complete(typed, &c);
    char *want = xasprintf("%s/school ", dir);
    assert_string_equal(c.text, want); /* the common start of two names */
    assert_int_equal(c.n, 2);
    assert_int_equal(c.nnames, 2);
    assert_string_equal(c.names[0], "school map.png");
    assert_string_equal(c.names[1], "school visit.jpg");
    path_completion_free(&c);
    free(typed), free(want);
    typed = xasprintf("%s/school v", dir);
    path_complete(typed, &c);
    want = xasprintf("%s/school visit.jpg", dir);
    assert_string_equal(c.text, want);
    assert_int_equal(c.n, 1);
    assert_null(c.names);
    path_completion_free(&c);
    free(typed), free(want);
    /* a directory gets its "/"; dot files only when asked for */
    typed = xasprintf("%s/pho", dir);
    path_complete(typed, &c);
    want = xasprintf("%s/photos/", dir);
    assert_string_equal(c.text, want);
    path_completion_free(&c);
    free(typed), free(want);
    typed = xasprintf("%s/.hid", dir);
    path_complete(typed, &c);
    assert_int_equal(c.n, 1);
    path_completion_free(&c);
    free(typed);
    typed = xasprintf("%s/zz", dir);
    path_complete(typed, &c);
    assert_int_equal(c.n, 0);
    assert_string_equal(c.text, typed);
    path_completion_free(&c);
    free(typed);
    /* ~ is the home directory, and stays as typed */
    setenv("HOME", dir, 1);
    path_complete("~/school v", &c);
    assert_string_equal(c.text, "~/school visit.jpg");
    path_completion_free(&c);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_attach_stores_file_and_names_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_upload_blocks_finalize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tab_completes_like_a_shell, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
