/* test_export_media.c: attachments in an export: each file written once
 * to <form>-<version>/media/ byte for byte, the tables' cells naming it,
 * a partner's hostile file name made safe, the codebook saying "file". */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach_fixture.h"
#include "export/export.h"
#include "store/items.h"


static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 9};

static int setup(void **state)
{
    (void)state;
    return fixture_dir_setup("test_export_media");
}

static int teardown(void **state)
{
    (void)state;
    return fixture_dir_teardown();
}

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("%s is missing", path);
    char *buf = xcalloc(1, 1 << 16);
    *n = fread(buf, 1, (1 << 16) - 1, fp);
    fclose(fp);
    return buf;
}

static void export_to(const char *survey, const char *out)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(survey, STORE_READONLY, &err);
    assert_non_null(s);
    struct export_options o = {.format = EXPORT_CSV};
    struct export_summary sum;
    if (!export_run(s, out, &o, &sum, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(sum.nproblems, 0);
    export_summary_clear(&sum);
    store_close(&s);
}

static void test_export_writes_media_and_names_it(void **state)
{
    (void)state;
    char *survey = xasprintf("%s/s.sqlite", dir), *out = xasprintf("%s/out", dir);
    char hex[65];
    fixture_make(survey, "/data/photo", jpeg, sizeof jpeg, "Žiak 3.jpg", hex);
    export_to(survey, out);
    char *name = xasprintf("%.12s-Žiak 3.jpg", hex);
    char *media = xasprintf("%s/upload-1/media/%s", out, name);
    size_t n;
    char *got = slurp(media, &n);
    assert_int_equal(n, sizeof jpeg);
    assert_memory_equal(got, jpeg, n);
    free(got);
    char *wide = xasprintf("%s/upload-1/wide.csv", out);
    got = slurp(wide, &n);
    assert_non_null(strstr(got, name));
    assert_null(strstr(got, hex)); /* the cell is the file's name, not the answer */
    free(got);
    char *cb = xasprintf("%s/upload-1/codebook.csv", out);
    got = slurp(cb, &n);
    assert_non_null(strstr(got, "photo,,file,"));
    free(got);
    free(cb), free(wide), free(media), free(name), free(survey), free(out);
}

static void test_hostile_name_is_made_safe(void **state)
{
    (void)state;
    char *survey = xasprintf("%s/s.sqlite", dir), *out = xasprintf("%s/out", dir);
    char hex[65];
    /* a partner's file could hold any text; ours never holds a '/' */
    fixture_make(survey, "/data/photo", jpeg, sizeof jpeg, "ok.jpg", hex);
    char *sql = xasprintf("UPDATE answer_rows SET value = '%s ../../.evil' WHERE field = "
                          "'/data/photo'",
                          hex);
    fixture_exec(survey, sql);
    free(sql);
    export_to(survey, out);
    char *evil = xasprintf("%s/.evil", dir), *evil2 = xasprintf("%s/upload-1/.evil", out);
    struct stat st;
    assert_int_not_equal(stat(evil, &st), 0);
    assert_int_not_equal(stat(evil2, &st), 0);
    char *media = xasprintf("%s/upload-1/media/%.12s-evil", out, hex);
    assert_int_equal(stat(media, &st), 0);
    assert_int_equal((size_t)st.st_size, sizeof jpeg);
    free(media), free(evil), free(evil2), free(survey), free(out);
}

/* An upload inside a repeat: the repeat's table names the file, and one
 * content attached in two entries is one file. */
static void test_repeat_cell_names_the_file(void **state)
{
    (void)state;
    char *survey = xasprintf("%s/r.sqlite", dir), *out = xasprintf("%s/out", dir);
    char *fp = xasprintf("%s/tests/data/forms/good-upload-repeat.xml", ABS_TOP_SRCDIR);
    size_t n;
    char *src = slurp(fp, &n);
    free(fp);
    struct error err = ERROR_INIT;
    struct store *s = store_open(survey, STORE_CREATE, &err);
    assert_non_null(s);
    char rec[64], item[64], item2[64], hex[65];
    assert_true(store_form_put(s, "photos", "1", NULL, "Classroom photos", src, &err));
    assert_true(store_record_create(s, "photos", "1", rec, &err));
    assert_true(store_item_add(s, rec, "", "/data/room", item, &err));
    assert_true(store_item_add(s, rec, "", "/data/room", item2, &err));
    assert_true(store_attach_put(s, jpeg, sizeof jpeg, hex, &err));
    char *v = xasprintf("%s class 3B.jpg", hex);
    assert_true(store_answer_set(s, rec, item, "/data/room/picture", v, &err));
    assert_true(store_answer_set(s, rec, item2, "/data/room/picture", v, &err));
    free(v);
    store_close(&s);
    free(src);
    export_to(survey, out);
    char *table = xasprintf("%s/photos-1/repeat-room.csv", out);
    char *got = slurp(table, &n);
    char *name = xasprintf(",%.12s-class 3B.jpg", hex);
    char *first = strstr(got, name);
    assert_non_null(first);
    assert_non_null(strstr(first + 1, name)); /* both entries */
    char *media = xasprintf("%s/photos-1/media/%.12s-class 3B.jpg", out, hex);
    struct stat st;
    assert_int_equal(stat(media, &st), 0);
    free(media), free(name), free(got), free(table), free(survey), free(out);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_export_writes_media_and_names_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_name_is_made_safe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_cell_names_the_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
