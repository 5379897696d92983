/* merge-bench.c: how fast the merge is, and how much memory it takes
 * (SPEC 10: "merge, 5 inputs x 100k answers: <= 2.5x the sqlite3 shell's
 * naive insert of the data rows; memory flat").
 *
 *   merge-bench [--answers N] [--inputs K] [--runs R]
 *
 * Makes K survey files of N answers each with make-survey-file (found
 * beside this program), kept under $TMPDIR/imas-merge-bench/ so later
 * runs reuse them, in two scenarios: "disjoint" (K laptops, each its own
 * records) and "diverging" (one base and K-1 copies edited on other
 * laptops, 10% of the answers, some alike, so conflicts exist). For each,
 * R times: merge_run() of the K inputs into an empty survey file, and the
 * sqlite3 shell running two naive scripts (each input attached, one
 * transaction, INSERT OR IGNORE INTO main.t SELECT * FROM src.t for every
 * data table; the second also copies the search index with INSERT OR
 * REPLACE, since FTS5 does not honour OR IGNORE). Prints the best time of
 * each, our ratio to both (the target is against the first: issue 15),
 * rows merged per second, the inputs' bytes per answer and this process's
 * peak resident memory (the merges run in it; the generator and the shell
 * are other processes).
 * Exits 0 whether or not the target is met. */
#include "config.h"

#include "bench/figures.h"

#include "core/error.h"
#include "bench/files.h"
#include "core/xalloc.h"
#include "merge/merge.h"
#include "store/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TARGET_RATIO 2.5
/* more of the machine than this busy with other programs (in cores, on
 * average) while a scenario ran: its wall clocks are not an idle
 * machine's */
#define OTHERS_IDLE 0.2
#define MAX_INPUTS 16
#define PER_RECORD 10

static const char *const tables[] = {
    "forms", "records", "items", "answers", "audit",
    "records_versions", "items_versions", "answers_versions", "devices"};

#define RECORD_COLS                                                         \
    "record_uuid, form_id, form_version, state, created_at, revision, "     \
    "updated_at, device_id, author, deleted, parents"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *tool;   /* make-survey-file */
static char *sqlite; /* the sqlite3 shell */

static bool run_argv(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* make-survey-file, unless the file is already there. */
static bool make(const char *out, const char *const *args)
{
    if (exists(out))
        return true;
    char *tmp = xasprintf("%s.part", out);
    char *argv[24] = {tool, "--out", tmp};
    int n = 3;
    for (int i = 0; args[i] && n < 22; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    bool ok = run_argv(argv) && rename(tmp, out) == 0;
    if (!ok)
        fprintf(stderr, "merge-bench: cannot make %s\n", out);
    free(tmp);
    return ok;
}

static bool copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT |
                                                      O_TRUNC, 0600);
    char buf[1 << 16];
    ssize_t n = 0;
    bool ok = in >= 0 && out >= 0;
    while (ok && (n = read(in, buf, sizeof buf)) > 0)
        ok = write(out, buf, (size_t)n) == n;
    ok = ok && n == 0;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return ok;
}

static int64_t count_rows(const char *path)
{
    sqlite3 *db = NULL;
    int64_t n = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
            char *sql = xasprintf("SELECT count(*) FROM %s", tables[i]);
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                n += sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
            free(sql);
        }
    sqlite3_close(db);
    return n;
}

/* CPU time (user + system) of this process (every thread: the merge's
 * checks run in a second one) or of the children waited for: on a machine
 * others share, what the work costs, which the wall clock hides. */
static double cpu_s(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double last_cpu; /* the CPU time of the last time_ours/time_naive */

/* The CPU time every process of the machine has used since boot (its
 * busy time in /proc/stat, steal included: a hypervisor's other guests
 * take the core too), or -1 where there is no such file. */
static double machine_busy_s(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[8] = {0};
    int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
                       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                       &v[7])
              : 0;
    if (f)
        fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    if (n < 8 || hz <= 0)
        return -1;
    /* user nice system idle iowait irq softirq steal: all but idle and
     * iowait */
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)hz;
}

static double time_ours(const char *target, char **inputs, int k,
                        struct merge_counts *total,
                        double step_ms[MERGE_STEP_COUNT])
{
    struct merge_input_result res[MAX_INPUTS];
    struct error err = ERROR_INIT;
    double c0 = cpu_s(RUSAGE_SELF), t0 = now_s();
    bool ok = merge_run(target, (const char *const *)inputs, (size_t)k,
                        false, res, &err);
    double t = now_s() - t0;
    last_cpu = cpu_s(RUSAGE_SELF) - c0;
    memset(total, 0, sizeof *total);
    for (int j = 0; j < MERGE_STEP_COUNT; j++)
        step_ms[j] = 0;
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < MERGE_STEP_COUNT; j++)
            step_ms[j] += res[i].step_ms[j];
        if (res[i].refused) {
            fprintf(stderr, "merge-bench: %s refused: %s\n", inputs[i],
                    res[i].reason);
            ok = false;
        }
        total->answers_new += res[i].counts.answers_new;
        total->answers_updated += res[i].counts.answers_updated;
        total->versions_kept += res[i].counts.versions_kept;
        total->conflicts += res[i].counts.conflicts;
        merge_input_result_clear(&res[i]);
    }
    if (!ok && err.msg)
        fprintf(stderr, "merge-bench: %s\n", err.msg);
    error_clear(&err);
    return ok ? t : -1;
}

/* The sqlite3 shell's naive merge: every data table's rows INSERT OR
 * IGNOREd, and with_index the search index copied too (the issue 15
 * baselines: the target is measured against the first). */
static char *naive_script(const char *dir, char **inputs, int k,
                          bool with_index)
{
    char *path = xasprintf("%s/naive-%s.sql", dir,
                           with_index ? "index" : "data");
    FILE *f = fopen(path, "w");
    if (!f)
        return path;
    fputs("PRAGMA journal_mode = WAL;\nPRAGMA synchronous = FULL;\n", f);
    for (int i = 0; i < k; i++) {
        fprintf(f, "ATTACH 'file:%s?mode=ro' AS src;\nBEGIN IMMEDIATE;\n",
                inputs[i]);
        /* the lean index (schema 8): the text of the answers added,
         * under their rowids (lower() for imas_fold, which the shell
         * lacks); they are those above the top rowid before */
        if (with_index)
            fputs("CREATE TEMP TABLE IF NOT EXISTS top(n);\n"
                  "DELETE FROM temp.top;\n"
                  "INSERT INTO temp.top SELECT coalesce(max(rowid), 0) FROM "
                  "main.answers;\n",
                  f);
        /* schema 9: a record's and a device's number are the file's own
         * (store/schema_v9.c), so even the plainest copy gives the new
         * records and devices the target's next numbers and writes the
         * answers' rows with those: copied as they are, they would name
         * the target's records */
        for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
            if (strcmp(tables[t], "records") == 0)
                fputs("INSERT OR IGNORE INTO main.records(" RECORD_COLS
                      ") SELECT " RECORD_COLS " FROM src.records;\n"
                      "INSERT OR IGNORE INTO main.device_ids(device_id) "
                      "SELECT device_id FROM src.device_ids;\n",
                      f);
            else if (strcmp(tables[t], "answers") == 0)
                fputs("INSERT OR IGNORE INTO main.answer_rows(rid, "
                      "item_uuid, field, value, revision, updated_at, did, "
                      "author, deleted, parents) SELECT r.rid, a.item_uuid, "
                      "a.field, a.value, a.revision, a.updated_at, d.did, "
                      "a.author, a.deleted, a.parents FROM src.answers AS a "
                      "JOIN main.records AS r ON r.record_uuid = "
                      "a.record_uuid JOIN main.device_ids AS d ON "
                      "d.device_id = a.device_id;\n",
                      f);
            else
                fprintf(f, "INSERT OR IGNORE INTO main.%s SELECT * FROM "
                           "src.%s;\n",
                        tables[t], tables[t]);
        }
        if (with_index)
            fputs("INSERT INTO main.search(rowid, text) SELECT rowid, "
                  "lower(value) FROM main.answers WHERE rowid > (SELECT n "
                  "FROM temp.top) AND deleted = 0 AND value <> '' ORDER BY "
                  "rowid;\n",
                  f);
        fputs("COMMIT;\nDETACH src;\n", f);
    }
    fclose(f);
    return path;
}

static double time_naive(const char *target, const char *script)
{
    char *cmd = xasprintf("'%s' '%s' < '%s' > /dev/null", sqlite, target,
                          script);
    double c0 = cpu_s(RUSAGE_CHILDREN), t0 = now_s();
    int rc = system(cmd);
    double t = now_s() - t0;
    last_cpu = cpu_s(RUSAGE_CHILDREN) - c0;
    free(cmd);
    return rc == 0 ? t : -1;
}

static void scenario(const char *name, const char *dir, const char *empty,
                     char **inputs, int k, int runs, long answers_each)
{
    char *target = xasprintf("%s/target.sqlite", dir);
    char *script = naive_script(dir, inputs, k, false);
    char *script_ix = naive_script(dir, inputs, k, true);
    double ours = -1, naive = -1, naive_ix = -1, ours_cpu = -1,
           naive_cpu = -1;
    double steps[MERGE_STEP_COUNT] = {0}, best_steps[MERGE_STEP_COUNT] = {0};
    struct merge_counts total = {0};
    /* what the rest of the machine used meanwhile: ours runs on two
     * cores and the shell on one, so a core taken by another program
     * slows ours more (bench/README.md, session 16) */
    double busy0 = machine_busy_s(), wall0 = now_s(),
           mine0 = cpu_s(RUSAGE_SELF) + cpu_s(RUSAGE_CHILDREN);
    for (int r = 0; r < runs; r++) {
        bench_remove_db(target);
        copy_file(empty, target);
        double t = time_ours(target, inputs, k, &total, steps);
        if (t >= 0 && (ours < 0 || t < ours)) {
            ours = t;
            memcpy(best_steps, steps, sizeof steps);
        }
        if (t >= 0 && (ours_cpu < 0 || last_cpu < ours_cpu))
            ours_cpu = last_cpu;
        bench_remove_db(target);
        copy_file(empty, target);
        t = time_naive(target, script);
        if (t >= 0 && (naive < 0 || t < naive))
            naive = t;
        if (t >= 0 && (naive_cpu < 0 || last_cpu < naive_cpu))
            naive_cpu = last_cpu;
        bench_remove_db(target);
        copy_file(empty, target);
        t = time_naive(target, script_ix);
        if (t >= 0 && (naive_ix < 0 || t < naive_ix))
            naive_ix = t;
    }
    double others = -1, busy1 = machine_busy_s();
    if (busy0 >= 0 && busy1 >= 0)
        others = (busy1 - busy0 -
                  (cpu_s(RUSAGE_SELF) + cpu_s(RUSAGE_CHILDREN) - mine0)) /
                 (now_s() - wall0);
    int64_t rows = 0;
    for (int i = 0; i < k; i++)
        rows += count_rows(inputs[i]);
    bench_remove_db(target);
    unlink(script);
    unlink(script_ix);
    printf("  %-9s ours %6.2f s   %.0f rows/s\n", name, ours,
           (double)rows / ours);
    printf("            sqlite3 naive, data rows only %6.2f s   ratio %.2f\n",
           naive, ours / naive);
    printf("            sqlite3 naive, + search index %6.2f s   ratio %.2f\n",
           naive_ix, ours / naive_ix);
    printf("            CPU time (user + system, least of the runs): "
           "ours %.2f s, naive data rows %.2f s, ratio %.2f\n",
           ours_cpu, naive_cpu, ours_cpu / naive_cpu);
    if (others >= 0)
        printf("            other programs meanwhile: %.2f of %ld cores "
               "busy on average%s\n",
               others < 0.005 ? 0.0 : others, sysconf(_SC_NPROCESSORS_ONLN),
               others > OTHERS_IDLE
                   ? " (not idle: the wall-clock ratios are not comparable)"
                   : "");
    double no_index = ours - best_steps[MERGE_STEP_INDEX] / 1000;
    printf("            steps (s):");
    for (int j = 0; j < MERGE_STEP_COUNT; j++)
        printf(" %s %.2f", merge_step_names[j], best_steps[j] / 1000);
    printf("\n            ours without the index step %6.2f s   ratio to "
           "data rows %.2f\n",
           no_index, no_index / naive);
    printf("            (%lld answers new, %lld updated, %lld versions "
           "kept, %lld conflicts)\n",
           (long long)total.answers_new, (long long)total.answers_updated,
           (long long)total.versions_kept, (long long)total.conflicts);
    /* issue 15: the target holds in both scenarios */
    bool met = ours > 0 && naive > 0 && ours / naive <= TARGET_RATIO;
    char what[128];
    snprintf(what, sizeof what, "merge, %s, %s, to sqlite3 naive insert",
             name, k == 5 && answers_each == 100000
                       ? "5 inputs x 100k answers"
                       : "not the SPEC size");
    char busy[96] = "";
    if (others > OTHERS_IDLE)
        snprintf(busy, sizeof busy,
                 "; not idle: other programs kept %.2f cores busy", others);
    bench_figure(what, "<= 2.5x", met,
                 "%.2fx (%.2f s / %.2f s, %d x %ld answers; without the "
                 "index step %.2fx%s)",
                 ours / naive, ours, naive, k, answers_each,
                 no_index / naive, busy);
    printf("  target ratio <= %.1f (%s): %s\n", TARGET_RATIO, name,
           met ? "ok" : "MISSED");
    free(target);
    free(script);
    free(script_ix);
}

int main(int argc, char **argv)
{
    long answers = 100000, k = 5, runs = 3;
    static const struct option longopts[] = {
        {"answers", required_argument, NULL, 'n'},
        {"inputs", required_argument, NULL, 'k'},
        {"runs", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'n')
            answers = strtol(optarg, NULL, 10);
        else if (c == 'k')
            k = strtol(optarg, NULL, 10);
        else if (c == 'r')
            runs = strtol(optarg, NULL, 10);
        else {
            fputs("usage: merge-bench [--answers N] [--inputs K] "
                  "[--runs R]\n", stderr);
            return 2;
        }
    }
    if (answers < PER_RECORD || k < 2 || k > MAX_INPUTS || runs < 1)
        return 2;
    char *self = xstrdup(argv[0]);
    tool = xasprintf("%s/make-survey-file", dirname(self));
    free(self);
    sqlite = xstrdup(getenv("SQLITE3") ? getenv("SQLITE3") : "sqlite3");
    const char *tmp = getenv("TMPDIR");
    char *top = xasprintf("%s/imas-merge-bench", tmp && *tmp ? tmp : "/tmp");
    /* a directory per schema version: files of an older one are refused */
    char *dir = xasprintf("%s/v%d-n%ld", top, SCHEMA_VERSION, answers);
    mkdir(top, 0755);
    mkdir(dir, 0755);
    char records[32];
    snprintf(records, sizeof records, "%ld", answers / PER_RECORD);
    char *empty = xasprintf("%s/empty.sqlite", dir);
    bool ok = make(empty, (const char *[]){"--records", "0", "--device",
                                           "target", NULL});
    char *disjoint[MAX_INPUTS], *diverging[MAX_INPUTS];
    for (long i = 0; i < k; i++) {
        char seed[16], dev[32];
        snprintf(seed, sizeof seed, "%ld", i + 1);
        snprintf(dev, sizeof dev, "laptop-%ld", i + 1);
        disjoint[i] = xasprintf("%s/disjoint-%ld.sqlite", dir, i + 1);
        diverging[i] = i == 0 ? xstrdup(disjoint[0])
                              : xasprintf("%s/diverging-%ld.sqlite", dir, i);
        ok = ok && make(disjoint[i],
                        (const char *[]){"--records", records,
                                         "--answers-per-record", "10",
                                         "--device", dev, "--seed", seed,
                                         NULL});
        if (ok && i > 0)
            ok = make(diverging[i],
                      (const char *[]){"--from", disjoint[0],
                                       "--edit-fraction", "0.1", "--device",
                                       dev, "--seed", seed, NULL});
    }
    if (ok) {
        printf("merge-bench: %ld inputs x %ld answers, best of %ld runs "
               "(files in %s)\n",
               k, answers, runs, dir);
        /* SPEC 10: the file's size per answer (issue 15: 590 bytes in
         * schema version 1, a third of it the search index) */
        double bytes = 0;
        for (long i = 0; i < k; i++) {
            struct stat st;
            if (stat(disjoint[i], &st) == 0)
                bytes += (double)st.st_size;
        }
        double per = bytes / ((double)k * (double)answers);
        printf("  survey file size: %.0f bytes per answer (the %ld disjoint "
               "inputs)\n",
               per, k);
        bench_figure("survey file size, bytes per answer (merge inputs)",
                     "<= 295", per <= 295, "%.0f B", per);
        scenario("disjoint", dir, empty, disjoint, (int)k, (int)runs, answers);
        scenario("diverging", dir, empty, diverging, (int)k, (int)runs, answers);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("  peak resident memory of the merges: %.1f MB\n",
               (double)ru.ru_maxrss / 1024);
        char what[96];
        snprintf(what, sizeof what, "merge, peak memory, %ld inputs x %ld answers", k, answers);
        bench_figure(what, "flat (< 30 MB)", ru.ru_maxrss < 30 * 1024, "%.1f MB",
                     (double)ru.ru_maxrss / 1024);
    }
    for (long i = 0; i < k; i++) {
        free(disjoint[i]);
        free(diverging[i]);
    }
    free(empty);
    free(dir);
    free(top);
    free(tool);
    free(sqlite);
    return 0;
}
