/* export-bench.c: exporting a survey file of N answers (default 1M) to CSV,
 * against the sqlite3 shell writing the same answers with -csv (SPEC 10:
 * within 1.5x).
 *
 *   export-bench [--answers N] [--runs R]
 *
 * The file is made once with make-survey-file (found beside this program)
 * and kept under $TMPDIR/imas-export-bench/. Each run: export_run() of the
 * whole file into a fresh directory, in this process (wide table, repeat
 * table, long table, codebook; every file fsynced and renamed), then
 * `sqlite3 -csv FILE "SELECT <the long table's columns> FROM answers
 * WHERE deleted = 0" > out.csv`. Prints the best wall and CPU (user +
 * system) time of each, both ratios (CPU time is the fairer one on a
 * shared machine), answers per second, and this process's peak resident
 * memory. */
#include "config.h"

#include "bench/figures.h"

#include "core/error.h"
#include "core/xalloc.h"
#include "export/export.h"
#include "store/store.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PER_RECORD 10
#define TARGET 1.5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time (user + system) of this process, or of its waited-for
 * children, in seconds. */
static double cpu(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static bool run_shell(const char *cmd)
{
    int status = system(cmd);
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool make_file(const char *tool, const char *out, long answers)
{
    struct stat st;
    if (stat(out, &st) == 0)
        return true;
    printf("making %s (%ld answers; a few minutes for 1M)...\n", out, answers);
    fflush(stdout);
    char *cmd = xasprintf("'%s' --out '%s.part' --records %ld --answers-per-record %d "
                          "--seed 7 && mv '%s.part' '%s'",
                          tool, out, answers / PER_RECORD, PER_RECORD, out, out);
    bool ok = run_shell(cmd);
    free(cmd);
    return ok;
}

static double time_export(const char *file, const char *dir, int64_t *answers,
                          double *cpu_s)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    run_shell(cmd);
    free(cmd);
    struct error err = ERROR_INIT;
    double t0 = now(), c0 = cpu(RUSAGE_SELF);
    struct store *s = store_open(file, STORE_READONLY, &err);
    struct export_options o = {.format = EXPORT_CSV};
    struct export_summary sum;
    bool ok = s && export_run(s, dir, &o, &sum, &err);
    double t = now() - t0;
    *cpu_s = cpu(RUSAGE_SELF) - c0;
    if (!ok) {
        fprintf(stderr, "export-bench: %s\n", err.msg);
        error_clear(&err);
        store_close(&s);
        return -1;
    }
    *answers = sum.answers;
    export_summary_clear(&sum);
    store_close(&s);
    return t;
}

static double time_sqlite(const char *file, const char *out, double *cpu_s)
{
    char *cmd = xasprintf("sqlite3 -csv -readonly '%s' \"SELECT record_uuid, item_uuid, "
                          "field, value, revision, updated_at, device_id, author FROM "
                          "answers WHERE deleted = 0\" > '%s' && sync -f '%s'",
                          file, out, out);
    double t0 = now(), c0 = cpu(RUSAGE_CHILDREN);
    bool ok = run_shell(cmd);
    double t = now() - t0;
    *cpu_s = cpu(RUSAGE_CHILDREN) - c0;
    free(cmd);
    return ok ? t : -1;
}

int main(int argc, char **argv)
{
    long answers = 1000000;
    int runs = 3;
    static const struct option opts[] = {{"answers", required_argument, NULL, 'n'},
                                         {"runs", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n')
            answers = atol(optarg);
        else if (c == 'r')
            runs = atoi(optarg);
        else
            return 2;
    }
    if (answers < PER_RECORD || runs < 1)
        return 2;
    char *self = xstrdup(argv[0]);
    char *tool = xasprintf("%s/make-survey-file", dirname(self));
    free(self);
    const char *tmp = getenv("TMPDIR");
    char *top = xasprintf("%s/imas-export-bench", tmp && *tmp ? tmp : "/tmp");
    mkdir(top, 0755);
    char *file = xasprintf("%s/n%ld.sqlite", top, answers);
    char *dir = xasprintf("%s/out", top), *csv = xasprintf("%s/sqlite3.csv", top);
    if (!make_file(tool, file, answers))
        return 1;
    double best_ours = 1e9, best_sqlite = 1e9, cpu_ours = 1e9, cpu_sqlite = 1e9;
    int64_t exported = 0;
    for (int i = 0; i < runs; i++) {
        double co, cs;
        double t = time_export(file, dir, &exported, &co);
        double u = time_sqlite(file, csv, &cs);
        if (t < 0 || u < 0)
            return 1;
        best_ours = t < best_ours ? t : best_ours;
        best_sqlite = u < best_sqlite ? u : best_sqlite;
        cpu_ours = co < cpu_ours ? co : cpu_ours;
        cpu_sqlite = cs < cpu_sqlite ? cs : cpu_sqlite;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double ratio = best_ours / best_sqlite, cpu_ratio = cpu_ours / cpu_sqlite;
    double load[1] = {-1};
    getloadavg(load, 1);
    printf("export of %lld answers (%ld records), best of %d (load average %.1f):\n",
           (long long)exported, answers / PER_RECORD, runs, load[0]);
    printf("  imas-survey --export (wide, repeat, long, codebook): %.2f s, CPU %.2f s\n",
           best_ours, cpu_ours);
    printf("  sqlite3 -csv of the same answers:                     %.2f s, CPU %.2f s\n",
           best_sqlite, cpu_sqlite);
    printf("  ratio %.2f wall, %.2f CPU (target <= %.1f): %s wall, %s CPU\n", ratio,
           cpu_ratio, TARGET, ratio <= TARGET ? "ok" : "MISSED",
           cpu_ratio <= TARGET ? "ok" : "MISSED");
    bench_figure("export 1M answers to CSV, to sqlite3 -csv (CPU time)", "<= 1.5x",
                 cpu_ratio <= TARGET, "%.2fx CPU (%.2f s / %.2f s), %.2fx wall, %lld answers",
                 cpu_ratio, cpu_ours, cpu_sqlite, ratio, (long long)exported);
    printf("  %.0f answers/s, peak RSS %ld MB\n", (double)exported / best_ours,
           ru.ru_maxrss / 1024);
    free(tool);
    free(top);
    free(file);
    free(dir);
    free(csv);
    return 0;
}
