/* save-latency.c: how long one answer takes to be on disk (SPEC 10:
 * "one answer or note saved (WAL, synchronous=FULL): p99 < 2 ms").
 *
 * Creates a survey file in a fresh directory under $TMPDIR (or /tmp), one
 * record, then saves N answers one by one with store_answer_set, each its
 * own committed transaction, timing each call with CLOCK_MONOTONIC. About
 * one save in four corrects an earlier answer, so the old value also goes
 * to answers_versions and the search index is updated. Prints p50, p99
 * and max; exits 0 whether or not the target is met (figures, not a
 * test). Usage: save-latency [N] (default 2000). */
#include "config.h"

#include "bench/figures.h"
#include "bench/files.h"
#include "bench/stats.h"

#include "core/error.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/records.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TARGET_P99_MS 2.0

static const char *const texts[] = {
    "The assistant works with one pupil for most of the day.",
    "Асистентът помага на учителя в класната стая.",
    "Asistentka učiteľa pomáha žiakom so špeciálnymi potrebami.",
    "Финансирането идва от общината, но не навреме.",
    "Pracovná zmluva je len na jeden školský rok.",
    "3",
    "national",
    "Die Assistenz ist nicht Teil des Kollegiums.",
};

static bool run(const char *path, double *lat, size_t n, struct error *err)
{
    struct store *s = store_open(path, STORE_CREATE, err);
    if (!s)
        return false;
    char rec[UUID_STR_LEN];
    bool ok = store_form_put(s, "bench", "1", NULL, "Bench", "<h:html/>",
                             err) &&
              store_record_create(s, "bench", "1", rec, err);
    size_t nt = sizeof texts / sizeof texts[0];
    for (size_t i = 0; ok && i < n; i++) {
        /* fields 0..1499 first, then corrections of earlier ones */
        char field[64], value[256];
        snprintf(field, sizeof field, "/data/dim%02zu/field%zu", i % 12,
                 i % 1500);
        snprintf(value, sizeof value, "%s (%zu)", texts[i % nt], i);
        double t0 = now_ms();
        ok = store_answer_set(s, rec, "", field, value, err);
        lat[i] = now_ms() - t0;
    }
    store_close(&s);
    return ok;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
    if (n == 0)
        n = 2000;
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/imas-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("save-latency: mkdtemp");
        free(dir);
        return 0;
    }
    char *path = xasprintf("%s/survey.sqlite", dir);
    double *lat = xcalloc(n, sizeof *lat);
    struct error err = ERROR_INIT;
    if (!run(path, lat, n, &err)) {
        char *msg = error_format(&err);
        fprintf(stderr, "save-latency: %s\n", msg);
        free(msg);
        error_clear(&err);
    } else {
        qsort(lat, n, sizeof *lat, cmp_double);
        double p99 = percentile(lat, n, 0.99);
        printf("save-latency: %zu answers saved one by one "
               "(WAL, synchronous=FULL) in %s\n",
               n, dir);
        printf("  p50  %7.3f ms\n", percentile(lat, n, 0.50));
        printf("  p99  %7.3f ms\n", p99);
        printf("  max  %7.3f ms\n", lat[n - 1]);
        printf("  target p99 < %.0f ms: %s\n", TARGET_P99_MS,
               p99 < TARGET_P99_MS ? "ok" : "MISSED");
        bench_figure("one answer saved (WAL, synchronous=FULL), p99", "< 2 ms",
                     p99 < TARGET_P99_MS, "%.2f ms (%zu answers)", p99, n);
    }
    bench_remove_db(path);
    rmdir(dir);
    free(lat);
    free(path);
    free(dir);
    return 0;
}
