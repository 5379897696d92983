#include "config.h"

#include "store/scan.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* From schema 9 an answer names its device by number (device_ids): the
 * cursor reads the few devices once, and each row's number is looked up
 * here, not joined in SQL for each of a million rows (bench/export-bench). */
struct device_number {
    int64_t did;
    char *id;
};

struct store_cursor {
    struct store *s;
    sqlite3_stmt *st;
    bool by_number; /* schema 9: the device column is a number */
    struct device_number *dev; /* sorted by did */
    size_t ndev;
    bool reloaded;
};

/* Items that are deleted or inside a deleted item: never exported, nor
 * anything in them (a merge can bring a live child of a deleted item). */
#define DEAD_ITEMS                                                           \
    "WITH RECURSIVE dead(item_uuid, record_uuid) AS ("                      \
    "SELECT item_uuid, record_uuid FROM items WHERE deleted = 1 UNION "      \
    "SELECT c.item_uuid, c.record_uuid FROM items c JOIN dead d ON "        \
    "c.record_uuid = d.record_uuid AND c.parent_uuid = d.item_uuid) "

/* Every query returns these twelve columns (struct store_row); the
 * answer's, for s's schema: from schema 9 a record's answers are read
 * from answer_rows by its number (a LEFT JOIN cannot see through the view
 * `answers`: SQLite would make a copy of it for every scan). */
#define ROW_ANSWER_WITH(device)                                              \
    "a.field, a.value, a.revision, a.updated_at, " device ", a.author"
#define ROW_ANSWER ROW_ANSWER_WITH("a.device_id")
#define ROW_ANSWER_V9 ROW_ANSWER_WITH("a.did")

/* "SELECT <head> <answer columns> <mid> LEFT JOIN <a's table> a ON <a's
 * record is r> <on>"; from schema 9 the device's number (struct
 * device_number) */
static void add_left_answers(struct strbuf *sql, const struct store *s,
                             const char *head, const char *mid,
                             const char *on)
{
    bool v9 = s->schema_version >= 9;
    strbuf_addf(sql, "%s%s%s LEFT JOIN %s%s", head,
                v9 ? ROW_ANSWER_V9 : ROW_ANSWER, mid,
                v9 ? "answer_rows a ON a.rid = r.rid"
                   : "answers a ON a.record_uuid = r.record_uuid",
                on);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The records of the filter: ?1 form_id, ?2 version, ?3 finalized only,
 * ?4 one record (only when the filter names one, so that the primary key
 * is used). */
static void add_filter(struct strbuf *sql, const struct store_scan_filter *f)
{
    strbuf_adds(sql, " WHERE r.form_id = ?1 AND r.form_version = ?2 AND "
                     "r.deleted = 0 AND (?3 = 0 OR r.state = 'finalized')");
    if (f->record_uuid)
        strbuf_adds(sql, " AND r.record_uuid = ?4");
}

static int cmp_did(const void *a, const void *b)
{
    int64_t x = ((const struct device_number *)a)->did,
            y = ((const struct device_number *)b)->did;
    return (x > y) - (x < y);
}

static bool devices_load(struct store_cursor *c)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->s->db,
                           "SELECT did, device_id FROM device_ids ORDER BY "
                           "did",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->ndev == cap) {
            cap = cap ? 2 * cap : 8;
            c->dev = xrealloc(c->dev, cap * sizeof *c->dev);
        }
        c->dev[c->ndev].did = sqlite3_column_int64(st, 0);
        c->dev[c->ndev++].id = db_column_dup(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE; /* in did order: the rowid's */
}

static void devices_clear(struct store_cursor *c)
{
    for (size_t i = 0; i < c->ndev; i++)
        free(c->dev[i].id);
    free(c->dev);
    c->dev = NULL;
    c->ndev = 0;
}

/* A number not read yet (a laptop that saved its first answer into the
 * file while the scan ran): the devices are read again, once. */
static const char *device_of(struct store_cursor *c, sqlite3_stmt *st,
                             int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return "";
    struct device_number key = {.did = sqlite3_column_int64(st, col)};
    const struct device_number *d =
        c->ndev ? bsearch(&key, c->dev, c->ndev, sizeof *c->dev, cmp_did)
                : NULL;
    if (!d && !c->reloaded) {
        c->reloaded = true;
        devices_clear(c);
        (void)devices_load(c); /* failing, the laptop stays unnamed */
        return device_of(c, st, col);
    }
    return d && d->id ? d->id : "";
}

static void cursor_clear(struct store_cursor *c)
{
    sqlite3_finalize(c->st);
    devices_clear(c);
    free(c);
}

static bool cursor_open(struct store *s, const struct store_scan_filter *f,
                        const char *sql, const char *extra1,
                        const char *extra2, bool by_number,
                        struct store_cursor **out, struct error *err)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_bind_text(st, 1, or_empty(f->form_id), -1,
                          SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, or_empty(f->form_version), -1,
                          SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, f->finalized_only) != SQLITE_OK ||
        (f->record_uuid && sqlite3_bind_text(st, 4, f->record_uuid, -1,
                                             SQLITE_TRANSIENT) != SQLITE_OK) ||
        (extra1 && sqlite3_bind_text(st, 5, extra1, -1, SQLITE_TRANSIENT) !=
                       SQLITE_OK) ||
        (extra2 && sqlite3_bind_text(st, 6, extra2, -1, SQLITE_TRANSIENT) !=
                       SQLITE_OK))
        goto fail;
    struct store_cursor *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->st = st;
    c->by_number = by_number;
    if (by_number && !devices_load(c)) {
        c->st = NULL;
        cursor_clear(c);
        goto fail;
    }
    *out = c;
    return true;
fail:
    db_fail(s->db, s->path, err);
    sqlite3_finalize(st);
    return false;
}

/* by_number: the rows' device column is schema 9's number */
static bool open_built(struct store *s, const struct store_scan_filter *f,
                       struct strbuf *sql, const char *extra1,
                       const char *extra2, bool by_number,
                       struct store_cursor **out, struct error *err)
{
    bool ok = cursor_open(s, f, sql->buf, extra1, extra2, by_number, out,
                          err);
    strbuf_free(sql);
    return ok;
}

bool store_scan_records(struct store *s, const struct store_scan_filter *f,
                        struct store_cursor **out, struct error *err)
{
    struct strbuf sql;
    strbuf_init(&sql);
    add_left_answers(&sql, s,
                     "SELECT r.record_uuid, r.state, r.created_at, '', '', ",
                     ", 0 FROM records r",
                     " AND a.item_uuid = '' AND a.deleted = 0");
    add_filter(&sql, f);
    strbuf_adds(&sql, " ORDER BY r.record_uuid, a.field");
    return open_built(s, f, &sql, NULL, NULL, s->schema_version >= 9, out,
                      err);
}

bool store_scan_items(struct store *s, const struct store_scan_filter *f,
                      const char *repeat_path, struct store_cursor **out,
                      struct error *err)
{
    struct strbuf sql;
    strbuf_init(&sql);
    /* CROSS JOIN: records lead, in their order, so that only each
     * record's items are sorted and rows come as the scan goes (not after
     * a sort of the whole table, spilled to temporary files), and a
     * caller can read it alongside store_scan_answers. */
    add_left_answers(&sql, s,
                     DEAD_ITEMS "SELECT r.record_uuid, r.state, r.created_at, "
                                "i.parent_uuid, i.item_uuid, ",
                     ", 0 FROM records r CROSS JOIN items i ON "
                     "i.record_uuid = r.record_uuid AND i.repeat_path = ?5 "
                     "AND i.deleted = 0",
                     " AND a.item_uuid = i.item_uuid AND a.deleted = 0");
    add_filter(&sql, f);
    strbuf_adds(&sql, " AND i.item_uuid NOT IN (SELECT item_uuid FROM dead) "
                      "ORDER BY r.record_uuid, i.created_at, i.device_id, "
                      "i.item_uuid, a.field");
    return open_built(s, f, &sql, or_empty(repeat_path), NULL,
                      s->schema_version >= 9, out, err);
}

bool store_scan_answers(struct store *s, const struct store_scan_filter *f,
                        struct store_cursor **out, struct error *err)
{
    struct strbuf sql;
    strbuf_init(&sql);
    add_left_answers(&sql, s,
                     DEAD_ITEMS "SELECT r.record_uuid, r.state, r.created_at, "
                                "'', COALESCE(a.item_uuid, ''), ",
                     ", 0 FROM records r",
                     " AND a.deleted = 0 AND (a.item_uuid = '' OR "
                     "(a.item_uuid NOT IN (SELECT item_uuid FROM dead) AND "
                     "EXISTS (SELECT 1 FROM items i WHERE "
                     "i.item_uuid = a.item_uuid AND "
                     "i.record_uuid = r.record_uuid)))");
    add_filter(&sql, f);
    strbuf_adds(&sql, " ORDER BY r.record_uuid, a.item_uuid, a.field");
    return open_built(s, f, &sql, NULL, NULL, s->schema_version >= 9, out,
                      err);
}

bool store_scan_value_counts(struct store *s,
                             const struct store_scan_filter *f,
                             const char *repeat_path, const char *field,
                             struct store_cursor **out, struct error *err)
{
    struct strbuf sql;
    strbuf_init(&sql);
    strbuf_adds(&sql, DEAD_ITEMS
                "SELECT r.record_uuid, r.state, r.created_at, '', '', "
                "a.field, a.value, 0, 0, '', '', count(*) FROM records r "
                "JOIN items i ON i.record_uuid = r.record_uuid AND "
                "i.repeat_path = ?5 AND i.deleted = 0 "
                "JOIN answers a ON a.record_uuid = i.record_uuid AND "
                "a.item_uuid = i.item_uuid AND a.field = ?6 AND "
                "a.deleted = 0");
    add_filter(&sql, f);
    strbuf_adds(&sql, " AND i.item_uuid NOT IN (SELECT item_uuid FROM dead) "
                      "GROUP BY r.record_uuid, a.value "
                      "ORDER BY r.record_uuid, a.value");
    return open_built(s, f, &sql, or_empty(repeat_path), or_empty(field),
                      false, out, err);
}

static const char *text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

int store_cursor_next(struct store_cursor *c, struct store_row *row,
                      struct error *err)
{
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        db_fail(c->s->db, c->s->path, err);
        return -1;
    }
    sqlite3_stmt *st = c->st;
    row->record_uuid = or_empty(text(st, 0));
    row->state = or_empty(text(st, 1));
    row->created_at = sqlite3_column_int64(st, 2);
    row->parent_uuid = or_empty(text(st, 3));
    row->item_uuid = or_empty(text(st, 4));
    row->field = text(st, 5);
    row->value = row->field ? text(st, 6) : NULL;
    row->value_len = row->value ? (size_t)sqlite3_column_bytes(st, 6) : 0;
    row->revision = sqlite3_column_int64(st, 7);
    row->updated_at = sqlite3_column_int64(st, 8);
    row->device_id =
        c->by_number ? device_of(c, st, 9) : or_empty(text(st, 9));
    row->author = or_empty(text(st, 10));
    row->count = sqlite3_column_int64(st, 11);
    return 1;
}

void store_cursor_free(struct store_cursor **c)
{
    if (!*c)
        return;
    cursor_clear(*c);
    *c = NULL;
}

bool store_scan_forms(struct store *s, bool finalized_only,
                      struct store_form_use **out, size_t *n,
                      struct error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = SQLITE_ERROR;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT form_id, form_version, count(*) FROM "
                           "records WHERE deleted = 0 AND (?1 = 0 OR "
                           "state = 'finalized') GROUP BY form_id, "
                           "form_version ORDER BY form_id, form_version",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int(st, 1, finalized_only) != SQLITE_OK)
        goto cleanup;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = (struct store_form_use){
            .form_id = xstrdup(or_empty(text(st, 0))),
            .form_version = xstrdup(or_empty(text(st, 1))),
            .records = sqlite3_column_int64(st, 2),
        };
    }
cleanup:
    if (rc != SQLITE_DONE) {
        db_fail(s->db, s->path, err);
        store_form_uses_free(out, *n);
        *n = 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

void store_form_uses_free(struct store_form_use **list, size_t n)
{
    if (!*list)
        return;
    for (size_t i = 0; i < n; i++) {
        free((*list)[i].form_id);
        free((*list)[i].form_version);
    }
    xfree(list);
}

bool store_read_begin(struct store *s, struct error *err)
{
    return db_exec(s->db, s->path, "BEGIN", err);
}

void store_read_end(struct store *s)
{
    /* A read transaction has nothing to commit; ending it cannot lose
     * anything, so its result does not matter. */
    (void)sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}
