#include "config.h"

#include "merge/merge.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "merge/input.h"
#include "merge/merge_sql.h"
#include "store/conflicts.h"
#include "store/schema.h"
#include "store/store.h"

#include <dirent.h>
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long SQLite may take over one input before it is interrupted: a
 * hostile file must not hang us, a big honest one must get through. */
#define DEADLINE_BASE_MS 60000
#define DEADLINE_MS_PER_MB 1000

/* One run: the file merged into (work) is the target itself, a new file
 * beside a missing target (linked into place once an input is merged), or
 * for a dry run a copy of the target in a private directory. */
const char *const merge_step_names[MERGE_STEP_COUNT] = {
    [MERGE_STEP_COPY] = "copy", [MERGE_STEP_CHECK] = "check",
    [MERGE_STEP_DATA] = "data", [MERGE_STEP_INDEX] = "index",
    [MERGE_STEP_CONFLICTS] = "conflicts", [MERGE_STEP_COMMIT] = "commit"};

struct run {
    const char *target;
    bool dry_run;
    bool have_target; /* target_st is valid */
    struct stat target_st;
    char *work;    /* the file merged into */
    bool install;  /* work is a new file to link to target */
    char *scratch; /* private directory of a dry run */
    char *author;
    char *device_id, *device_name;
    struct merge_db *db;
};

static void fail_rest(struct merge_input_result *results, size_t from,
                      size_t n, const struct error *err)
{
    for (size_t i = from; i < n; i++) {
        results[i].refused = true;
        free(results[i].reason);
        results[i].reason = xasprintf(_("not merged: %s"),
                                      err && err->msg ? err->msg : "");
        memset(&results[i].counts, 0, sizeof results[i].counts);
    }
}

/* Check the file merged into with the store's own checks (ours,
 * writable, our schema version; upgraded after a backup when older). */
static bool check_work(struct run *r, const char *path, struct error *err)
{
    struct store *s = store_open(path, 0, err);
    if (!s)
        return false;
    bool ok = true;
    if (store_schema_version(s) > SCHEMA_VERSION)
        ok = error_set_at(err, r->target, 0,
                          _("cannot merge into it: it was written by a newer "
                            "version of imas-survey (schema %d)"),
                          store_schema_version(s));
    else if (store_readonly(s))
        ok = error_set_at(err, r->target, 0, "%s", store_readonly_reason(s));
    else if (store_schema_version(s) != SCHEMA_VERSION)
        ok = error_set_at(err, r->target, 0,
                          _("cannot merge into a file of schema version %d"),
                          store_schema_version(s));
    free(r->author);
    free(r->device_id);
    free(r->device_name);
    r->author = xstrdup(store_author(s));
    r->device_id = xstrdup(store_device_id(s));
    r->device_name = xstrdup(store_device_name(s));
    store_close(&s);
    return ok;
}

/* A new survey file at path (an empty file mkstemp made, or missing). */
static bool create_survey(struct run *r, const char *path, struct error *err)
{
    struct store *s = store_open(path, STORE_CREATE, err);
    if (!s)
        return false;
    store_close(&s);
    return check_work(r, path, err);
}

/* A missing target is built beside it as "TARGET.merge-PID-XXXXXX" (and
 * the store's own "...new-XXXXXX" while it makes the schema, and SQLite's
 * -wal and -shm), then linked into place. A merge killed before that
 * leaves them; the next merge into the same target removes those whose
 * process is gone. */
static void sweep_target_leftovers(const char *target)
{
    char *copy = xstrdup(target), *copy2 = xstrdup(target);
    const char *dir = dirname(copy), *base = basename(copy2);
    char *prefix = xasprintf("%s.merge-", base);
    size_t np = strlen(prefix);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        long pid;
        char rest[8];
        if (strncmp(e->d_name, prefix, np) != 0 ||
            sscanf(e->d_name + np, "%ld-%6[A-Za-z0-9]", &pid, rest) != 2 ||
            strlen(rest) != 6 || pid <= 0 || pid == (long)getpid())
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == getuid() && input_owner_gone(pid, &st))
            unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    free(prefix);
    free(copy);
    free(copy2);
}

static bool new_beside_target(struct run *r, struct error *err)
{
    char *tmp = xasprintf("%s.merge-%ld-XXXXXX", r->target, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        error_set_at(err, r->target, 0, _("cannot create the file: %s"),
                     strerror(errno));
        free(tmp);
        return false;
    }
    close(fd);
    r->work = tmp;
    r->install = true;
    return create_survey(r, tmp, err);
}

#define who(r)                                                             \
    ((struct merge_writer){(r)->author, (r)->device_id, (r)->device_name})

/* The file to merge into, made when the first input needs it. */
static bool open_work(struct run *r, struct error *err)
{
    if (r->db)
        return true;
    if (!r->work && r->dry_run) {
        if (!(r->scratch = input_private_dir(err)))
            return false;
        r->work = xasprintf("%s/target.sqlite", r->scratch);
        if (r->have_target ? !input_copy_db(r->target, r->work, 0, err) ||
                                 !check_work(r, r->work, err)
                           : !create_survey(r, r->work, err)) {
            /* Name the target, not its private copy. */
            char *msg = xstrdup(err && err->msg ? err->msg : "");
            error_set_at(err, r->target, 0, "%s", msg);
            free(msg);
            return false;
        }
    } else if (!r->work && !new_beside_target(r, err)) {
        return false;
    }
    r->db = merge_db_open(r->work, !r->dry_run, &who(r), err);
    if (r->db && r->dry_run)
        merge_db_set_name(r->db, r->target);
    return r->db != NULL;
}

static void sync_dir_of(const char *path)
{
    char *copy = xstrdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* The new file has its first input: close it (the log goes into the file)
 * and link it to the target's name, which must still be free. */
static bool install(struct run *r, struct error *err)
{
    if (!merge_db_close(&r->db, err))
        return false;
    char *wal = xasprintf("%s-wal", r->work);
    bool wal_left = access(wal, F_OK) == 0;
    free(wal);
    if (wal_left)
        return error_set_at(err, r->target, 0,
                            _("cannot create the file: its log was not "
                              "written back"));
    if (link(r->work, r->target) != 0) {
        if (errno == EEXIST)
            return error_set_at(err, r->target, 0,
                                _("the file appeared while it was "
                                  "created"));
        /* File systems without hard links (FAT on a USB stick). */
        struct stat st;
        if (lstat(r->target, &st) == 0 || rename(r->work, r->target) != 0)
            return error_set_at(err, r->target, 0,
                                _("cannot create the file: %s"),
                                strerror(errno));
    } else {
        unlink(r->work);
    }
    sync_dir_of(r->target);
    free(r->work);
    r->work = xstrdup(r->target);
    r->install = false;
    r->have_target = stat(r->target, &r->target_st) == 0;
    r->db = merge_db_open(r->work, true, &who(r), err);
    return r->db != NULL;
}

static const char *sha_of(void *ctx)
{
    return input_sha256(ctx);
}

static void hash_now(void *ctx)
{
    input_hash(ctx);
}

static int64_t deadline(int64_t size)
{
    return input_now_ms() + DEADLINE_BASE_MS +
           size / (1024 * 1024) * DEADLINE_MS_PER_MB;
}

/* Merge one input; false only when the target failed (err). */
static bool merge_one(struct run *r, const char *path,
                      struct merge_input_result *res, struct error *err)
{
    struct input in;
    struct stat st;
    int64_t t0 = input_now_ms();
    int64_t size = stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
    int64_t until = deadline(size);
    res->refused = true;
    if (!input_open(&in, path, r->have_target ? &r->target_st : NULL, until,
                    &res->reason))
        return true;
    if (!open_work(r, err)) {
        input_close(&in);
        return false;
    }
    struct merge_source src = {.path = path, .copy = in.copy,
                               .sha256 = sha_of, .hash = hash_now,
                               .ctx = &in,
                               .deadline_ms = until,
                               .step_ms = res->step_ms};
    res->step_ms[MERGE_STEP_COPY] = (double)(input_now_ms() - t0);
    enum merge_db_status s =
        merge_db_input(r->db, &src, &res->counts, &res->reason, err);
    input_close(&in);
    if (s == MERGE_DB_FAILED)
        return false;
    res->refused = s == MERGE_DB_REFUSED;
    if (!res->refused && r->install && !r->dry_run)
        return install(r, err);
    return true;
}

static void finish(struct run *r)
{
    merge_db_close(&r->db, NULL);
    if (r->install && r->work) {
        static const char *const sfx[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char *p = xasprintf("%s%s", r->work, sfx[i]);
            unlink(p);
            free(p);
        }
    }
    input_remove_dir(r->scratch);
    free(r->scratch);
    free(r->work);
    free(r->author);
    free(r->device_id);
    free(r->device_name);
}

struct file_count {
    const char *path;
    int64_t n;
};

static void *count_file(void *p)
{
    struct file_count *c = p;
    struct error err = ERROR_INIT;
    struct store *s = store_open(c->path, STORE_READONLY, &err);
    if (!s || !store_conflict_count(s, &c->n, &err))
        c->n = 0;
    store_close(&s);
    error_clear(&err);
    return NULL;
}

/* The conflicts of the file merged into, by the one count of the program
 * (store_conflict_count); 0 when there is no file. Where the merge's
 * connection is open on that file, the count reads it on a read-only
 * connection of its own in another thread while the merge's copies its
 * log into the file (each took 0.2 s of a 5-input merge of 100k answers:
 * issue 15); the merge's connection closes last, so its close removes
 * the log as before. */
static int64_t count_conflicts(struct run *r)
{
    const char *path = r->work && !r->install ? r->work
                       : r->have_target && !r->dry_run ? r->target
                                                       : NULL;
    if (r->dry_run && !r->work && r->have_target)
        path = r->target; /* nothing was merged: the target as it is */
    if (!path)
        return 0;
    struct file_count c = {.path = path, .n = 0};
    pthread_t t;
    bool beside = r->db && r->work && strcmp(path, r->work) == 0 &&
                  pthread_create(&t, NULL, count_file, &c) == 0;
    if (beside) {
        merge_db_checkpoint(r->db);
        pthread_join(t, NULL);
    }
    merge_db_close(&r->db, NULL);
    if (!beside)
        count_file(&c);
    return c.n;
}

/* SQLite's own temporary files (sorts, statement journals, temporary
 * tables) go into a private directory of this run, not TMPDIR itself:
 * SQLite removes each as soon as it has opened it, but a kill between the
 * two (crash-merge.sh saw one) would leave it, where no one knows whose it
 * is; a private directory is swept with the input copies once its process
 * is gone (input_sweep_stale). sqlite3_temp_directory is the process's:
 * set and restored here while no other connection works. */
static char *use_private_temp(char **saved)
{
    struct error e = ERROR_INIT;
    char *dir = input_private_dir(&e);
    error_clear(&e);
    *saved = sqlite3_temp_directory;
    if (dir)
        sqlite3_temp_directory = sqlite3_mprintf("%s", dir);
    return dir;
}

static void end_private_temp(char *dir, char *saved)
{
    if (!dir)
        return;
    sqlite3_free(sqlite3_temp_directory);
    sqlite3_temp_directory = saved;
    input_remove_dir(dir);
    free(dir);
}

bool merge_run(const char *target, const char *const *inputs, size_t ninputs,
               bool dry_run, struct merge_input_result *results,
               struct error *err)
{
    return merge_run_counted(target, inputs, ninputs, dry_run, results, NULL,
                             err);
}

bool merge_run_counted(const char *target, const char *const *inputs,
                       size_t ninputs, bool dry_run,
                       struct merge_input_result *results,
                       int64_t *file_conflicts, struct error *err)
{
    for (size_t i = 0; i < ninputs; i++)
        results[i] = (struct merge_input_result){.path = inputs[i]};
    struct run r = {.target = target, .dry_run = dry_run};
    bool ok = true;
    input_sweep_stale();
    char *saved_temp = NULL, *temp = use_private_temp(&saved_temp);
    if (target && *target)
        sweep_target_leftovers(target);
    if (!target || !*target) {
        ok = error_set(err, _("no survey file to merge into"));
    } else if (stat(target, &r.target_st) == 0) {
        /* A dry run opens only its private copy of the target. */
        r.have_target = true;
        if (!dry_run) {
            r.work = xstrdup(target);
            ok = check_work(&r, target, err);
        }
    } else if (errno != ENOENT) {
        ok = error_set_at(err, target, 0, "%s", strerror(errno));
    }
    size_t i = 0;
    bool target_ok = ok;
    for (; ok && i < ninputs; i++)
        ok = merge_one(&r, inputs[i], &results[i], err);
    if (!target_ok) { /* the inputs are not what was wrong: say so */
        struct error e = ERROR_INIT;
        error_set(&e, _("the file to merge into was refused (below)"));
        fail_rest(results, 0, ninputs, &e);
        error_clear(&e);
    } else if (!ok) {
        fail_rest(results, i ? i - 1 : 0, ninputs, err);
    }
    if (file_conflicts)
        *file_conflicts = count_conflicts(&r);
    finish(&r);
    end_private_temp(temp, saved_temp);
    return ok;
}

void merge_input_result_clear(struct merge_input_result *r)
{
    xfree(&r->reason);
}
