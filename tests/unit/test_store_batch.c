/* store_batch_begin/end: several writes as one transaction (a note is a
 * repeat item and all its answers, on disk together or not at all). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"

static char tmpl[] = "/tmp/test_store_batch.XXXXXX";
static char *dir;
static int seq;

static void ok(bool b, struct error *err)
{
    if (!b)
        fail_msg("%s", err->msg ? err->msg : "?");
}

static struct store *fresh(char rec[UUID_STR_LEN], char **path)
{
    struct error err = ERROR_INIT;
    *path = xasprintf("%s/s%d.sqlite", dir, ++seq);
    struct store *s = store_open(*path, STORE_CREATE, &err);
    ok(s != NULL, &err);
    ok(store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) &&
           store_record_create(s, "f", "1", rec, &err),
       &err);
    return s;
}

static size_t count_items(struct store *s, const char *rec)
{
    struct error err = ERROR_INIT;
    char **ids;
    size_t n;
    ok(store_item_list(s, rec, "", "/data/note", &ids, &n, &err), &err);
    store_item_list_free(&ids, n);
    return n;
}

static void test_batch_commits_item_and_answers_together(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], item[UUID_STR_LEN], *path;
    struct store *s = fresh(rec, &path);
    ok(store_batch_begin(s, &err), &err);
    ok(store_item_add(s, rec, "", "/data/note", item, &err), &err);
    ok(store_answer_set(s, rec, item, "/data/note/text", "Учителят каза", &err), &err);
    ok(store_answer_set(s, rec, item, "/data/note/speaker", "P1", &err), &err);
    ok(store_batch_end(s, true, &err), &err);
    store_close(&s);
    s = store_open(path, 0, &err);
    ok(s != NULL, &err);
    assert_int_equal(count_items(s, rec), 1);
    char *v;
    ok(store_answer_get(s, rec, item, "/data/note/text", &v, &err), &err);
    assert_string_equal(v, "Учителят каза");
    free(v);
    store_close(&s);
    free(path);
}

static void test_failed_write_rolls_back_the_whole_batch(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], item[UUID_STR_LEN], *path;
    struct store *s = fresh(rec, &path);
    ok(store_batch_begin(s, &err), &err);
    ok(store_item_add(s, rec, "", "/data/note", item, &err), &err);
    ok(store_answer_set(s, rec, item, "/data/note/text", "half", &err), &err);
    /* an item that does not exist: this write fails */
    assert_false(store_answer_set(s, rec, "00000000-0000-4000-8000-000000000000",
                                  "/data/note/speaker", "P1", &err));
    error_clear(&err);
    /* later writes of the group are refused too */
    assert_false(store_answer_set(s, rec, item, "/data/note/topic", "omp", &err));
    error_clear(&err);
    assert_false(store_batch_end(s, true, &err));
    assert_non_null(err.msg);
    error_clear(&err);
    assert_int_equal(count_items(s, rec), 0);
    char *v;
    ok(store_answer_get(s, rec, item, "/data/note/text", &v, &err), &err);
    assert_null(v);
    /* the store is usable afterwards */
    ok(store_answer_set(s, rec, "", "/data/x", "after", &err), &err);
    store_close(&s);
    free(path);
}

static void test_batch_ended_not_ok_saves_nothing(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], item[UUID_STR_LEN], *path;
    struct store *s = fresh(rec, &path);
    ok(store_batch_begin(s, &err), &err);
    assert_false(store_batch_begin(s, &err)); /* no nesting */
    error_clear(&err);
    ok(store_item_add(s, rec, "", "/data/note", item, &err), &err);
    assert_false(store_batch_end(s, false, &err));
    error_clear(&err);
    assert_int_equal(count_items(s, rec), 0);
    assert_false(store_batch_end(s, true, &err)); /* not in a batch */
    error_clear(&err);
    store_close(&s);
    free(path);
}

static void test_kill_inside_a_batch_leaves_nothing_of_it(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], *path;
    struct store *s = fresh(rec, &path);
    store_close(&s);
    pid_t child = fork();
    if (child == 0) {
        struct store *c = store_open(path, 0, &err);
        char item[UUID_STR_LEN];
        if (!c || !store_batch_begin(c, &err) ||
            !store_item_add(c, rec, "", "/data/note", item, &err) ||
            !store_answer_set(c, rec, item, "/data/note/text", "never", &err))
            _exit(1);
        kill(getpid(), SIGKILL);
        _exit(2);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    s = store_open(path, 0, &err);
    ok(s != NULL, &err);
    assert_int_equal(count_items(s, rec), 0);
    store_close(&s);
    free(path);
}

static long wal_size(const char *path)
{
    char *wal = xasprintf("%s-wal", path);
    struct stat st;
    long n = stat(wal, &st) == 0 ? (long)st.st_size : -1;
    free(wal);
    return n;
}

/* The capture writer's connection: commits never checkpoint; the log
 * grows until the owner checkpoints between writes, then starts over. */
static void test_deferred_checkpoints_wait_for_the_owner(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], *path;
    struct store *s = fresh(rec, &path);
    ok(store_checkpoint(s, &err), &err);
    store_defer_checkpoints(s);
    assert_false(store_checkpoint_due(s));
    char text[64];
    int n = 0;
    while (!store_checkpoint_due(s) && n < 20000) {
        snprintf(text, sizeof text, "note %d", n);
        ok(store_answer_set(s, rec, "", "/data/text", text, &err), &err);
        n++;
    }
    assert_true(store_checkpoint_due(s));
    /* past SQLite's own 4000-page mark would have been checkpointed by a
     * commit; here every page is still in the log */
    assert_true(wal_size(path) >= 1000L * 4096);
    ok(store_checkpoint(s, &err), &err);
    assert_false(store_checkpoint_due(s));
    /* the next commit starts the log over (its size stays, its use restarts) */
    ok(store_answer_set(s, rec, "", "/data/text", "after", &err), &err);
    assert_false(store_checkpoint_due(s));
    store_close(&s);
    free(path);
}

int main(void)
{
    dir = mkdtemp(tmpl);
    if (!dir)
        return 1;
    setenv("IMAS_SURVEY_NOW_MS", "1767225600000", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_commits_item_and_answers_together),
        cmocka_unit_test(test_failed_write_rolls_back_the_whole_batch),
        cmocka_unit_test(test_batch_ended_not_ok_saves_nothing),
        cmocka_unit_test(test_kill_inside_a_batch_leaves_nothing_of_it),
        cmocka_unit_test(test_deferred_checkpoints_wait_for_the_owner),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return failed;
}
