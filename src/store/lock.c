#include "config.h"

#include "store/lock.h"

#include "core/i18n.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* The pid of the process holding an flock() on the file st describes, from
 * /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF": major and
 * minor device in hex, then the inode); 0 when it cannot be told. */
static long lock_holder_pid(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "re");
    if (!f)
        return 0;
    char line[256];
    long found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char kind[16], access[16];
        long pid;
        unsigned maj, min;
        unsigned long long inode;
        if (sscanf(line, "%*[^:]: %15s %*s %15s %ld %x:%x:%llu", kind, access, &pid, &maj,
                   &min, &inode) == 6 &&
            strcmp(kind, "FLOCK") == 0 && (ino_t)inode == st->st_ino &&
            maj == major(st->st_dev) && min == minor(st->st_dev) && pid > 0)
            found = pid;
    }
    fclose(f);
    return found;
}

/* When process pid started, in seconds since the epoch; 0 when unknown. */
static time_t process_start(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* the command name may hold spaces: fields count from its ')' */
    char *p = strrchr(buf, ')');
    unsigned long long ticks = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
                            "%*d %*d %*d %*d %llu",
                     &ticks) != 1)
        return 0;
    FILE *st = fopen("/proc/stat", "re");
    if (!st)
        return 0;
    long long btime = 0;
    char line[256];
    while (fgets(line, sizeof line, st))
        if (sscanf(line, "btime %lld", &btime) == 1)
            break;
    fclose(st);
    long hz = sysconf(_SC_CLK_TCK);
    return btime > 0 && hz > 0 ? (time_t)(btime + (long long)(ticks / (unsigned long long)hz))
                               : 0;
}

static char *describe_holder(const struct stat *st)
{
    long pid = lock_holder_pid(st);
    if (!pid)
        return xstrdup(_("in use by another imas-survey: read-only"));
    time_t since = process_start(pid);
    struct tm tm;
    char when[32] = "";
    time_t now = time(NULL);
    struct tm today;
    if (since && localtime_r(&since, &tm) && localtime_r(&now, &today))
        strftime(when, sizeof when,
                 tm.tm_yday == today.tm_yday && tm.tm_year == today.tm_year ? "%H:%M"
                                                                            : "%Y-%m-%d %H:%M",
                 &tm);
    if (*when)
        /* TRANSLATORS: the survey file is open in another program: its
         * process id and when that program started */
        return xasprintf(_("in use by imas-survey process %ld since %s: "
                           "read-only"),
                         pid, when);
    return xasprintf(_("in use by imas-survey process %ld: read-only"),
                     pid);
}

bool store_lock_take(const char *path, int *fd, char **holder)
{
    *holder = NULL;
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd < 0)
        return true; /* opening the store will say what is wrong */
    if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return true;
    int e = errno;
    struct stat st;
    bool busy = e == EWOULDBLOCK && fstat(*fd, &st) == 0;
    if (busy)
        *holder = describe_holder(&st);
    /* nothing of SQLite's is open on the file yet: closing drops nothing */
    close(*fd);
    *fd = -1;
    return !busy;
}

void store_lock_release(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}
