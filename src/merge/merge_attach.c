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

char *merge_attach_bad_name(const char *value)
{
    char hex[MEDIA_HASH_HEX + 1];
    const char *name;
    if (!value || !media_value_parse(value, hex, &name))
        return NULL;
    int bad = !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
              strchr(name, '/') != NULL;
    for (const unsigned char *p = (const unsigned char *)name; *p && !bad; p++)
        bad = *p < 0x20 || *p == 0x7f;
    if (!bad)
        return NULL;
    char *shown = merge_one_line(name);
    char *msg = xasprintf(_("an answer names an attached file \"%s\", which is "
                            "not a plain file name; nothing was merged"),
                          shown);
    free(shown);
    return msg;
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
    char *key = NULL;
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
    return ok;
}

bool merge_attachments(struct merge_db *m, char **reason)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function_v2(m->db, "imas_sha256", 1, flags, NULL, sql_sha256, NULL, NULL,
                                   NULL) != SQLITE_OK ||
        !check(m, reason))
        return false;
    char *sql = xasprintf("INSERT INTO main.attachments(sha256, size, added_at, data) "
                          "SELECT s.sha256, s.size, %lld, s.data %s",
                          (long long)m->now, new_sql);
    bool ok = merge_exec(m, sql);
    free(sql);
    return ok;
}
