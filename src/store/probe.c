#include "config.h"

#include "store/probe.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "store/schema.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_SIZE 100

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

bool probe_sidecar(const char *path, const char *suffix)
{
    char *side = xasprintf("%s%s", path, suffix);
    struct stat st;
    bool found = lstat(side, &st) == 0 && st.st_size > 0;
    free(side);
    return found;
}

/* A new database would adopt a stray -wal and be damaged by it. */
static bool check_new(const char *path, struct probe *p, struct error *err)
{
    if (probe_sidecar(path, "-wal"))
        return error_set_at(err, path, 0,
                            _("a write-ahead log (%s-wal) of another database "
                              "lies beside the file; move it away first"),
                            path);
    p->is_new = true;
    return true;
}

static bool missing(const char *path, unsigned flags, struct probe *p,
                    struct error *err)
{
    if (!(flags & STORE_CREATE) || (flags & STORE_READONLY))
        return error_set_at(err, path, 0, _("no such file"));
    return check_new(path, p, err);
}

bool probe_dir_writable(const char *path)
{
    char *copy = xstrdup(path);
    bool ok = faccessat(AT_FDCWD, dirname(copy), W_OK, AT_EACCESS) == 0;
    free(copy);
    return ok;
}

static bool writable(const char *path)
{
    return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 &&
           probe_dir_writable(path);
}

static ssize_t read_header(int fd, unsigned char *buf)
{
    size_t got = 0;
    while (got < HEADER_SIZE) {
        ssize_t n = pread(fd, buf + got, HEADER_SIZE - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static bool check_header(const char *path, const unsigned char *h, size_t n,
                         unsigned flags, struct probe *p, struct error *err)
{
    if (n == 0) {
        if (!(flags & STORE_CREATE) || (flags & STORE_READONLY))
            return error_set_at(err, path, 0,
                                _("not an SQLite database (the file is "
                                  "empty)"));
        p->replace_empty = true;
        return check_new(path, p, err);
    }
    if (n < HEADER_SIZE || memcmp(h, "SQLite format 3", 16) != 0)
        return error_set_at(err, path, 0, _("not an SQLite database"));
    if (be32(h + 68) != SCHEMA_APPLICATION_ID)
        return error_set_at(err, path, 0, _("not an imas-survey file"));
    uint32_t v = be32(h + 60);
    p->user_version = v > 1000000 ? 1000000 : (int)v;
    if (!(flags & STORE_READONLY) && p->user_version <= SCHEMA_VERSION &&
        !writable(path))
        return error_set_at(err, path, 0, _("file is read-only"));
    return true;
}

bool probe_file(const char *path, unsigned flags, struct probe *p,
                struct error *err)
{
    memset(p, 0, sizeof *p);
    if (!path || !*path)
        return error_set(err, _("no survey file named"));
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return missing(path, flags, p, err);
        return error_set_at(err, path, 0, "%s", strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return error_set_at(err, path, 0, _("not a regular file"));
    /* O_NONBLOCK: a FIFO swapped in after stat() must not hang us. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EACCES)
            return error_set_at(err, path, 0, _("file is not readable"));
        return error_set_at(err, path, 0, "%s", strerror(errno));
    }
    unsigned char h[HEADER_SIZE];
    bool ok = false;
    ssize_t n = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        error_set_at(err, path, 0, _("not a regular file"));
    else if ((n = read_header(fd, h)) < 0)
        error_set_at(err, path, 0, "%s", strerror(errno));
    else
        ok = check_header(path, h, (size_t)n, flags, p, err);
    close(fd);
    return ok;
}
