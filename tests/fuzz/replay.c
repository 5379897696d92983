/* replay.c: run the fuzz entry points over kept inputs (make check).
 *
 * With no arguments: every file of tests/data/fuzz/regressions/<target>/
 * (the crashes the fuzzers found, kept so they stay fixed) and of the
 * committed seed corpora tests/data/fuzz/<target>/, each given to its
 * target's entry point. With arguments: TARGET FILE... (to try one input).
 * An input that crashes, leaks (ASan builds) or breaks an invariant ends
 * the process, which fails the test. */
#include "config.h"

#include "fuzz.h"

#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
} targets[] = {
    {"form", fuzz_form},
    {"merge", fuzz_merge},
    {"utf8", fuzz_utf8},
    {"xpath", fuzz_xpath},
};

static bool read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    bool ok = buf && !ferror(fp);
    fclose(fp);
    if (!ok) {
        free(buf);
        return false;
    }
    *data = buf;
    *size = n;
    return true;
}

static int replay_one(int (*fn)(const uint8_t *, size_t), const char *path)
{
    uint8_t *data;
    size_t size;
    if (!read_file(path, &data, &size)) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        return 1;
    }
    fn(data, size);
    free(data);
    return 0;
}

/* Every regular file of dir, in name order; *count counts them. */
static int replay_dir(int (*fn)(const uint8_t *, size_t), const char *dir, int *count)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return 0; /* a target without kept inputs */
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            bad += replay_one(fn, path);
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    fuzz_setup();
    if (argc > 2) {
        for (size_t t = 0; t < sizeof targets / sizeof *targets; t++)
            if (strcmp(argv[1], targets[t].name) == 0) {
                int bad = 0;
                for (int i = 2; i < argc; i++)
                    bad += replay_one(targets[t].fn, argv[i]);
                return bad ? 1 : 0;
            }
        fprintf(stderr, "replay: no target %s\n", argv[1]);
        return 2;
    }
    const char *srcdir = getenv("top_srcdir");
    if (!srcdir)
        srcdir = ABS_TOP_SRCDIR;
    int bad = 0, regressions = 0, seeds = 0;
    for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/data/fuzz/regressions/%s", srcdir, targets[t].name);
        bad += replay_dir(targets[t].fn, dir, &regressions);
        snprintf(dir, sizeof dir, "%s/tests/data/fuzz/%s", srcdir, targets[t].name);
        bad += replay_dir(targets[t].fn, dir, &seeds);
    }
    printf("replay: %d regression inputs, %d seeds\n", regressions, seeds);
    /* Fewer than that means the data went missing: a test that would pass empty. */
    return bad || seeds < 20 ? 1 : 0;
}
