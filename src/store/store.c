#include "config.h"

#include "store/store.h"

#include "core/device.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/db.h"
#include "store/lock.h"
#include "store/probe.h"
#include "store/schema.h"
#include "store/schema_v9.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 2000
#define MAX_LENGTH (64 * 1024 * 1024)
/* A checkpoint (the log copied into the file, both synced) costs a few
 * ms. At SQLite's default of 1000 pages one save in ~120 paid for it,
 * which put it at p99 (bench/save-latency); at 4000 pages (a log of up to
 * 16 MB) it is one save in ~500. store_checkpoint() lets an idle UI do
 * it instead. */
#define WAL_AUTOCHECKPOINT "PRAGMA wal_autocheckpoint = 4000"

/* Views start off: a file's own view could run anything (a query that
 * never ends) where a table is read. views_on turns them on for a file
 * whose views are ours (schema 9's `answers`, store/schema_v9.c). */
static bool harden(sqlite3 *db)
{
    static const int off[] = {SQLITE_DBCONFIG_ENABLE_TRIGGER,
                              SQLITE_DBCONFIG_ENABLE_VIEW,
                              SQLITE_DBCONFIG_TRUSTED_SCHEMA,
                              SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        if (sqlite3_db_config(db, off[i], 0, (int *)NULL) != SQLITE_OK)
            return false;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) !=
        SQLITE_OK)
        return false;
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 1);
    return sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS) == SQLITE_OK &&
           db_register_functions(db) &&
           sqlite3_exec(db, "PRAGMA trusted_schema = OFF", NULL, NULL, NULL) ==
               SQLITE_OK;
}

/* "file:PATH?immutable=1", PATH %-escaped as a URI path. */
static char *immutable_uri(const char *path)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '?' || *p == '#' || *p == '%' || *p <= ' ')
            strbuf_addf(&sb, "%%%02X", *p);
        else
            strbuf_addc(&sb, (char)*p);
    }
    strbuf_adds(&sb, "?immutable=1");
    return strbuf_detach(&sb);
}

/* Read-only in a directory where no -wal or -shm can be made (read-only
 * media): SQLite cannot open a WAL file there unless told that it cannot
 * change. It cannot: without a -wal beside it, nobody can write to it. */
static bool needs_immutable(const char *path)
{
    return !probe_dir_writable(path) && !probe_sidecar(path, "-wal");
}

/* A hardened connection to a file probe_file() accepted. A connection is
 * only ever used by the thread that opened it (the merge's hashing thread
 * reads a file, not the database), so SQLite's per-call mutex is left out:
 * two locks per sqlite3_column_* call were a tenth of an export. */
static sqlite3 *open_connection(const char *path, bool readonly,
                                struct error *err)
{
    sqlite3 *db = NULL;
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX;
    char *uri = readonly && needs_immutable(path) ? immutable_uri(path) : NULL;
    if (uri)
        flags |= SQLITE_OPEN_URI;
    if (sqlite3_open_v2(uri ? uri : path, &db, flags, NULL) != SQLITE_OK ||
        !harden(db)) {
        db_fail(db, path, err);
        sqlite3_close(db);
        db = NULL;
    }
    free(uri);
    return db;
}

/* Views on when every view of the file is ours: also a file that says it
 * is newer (not compared with our schema) or one --check opens whatever
 * it holds; otherwise reading a view fails, and nothing of it runs. */
static bool views_on(sqlite3 *db, const char *path, struct error *err)
{
    bool ours = false;
    if (!schema_views_ours(db, path, &ours, err))
        return false;
    return !ours || sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 1,
                                      (int *)NULL) == SQLITE_OK ||
           db_fail(db, path, err);
}

/* WAL and FULL sync: a committed answer survives a crash or power loss. */
static bool set_durable(sqlite3 *db, const char *path, struct error *err)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        db_fail(db, path, err);
        goto cleanup;
    }
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    if (!mode || strcmp(mode, "wal") != 0) {
        error_set_at(err, path, 0,
                     _("cannot use a write-ahead log on this file system"));
        goto cleanup;
    }
    ok = db_exec(db, path, "PRAGMA synchronous = FULL", err) &&
         db_exec(db, path, WAL_AUTOCHECKPOINT, err);
cleanup:
    sqlite3_finalize(st);
    return ok;
}

static bool sync_path(const char *path, int oflags)
{
    int fd = open(path, oflags | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

/* Put the finished tmp file at path: link() never replaces a file that
 * appeared meanwhile; rename() only replaces the empty one we saw. */
static bool install(const char *tmp, const char *path, bool replace_empty,
                    struct error *err)
{
    struct stat st;
    if (replace_empty) {
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
            return error_set_at(err, path, 0,
                                _("the file changed while it was created"));
        if (rename(tmp, path) != 0)
            return error_set_at(err, path, 0, _("cannot create the file: %s"),
                                strerror(errno));
        return true;
    }
    if (link(tmp, path) == 0)
        return unlink(tmp) == 0 ||
               error_set_at(err, path, 0, "%s", strerror(errno));
    if (errno == EEXIST)
        return error_set_at(err, path, 0,
                            _("the file appeared while it was created"));
    /* File systems without hard links (FAT on a USB stick). */
    if (lstat(path, &st) == 0 || rename(tmp, path) != 0)
        return error_set_at(err, path, 0, _("cannot create the file: %s"),
                            strerror(errno));
    return true;
}

static void remove_tmp(const char *tmp)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        char *name = xasprintf("%s%s", tmp, sfx[i]);
        unlink(name);
        free(name);
    }
}

/* A new survey file at path, complete and synced before it appears. */
static bool create_file(const char *path, bool replace_empty,
                        struct error *err)
{
    char *real = replace_empty ? realpath(path, NULL) : NULL;
    const char *target = real ? real : path;
    char *tmp = xasprintf("%s.new-XXXXXX", target);
    sqlite3 *db = NULL;
    bool ok = false;
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        error_set_at(err, path, 0, _("cannot create the file: %s"),
                     strerror(errno));
        goto cleanup;
    }
    close(fd);
    db = open_connection(tmp, false, err);
    if (!db || !set_durable(db, path, err) ||
        !schema_create(db, path, schema_steps, schema_nsteps, SCHEMA_VERSION,
                       err))
        goto cleanup;
    /* Closing checkpoints the log into the file and removes it. */
    if (sqlite3_close(db) != SQLITE_OK) {
        db_fail(db, path, err);
        goto cleanup;
    }
    db = NULL;
    if (!sync_path(tmp, O_RDONLY)) {
        error_set_at(err, path, 0, _("cannot create the file: %s"),
                     strerror(errno));
        goto cleanup;
    }
    ok = install(tmp, target, replace_empty, err);
    if (ok) {
        char *dir = xstrdup(target);
        sync_path(dirname(dir), O_RDONLY | O_DIRECTORY);
        free(dir);
    }
cleanup:
    sqlite3_close(db);
    if (!ok && fd >= 0)
        remove_tmp(tmp);
    free(tmp);
    free(real);
    return ok;
}

bool store_checkpoint(struct store *s, struct error *err)
{
    if (s->readonly)
        return true;
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       NULL, NULL);
    if (rc == SQLITE_OK)
        s->wal_pages = 0;
    return rc == SQLITE_OK || db_fail(s->db, s->path, err);
}

/* The log's size after each commit; replaces SQLite's automatic
 * checkpoint on this connection. */
static int count_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    ((struct store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

void store_defer_checkpoints(struct store *s)
{
    sqlite3_wal_hook(s->db, count_wal, s);
}

bool store_checkpoint_due(const struct store *s)
{
    return s->wal_pages >= 1000;
}

static bool read_meta(struct store *s, const char *key, char out[UUID_STR_LEN],
                      struct error *err)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        db_fail(s->db, s->path, err);
        goto cleanup;
    }
    int rc = sqlite3_step(st);
    const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0)
                                     : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        db_fail(s->db, s->path, err);
    else if (!v || !uuid_valid(v))
        error_set_at(err, s->path, 0, _("the file is damaged (no %s)"), key);
    else {
        memcpy(out, v, UUID_STR_LEN);
        ok = true;
    }
cleanup:
    sqlite3_finalize(st);
    return ok;
}

static void set_readonly(struct store *s, char *reason)
{
    s->readonly = true;
    free(s->readonly_reason);
    s->readonly_reason = reason;
}

static store_upgrade_notice_fn *upgrade_notice;

void store_set_upgrade_notice(store_upgrade_notice_fn *fn)
{
    upgrade_notice = fn;
}

/* Connect, settle read-only or not, upgrade when needed. */
static bool open_db(struct store *s, unsigned flags, int header_version,
                    struct error *err)
{
    bool ro = (flags & STORE_READONLY) || header_version > SCHEMA_VERSION;
    if (!(s->db = open_connection(s->path, ro, err)))
        return false;
    int v = schema_version(s->db, s->path, err);
    if (v < 0)
        return false;
    if (v > SCHEMA_VERSION && !ro) {
        /* The header lagged behind the log; nothing was written yet,
         * and the log is not checkpointed into the file either. */
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        sqlite3_close(s->db);
        ro = true;
        if (!(s->db = open_connection(s->path, ro, err)))
            return false;
    }
    if (v < 1)
        return error_set_at(err, s->path, 0,
                            _("the file is damaged (no schema version)"));
    s->schema_version = v;
    /* Exactly our objects, before anything runs on them (an upgrade
     * step included): a trigger, view or table of someone else's is
     * refused as --check and --merge refuse it (triggers never fire on
     * this connection anyway: harden). */
    if (v <= SCHEMA_VERSION && !(flags & STORE_ANY_OBJECTS) &&
        !schema_verify_at(s->db, "main", s->path, v, err))
        return false;
    if (!views_on(s->db, s->path, err))
        return false;
    if (v > SCHEMA_VERSION)
        set_readonly(s, xasprintf(_("%s was written by a newer version of "
                                    "imas-survey (schema %d); opened "
                                    "read-only"),
                                  s->path, v));
    else if (ro && v < SCHEMA_VERSION)
        set_readonly(s, xasprintf(_("%s has an older schema (version %d); "
                                    "opened read-only, not upgraded"),
                                  s->path, v));
    else if (ro)
        set_readonly(s, xasprintf(_("%s was opened read-only"), s->path));
    if (ro)
        return true;
    if (!set_durable(s->db, s->path, err))
        return false;
    if (v < SCHEMA_VERSION) {
        if (upgrade_notice)
            upgrade_notice(s->path, v, SCHEMA_VERSION);
        if (!schema_upgrade(s->db, s->path, schema_steps, schema_nsteps,
                            SCHEMA_VERSION, NULL, err))
            return false;
        s->schema_version = SCHEMA_VERSION;
    }
    return true;
}

/* This laptop's identity, from the user's state directory. When that
 * cannot be written the id lasts for this process: saving is never
 * refused for it. */
static void set_device(struct store *s)
{
    struct device d;
    struct error ignored = ERROR_INIT;
    device_load(&d, &ignored);
    error_clear(&ignored);
    memcpy(s->device_id, d.id, UUID_STR_LEN);
    free(s->device_name);
    s->device_name = xstrdup(d.name);
}

struct store *store_open(const char *path, unsigned flags, struct error *err)
{
    struct probe p;
    if (!probe_file(path, flags, &p, err))
        return NULL;
    if (p.is_new && !create_file(path, p.replace_empty, err))
        return NULL;
    struct store *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->lock_fd = -1;
    char *holder = NULL;
    if ((flags & STORE_EXCLUSIVE) && !(flags & STORE_READONLY) &&
        !store_lock_take(path, &s->lock_fd, &holder))
        flags |= STORE_READONLY;
    if (!open_db(s, flags, p.user_version, err)) {
        free(holder);
        goto fail;
    }
    if (holder)
        set_readonly(s, holder);
    if (!read_meta(s, "db_uuid", s->db_uuid, err)) {
        /* A newer schema may keep them elsewhere; reading still works. */
        if (s->schema_version <= SCHEMA_VERSION)
            goto fail;
        error_clear(err);
    }
    set_device(s);
    store_set_author(s, NULL);
    return s;
fail:
    /* Refused: the file and its log stay as they were. Closing would
     * checkpoint the log into the file, also a log that does not belong
     * to it (a partner's file copied beside a stray -wal). */
    if (s->db)
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    store_close(&s);
    return NULL;
}

struct store *store_open_peer(const struct store *s, struct error *err)
{
    if (s->readonly) {
        error_set_at(err, s->path, 0, _("cannot save: %s"), s->readonly_reason);
        return NULL;
    }
    struct store *p = xcalloc(1, sizeof *p);
    p->lock_fd = -1; /* the lock is the first store's */
    p->path = xstrdup(s->path);
    p->schema_version = s->schema_version;
    memcpy(p->db_uuid, s->db_uuid, UUID_STR_LEN);
    memcpy(p->device_id, s->device_id, UUID_STR_LEN);
    p->device_name = xstrdup(s->device_name);
    p->device_noted = s->device_noted;
    p->author = xstrdup(s->author);
    if (!(p->db = open_connection(s->path, false, err)) ||
        !views_on(p->db, s->path, err) || !set_durable(p->db, s->path, err))
        store_close(&p);
    return p;
}

void store_close(struct store **sp)
{
    struct store *s = *sp;
    if (!s)
        return;
    if (s->in_tx)
        db_write_end(s, false, NULL);
    for (int i = 0; i < DB_STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    /* Every statement is finalized, so this closes now; the last close
     * checkpoints the log into the file. */
    sqlite3_close(s->db);
    store_lock_release(&s->lock_fd);
    free(s->path);
    free(s->readonly_reason);
    free(s->device_name);
    free(s->author);
    free(s);
    *sp = NULL;
}

bool store_changed_since(struct store *s, int64_t *seen)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    bool ok = sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!ok || v == *seen)
        return false;
    *seen = v;
    return true;
}

bool store_readonly(const struct store *s)
{
    return s->readonly;
}

const char *store_readonly_reason(const struct store *s)
{
    return s->readonly_reason;
}

const char *store_path(const struct store *s)
{
    return s->path;
}

const char *store_db_uuid(const struct store *s)
{
    return s->db_uuid;
}

const char *store_device_id(const struct store *s)
{
    return s->device_id;
}

const char *store_device_name(const struct store *s)
{
    return s->device_name;
}

int store_schema_version(const struct store *s)
{
    return s->schema_version;
}

static const char *default_author(void)
{
    const char *a = getenv("IMAS_SURVEY_AUTHOR");
    if (a && *a)
        return a;
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    return "unknown";
}

void store_set_author(struct store *s, const char *author)
{
    free(s->author);
    s->author = utf8_sanitize(author && *author ? author : default_author(),
                              false);
}

const char *store_author(const struct store *s)
{
    return s->author;
}
