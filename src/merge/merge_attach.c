#include "config.h"

#include "merge/merge_attach.h"
#include "merge/merge_int.h"

#include "core/i18n.h"
#include "core/media.h"
#include "core/sha256.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* imas_sha256(blob): the hex SHA-256 of a blob's bytes; NULL for another
 * type, so a text smuggled into the data column never matches. */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_null(ctx);
        return;
    }
    const void *b = sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    char hex[MEDIA_HASH_HEX + 1];
    sha256_hex(b ? b : "", (size_t)n, hex);
    sqlite3_result_text(ctx, hex, MEDIA_HASH_HEX, SQLITE_TRANSIENT);
}

/* imas_attach_bad(value): 1 when value names an attachment ("HEX NAME")
 * whose name is not one plain file name. Ours never is: the store keeps
 * the last path component, control characters replaced. */
static void sql_attach_bad(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    char hex[MEDIA_HASH_HEX + 1];
    const char *name;
    int bad = 0;
    if (v && media_value_parse(v, hex, &name)) {
        bad = !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
              strchr(name, '/') != NULL;
        for (const unsigned char *p = (const unsigned char *)name; *p && !bad; p++)
            bad = *p < 0x20 || *p == 0x7f;
    }
    sqlite3_result_int(ctx, bad);
}

static const char new_sql[] =
    "FROM src.attachments s WHERE NOT EXISTS (SELECT 1 FROM main.attachments t "
    "WHERE t.sha256 = s.sha256)";

/* The first row of sql (one text column) into *out (fresh), or NULL. */
static bool first_text(struct merge_db *m, const char *sql, char **out)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        *out = xstrdup(t ? t : "");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static bool check(struct merge_db *m, char **reason)
{
    /* every one, also those the target has: a changed copy of a file is
     * hostile whatever else it holds (as quick_check, it reads them all) */
    char *sql = xasprintf("SELECT s.sha256 FROM src.attachments s WHERE s.size IS NOT "
                          "length(s.data) OR s.size > %d OR imas_sha256(s.data) IS NOT "
                          "s.sha256 LIMIT 1",
                          MEDIA_MAX_BYTES);
    char *key = NULL, *value = NULL;
    bool ok = first_text(m, sql, &key);
    free(sql);
    if (ok && key) {
        char *shown = merge_one_line(key);
        merge_set_reason(reason,
                         xasprintf(_("its attachment %.12s does not match its SHA-256 or size "
                                     "(changed or damaged); nothing was merged"),
                                   shown));
        free(shown);
        free(key);
        return false;
    }
    static const char *const names[] = {
        "SELECT value FROM src.answers WHERE imas_attach_bad(value) LIMIT 1",
        "SELECT value FROM src.answers_versions WHERE imas_attach_bad(value) LIMIT 1",
    };
    for (size_t i = 0; ok && i < 2 && !value; i++)
        ok = first_text(m, names[i], &value);
    if (ok && value) {
        char *shown = merge_one_line(value + MEDIA_HASH_HEX + 1);
        merge_set_reason(reason, xasprintf(_("an answer names an attached file \"%s\", which is "
                                             "not a plain file name; nothing was merged"),
                                           shown));
        free(shown);
        free(value);
        return false;
    }
    return ok;
}

bool merge_attachments(struct merge_db *m, char **reason)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function_v2(m->db, "imas_sha256", 1, flags, NULL, sql_sha256, NULL, NULL,
                                   NULL) != SQLITE_OK ||
        sqlite3_create_function_v2(m->db, "imas_attach_bad", 1, flags, NULL, sql_attach_bad,
                                   NULL, NULL, NULL) != SQLITE_OK ||
        !check(m, reason))
        return false;
    char *sql = xasprintf("INSERT INTO main.attachments(sha256, size, added_at, data) "
                          "SELECT s.sha256, s.size, %lld, s.data %s",
                          (long long)m->now, new_sql);
    bool ok = merge_exec(m, sql);
    free(sql);
    return ok;
}
