#include "config.h"

#include "app/attach.h"

#include "app/path_complete.h"
#include "app/session_int.h"
#include "core/i18n.h"
#include "core/media.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/attach.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* What is wrong with the file at path as an attachment, or NULL: checked
 * on the open descriptor, so what is read is what was checked. */
static char *check_fd(int fd, const char *shown, struct stat *st)
{
    if (fstat(fd, st) != 0)
        return xasprintf(_("%s cannot be read: %s"), shown, strerror(errno));
    if (S_ISDIR(st->st_mode))
        return xasprintf(_("%s is a directory: type a file's path (Tab completes)"), shown);
    if (!S_ISREG(st->st_mode))
        return xasprintf(_("%s is not a regular file"), shown);
    if (st->st_size > MEDIA_MAX_BYTES) {
        char *size = media_size_text((long long)st->st_size);
        char *limit = media_size_text(MEDIA_MAX_BYTES);
        char *m;
        /* just over the limit, the rounded size reads as the limit itself
         * ("25.0 MiB"), which a file of exactly 25 MiB shows too: bytes */
        if (strcmp(size, limit) == 0)
            /* TRANSLATORS: %1$s a file's name, %2$lld its size in bytes,
             * %3$lld the limit in bytes, %4$d the limit in MiB */
            m = xasprintf(ngettext("%1$s is %2$lld byte: over the limit of %3$lld bytes (%4$d MiB)",
                                   "%1$s is %2$lld bytes: over the limit of %3$lld bytes (%4$d MiB)",
                                   (unsigned long)st->st_size),
                          shown, (long long)st->st_size, (long long)MEDIA_MAX_BYTES,
                          MEDIA_MAX_BYTES / (1024 * 1024));
        else
            m = xasprintf(_("%s is %s: files over %d MiB cannot be attached"), shown, size,
                          MEDIA_MAX_BYTES / (1024 * 1024));
        free(size);
        free(limit);
        return m;
    }
    return NULL;
}

/* Read the whole file (at most MEDIA_MAX_BYTES) into *data. */
static char *read_file(const char *full, const char *shown, void **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return errno == ENOENT ? xasprintf(_("%s: there is no such file"), shown)
                               : xasprintf(_("%s cannot be read: %s"), shown, strerror(errno));
    struct stat st;
    char *why = check_fd(fd, shown, &st);
    if (why) {
        close(fd);
        return why;
    }
    size_t cap = (size_t)st.st_size, n = 0;
    unsigned char *buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t r = read(fd, buf + n, cap + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            why = xasprintf(_("%s cannot be read: %s"), shown, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > cap) { /* it grew while read */
            why = xasprintf(_("%s changed while it was read; try again"), shown);
            break;
        }
    }
    close(fd);
    if (why) {
        free(buf);
        return why;
    }
    *data = buf;
    *size = n;
    return NULL;
}

static char *check_kind(const struct form_node *n, const void *data, size_t size,
                        const char *name, const char *shown)
{
    size_t h = size < MEDIA_HEAD_BYTES ? size : MEDIA_HEAD_BYTES;
    const char *asked = n->mediatype ? n->mediatype : "*/*";
    const char *type = media_type(data, h, name);
    switch (media_fits(n->mediatype, data, h, name)) {
    case MEDIA_FITS:
        return NULL;
    case MEDIA_UNKNOWN_CONTENT:
        return xasprintf(_("%s is not attached: its content is not %s"), shown, asked);
    case MEDIA_WRONG_CONTENT:
        return xasprintf(_("%s is not attached: it is %s, not %s"), shown, type ? type : "?",
                         asked);
    case MEDIA_NAME_DIFFERS:
    default:
        return xasprintf(_("%s is not attached: its name says %s, its content %s"), shown,
                         media_by_name(name), media_sniff(data, h));
    }
}

static enum session_set_result store_it(struct session *s, const struct form_node *n,
                                        const char *item, const void *data, size_t size,
                                        const char *name, char **msg)
{
    struct error err = ERROR_INIT;
    char hex[MEDIA_HASH_HEX + 1];
    if (!store_batch_begin(s->store, &err)) {
        *msg = error_format_brief(&err);
        error_clear(&err);
        return SESSION_SET_FAILED;
    }
    char *value = NULL;
    char *old = xstrdup(session_get(s, n, item));
    enum session_set_result r = SESSION_SET_FAILED;
    if (store_attach_put(s->store, data, size, hex, &err)) {
        value = media_value(hex, name);
        r = session_set(s, n, item, value, msg);
    } else {
        *msg = error_format_brief(&err);
        error_clear(&err);
    }
    if (!store_batch_end(s->store, r == SESSION_SET_OK, &err) && r == SESSION_SET_OK) {
        /* nothing reached the file: the record shows what is stored */
        form_record_set(s->rec, n->path, item ? item : "", old, NULL);
        *msg = error_format_brief(&err);
        error_clear(&err);
        r = SESSION_SET_FAILED;
    }
    free(old);
    free(value);
    return r;
}

enum session_set_result session_attach(struct session *s, const struct form_node *n,
                                       const char *item, const char *path, char **msg)
{
    *msg = NULL;
    const char *why = session_readonly_reason(s);
    if (why) {
        *msg = xstrdup(why);
        return SESSION_SET_FAILED;
    }
    char *full = path_expand(path);
    const char *name = base_name(full);
    /* messages name the file; the field still shows its whole path */
    char *shown = utf8_sanitize(*name ? name : path, false);
    void *data = NULL;
    size_t size = 0;
    enum session_set_result r = SESSION_SET_INVALID;
    if (!*name)
        *msg = xasprintf(_("%s is a directory: type a file's path (Tab completes)"), shown);
    else if (!(*msg = read_file(full, shown, &data, &size)) &&
             !(*msg = check_kind(n, data, size, name, shown)))
        r = store_it(s, n, item, data, size, name, msg);
    free(data);
    free(shown);
    free(full);
    return r;
}

enum session_set_result session_detach(struct session *s, const struct form_node *n,
                                       const char *item, char **msg)
{
    return session_set(s, n, item, "", msg);
}

bool session_attachment(struct session *s, const struct form_node *n, const char *item,
                        struct session_attachment *out)
{
    memset(out, 0, sizeof *out);
    char hex[MEDIA_HASH_HEX + 1];
    const char *name;
    const char *v = session_get(s, n, item);
    if (!*v)
        return true;
    out->attached = true;
    if (!media_value_parse(v, hex, &name)) {
        out->name = utf8_sanitize(v, false);
        return true;
    }
    out->name = utf8_sanitize(name, false);
    unsigned char head[MEDIA_HEAD_BYTES];
    size_t nhead = 0;
    struct error err = ERROR_INIT;
    bool ok = store_attach_info(s->store, hex, &out->stored, &out->size, head, &nhead, &err);
    error_clear(&err);
    if (out->stored)
        out->type = media_type(head, nhead, name);
    return ok;
}

void session_attachment_clear(struct session_attachment *a)
{
    xfree(&a->name);
    memset(a, 0, sizeof *a);
}
