#include "config.h"

#include "store/answers.h"

#include "core/fold.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/db.h"

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

/* The hits: ids to answer keys through search_map (schema 4), the
 * answers_fts of an older file opened read-only. ?1 the match, ?2 the
 * fields (JSON, or NULL), ?3 at most this many rows (-1: all). */
#define HITS_SQL(order)                                                     \
    "SELECT p.record_uuid, p.item_uuid, p.field, a.value "                  \
    "FROM search f JOIN search_map p ON p.id = f.rowid "                    \
    "JOIN records r ON r.record_uuid = p.record_uuid "                      \
    "JOIN answers a ON a.record_uuid = p.record_uuid AND "                  \
    "a.item_uuid = p.item_uuid AND a.field = p.field "                      \
    "LEFT JOIN items i ON i.item_uuid = p.item_uuid "                       \
    "WHERE search MATCH ?1 AND r.deleted = 0 AND "                          \
    "COALESCE(i.deleted, 0) = 0 AND "                                       \
    "(?2 IS NULL OR p.field IN (SELECT value FROM json_each(?2))) "         \
    order " LIMIT ?3"

static sqlite3_stmt *hits_stmt(struct store *s, bool ranked,
                               struct error *err)
{
    if (s->schema_version < 4)
        return db_stmt(
            s, DB_SEARCH_LEGACY,
            "SELECT f.record_uuid, f.item_uuid, f.field, a.value "
            "FROM answers_fts f JOIN records r ON r.record_uuid = "
            "f.record_uuid JOIN answers a ON a.record_uuid = f.record_uuid "
            "AND a.item_uuid = f.item_uuid AND a.field = f.field "
            "LEFT JOIN items i ON i.item_uuid = f.item_uuid "
            "WHERE answers_fts MATCH ?1 AND r.deleted = 0 AND "
            "COALESCE(i.deleted, 0) = 0 AND "
            "(?2 IS NULL OR f.field IN (SELECT value FROM json_each(?2))) "
            "ORDER BY f.rank LIMIT ?3",
            err);
    return ranked ? db_stmt(s, DB_SEARCH, HITS_SQL("ORDER BY f.rank"), err)
                  : db_stmt(s, DB_SEARCH_FAST, HITS_SQL(""), err);
}

/* Rows of one hit each (4 columns), kept while deciding whether to rank. */
struct rows {
    char **v;
    size_t n;
};

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < 4 * r->n; i++)
        free(r->v[i]);
    free(r->v);
}

/* Run the hits query: each row to cb (until it says stop), or into keep
 * when keep is given. */
static bool run_hits(struct store *s, sqlite3_stmt *st, const char *match,
                     const char *fields_json, int64_t limit,
                     bool (*cb)(void *, const char *, const char *,
                                const char *, const char *),
                     void *ctx, struct rows *keep, struct error *err)
{
    if (!st || !db_bind(s, st, err, "tti", match, fields_json, limit))
        return false;
    int rc;
    while ((rc = db_step(s, st, err)) == SQLITE_ROW) {
        const char *c[4];
        for (int i = 0; i < 4; i++)
            c[i] = (const char *)sqlite3_column_text(st, i);
        if (keep) {
            keep->v = xrealloc(keep->v, 4 * (keep->n + 1) * sizeof *keep->v);
            for (int i = 0; i < 4; i++)
                keep->v[4 * keep->n + i] = xstrdup(c[i] ? c[i] : "");
            keep->n++;
        } else if (!cb(ctx, c[0], c[1], c[2], c[3])) {
            break;
        }
    }
    db_reset(st);
    return rc >= 0;
}

bool store_search_top(struct store *s, const char *query,
                      const char *fields_json, size_t limit,
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
    struct rows first = {0};
    if (!*match)
        goto cleanup;
    /* Ranking scores every match before the first row comes: a word's
     * first letter matches tens of thousands of notes, 5-8 times the
     * cost of reading them. So the first limit + 1 hits are read in
     * index order, and only when that is all of them are they ranked. */
    if (limit && s->schema_version >= 4) {
        ok = run_hits(s, hits_stmt(s, false, err), match, fields_json,
                      (int64_t)limit + 1, NULL, NULL, &first, err);
        if (!ok || first.n <= limit)
            goto ranked;
        for (size_t i = 0; i < limit; i++) {
            char **r = first.v + 4 * i;
            if (!cb(ctx, r[0], r[1], r[2], r[3]))
                break;
        }
        goto cleanup;
    }
ranked:
    ok = ok && run_hits(s, hits_stmt(s, true, err), match, fields_json,
                        limit ? (int64_t)limit : -1, cb, ctx, NULL, err);
cleanup:
    rows_free(&first);
    free(match);
    return ok;
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
