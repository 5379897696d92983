#include "config.h"

#include "merge/input.h"

#include "core/i18n.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/schema.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HEADER_SIZE 100
#define COPY_TRIES 3
#define COPY_NAME "input.sqlite"

int64_t input_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static bool refuse(char **reason, char *msg)
{
    free(*reason);
    *reason = msg;
    return false;
}

static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return _("it is a directory, not a survey file");
    if (S_ISFIFO(mode))
        return _("it is a pipe (FIFO), not a survey file");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return _("it is a device, not a survey file");
    if (S_ISSOCK(mode))
        return _("it is a socket, not a survey file");
    return _("not a regular file");
}

/* stat() then open without blocking and make sure it is the same file. */
static int open_regular(const char *path, const struct stat *target,
                        struct stat *st, char **reason)
{
    if (stat(path, st) != 0) {
        int e = errno;
        refuse(reason, e == ENOENT   ? xstrdup(_("no such file"))
                       : e == EACCES ? xstrdup(_("file is not readable"))
                                     : xstrdup(strerror(e)));
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        refuse(reason, xstrdup(kind_of(st->st_mode)));
        return -1;
    }
    if (target && st->st_dev == target->st_dev &&
        st->st_ino == target->st_ino) {
        refuse(reason, xstrdup(_("it is the target file itself")));
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        refuse(reason, xstrdup(e == EACCES ? _("file is not readable")
                                           : strerror(e)));
        return -1;
    }
    struct stat again;
    if (fstat(fd, &again) != 0 || !S_ISREG(again.st_mode) ||
        again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
        close(fd);
        refuse(reason, xstrdup(_("the file changed while it was read")));
        return -1;
    }
    return fd;
}

static ssize_t read_full(int fd, void *buf, size_t n, off_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, at + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static bool check_version(const unsigned char *h, char **reason)
{
    uint32_t v = be32(h + 60);
    if (v >= SCHEMA_MERGE_OLDEST && v <= SCHEMA_VERSION)
        return true;
    if (v > SCHEMA_VERSION)
        return refuse(reason,
                      xasprintf(_("it was written by a newer version of "
                                  "imas-survey (schema %u); update this "
                                  "program to merge it"),
                                (unsigned)v));
    if (v == 0)
        return refuse(reason, xstrdup(_("not an imas-survey file (no "
                                        "schema version)")));
    return refuse(reason, xasprintf(_("it has an older schema (version %u); "
                                      "open it once with this version of "
                                      "imas-survey to upgrade it"),
                                    (unsigned)v));
}

/* The size SQLite's header promises, when it is trustworthy: a file with
 * a -wal may legitimately differ from it until the next checkpoint. */
static bool check_size(const unsigned char *h, int64_t size, bool has_wal,
                       char **reason)
{
    uint32_t page = (uint32_t)h[16] << 8 | h[17];
    if (page == 1)
        page = 65536;
    if (page < 512 || page > 65536 || (page & (page - 1)) != 0)
        return refuse(reason, xstrdup(_("the file is damaged (bad page "
                                         "size)")));
    uint32_t pages = be32(h + 28);
    if (has_wal || pages == 0 || be32(h + 24) != be32(h + 92))
        return true;
    int64_t want = (int64_t)pages * page;
    if (size < want)
        return refuse(reason, xasprintf(_("the file is truncated (%lld of "
                                          "%lld bytes)"),
                                        (long long)size, (long long)want));
    if (size > want)
        return refuse(reason, xasprintf(_("the file is damaged (%lld bytes, "
                                          "its header says %lld)"),
                                        (long long)size, (long long)want));
    return true;
}

static bool check_header(int fd, int64_t size, bool has_wal, char **reason)
{
    unsigned char h[HEADER_SIZE];
    ssize_t n = read_full(fd, h, sizeof h, 0);
    if (n < 0)
        return refuse(reason, xstrdup(strerror(errno)));
    if (n == 0)
        return refuse(reason, xstrdup(_("not an SQLite database (the file "
                                        "is empty)")));
    if (n < HEADER_SIZE || memcmp(h, "SQLite format 3", 16) != 0)
        return refuse(reason, xstrdup(_("not an SQLite database")));
    if (be32(h + 68) != SCHEMA_APPLICATION_ID || be32(h + 56) != 1)
        return refuse(reason, xstrdup(_("not an imas-survey file")));
    return check_version(h, reason) && check_size(h, size, has_wal, reason);
}

/* The sidecar "<path><suffix>": 0 absent or empty, 1 present with data
 * (*st filled), -1 present but not a regular file. */
static int sidecar(const char *path, const char *suffix, struct stat *st)
{
    char *side = xasprintf("%s%s", path, suffix);
    int r = 0;
    if (lstat(side, st) == 0)
        r = !S_ISREG(st->st_mode) ? -1 : st->st_size > 0;
    free(side);
    return r;
}

static bool check_journal(const char *path, char **reason)
{
    struct stat st;
    if (sidecar(path, "-journal", &st) == 0)
        return true;
    return refuse(reason, xstrdup(_("an unfinished rollback journal "
                                    "(-journal) lies beside it; open the "
                                    "file once with imas-survey first")));
}

/* Write all of buf, or false with errno set (a short write that makes no
 * progress is a full disk). */
static bool write_full(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return false;
        }
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Copy fd to a new file at dest. */
static bool copy_fd(int fd, const char *dest, int64_t deadline_ms,
                    char **reason)
{
    int out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0)
        return refuse(reason, xasprintf(_("cannot copy it to %s: %s"), dest,
                                        strerror(errno)));
    size_t cap = (size_t)1 << 16;
    char *buf = xmalloc(cap);
    bool ok = true;
    off_t at = 0;
    ssize_t n = 0;
    while (ok && (n = read_full(fd, buf, cap, at)) > 0) {
        ok = write_full(out, buf, (size_t)n);
        at += n;
        if (!ok)
            refuse(reason, xasprintf(_("cannot copy it to %s: %s"), dest,
                                     strerror(errno)));
        else if (deadline_ms && (at & ((1 << 24) - 1)) == 0 &&
                 input_now_ms() > deadline_ms)
            ok = refuse(reason, xstrdup(_("reading it took too long")));
    }
    if (ok && n < 0)
        ok = refuse(reason, xstrdup(strerror(errno)));
    free(buf);
    if (close(out) != 0 && ok)
        ok = refuse(reason, xasprintf(_("cannot copy it to %s: %s"), dest,
                                      strerror(errno)));
    return ok;
}

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void unlink_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        char *p = xasprintf("%s%s", path, sfx[i]);
        unlink(p);
        free(p);
    }
}

/* One attempt at copying the database and its -wal; *changed when the
 * files moved under us (the caller tries again). */
static bool copy_once(const char *path, int fd, const char *dest,
                      int64_t deadline_ms, bool *changed, char **reason)
{
    struct stat before, wal_before, after, wal_after;
    *changed = false;
    if (fstat(fd, &before) != 0)
        return refuse(reason, xstrdup(strerror(errno)));
    int has_wal = sidecar(path, "-wal", &wal_before);
    if (has_wal < 0)
        return refuse(reason, xasprintf(_("%s-wal is not a regular file"),
                                        path));
    if (!copy_fd(fd, dest, deadline_ms, reason))
        return false;
    if (has_wal) {
        char *wal = xasprintf("%s-wal", path);
        char *dwal = xasprintf("%s-wal", dest);
        int wfd = open(wal, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        bool ok = wfd >= 0 || refuse(reason, xasprintf("%s: %s", wal,
                                                       strerror(errno)));
        ok = ok && copy_fd(wfd, dwal, deadline_ms, reason);
        if (wfd >= 0)
            close(wfd);
        free(wal);
        free(dwal);
        if (!ok)
            return false;
    }
    *changed = stat(path, &after) != 0 || !same_stat(&before, &after) ||
               sidecar(path, "-wal", &wal_after) != has_wal ||
               (has_wal && !same_stat(&wal_before, &wal_after));
    return !*changed;
}

static bool copy_db(const char *path, int fd, const char *dest,
                    int64_t deadline_ms, char **reason)
{
    for (int i = 0; i < COPY_TRIES; i++) {
        bool changed;
        unlink_db(dest);
        if (copy_once(path, fd, dest, deadline_ms, &changed, reason))
            return true;
        if (!changed)
            return false;
    }
    return refuse(reason, xstrdup(_("the file kept changing while it was "
                                    "read; close the program using it and "
                                    "try again")));
}

static const char *tmp_base(void)
{
    const char *base = getenv("TMPDIR");
    return base && *base ? base : "/tmp";
}

/* The directory is named for the process that made it, so that a later
 * merge can remove what a killed one left (a partner's data must not stay
 * in /tmp). */
char *input_private_dir(struct error *err)
{
    const char *base = tmp_base();
    char *tmpl = xasprintf("%s/imas-merge-%ld-XXXXXX", base, (long)getpid());
    if (mkdtemp(tmpl))
        return tmpl;
    error_set(err, _("cannot make a temporary directory in %s: %s"), base,
              strerror(errno));
    free(tmpl);
    return NULL;
}

void input_remove_dir(const char *dir)
{
    if (!dir)
        return;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* When process pid started, in seconds since the epoch, from Linux's /proc
 * (boot time plus the process's start in clock ticks); -1 when unknown. */
static double process_start(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* the name, field 2, may hold spaces: count from its closing ')' */
    char *p = strrchr(buf, ')');
    unsigned long long ticks = 0;
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
        return -1;
    f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long btime = 0;
    bool found = false;
    char line[256];
    while (!found && fgets(line, sizeof line, f))
        found = sscanf(line, "btime %llu", &btime) == 1;
    fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    return found && hz > 0 ? (double)btime + (double)ticks / (double)hz : -1;
}

/* A directory's owner is gone when no process has its pid, or when the
 * process with that pid started after the directory was made (the pid
 * was used again, after a reboot or many processes later). */
bool input_owner_gone(long pid, const struct stat *dir)
{
    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    double started = process_start(pid);
    return started > 0 && started > (double)dir->st_mtime + 2;
}

void input_sweep_stale(void)
{
    const char *base = tmp_base();
    DIR *d = opendir(base);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid;
        char rest[16];
        if (sscanf(e->d_name, "imas-merge-%ld-%15s", &pid, rest) != 2 ||
            strlen(rest) != 6 || pid <= 0 || pid == (long)getpid())
            continue;
        char *p = xasprintf("%s/%s", base, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
            input_owner_gone(pid, &st))
            input_remove_dir(p);
        free(p);
    }
    closedir(d);
}

/* Feed the bytes of the file at path to c: 0 when read to the end, 1
 * when there is no such file, -1 on error. */
static int hash_file(struct sha256 *c, const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 1 : -1;
    off_t at = 0;
    ssize_t n;
    while ((n = read_full(fd, buf, cap, at)) > 0) {
        sha256_update(c, buf, (size_t)n);
        at += n;
    }
    close(fd);
    return n == 0 ? 0 : -1;
}

/* SHA-256 is slow next to SQLite reading the same bytes (0.3 s of CPU
 * over the 5 inputs of the 100k diverging bench): it is worked out in
 * the time the merge's checking thread has to spare once its checks are
 * done, not by a thread of its own, which took a core from the merge and
 * those checks while both were busy (issue 15). The bytes merged: the
 * file, then its -wal when it came with one (what SQLite read of it is in
 * both). */
void input_hash(struct input *in)
{
    if (in->hash_tried || !in->copy)
        return;
    in->hash_tried = true;
    size_t cap = (size_t)1 << 16;
    char *buf = xmalloc(cap);
    char *wal = xasprintf("%s-wal", in->copy);
    struct sha256 c;
    sha256_init(&c);
    if (hash_file(&c, in->copy, buf, cap) == 0 && hash_file(&c, wal, buf, cap) >= 0) {
        sha256_final_hex(&c, in->sha256);
        in->hashed = true;
    }
    free(wal);
    free(buf);
}

const char *input_sha256(struct input *in)
{
    input_hash(in);
    return in->hashed ? in->sha256 : NULL;
}

bool input_open(struct input *in, const char *path, const struct stat *target,
                int64_t deadline_ms, char **reason)
{
    memset(in, 0, sizeof *in);
    struct stat st, wal;
    int fd = open_regular(path, target, &st, reason);
    if (fd < 0)
        return false;
    in->size = (int64_t)st.st_size;
    bool ok = check_journal(path, reason) &&
              check_header(fd, in->size, sidecar(path, "-wal", &wal) != 0,
                           reason);
    if (ok) {
        struct error err = ERROR_INIT;
        in->dir = input_private_dir(&err);
        if (!in->dir)
            ok = refuse(reason, xstrdup(err.msg));
        error_clear(&err);
    }
    if (ok) {
        in->copy = xasprintf("%s/" COPY_NAME, in->dir);
        ok = copy_db(path, fd, in->copy, deadline_ms, reason);
    }
    close(fd);
    if (!ok)
        input_close(in);
    return ok;
}

void input_close(struct input *in)
{
    if (in->copy)
        unlink_db(in->copy);
    input_remove_dir(in->dir);
    xfree(&in->copy);
    xfree(&in->dir);
}

bool input_copy_db(const char *path, const char *dest, int64_t deadline_ms,
                   struct error *err)
{
    char *reason = NULL;
    struct stat st;
    int fd = open_regular(path, NULL, &st, &reason);
    bool ok = fd >= 0 && copy_db(path, fd, dest, deadline_ms, &reason);
    if (fd >= 0)
        close(fd);
    if (!ok)
        error_set_at(err, path, 0, "%s", reason);
    free(reason);
    return ok;
}
