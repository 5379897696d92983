#include "config.h"

#include "store/check.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/conflicts.h"
#include "store/attach.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static const char counts_sql[] =
    "SELECT (SELECT count(*) FROM records), "
    "(SELECT count(*) FROM records WHERE deleted = 0 AND state = 'draft'), "
    "(SELECT count(*) FROM records WHERE deleted = 0 AND "
    "state = 'finalized'), "
    "(SELECT count(*) FROM records WHERE deleted = 1), "
    "(SELECT count(*) FROM answers WHERE deleted = 0), "
    "(SELECT count(*) FROM items WHERE deleted = 0), "
    "(SELECT count(*) FROM forms), (SELECT count(*) FROM audit), "
    "(SELECT count(*) FROM merge_log)";

/* All rows of PRAGMA quick_check, one per line. */
static bool quick_check(struct store *s, struct store_check_report *r,
                        struct error *err)
{
    sqlite3_stmt *st = NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (sb.len)
            strbuf_addc(&sb, '\n');
        strbuf_adds(&sb, line ? line : "?");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        r->quick_check = strbuf_detach(&sb);
        return true;
    }
    strbuf_free(&sb);
    /* A damaged file is a finding, not a failure to report. */
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
        r->quick_check = xstrdup(sqlite3_errstr(rc));
        return true;
    }
    return db_fail(s->db, s->path, err);
}

static bool counts(struct store *s, struct store_check_report *r,
                   struct error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t *out[] = {&r->records, &r->drafts,  &r->finalized,
                      &r->deleted_records, &r->answers, &r->items,
                      &r->forms,   &r->audit,   &r->merges};
    bool ok = sqlite3_prepare_v2(s->db, counts_sql, -1, &st, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    for (int i = 0; ok && i < (int)(sizeof out / sizeof out[0]); i++)
        *out[i] = sqlite3_column_int64(st, i);
    if (!ok)
        db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return ok;
}

static bool lost_answers(struct store *s, struct store_check_report *r,
                         struct error *err)
{
    if (r->schema_version < 9)
        return true;
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(
                  s->db,
                  "SELECT count(*) FROM answer_rows AS a WHERE NOT EXISTS "
                  "(SELECT 1 FROM records AS r WHERE r.rid = a.rid) OR NOT "
                  "EXISTS (SELECT 1 FROM device_ids AS d WHERE d.did = a.did)",
                  -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        r->lost_answers = sqlite3_column_int64(st, 0);
    else
        db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return ok;
}

static bool merge_log(struct store *s, struct store_check_report *r,
                      struct error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT source_path, source_sha256, source_db_uuid, author, "
            "merged_at, records_new, records_updated, items_new, answers_new, "
            "answers_updated, versions_kept, conflicts FROM merge_log "
            "ORDER BY merged_at, merge_uuid",
            -1, &st, NULL) != SQLITE_OK)
        return db_fail(s->db, s->path, err);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->nmerge_log == cap) {
            cap = cap ? 2 * cap : 8;
            r->merge_log = xrealloc(r->merge_log, cap * sizeof *r->merge_log);
        }
        struct store_merge_entry *e = &r->merge_log[r->nmerge_log++];
        e->source_path = db_column_dup(st, 0);
        e->source_sha256 = db_column_dup(st, 1);
        e->source_db_uuid = db_column_dup(st, 2);
        e->author = db_column_dup(st, 3);
        int64_t *nums[] = {&e->merged_at,     &e->records_new,
                           &e->records_updated, &e->items_new,
                           &e->answers_new,   &e->answers_updated,
                           &e->versions_kept, &e->conflicts};
        for (int i = 0; i < 8; i++)
            *nums[i] = sqlite3_column_int64(st, 4 + i);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || db_fail(s->db, s->path, err);
}

static bool devices(struct store *s, struct store_check_report *r,
                    struct error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT device_id, name FROM devices ORDER BY "
                           "name, device_id",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(s->db, s->path, err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r->devices = xrealloc(r->devices,
                              (r->ndevices + 1) * sizeof *r->devices);
        struct store_device *d = &r->devices[r->ndevices++];
        d->id = db_column_dup(st, 0);
        d->name = db_column_dup(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || db_fail(s->db, s->path, err);
}

static void bad_attachment(void *ctx, const char *hex, const char *problem)
{
    struct store_check_report *r = ctx;
    r->bad_attachments = xrealloc(r->bad_attachments,
                                  (r->nbad_attachments + 1) * sizeof *r->bad_attachments);
    r->bad_attachments[r->nbad_attachments++] = xasprintf("%s: %s", hex, problem);
}

static bool attachments(struct store *s, struct store_check_report *r, struct error *err)
{
    int64_t bad;
    return store_attach_check(s, &r->attachments, &bad, bad_attachment, r, err);
}

bool store_check(const char *path, struct store_check_report *r,
                 struct error *err)
{
    memset(r, 0, sizeof *r);
    struct store *s = store_open(path, STORE_READONLY | STORE_ANY_OBJECTS, err);
    if (!s)
        return false;
    bool ok = false;
    r->schema_version = store_schema_version(s);
    r->readonly_newer = r->schema_version > SCHEMA_VERSION;
    memcpy(r->db_uuid, store_db_uuid(s), UUID_STR_LEN);
    memcpy(r->device_id, store_device_id(s), UUID_STR_LEN);
    r->device_name = xstrdup(store_device_name(s));
    if (!quick_check(s, r, err))
        goto cleanup;
    if (r->readonly_newer) {
        /* Its tables may have changed: count what we can. */
        struct error ignored = ERROR_INIT;
        counts(s, r, &ignored);
        error_clear(&ignored);
        ok = true;
        goto cleanup;
    }
    r->older = r->schema_version < SCHEMA_VERSION;
    struct error problem = ERROR_INIT;
    if (!schema_verify_at(s->db, "main", NULL, r->schema_version, &problem))
        r->schema_problem = xstrdup(problem.msg ? problem.msg : "?");
    error_clear(&problem);
    ok = r->schema_problem ||
         (counts(s, r, err) && lost_answers(s, r, err) &&
          merge_log(s, r, err) &&
          (r->schema_version < 2 ||
           (devices(s, r, err) && store_conflict_count(s, &r->conflicts, err) &&
            (r->schema_version < 3 || attachments(s, r, err)))));
cleanup:
    store_close(&s);
    if (!ok)
        store_check_report_clear(r);
    return ok;
}

void store_check_report_clear(struct store_check_report *r)
{
    xfree(&r->quick_check);
    xfree(&r->schema_problem);
    for (size_t i = 0; i < r->nmerge_log; i++) {
        struct store_merge_entry *e = &r->merge_log[i];
        free(e->source_path);
        free(e->source_sha256);
        free(e->source_db_uuid);
        free(e->author);
    }
    xfree(&r->merge_log);
    r->nmerge_log = 0;
    for (size_t i = 0; i < r->ndevices; i++) {
        free(r->devices[i].id);
        free(r->devices[i].name);
    }
    xfree(&r->devices);
    r->ndevices = 0;
    for (size_t i = 0; i < r->nbad_attachments; i++)
        free(r->bad_attachments[i]);
    xfree(&r->bad_attachments);
    r->nbad_attachments = 0;
    xfree(&r->device_name);
}
