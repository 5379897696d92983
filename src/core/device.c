#include "config.h"

#include "core/device.h"

#include "core/i18n.h"
#include "core/paths.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX 4096

char *device_path(void)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/imas-survey/device", xdg);
    const char *home = paths_home();
    if (!home)
        home = ".";
    return xasprintf("%s/.local/state/imas-survey/device", home);
}

/* Copy src into the name, one line, valid UTF-8, no control characters,
 * at most DEVICE_NAME_MAX bytes cut at a character. */
static void set_name(struct device *d, const char *src, size_t n)
{
    char *raw = xstrndup(src, n);
    char *clean = utf8_sanitize(raw, false);
    size_t len = strlen(clean);
    if (len > DEVICE_NAME_MAX) {
        len = DEVICE_NAME_MAX;
        while (len > 0 && ((unsigned char)clean[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(d->name, clean, len);
    d->name[len] = '\0';
    free(clean);
    free(raw);
}

/* "id=" and "name=" from the file's text; false when it has no valid id. */
static bool parse(struct device *d, const char *text)
{
    bool have_id = false;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (n == 3 + UUID_STR_LEN - 1 && strncmp(p, "id=", 3) == 0) {
            char id[UUID_STR_LEN];
            memcpy(id, p + 3, UUID_STR_LEN - 1);
            id[UUID_STR_LEN - 1] = '\0';
            if (uuid_valid(id)) {
                memcpy(d->id, id, UUID_STR_LEN);
                have_id = true;
            }
        } else if (n > 5 && strncmp(p, "name=", 5) == 0) {
            set_name(d, p + 5, n - 5);
        }
        p += n + (p[n] == '\n');
    }
    return have_id;
}

static bool read_file(const char *path, struct device *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    char buf[FILE_MAX + 1];
    ssize_t n = read(fd, buf, FILE_MAX);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return parse(d, buf);
}

/* Write a new identity file; O_EXCL, so two programs starting at once
 * agree on the first one's (the loser reads it back). */
static bool write_file(const char *path, const struct device *d,
                       struct error *err)
{
    if (!paths_ensure_parent_dir(path, err))
        return false;
    char *tmp = xasprintf("%s.new-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_set_at(err, path, 0, "%s", strerror(errno));
        free(tmp);
        return false;
    }
    char *text = xasprintf("# imas-survey: this laptop's identity. Set the "
                           "name others see\n# by editing the name= line "
                           "(or with IMAS_SURVEY_DEVICE_NAME).\nid=%s\n"
                           "name=\n",
                           d->id);
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    int e = errno;
    ok = close(fd) == 0 && ok;
    free(text);
    if (ok && link(tmp, path) != 0) {
        e = errno;
        ok = false;
    }
    unlink(tmp);
    free(tmp);
    if (!ok && e != EEXIST)
        error_set_at(err, path, 0, "%s", strerror(e));
    return ok;
}

static void host_name(struct device *d)
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !*host)
        snprintf(host, sizeof host, "%s", "laptop");
    host[sizeof host - 1] = '\0';
    set_name(d, host, strlen(host));
}

bool device_load(struct device *d, struct error *err)
{
    memset(d, 0, sizeof *d);
    char *path = device_path();
    if (!read_file(path, d)) {
        memset(d, 0, sizeof *d);
        uuid_v4(d->id);
        struct error e = ERROR_INIT;
        if (!write_file(path, d, &e) && !read_file(path, d)) {
            d->ephemeral = true;
            if (e.msg)
                error_set_at(err, path, 0,
                             _("cannot keep this laptop's identity: %s"),
                             e.msg);
        }
        error_clear(&e);
    }
    free(path);
    const char *env = getenv("IMAS_SURVEY_DEVICE_NAME");
    if (env && *env)
        set_name(d, env, strlen(env));
    if (!*d->name)
        host_name(d);
    return true;
}
