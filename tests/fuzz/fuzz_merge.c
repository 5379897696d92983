/* fuzz_merge.c: the merge's input checks (merge/input.c, merge_sql.c) on
 * any bytes given as a survey file.
 *
 * The bytes are written to a file and merged as a dry run into a fixed
 * target (a fresh survey file made once): every check runs and, for an
 * input that passes them, the whole merge, into a private copy. Promised:
 * no crash, a refusal always gives a reason, neither the target nor the
 * input changes, and nothing appears beside them. Files live under
 * /dev/shm when there is one, so the disk is not worn. */
#include "config.h"

#include "fuzz.h"

#include "core/error.h"
#include "core/xalloc.h"
#include "merge/merge.h"
#include "store/store.h"

#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir, *target, *input;
static uint8_t *target_bytes;
static size_t target_size;

static bool slurp(const char *path, uint8_t **data, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    *data = xmalloc(n > 0 ? (size_t)n : 1);
    *size = fread(*data, 1, n > 0 ? (size_t)n : 0, fp);
    fclose(fp);
    return *size == (size_t)n;
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
    free(target);
    free(input);
    free(target_bytes);
}

static void setup(void)
{
    if (dir)
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    setenv("TMPDIR", base, 1); /* the merge's private copies go there too */
    dir = xasprintf("%s/imas-fuzz-merge-XXXXXX", base);
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    target = xasprintf("%s/target.sqlite", dir);
    input = xasprintf("%s/input.sqlite", dir);
    struct error err = ERROR_INIT;
    struct store *s = store_open(target, STORE_CREATE, &err);
    FUZZ_CHECK(s != NULL);
    store_close(&s);
    FUZZ_CHECK(slurp(target, &target_bytes, &target_size));
    atexit(remove_dir);
}

/* Only the target and the input are in the directory. */
static void check_nothing_beside(void)
{
    DIR *d = opendir(dir);
    FUZZ_CHECK(d != NULL);
    for (struct dirent *e; (e = readdir(d));)
        FUZZ_CHECK(e->d_name[0] == '.' || strcmp(e->d_name, "target.sqlite") == 0 ||
                   strcmp(e->d_name, "input.sqlite") == 0);
    closedir(d);
}

int fuzz_merge(const uint8_t *data, size_t size)
{
    setup();
    FILE *fp = fopen(input, "wb");
    FUZZ_CHECK(fp && fwrite(data, 1, size, fp) == size && fclose(fp) == 0);
    const char *inputs[] = {input};
    struct merge_input_result res;
    struct error err = ERROR_INIT;
    bool ok = merge_run(target, inputs, 1, true, &res, &err);
    if (!ok)
        fprintf(stderr, "fuzz-merge: %s\n", err.msg ? err.msg : "?");
    FUZZ_CHECK(ok); /* the target is fine: only the input may be refused */
    FUZZ_CHECK(!res.refused || (res.reason && *res.reason));
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz-merge: %s\n", res.refused ? res.reason : "merged");
    merge_input_result_clear(&res);
    error_clear(&err);
    uint8_t *now;
    size_t n;
    FUZZ_CHECK(slurp(target, &now, &n));
    FUZZ_CHECK(n == target_size && memcmp(now, target_bytes, n) == 0);
    free(now);
    FUZZ_CHECK(slurp(input, &now, &n));
    FUZZ_CHECK(n == size && memcmp(now, data, n) == 0);
    free(now);
    check_nothing_beside();
    unlink(input);
    return 0;
}
