#include "config.h"

#include "export/tables.h"

#include "export/media.h"

#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Check for a stop request every so many rows. */
#define STOP_EVERY 4096

struct out_file *export_open(struct export_ctx *x, const char *base,
                             struct error *err)
{
    bool json = x->o->format == EXPORT_JSON;
    char *name = xasprintf("%s.%s", base, json ? "json" : "csv");
    struct out_file *f = out_open(x->set, x->dir, name, x->o->bom && !json, err);
    free(name);
    return f;
}

const char *export_field_name(const struct export_ctx *x, const char *path)
{
    return x->layout ? layout_name(x->layout, path) : path;
}

/* ---- one row of a wide or repeat table, gathered from its answers ----- */

struct rowbuf {
    struct strbuf arena; /* the values, one after the other */
    size_t *off, *len;
    bool *set;
    size_t ncols;
    struct strbuf record, parent, item, state;
    int64_t created_at;
    bool open;
};

static void rowbuf_init(struct rowbuf *b, size_t ncols)
{
    memset(b, 0, sizeof *b);
    strbuf_init(&b->arena);
    strbuf_init(&b->record);
    strbuf_init(&b->parent);
    strbuf_init(&b->item);
    strbuf_init(&b->state);
    b->ncols = ncols;
    b->off = xcalloc(ncols + 1, sizeof *b->off);
    b->len = xcalloc(ncols + 1, sizeof *b->len);
    b->set = xcalloc(ncols + 1, sizeof *b->set);
}

static void rowbuf_free(struct rowbuf *b)
{
    strbuf_free(&b->arena);
    strbuf_free(&b->record);
    strbuf_free(&b->parent);
    strbuf_free(&b->item);
    strbuf_free(&b->state);
    free(b->off);
    free(b->len);
    free(b->set);
}

static void copy_to(struct strbuf *sb, const char *s)
{
    strbuf_reset(sb);
    strbuf_adds(sb, s);
}

static void rowbuf_start(struct rowbuf *b, const struct store_row *r)
{
    strbuf_reset(&b->arena);
    memset(b->set, 0, b->ncols * sizeof *b->set);
    copy_to(&b->record, r->record_uuid);
    /* a top-level instance's parent is its record, so every table joins
     * to its parent by parent_uuid alone */
    copy_to(&b->parent, *r->parent_uuid ? r->parent_uuid : r->record_uuid);
    copy_to(&b->item, r->item_uuid);
    copy_to(&b->state, r->state);
    b->created_at = r->created_at;
    b->open = true;
}

static void rowbuf_put(struct rowbuf *b, long col, const struct store_row *r)
{
    b->off[col] = b->arena.len;
    b->len[col] = r->value_len;
    b->set[col] = true;
    strbuf_add(&b->arena, r->value, r->value_len);
}

/* ---- writing rows -------------------------------------------------------- */

struct table_writer {
    struct export_ctx *x;
    const struct layout_table *t;
    FILE *fp;
    struct csv csv;
    bool json, first;
};

static void header(struct table_writer *w)
{
    if (w->json) {
        fputs("[", w->fp);
        return;
    }
    if (!w->t->repeat_path) {
        csv_cells(&w->csv, "record_uuid");
        csv_cells(&w->csv, "state");
        csv_cells(&w->csv, "created_at");
    } else {
        csv_cells(&w->csv, "record_uuid");
        csv_cells(&w->csv, "parent_uuid");
        csv_cells(&w->csv, "item_uuid");
    }
    for (size_t i = 0; i < w->t->ncols; i++)
        csv_cells(&w->csv, w->t->cols[i].name);
    csv_end_row(&w->csv);
}

static void json_key(FILE *fp, const char *key)
{
    json_strings(fp, key);
    putc_unlocked(':', fp);
}

static void flush_json(struct table_writer *w, const struct rowbuf *b)
{
    FILE *fp = w->fp;
    fputs(w->first ? "\n{" : ",\n{", fp);
    w->first = false;
    json_key(fp, "record_uuid");
    json_strings(fp, b->record.buf);
    if (!w->t->repeat_path) {
        char when[32];
        out_time_iso(b->created_at, when);
        fputs(",", fp);
        json_key(fp, "state");
        json_strings(fp, b->state.buf);
        fputs(",", fp);
        json_key(fp, "created_at");
        json_strings(fp, when);
    } else {
        fputs(",", fp);
        json_key(fp, "parent_uuid");
        json_strings(fp, b->parent.buf);
        fputs(",", fp);
        json_key(fp, "item_uuid");
        json_strings(fp, b->item.buf);
    }
    for (size_t i = 0; i < w->t->ncols; i++) {
        fputs(",", fp);
        json_key(fp, w->t->cols[i].name);
        if (b->set[i])
            json_string(fp, b->arena.buf + b->off[i], b->len[i]);
        else
            fputs("null", fp);
    }
    fputs("}", fp);
}

static void flush_row(struct table_writer *w, struct rowbuf *b)
{
    if (!b->open)
        return;
    b->open = false;
    if (w->json) {
        flush_json(w, b);
        return;
    }
    struct csv *c = &w->csv;
    csv_cells(c, b->record.buf);
    if (!w->t->repeat_path) {
        char when[32];
        out_time_iso(b->created_at, when);
        csv_cells(c, b->state.buf);
        csv_cells(c, when);
    } else {
        csv_cells(c, b->parent.buf);
        csv_cells(c, b->item.buf);
    }
    for (size_t i = 0; i < w->t->ncols; i++)
        csv_cell(c, b->set[i] ? b->arena.buf + b->off[i] : "",
                 b->set[i] ? b->len[i] : 0);
    csv_end_row(c);
}

static bool same_group(const struct rowbuf *b, const struct store_row *r,
                       bool repeat)
{
    if (!b->open)
        return false;
    return repeat ? strcmp(b->item.buf, r->item_uuid) == 0
                  : strcmp(b->record.buf, r->record_uuid) == 0;
}

/* ---- repeat tables, written alongside the long table ---------------------
 *
 * Each repeat's rows come from a cursor of their own, ordered by record
 * like the long table's; the cursor is moved on to the record the long
 * pass has reached, so its look-ups find the record's pages still in
 * SQLite's cache (in a pass of their own they read the whole file again). */

struct repeat {
    struct table_writer w;
    struct rowbuf b;
    struct layout_match m;
    struct store_cursor *cur;
    struct store_row r;
    int rc; /* 1: r is the next row; 0 at the end; -1 failed */
    int64_t n;
};

static bool repeat_open(struct export_ctx *x, const struct layout_table *t,
                        struct repeat *rp, struct error *err)
{
    memset(rp, 0, sizeof *rp);
    struct out_file *f = export_open(x, t->name, err);
    if (!f || !store_scan_items(x->s, &x->filter, t->repeat_path, &rp->cur, err))
        return false;
    rp->w = (struct table_writer){.x = x, .t = t, .fp = f->fp,
                                  .json = x->o->format == EXPORT_JSON, .first = true};
    csv_init(&rp->w.csv, f->fp, !x->o->raw);
    header(&rp->w);
    rowbuf_init(&rp->b, t->ncols);
    rp->rc = store_cursor_next(rp->cur, &rp->r, err);
    return rp->rc >= 0;
}

/* Write the rows of records up to `record` (all of them for NULL). */
static bool repeat_advance(struct repeat *rp, const char *record,
                           struct error *err)
{
    struct export_ctx *x = rp->w.x;
    const struct layout_table *t = rp->w.t;
    while (rp->rc == 1 &&
           (!record || strcmp(rp->r.record_uuid, record) <= 0)) {
        if (++rp->n % STOP_EVERY == 0 && out_stopped(x->set, err)) {
            rp->rc = -1;
            return false;
        }
        if (!same_group(&rp->b, &rp->r, true)) {
            flush_row(&rp->w, &rp->b);
            rowbuf_start(&rp->b, &rp->r);
            layout_match_reset(&rp->m, t);
        }
        long col = rp->r.field ? layout_match(&rp->m, rp->r.field) : -1;
        const char *media = NULL;
        if (col >= 0 && !export_media_of(x, &rp->r, &media, err)) {
            rp->rc = -1;
            return false;
        }
        struct store_row cell = rp->r;
        if (media) {
            cell.value = media;
            cell.value_len = strlen(media);
        }
        if (col >= 0)
            rowbuf_put(&rp->b, col, &cell);
        rp->rc = store_cursor_next(rp->cur, &rp->r, err);
    }
    return rp->rc >= 0;
}

/* The rest of the rows, and the table's end; frees rp. */
static bool repeat_close(struct repeat *rp, bool ok, struct error *err)
{
    if (rp->cur && ok && (ok = repeat_advance(rp, NULL, err))) {
        flush_row(&rp->w, &rp->b);
        if (rp->w.json)
            fputs(rp->w.first ? "]\n" : "\n]\n", rp->w.fp);
    }
    if (rp->cur)
        rowbuf_free(&rp->b);
    store_cursor_free(&rp->cur);
    return ok;
}

struct repeats {
    struct repeat *list;
    size_t n;
};

/* A stream per repeat table (the wide table, [0], is not one). */
static bool repeats_open(struct export_ctx *x, struct repeats *rs,
                         struct error *err)
{
    size_t n = x->layout ? x->layout->ntables : 0;
    rs->list = n > 1 ? xcalloc(n - 1, sizeof *rs->list) : NULL;
    rs->n = 0;
    for (size_t i = 1; i < n; i++) {
        bool ok = repeat_open(x, &x->layout->tables[i], &rs->list[rs->n], err);
        rs->n++;
        if (!ok)
            return false;
    }
    return true;
}

static bool repeats_advance(struct repeats *rs, const char *record,
                            struct error *err)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!repeat_advance(&rs->list[i], record, err))
            return false;
    return true;
}

static bool repeats_close(struct repeats *rs, bool ok, struct error *err)
{
    for (size_t i = 0; i < rs->n; i++)
        ok = repeat_close(&rs->list[i], ok, err);
    free(rs->list);
    rs->list = NULL;
    rs->n = 0;
    return ok;
}

/* ---- the long table ------------------------------------------------------ */

static void long_header(struct csv *c)
{
    static const char *const cols[] = {"record_uuid", "item_uuid", "field",
                                       "value", "revision", "updated_at",
                                       "device_id", "author"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        csv_cells(c, cols[i]);
    csv_end_row(c);
}

static void long_json(FILE *fp, const struct export_ctx *x,
                      const struct store_row *r, const char *when, bool first)
{
    fputs(first ? "\n{" : ",\n{", fp);
    json_key(fp, "record_uuid");
    json_strings(fp, r->record_uuid);
    fputs(",", fp);
    json_key(fp, "item_uuid");
    json_strings(fp, r->item_uuid);
    fputs(",", fp);
    json_key(fp, "field");
    json_strings(fp, export_field_name(x, r->field));
    fputs(",", fp);
    json_key(fp, "value");
    json_string(fp, r->value ? r->value : "", r->value_len);
    fprintf(fp, ",\"revision\":%lld,", (long long)r->revision);
    json_key(fp, "updated_at");
    json_strings(fp, when);
    fputs(",", fp);
    json_key(fp, "device_id");
    json_strings(fp, r->device_id);
    fputs(",", fp);
    json_key(fp, "author");
    json_strings(fp, r->author);
    fputs("}", fp);
}

static void long_csv(struct csv *c, const struct export_ctx *x,
                     const struct store_row *r, const char *when)
{
    csv_cells(c, r->record_uuid);
    csv_cells(c, r->item_uuid);
    csv_cells(c, export_field_name(x, r->field));
    csv_cell(c, r->value ? r->value : "", r->value_len);
    csv_int(c, r->revision);
    csv_cells(c, when);
    csv_cells(c, r->device_id);
    csv_cells(c, r->author);
    csv_end_row(c);
}

/* The wide table, written from the long table's rows as they pass. */
struct wide {
    struct table_writer w;
    struct rowbuf b;
    struct layout_match m;
    bool on;
};

static bool wide_begin(struct export_ctx *x, struct wide *wd, struct error *err)
{
    memset(wd, 0, sizeof *wd);
    if (!x->layout)
        return true;
    const struct layout_table *t = &x->layout->tables[0];
    struct out_file *f = export_open(x, t->name, err);
    if (!f)
        return false;
    wd->w = (struct table_writer){.x = x, .t = t, .fp = f->fp,
                                  .json = x->o->format == EXPORT_JSON, .first = true};
    csv_init(&wd->w.csv, f->fp, !x->o->raw);
    header(&wd->w);
    rowbuf_init(&wd->b, t->ncols);
    wd->on = true;
    return true;
}

static void wide_row(struct wide *wd, const struct store_row *r)
{
    if (!wd->on)
        return;
    if (!same_group(&wd->b, r, false)) {
        flush_row(&wd->w, &wd->b);
        rowbuf_start(&wd->b, r);
        layout_match_reset(&wd->m, wd->w.t);
        wd->w.x->records++;
    }
    long col = r->field && !*r->item_uuid ? layout_match(&wd->m, r->field) : -1;
    if (col >= 0)
        rowbuf_put(&wd->b, col, r);
}

static void wide_end(struct wide *wd)
{
    if (!wd->on)
        return;
    flush_row(&wd->w, &wd->b);
    if (wd->w.json)
        fputs(wd->w.first ? "]\n" : "\n]\n", wd->w.fp);
    rowbuf_free(&wd->b);
}

bool export_long(struct export_ctx *x, struct error *err)
{
    struct repeats rs;
    if (!repeats_open(x, &rs, err))
        return repeats_close(&rs, false, err);
    struct wide wd;
    if (!wide_begin(x, &wd, err))
        return repeats_close(&rs, false, err);
    struct out_file *f = export_open(x, "long", err);
    struct store_cursor *cur = NULL;
    if (!f || !store_scan_answers(x->s, &x->filter, &cur, err)) {
        wide_end(&wd);
        return repeats_close(&rs, false, err);
    }
    bool json = x->o->format == EXPORT_JSON;
    struct csv c;
    csv_init(&c, f->fp, !x->o->raw);
    if (json)
        fputs("[", f->fp);
    else
        long_header(&c);
    struct store_row r;
    struct strbuf at; /* the record reached */
    strbuf_init(&at);
    int rc;
    int64_t n = 0, seen = 0;
    while ((rc = store_cursor_next(cur, &r, err)) == 1) {
        if (++seen % STOP_EVERY == 0 && out_stopped(x->set, err)) {
            rc = -1;
            break;
        }
        /* every record has a row here: the repeats catch up at each */
        if (rs.n && (!at.len || strcmp(at.buf, r.record_uuid) != 0)) {
            copy_to(&at, r.record_uuid);
            if (!repeats_advance(&rs, r.record_uuid, err)) {
                rc = -1;
                break;
            }
        }
        const char *media;
        if (!export_media_of(x, &r, &media, err)) {
            rc = -1;
            break;
        }
        if (media) { /* the cell names the exported file */
            r.value = media;
            r.value_len = strlen(media);
        }
        wide_row(&wd, &r);
        if (!r.field)
            continue; /* a record without answers */
        char when[32];
        out_time_iso(r.updated_at, when);
        if (json)
            long_json(f->fp, x, &r, when, n == 0);
        else
            long_csv(&c, x, &r, when);
        n++;
    }
    wide_end(&wd);
    if (json)
        fputs(n ? "\n]\n" : "]\n", f->fp);
    x->answers += n;
    strbuf_free(&at);
    store_cursor_free(&cur);
    return repeats_close(&rs, rc == 0, err);
}
