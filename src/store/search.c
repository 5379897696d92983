#include "config.h"

#include "store/answers.h"

#include "core/fold.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Text search over the answers (answers.h): the query side of the lean
 * index (store/search_index.h). */

static void add_phrase(struct strbuf *sb, const char *w, size_t n)
{
    strbuf_addc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '"')
            strbuf_addc(sb, '"');
        strbuf_addc(sb, w[i]);
    }
    strbuf_adds(sb, "\"*");
}

/* Each word as a quoted FTS5 prefix phrase, so no input is a syntax
 * error, folded as the index is (core/fold.h), or with typed_too also as
 * typed, which finds what an index written before folding holds (an
 * older file opened read-only): «Žłob "x» becomes «("zlob"* OR "Žłob"*)
 * AND """x"*». */
static char *fts_query(const char *query, bool typed_too)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const char *p = query;
    while (*p) {
        while (*p && strchr(" \t\r\n", *p))
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \t\r\n");
        char *word = xstrndup(p, n);
        char *folded = fold_text(word);
        bool same = !typed_too || strcmp(word, folded) == 0;
        if (sb.len) /* FTS5 takes no implicit AND after a parenthesis */
            strbuf_adds(&sb, " AND ");
        if (!same)
            strbuf_addc(&sb, '(');
        add_phrase(&sb, folded, strlen(folded));
        if (!same) {
            strbuf_adds(&sb, " OR ");
            add_phrase(&sb, word, n);
            strbuf_addc(&sb, ')');
        }
        free(folded);
        free(word);
        p += n;
    }
    return strbuf_detach(&sb);
}

bool store_search(struct store *s, const char *query,
                  bool (*cb)(void *ctx, const char *record_uuid,
                             const char *item_uuid, const char *field,
                             const char *value),
                  void *ctx, struct error *err)
{
    return store_search_top(s, query, NULL, 0, cb, ctx, err);
}

bool store_search_in(struct store *s, const char *query, const char *fields_json,
                     bool (*cb)(void *ctx, const char *record_uuid,
                                const char *item_uuid, const char *field,
                                const char *value),
                     void *ctx, struct error *err)
{
    return store_search_top(s, query, fields_json, 0, cb, ctx, err);
}

/* The hits: an entry's id is its answer's rowid (schema 8); through
 * search_map in schemas 4 to 7, the answers_fts of an older file still
 * (those are opened read-only). ?1 the match, ?2 the fields (JSON, or
 * NULL), ?3 at most this many rows (-1: all); in index order, ?4 the id
 * after which to start (FTS5 seeks to it: a page costs what its rows
 * cost), in the legacy table ?4 rows skipped. */
#define HITS_SQL(after, order)                                              \
    "SELECT a.record_uuid, a.item_uuid, a.field, a.value, f.rowid "         \
    "FROM search f JOIN answers a ON a.rowid = f.rowid "                    \
    "JOIN records r ON r.record_uuid = a.record_uuid "                      \
    "LEFT JOIN items i ON i.item_uuid = a.item_uuid "                       \
    "WHERE search MATCH ?1 AND a.deleted = 0 AND r.deleted = 0 AND "        \
    "COALESCE(i.deleted, 0) = 0 AND "                                       \
    "(?2 IS NULL OR a.field IN (SELECT value FROM json_each(?2))) "         \
    after order " LIMIT ?3"

#define MAPPED_HITS_SQL(after, order)                                       \
    "SELECT p.record_uuid, p.item_uuid, p.field, a.value, f.rowid "         \
    "FROM search f JOIN search_map p ON p.id = f.rowid "                    \
    "JOIN records r ON r.record_uuid = p.record_uuid "                      \
    "JOIN answers a ON a.record_uuid = p.record_uuid AND "                  \
    "a.item_uuid = p.item_uuid AND a.field = p.field "                      \
    "LEFT JOIN items i ON i.item_uuid = p.item_uuid "                       \
    "WHERE search MATCH ?1 AND r.deleted = 0 AND "                          \
    "COALESCE(i.deleted, 0) = 0 AND "                                       \
    "(?2 IS NULL OR p.field IN (SELECT value FROM json_each(?2))) "         \
    after order " LIMIT ?3"

static sqlite3_stmt *hits_stmt(struct store *s, bool ranked,
                               struct error *err)
{
    if (s->schema_version < 4)
        return db_stmt(
            s, DB_SEARCH_LEGACY,
            "SELECT f.record_uuid, f.item_uuid, f.field, a.value, f.rowid "
            "FROM answers_fts f JOIN records r ON r.record_uuid = "
            "f.record_uuid JOIN answers a ON a.record_uuid = f.record_uuid "
            "AND a.item_uuid = f.item_uuid AND a.field = f.field "
            "LEFT JOIN items i ON i.item_uuid = f.item_uuid "
            "WHERE answers_fts MATCH ?1 AND r.deleted = 0 AND "
            "COALESCE(i.deleted, 0) = 0 AND "
            "(?2 IS NULL OR f.field IN (SELECT value FROM json_each(?2))) "
            "ORDER BY f.rank LIMIT ?3 OFFSET ?4",
            err);
    if (s->schema_version < 8)
        return ranked ? db_stmt(s, DB_SEARCH_MAPPED,
                                MAPPED_HITS_SQL("AND ?4 = ?4 ",
                                                "ORDER BY f.rank"),
                                err)
                      : db_stmt(s, DB_SEARCH_MAPPED_FAST,
                                MAPPED_HITS_SQL("AND f.rowid > ?4 ",
                                                "ORDER BY f.rowid"),
                                err);
    return ranked ? db_stmt(s, DB_SEARCH, HITS_SQL("AND ?4 = ?4 ", "ORDER BY f.rank"), err)
                  : db_stmt(s, DB_SEARCH_FAST,
                            HITS_SQL("AND f.rowid > ?4 ", "ORDER BY f.rowid"), err);
}

/* Rows of one hit each (4 columns) and their ids. */
struct rows {
    char **v;
    int64_t *id;
    size_t n;
};

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < 4 * r->n; i++)
        free(r->v[i]);
    free(r->v);
    free(r->id);
}

/* Run the hits query into keep. */
static bool run_hits(struct store *s, sqlite3_stmt *st, const char *match,
                     const char *fields_json, int64_t limit, int64_t after,
                     struct rows *keep, struct error *err)
{
    if (!st || !db_bind(s, st, err, "ttii", match, fields_json, limit, after))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        keep->v = xrealloc(keep->v, 4 * (keep->n + 1) * sizeof *keep->v);
        keep->id = xrealloc(keep->id, (keep->n + 1) * sizeof *keep->id);
        for (int i = 0; i < 4; i++) {
            const char *c = (const char *)sqlite3_column_text(st, i);
            keep->v[4 * keep->n + i] = xstrdup(c ? c : "");
        }
        keep->id[keep->n++] = sqlite3_column_int64(st, 4);
    }
    db_reset(st);
    return rc >= 0;
}

/* The first n kept rows to cb, until it says stop. */
static void deliver(const struct rows *r, size_t n,
                    bool (*cb)(void *, const char *, const char *,
                               const char *, const char *),
                    void *ctx)
{
    for (size_t i = 0; i < r->n && i < n; i++) {
        char **v = r->v + 4 * i;
        if (!cb(ctx, v[0], v[1], v[2], v[3]))
            break;
    }
}

bool store_search_next(struct store *s, const char *query,
                       const char *fields_json, size_t limit,
                       struct store_search_page *pg,
                       bool (*cb)(void *ctx, const char *record_uuid,
                                  const char *item_uuid, const char *field,
                                  const char *value),
                       void *ctx, struct error *err)
{
    if (!query || !utf8_valid(query, strlen(query)))
        return error_set_at(err, s->path, 0,
                            _("the search is not valid UTF-8 text"));
    char *match = fts_query(query, s->schema_version < 4);
    bool ok = true;
    struct rows r = {0};
    bool first = pg->after == 0 && pg->read == 0;
    pg->more = false;
    if (!*match)
        goto cleanup;
    bool legacy = s->schema_version < 4;
    /* Ranking scores every match before the first row comes: a word's
     * first letter matches tens of thousands of notes, 5-8 times the
     * cost of reading them. So limit + 1 hits are read in index order
     * from where the last page ended (one more tells whether more
     * follow), and only a first page that is all of them is ranked. */
    int64_t want = limit ? (int64_t)limit + 1 : -1;
    if (legacy)
        ok = run_hits(s, hits_stmt(s, true, err), match, fields_json, want,
                      (int64_t)pg->read, &r, err);
    else
        /* the first page from the least id: a damaged or hostile file
         * may hold answers under rowids of 0 and below */
        ok = run_hits(s, hits_stmt(s, !limit, err), match, fields_json,
                      want, first ? INT64_MIN : pg->after, &r, err);
    if (!ok)
        goto cleanup;
    pg->more = limit && r.n > limit;
    size_t n = pg->more ? limit : r.n;
    pg->read += n;
    if (n)
        pg->after = r.id[n - 1];
    if (!pg->more && first && limit && !legacy && r.n > 1) {
        rows_free(&r);
        r = (struct rows){0};
        ok = run_hits(s, hits_stmt(s, true, err), match, fields_json, -1,
                      0, &r, err);
        if (!ok)
            goto cleanup;
        pg->ranked = true;
    }
    deliver(&r, n, cb, ctx);
cleanup:
    rows_free(&r);
    free(match);
    return ok;
}

bool store_search_top(struct store *s, const char *query,
                      const char *fields_json, size_t limit,
                      bool (*cb)(void *ctx, const char *record_uuid,
                                 const char *item_uuid, const char *field,
                                 const char *value),
                      void *ctx, struct error *err)
{
    struct store_search_page pg = {0};
    return store_search_next(s, query, fields_json, limit, &pg, cb, ctx,
                             err);
}

char *store_search_fields(const char *const *paths, size_t n)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addc(&sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_addc(&sb, ',');
        strbuf_addc(&sb, '"');
        for (const char *c = paths[i]; *c; c++) {
            unsigned char u = (unsigned char)*c;
            if (u == '"' || u == '\\')
                strbuf_addf(&sb, "\\%c", u);
            else if (u < 0x20)
                strbuf_addf(&sb, "\\u%04x", u);
            else
                strbuf_addc(&sb, (char)u);
        }
        strbuf_addc(&sb, '"');
    }
    strbuf_addc(&sb, ']');
    return strbuf_detach(&sb);
}
