#include "config.h"

#include "merge/merge_int.h"
#include "merge/merge_attach.h"

#include "core/i18n.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "merge/input.h"
#include "store/answers.h"
#include "store/schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- checking the input ------------------------------------------------- */

bool merge_set_reason(char **reason, char *msg)
{
    free(*reason);
    *reason = msg;
    return false;
}

/* One line of at most REASON_MAX bytes, safe to print. */
char *merge_one_line(const char *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\n')
            strbuf_adds(&sb, "; ");
        else
            strbuf_addc(&sb, *p);
    }
    if (sb.len > REASON_MAX) {
        size_t cut = REASON_MAX;
        while (cut > 0 && ((unsigned char)sb.buf[cut] & 0xC0) == 0x80)
            cut--;
        sb.buf[cut] = '\0';
        sb.len = cut;
        strbuf_adds(&sb, "…");
    }
    char *clean = utf8_sanitize(sb.buf, false);
    strbuf_free(&sb);
    return clean;
}

static bool pragma_int(struct merge_db *m, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ok;
}

/* The source's db_uuid; false on an SQLite error (the caller classifies
 * it) or with *reason set. */
static bool read_checks(struct merge_db *m, char src_uuid[UUID_STR_LEN],
                        char **reason)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(m->db,
                           "SELECT value FROM src.meta WHERE key = 'db_uuid'",
                           -1, &st, NULL) != SQLITE_OK)
        goto cleanup;
    int rc = sqlite3_step(st);
    const char *v = rc == SQLITE_ROW &&
                            sqlite3_column_type(st, 0) == SQLITE_TEXT
                        ? (const char *)sqlite3_column_text(st, 0)
                        : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto cleanup;
    if (!v || !uuid_valid(v)) {
        merge_set_reason(reason, xstrdup(_("the file is damaged (no db_uuid)")));
        goto cleanup;
    }
    memcpy(src_uuid, v, UUID_STR_LEN);
    ok = true;
cleanup:
    sqlite3_finalize(st);
    return ok;
}

/* What SQLite itself says of the attached file: schema version and id as
 * of its -wal, exactly our schema objects (its quick_check runs beside
 * the merge: merge_qc.c). */
bool merge_check_source(struct merge_db *m, const char *path,
                         char src_uuid[UUID_STR_LEN], char **reason)
{
    int64_t app = 0, version = 0;
    if (!pragma_int(m, "PRAGMA src.application_id", &app) ||
        !pragma_int(m, "PRAGMA src.user_version", &version))
        return false;
    if ((uint32_t)app != SCHEMA_APPLICATION_ID)
        return merge_set_reason(reason, xstrdup(_("not an imas-survey file")));
    if (version < SCHEMA_MERGE_OLDEST || version > SCHEMA_VERSION)
        return merge_set_reason(reason,
                          xasprintf(_("it has schema version %lld, this "
                                      "program merges version %d"),
                                    (long long)version, SCHEMA_VERSION));
    struct error e = ERROR_INIT;
    if (!schema_verify_at(m->db, "src", path, (int)version, &e)) {
        merge_set_reason(reason, merge_one_line(e.msg));
        error_clear(&e);
        return false;
    }
    m->src_version = (int)version;
    return read_checks(m, src_uuid, reason);
}

/* imas_valid(table, sig, v...): 1 when every v has the type sig asks for,
 * text is valid UTF-8 without NUL and at most STORE_VALUE_MAX bytes; else
 * an error that stops the statement (and so the merge). Ids (u, e) must be
 * UUIDs as the program makes them (e: or empty, a top-level answer's item),
 * a revision (r) 1 to STORE_REVISION_MAX, which the next edit can count up
 * from, and a time (m) milliseconds from 1970 to the end of year 9999:
 * a partner's file cannot plant a row that no edit could ever supersede, or
 * whose next revision overflows. */
enum bad { BAD_NONE, BAD_TYPE, BAD_LONG, BAD_UTF8, BAD_RANGE, BAD_UUID };

#define MERGE_TIME_MAX INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */

static enum bad bad_value(char kind, sqlite3_value *v)
{
    int type = sqlite3_value_type(v);
    if (kind == 'i' || kind == 'r' || kind == 'm') {
        if (type != SQLITE_INTEGER)
            return BAD_TYPE;
        int64_t n = sqlite3_value_int64(v);
        if (kind == 'r' && (n < 1 || n > STORE_REVISION_MAX))
            return BAD_RANGE;
        if (kind == 'm' && (n < 0 || n > MERGE_TIME_MAX))
            return BAD_RANGE;
        return BAD_NONE;
    }
    if (type == SQLITE_NULL && kind == 'T')
        return BAD_NONE;
    if (type != SQLITE_TEXT)
        return BAD_TYPE;
    const char *s = (const char *)sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v);
    if (!s)
        return BAD_TYPE;
    if (n > STORE_VALUE_MAX)
        return BAD_LONG;
    if (memchr(s, '\0', (size_t)n) || !utf8_valid(s, (size_t)n))
        return BAD_UTF8;
    if ((kind == 'u' || (kind == 'e' && n > 0)) && !uuid_valid(s))
        return BAD_UUID;
    return BAD_NONE;
}

static char *bad_message(enum bad bad, const char *table)
{
    switch (bad) {
    case BAD_RANGE:
        return xasprintf(_("the %s table holds a revision or time out of "
                           "range"),
                         table);
    case BAD_UUID:
        return xasprintf(_("the %s table holds an id that is not a UUID"),
                         table);
    case BAD_LONG:
        return xasprintf(_("the %s table holds a value longer than 16 MB"),
                         table);
    case BAD_UTF8:
        return xasprintf(_("the %s table holds text that is not valid "
                           "UTF-8"),
                         table);
    default:
        return xasprintf(_("the %s table holds a value of the wrong type"),
                         table);
    }
}

/* The check of imas_valid, the message of the first bad value into
 * *invalid (replaced). */
static void valid_into(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                       char **invalid)
{
    const char *table = argc >= 2
                            ? (const char *)sqlite3_value_text(argv[0])
                            : NULL;
    const char *sig = argc >= 2 ? (const char *)sqlite3_value_text(argv[1])
                                : NULL;
    if (!table || !sig || strlen(sig) != (size_t)(argc - 2)) {
        sqlite3_result_error(ctx, "imas_valid: bad arguments", -1);
        return;
    }
    bool values = strncmp(table, "answers", 7) == 0;
    for (int i = 2; i < argc; i++) {
        enum bad bad = bad_value(sig[i - 2], argv[i]);
        char *msg = bad != BAD_NONE ? bad_message(bad, table)
                    : values && sig[i - 2] == 'T'
                        ? merge_attach_bad_name(
                              (const char *)sqlite3_value_text(argv[i]))
                        : NULL;
        if (msg) {
            free(*invalid);
            *invalid = msg;
            sqlite3_result_error(ctx, msg, -1);
            return;
        }
    }
    sqlite3_result_int(ctx, 1);
}

void merge_valid_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct merge_db *m = sqlite3_user_data(ctx);
    valid_into(ctx, argc, argv, &m->invalid);
}

void merge_valid_into_fn(sqlite3_context *ctx, int argc,
                         sqlite3_value **argv)
{
    valid_into(ctx, argc, argv, sqlite3_user_data(ctx));
}

/* imas_text_sha256(text): the hex SHA-256 of a text's bytes, NULL for
 * another type. A form's hash is the SHA-256 of its definition (the form
 * file's bytes), as the store keeps it. */
void merge_text_sha256_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_null(ctx);
        return;
    }
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    char hex[65];
    sha256_hex(t ? (const char *)t : "", (size_t)n, hex);
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* imas_relabel(reason): reason, the version relabelled counted (the
 * import's DO UPDATE, merge_build.c's sql_import). */
void merge_relabel_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct merge_db *m = sqlite3_user_data(ctx);
    m->relabeled++;
    sqlite3_result_value(ctx, argv[0]);
}

int merge_progress(void *p)
{
    struct merge_db *m = p;
    if (m->deadline_ms && input_now_ms() > m->deadline_ms) {
        m->timed_out = true;
        return 1;
    }
    return 0;
}

/* ---- outcome of a failed statement -------------------------------------- */

enum merge_db_status merge_failed(struct merge_db *m, struct error *err)
{
    int code = sqlite3_extended_errcode(m->db);
    const char *detail = sqlite3_errmsg(m->db);
    switch (code & 0xff) {
    case SQLITE_FULL:
        error_set_at(err, m->path, 0, _("the disk is full"));
        break;
    case SQLITE_READONLY:
        error_set_at(err, m->path, 0, _("file is read-only"));
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        error_set_at(err, m->path, 0,
                     _("the file is in use by another program"));
        break;
    default:
        if (m->index_failed) {
            error_set_at(err, m->path, 0,
                         _("cannot merge into it: its search index is "
                           "damaged (%s)"),
                         detail);
            break;
        }
        error_set_at(err, m->path, 0, _("cannot merge into it: %s"), detail);
    }
    return MERGE_DB_FAILED;
}

/* A statement reading the input failed: the input is refused, unless the
 * failure is the target's (full, read-only, locked). "Out of memory" while
 * reading an input comes from the input: SQLite says it for a damaged
 * schema (found by fuzz-merge, tests/data/fuzz/regressions/merge). */
enum merge_db_status merge_classify(struct merge_db *m, char **reason,
                                     struct error *err)
{
    if (*reason)
        return MERGE_DB_REFUSED;
    if (m->invalid) {
        merge_set_reason(reason, xstrdup(m->invalid));
        return MERGE_DB_REFUSED;
    }
    if (m->timed_out) {
        merge_set_reason(reason, xstrdup(_("reading it took too long; the file "
                                     "may be damaged")));
        return MERGE_DB_REFUSED;
    }
    /* the target's own index failed: not the input's fault */
    if (m->index_failed)
        return merge_failed(m, err);
    int code = sqlite3_extended_errcode(m->db);
    char *detail = merge_one_line(sqlite3_errmsg(m->db));
    switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        free(detail);
        return merge_failed(m, err);
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    /* a key twice in the input (merge_build.c's temporary tables), or
     * the target's key index refusing one of its rows */
    case SQLITE_CONSTRAINT:
        merge_set_reason(reason, xasprintf(_("the file is damaged (%s)"), detail));
        break;
    case SQLITE_TOOBIG:
        merge_set_reason(reason, xstrdup(_("it holds a value longer than 16 MB")));
        break;
    default:
        merge_set_reason(reason, xasprintf(_("cannot read it: %s"), detail));
    }
    free(detail);
    return MERGE_DB_REFUSED;
}

