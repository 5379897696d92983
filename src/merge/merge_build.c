#include "config.h"

#include "merge/merge_int.h"

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "store/history.h"
#include "store/sql.h"

#include <stdlib.h>
#include <string.h>

static const char *const record_cols[] = {
    "record_uuid", "form_id",    "form_version", "state",  "created_at",
    "revision",    "updated_at", "device_id",    "author", "deleted",
    "parents",     NULL};
static const char *const record_vcols[] = {
    "record_uuid", "revision", "device_id", "updated_at",
    "form_id",     "form_version", "state", "created_at",
    "author",      "deleted",  "superseded_at", "reason", "parents", NULL};
static const char *const item_cols[] = {
    "item_uuid", "record_uuid", "parent_uuid", "repeat_path", "created_at",
    "revision",  "updated_at",  "device_id",   "author",      "deleted",
    "parents",   NULL};
static const char *const item_vcols[] = {
    "item_uuid",   "revision",    "device_id",  "updated_at",
    "record_uuid", "parent_uuid", "repeat_path", "created_at",
    "author",      "deleted",     "superseded_at", "reason", "parents",
    NULL};
static const char *const answer_cols[] = {
    "record_uuid", "item_uuid", "field",  "value",   "revision",
    "updated_at",  "device_id", "author", "deleted", "parents", NULL};
static const char *const answer_vcols[] = {
    "record_uuid", "item_uuid", "field",   "revision",      "device_id",
    "updated_at",  "value",     "author",  "deleted", "superseded_at",
    "reason",      "parents",   NULL};

const struct vtable merge_vtables[T_COUNT] = {
    [T_RECORDS] = {"records", record_cols, 1, "utttmrmutit",
                   "@.revision, @.updated_at, @.device_id, @.state, "
                   "@.deleted, @.form_id, @.form_version, @.created_at, "
                   "@.author, @.parents",
                   record_vcols, 4, "urumtttmtimtt", true},
    [T_ITEMS] = {"items", item_cols, 1, "uuetmrmutit",
                 "@.revision, @.updated_at, @.device_id, @.deleted, "
                 "@.record_uuid, @.parent_uuid, @.repeat_path, "
                 "@.created_at, @.author, @.parents",
                 item_vcols, 4, "urumuetmtimtt"},
    [T_ANSWERS] = {"answers", answer_cols, 3, "uetTrmutit",
                   "@.revision, @.updated_at, @.device_id, "
                   "@.value IS NOT NULL, COALESCE(@.value, ''), @.deleted, "
                   "@.author, @.parents",
                   answer_vcols, 6, "uetrumTtimtt", true, true},
};

const char *const *merge_sql_columns(const char *table)
{
    for (int t = 0; t < T_COUNT; t++) {
        const struct vtable *vt = &merge_vtables[t];
        size_t n = strlen(vt->name);
        if (strcmp(table, vt->name) == 0)
            return vt->cols;
        if (strncmp(table, vt->name, n) == 0 &&
            strcmp(table + n, "_versions") == 0)
            return vt->vcols;
    }
    return NULL;
}


/* ---- building the SQL ----------------------------------------------- */

int merge_ncols(const char *const *cols)
{
    int n = 0;
    while (cols[n])
        n++;
    return n;
}

static void add_cols(struct strbuf *sb, const char *const *cols, int n,
                     const char *alias)
{
    for (int i = 0; i < n; i++)
        strbuf_addf(sb, "%s%s%s%s", i ? ", " : "", alias ? alias : "",
                    alias ? "." : "", cols[i]);
}

/* rank with '@' as alias; with dev, a numbered row's device id is the
 * expression dev (md.device_id: the target's row, target_join; v.device_id:
 * an input's, BY_NUMBER; add_rank_cmp's: looked up only where compared). */
static void add_rank(struct strbuf *sb, const struct vtable *t,
                     const char *alias, const char *dev)
{
    static const char id[] = "@.device_id";
    strbuf_addc(sb, '(');
    for (const char *p = t->rank; *p; p++) {
        if (dev && t->numbered && strncmp(p, id, sizeof id - 1) == 0) {
            strbuf_adds(sb, dev);
            p += sizeof id - 2;
        } else if (*p == '@') {
            strbuf_adds(sb, alias);
        } else {
            strbuf_addc(sb, *p);
        }
    }
    strbuf_addc(sb, ')');
}

static void add_key_eq(struct strbuf *sb, const char *const *cols, int nkey,
                       const char *a, const char *b)
{
    for (int i = 0; i < nkey; i++)
        strbuf_addf(sb, "%s%s.%s = %s.%s", i ? " AND " : "", a, cols[i], b,
                    cols[i]);
}

/* "main.<table> AS m ON <m's key is s's>", to follow a LEFT JOIN; for a
 * numbered table the row's record (mr), the row (m, whose first column
 * is then rid) and, with device, its device (md). */
static void add_target_join(struct strbuf *sb, const struct vtable *t,
                            bool device)
{
    if (!t->numbered) {
        strbuf_addf(sb, "main.%s AS m ON ", t->name);
        add_key_eq(sb, t->cols, t->nkey, "m", "s");
        return;
    }
    strbuf_adds(sb, "main.records AS mr ON mr.record_uuid = s.record_uuid "
                    "LEFT JOIN main.answer_rows AS m ON m.rid = mr.rid");
    for (int i = 1; i < t->nkey; i++)
        strbuf_addf(sb, " AND m.%s = s.%s", t->cols[i], t->cols[i]);
    if (device)
        strbuf_adds(sb, " LEFT JOIN main.device_ids AS md ON md.did = m.did");
}

/* m's first column, NULL when the target has no row of s's key */
static const char *target_first(const struct vtable *t)
{
    return t->numbered ? "rid" : t->cols[0];
}

/* Whether the target keeps an answer's incoming version (row a, its
 * record's id from r, its device's from dv) among its versions, read
 * with the few rows taken, not once more for each: S_KNOWN and the
 * versions kept read it. A new row's (target NULL) is not looked up. */
static void add_kept(struct strbuf *sb, const char *schema, const char *a,
                     const char *r, const char *dv)
{
    strbuf_addf(sb, "EXISTS (SELECT 1 FROM %s.answers_versions AS k WHERE "
                    "k.record_uuid = %s.record_uuid AND k.item_uuid = "
                    "%s.item_uuid AND k.field = %s.field AND k.revision = "
                    "%s.revision AND k.device_id = %s.device_id AND "
                    "k.updated_at = %s.updated_at)",
                schema, r, a, a, a, dv, a);
}

static void add_known(struct strbuf *sb, const char *target, const char *a,
                      const char *r, const char *dv)
{
    strbuf_addf(sb, "CASE WHEN %s IS NULL THEN 0 ELSE ", target);
    add_kept(sb, "main", a, r, dv);
    strbuf_adds(sb, " END");
}

/* The incoming rows that are new to the target or differ from its row
 * of the same key, in one pass over the input with one look-up in the
 * target each (issue 15: the merge read every input table twice, and
 * handled each differing row with three statements of its own). Into
 * temp.merge_diff_<table>: the incoming row and how, 2 new, 1 the
 * incoming row wins, 0 the target's does. Every row of the input is
 * checked beside the merge (merge_qc.c's imas_valid scan), whose
 * transaction commits only once that check says "ok": a row that is the
 * target's column for column (most rows of a later copy) is not taken,
 * and the statements after this one use only rows it took. */
static char *sql_collect(const struct vtable *t)
{
    struct strbuf sb;
    int n = merge_ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT INTO temp.merge_diff_%s(", t->name);
    add_cols(&sb, t->cols, n, NULL);
    strbuf_adds(&sb, t->numbered ? ", how, mrow, mrid, known) SELECT "
                     : t->rowid  ? ", how, mrow) SELECT "
                                 : ", how) SELECT ");
    add_cols(&sb, t->cols, n, "s");
    strbuf_addf(&sb, ", CASE WHEN m.%s IS NULL THEN 2 WHEN ",
                target_first(t));
    add_rank(&sb, t, "s", NULL);
    strbuf_adds(&sb, " > ");
    add_rank(&sb, t, "m", "md.device_id");
    strbuf_addf(&sb, " THEN 1 ELSE 0 END%s",
                t->numbered ? ", m.rowid, mr.rid, " : t->rowid ? ", m.rowid" : "");
    if (t->numbered)
        add_known(&sb, "m.rid", "s", "s", "s");
    strbuf_addf(&sb, " FROM src.%s AS s LEFT JOIN ", t->name);
    add_target_join(&sb, t, true);
    /* one term, tested after the look-up (IS counts a REAL 5.0 the
     * INTEGER 5: merge_qc.c refuses a file whose integer columns hold
     * anything else, whatever the target holds) */
    strbuf_addf(&sb, " WHERE CASE WHEN m.%s IS NULL", target_first(t));
    for (int i = t->nkey; i < n; i++)
        strbuf_addf(&sb, " OR %s.%s IS NOT s.%s",
                    t->numbered && strcmp(t->cols[i], "device_id") == 0
                        ? "md"
                        : "m",
                    t->cols[i], t->cols[i]);
    strbuf_addf(&sb, " THEN (m.%s IS NULL OR ", target_first(t));
    add_rank(&sb, t, "s", NULL);
    strbuf_adds(&sb, " <> ");
    add_rank(&sb, t, "m", "md.device_id");
    /* a record whose form differs from the target's record's is taken
     * (and refused by S_RECORD_FORM_MOVED) also where the ranks compare
     * as unknown: a damaged target's record without a form */
    if (strcmp(t->name, "records") == 0)
        strbuf_adds(&sb, " OR s.form_id IS NOT m.form_id OR s.form_version "
                         "IS NOT m.form_version");
    strbuf_adds(&sb, ") ELSE 0 END");
    return strbuf_detach(&sb);
}

static char *sql_clear(const struct vtable *t)
{
    return xasprintf("DELETE FROM temp.merge_diff_%s", t->name);
}

/* The loser of each differing pair into <table>_versions: the incoming
 * row where the target's wins (how 0), else the target's (how 1), before
 * sql_update replaces it. ?1 = superseded_at. */
/* The reason of a version kept of the answers (a, alias of its record
 * id r and device id dv): the input's own for that version where it
 * holds it (temp.merge_versions_answers) with a reason better than
 * "merge", as sql_import's relabelling would give it; else "merge". */
static void add_keep_reason(struct strbuf *sb, const char *a, const char *r,
                            const char *dv)
{
    strbuf_addf(sb, "coalesce((SELECT min(x.reason) FROM "
                    "temp.merge_versions_answers AS x WHERE x.record_uuid = "
                    "%s.record_uuid AND x.item_uuid = %s.item_uuid AND "
                    "x.field = %s.field AND x.revision = %s.revision AND "
                    "x.device_id = %s.device_id AND x.updated_at = "
                    "%s.updated_at AND x.reason <> 'merge'), 'merge')",
                r, a, a, a, dv, a);
}

static char *sql_keep(const struct vtable *t, bool incoming)
{
    struct strbuf sb;
    int n = merge_ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT OR IGNORE INTO main.%s_versions(", t->name);
    add_cols(&sb, t->cols, n, NULL);
    strbuf_adds(&sb, ", superseded_at, reason) SELECT ");
    if (!incoming && t->numbered) {
        /* the target's row by its rowid (mrow), its device by number */
        for (int i = 0; i < n; i++)
            strbuf_addf(&sb, "%s%s.%s", i ? ", " : "",
                        strcmp(t->cols[i], "record_uuid") == 0 ? "d"
                        : strcmp(t->cols[i], "device_id") == 0 ? "md"
                                                               : "m",
                        t->cols[i]);
        strbuf_adds(&sb, ", ?1, ");
        add_keep_reason(&sb, "m", "d", "md");
        strbuf_addf(&sb, " FROM temp.merge_diff_%s AS d CROSS "
                         "JOIN main.answer_rows AS m ON m.rowid = d.mrow "
                         "CROSS JOIN main.device_ids AS md ON md.did = "
                         "m.did WHERE d.how = 1",
                    t->name);
        return strbuf_detach(&sb);
    }
    add_cols(&sb, t->cols, n, incoming ? "d" : "m");
    strbuf_adds(&sb, ", ?1, ");
    if (t->numbered)
        add_keep_reason(&sb, "d", "d", "d");
    else
        strbuf_adds(&sb, "'merge'");
    strbuf_addf(&sb, " FROM temp.merge_diff_%s AS d", t->name);
    if (incoming) {
        /* (an answer's version the target keeps is not looked up again:
         * OR IGNORE would skip it) */
        strbuf_adds(&sb, t->numbered ? " WHERE d.how = 0 AND NOT d.known"
                                     : " WHERE d.how = 0");
    } else {
        strbuf_addf(&sb, " JOIN main.%s AS m ON ", t->name);
        add_key_eq(&sb, t->cols, t->nkey, "m", "d");
        strbuf_adds(&sb, " WHERE d.how = 1");
    }
    return strbuf_detach(&sb);
}

static char *sql_keep_in(const struct vtable *t)
{
    return sql_keep(t, true);
}

static char *sql_keep_out(const struct vtable *t)
{
    return sql_keep(t, false);
}

/* A numbered table's rows from d (the columns named as in the view) into
 * main.answer_rows: the record and device by their numbers in the
 * target, r.rid and v.did of joins (" FROM ... AS d ..."): BY_UUID, the
 * records being merged first and the devices numbered by S_DEVICES_DIFF
 * or S_DEVICES_COPY, or BY_NUMBER; with_rowid, d.mrow kept. */
#define BY_UUID(from)                                                       \
    " FROM " from " AS d CROSS JOIN main.records AS r ON r.record_uuid = "  \
    "d.record_uuid CROSS JOIN main.device_ids AS v ON v.device_id = "       \
    "d.device_id"
#define BY_NUMBER_HOW(how)                                                  \
    " FROM src.answer_rows AS d" how " CROSS JOIN temp.merge_rid_map AS r " \
    "ON r.n = d.rid CROSS JOIN temp.merge_did_map AS v ON v.n = d.did"
#define BY_NUMBER BY_NUMBER_HOW("")
/* the rows set aside (sql_collect, sql_collect_numbered): the record's
 * number in the target read with them (mrid), the device looked up */
#define BY_MRID                                                             \
    " FROM temp.merge_diff_answers AS d CROSS JOIN main.device_ids AS v "   \
    "ON v.device_id = d.device_id"

static bool numbered_col(const char *col)
{
    return strcmp(col, "record_uuid") == 0 || strcmp(col, "device_id") == 0;
}

static char *sql_numbered(const struct vtable *t, const char *verb,
                          bool with_rowid, bool mrid, const char *joins,
                          const char *rest)
{
    struct strbuf into, sel;
    strbuf_init(&into);
    strbuf_init(&sel);
    strbuf_addf(&into, "%s INTO main.answer_rows(%s", verb,
                with_rowid ? "rowid" : "");
    strbuf_adds(&sel, with_rowid ? ") SELECT d.mrow" : ") SELECT ");
    for (int i = 0; t->cols[i]; i++) {
        const char *sep = i || with_rowid ? ", " : "";
        if (strcmp(t->cols[i], "record_uuid") == 0) {
            strbuf_addf(&into, "%srid", sep);
            strbuf_addf(&sel, "%s%s", sep, mrid ? "d.mrid" : "r.rid");
        } else if (strcmp(t->cols[i], "device_id") == 0) {
            strbuf_addf(&into, "%sdid", sep);
            strbuf_addf(&sel, "%sv.did", sep);
        } else {
            strbuf_addf(&into, "%s%s", sep, t->cols[i]);
            strbuf_addf(&sel, "%sd.%s", sep, t->cols[i]);
        }
    }
    strbuf_addf(&sel, "%s%s", joins, rest);
    strbuf_adds(&into, sel.buf);
    strbuf_free(&sel);
    return strbuf_detach(&into);
}

/* The incoming rows that win take the place of the target's: an UPDATE
 * of the columns besides the key, which stays, row by row from the rows
 * set aside (found by the rowid read with them, or an item by its key).
 * OR FAIL: a constraint that fails ends the statement without undoing
 * its earlier rows, which the merge's rollback of the whole input does,
 * so SQLite keeps no statement journal (a REPLACE wrote one as large as
 * the pages it changed, 15 MB per later input of the diverging bench, and
 * rewrote the key index's entries). An answer keeps its rowid, its search
 * entry's id; a record its number. */
static char *sql_update(const struct vtable *t)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "UPDATE OR FAIL main.%s AS a SET ",
                t->numbered ? "answer_rows" : t->name);
    for (int i = t->nkey; t->cols[i]; i++) {
        const char *c = t->cols[i];
        strbuf_addf(&sb, "%s%s = %s.%s", i > t->nkey ? ", " : "",
                    t->numbered && strcmp(c, "device_id") == 0 ? "did" : c,
                    t->numbered && strcmp(c, "device_id") == 0 ? "v" : "d",
                    t->numbered && strcmp(c, "device_id") == 0 ? "did" : c);
    }
    if (t->numbered)
        strbuf_adds(&sb, BY_MRID);
    else
        strbuf_addf(&sb, " FROM temp.merge_diff_%s AS d", t->name);
    strbuf_adds(&sb, " WHERE d.how = 1 AND ");
    if (t->rowid)
        strbuf_adds(&sb, "a.rowid = d.mrow");
    else
        add_key_eq(&sb, t->cols, t->nkey, "a", "d");
    return strbuf_detach(&sb);
}

/* INSERT INTO main.<table>(cols) SELECT cols FROM <prefix><table> AS d
 * <rest>. A record (a table with rowids, not numbered) gets its number
 * above every record's and answer's of the target (STORE_NEW_RID_SQL;
 * below them all, counting down, where those reach 2^62), never a
 * number a damaged target's lost answers name; in the order of
 * `order` (a window's ORDER BY, may be empty). order NULL: SQLite's own
 * next numbers (copy_new, when they are those: S_RIDS_IN_ORDER). */
static char *sql_insert_from(const struct vtable *t, const char *prefix,
                             const char *rest, const char *order)
{
    bool number = t->rowid && order;
    struct strbuf sb;
    int n = merge_ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT INTO main.%s(%s", t->name,
                number ? "rowid, " : "");
    add_cols(&sb, t->cols, n, NULL);
    strbuf_adds(&sb, ") SELECT ");
    if (number)
        strbuf_addf(&sb, "coalesce(b.m + row_number() OVER (%s), b.low - "
                         "row_number() OVER (%s)), ",
                    order, order);
    add_cols(&sb, t->cols, n, "d");
    strbuf_addf(&sb, " FROM %s%s AS d", prefix, t->name);
    if (number)
        strbuf_adds(&sb, " CROSS JOIN (SELECT " STORE_NEW_RID_SQL("main.")
                         " AS m, " STORE_LOW_RID_SQL("main.") " AS low) AS "
                         "b");
    strbuf_adds(&sb, rest);
    return strbuf_detach(&sb);
}

/* The rows the target did not have, in the input's key order. */
static char *sql_add(const struct vtable *t)
{
    /* (a row of a record neither file holds has no mrid: S_ORPHANS
     * refuses its file after the tables) */
    if (t->numbered)
        return sql_numbered(t, "INSERT", false, true, BY_MRID,
                            " WHERE d.how = 2 AND d.mrid IS NOT NULL ORDER "
                            "BY d.rowid");
    return sql_insert_from(t, "temp.merge_diff_",
                           " WHERE d.how = 2 ORDER BY d.rowid",
                           "ORDER BY d.rowid");
}

/* An input whose records the target has none of (merge_sql.c's
 * copy_new: a new file, a partner's own records): every row counted,
 * with how many of them the target has (none, unless a file holds rows
 * of records it lacks); when none, the rows are copied in one statement
 * (sql_copy), not set aside to be compared with nothing, and checked
 * beside the merge (merge_qc.c). The columns are named, so answers get
 * the target's own rowids, never the input's. */
static char *sql_check_new(const struct vtable *t)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "SELECT count(*), count(m.%s) FROM src.%s AS s LEFT "
                     "JOIN ",
                target_first(t), t->name);
    add_target_join(&sb, t, false);
    return strbuf_detach(&sb);
}

/* copy_new of a schema 9 input's answers: from its answer_rows, its
 * numbers mapped (S_RID_MAP, S_DID_MAP). Every row is checked beside the
 * merge (merge_sql_valid, in merge_qc.c's thread), which refuses
 * the file before its transaction commits; the record's and device's ids
 * were checked with the records and S_DEVICES_COPY_NUMBERED. */
static char *sql_copy_numbered(const struct vtable *t)
{
    return sql_numbered(t, "INSERT", false, false, BY_NUMBER, "");
}

/* the audit's columns as imas_valid checks them (S_AUDIT_MERGE) */
static const char *const audit_cols[] = {"audit_uuid", "record_uuid",
                                         "action",     "reason",
                                         "at",         "device_id",
                                         "author",     NULL};

char *merge_sql_valid(int scan, bool numbered)
{
    const struct vtable *t = &merge_vtables[scan % T_COUNT];
    bool versions = scan >= T_COUNT && scan < 2 * T_COUNT;
    bool audit = scan == MERGE_VALID_AUDIT;
    bool rows = !versions && !audit && t->numbered && numbered;
    const char *const *cols = audit ? audit_cols : versions ? t->vcols : t->cols;
    const char *tsig = audit ? "uuttmut" : versions ? t->vsig : t->sig;
    char *name = audit      ? xstrdup("audit")
                 : versions ? xasprintf("%s_versions", t->name)
                            : xstrdup(t->name);
    struct strbuf sb, sig;
    strbuf_init(&sb);
    strbuf_init(&sig);
    for (int i = 0; cols[i]; i++)
        if (!rows || !numbered_col(cols[i])) {
            strbuf_addf(&sb, ", %s", cols[i]);
            strbuf_addc(&sig, tsig[i]);
        }
    char *sql = xasprintf("SELECT EXISTS (SELECT 1 FROM %s NOT INDEXED "
                          "WHERE NOT imas_valid('%s', '%s'%s))",
                          rows ? "answer_rows" : name, name, sig.buf, sb.buf);
    strbuf_free(&sb);
    strbuf_free(&sig);
    free(name);
    return sql;
}

/* sql_collect of a schema 9 input's answers: from its answer_rows, its
 * numbers mapped to the target's (S_RID_MAP, S_DID_MAP: the records are
 * merged by then; a device the target lacks has no did, so no row of the
 * target is its), each row compared with the target's by number, column
 * by column (a device's number stands for its id), and the ids read from
 * the maps only for the rows taken (the row's own values are checked by
 * merge_qc.c; the record's and device's ids with the records and by
 * S_DEVICES_CHECK). A row whose numbers name no record or device of the
 * input is not taken here: merge_qc.c refuses that file. */
/* The input's row d's rank, op, the target's row m's (schema: main, or
 * merge_prescan.c's tgt); m's device id looked up only where a rank is
 * compared (the few rows that differ), not joined for every row. */
static void add_rank_cmp(struct strbuf *sb, const struct vtable *t,
                         const char *op, const char *schema)
{
    char *md = xasprintf("(SELECT x.device_id FROM %s.device_ids AS x "
                         "WHERE x.did = m.did)",
                         schema);
    add_rank(sb, t, "d", "v.device_id");
    strbuf_addf(sb, " %s ", op);
    add_rank(sb, t, "m", md);
    free(md);
}

/* " LEFT JOIN <schema>.answer_rows AS m" on the key of the input's row d,
 * its record's number in the target r.rid */
static void add_target_row(struct strbuf *sb, const struct vtable *t,
                           const char *schema)
{
    strbuf_addf(sb, " LEFT JOIN %s.answer_rows AS m ON m.rid = r.rid",
                schema);
    for (int i = 1; i < t->nkey; i++)
        strbuf_addf(sb, " AND m.%s = d.%s", t->cols[i], t->cols[i]);
}

/* "INSERT INTO temp.merge_diff_answers(<cols>, how, mrow, mrid, known)
 * SELECT <cols>": the input's row d, its record's id from r, its device's
 * from v; the last four to follow */
static void add_diff_insert(struct strbuf *sb, const struct vtable *t)
{
    int n = merge_ncols(t->cols);
    strbuf_addf(sb, "INSERT INTO temp.merge_diff_%s(", t->name);
    add_cols(sb, t->cols, n, NULL);
    strbuf_adds(sb, ", how, mrow, mrid, known) SELECT ");
    for (int i = 0; i < n; i++) {
        const char *c = t->cols[i];
        strbuf_addf(sb, "%s%s.%s", i ? ", " : "",
                    strcmp(c, "record_uuid") == 0 ? "r"
                    : strcmp(c, "device_id") == 0 ? "v"
                                                  : "d",
                    c);
    }
}

/* The terms that find a row the target lacks or holds otherwise (m the
 * target's row, d the input's, v its device's numbers): the same for the
 * collect and merge_prescan.c's scan beside it. */
static void add_differs(struct strbuf *sb, const struct vtable *t)
{
    strbuf_adds(sb, "m.rid IS NULL OR m.did IS NOT v.did");
    for (int i = t->nkey; t->cols[i]; i++)
        if (!numbered_col(t->cols[i]))
            strbuf_addf(sb, " OR m.%s IS NOT d.%s", t->cols[i], t->cols[i]);
}

/* The rows of the collect (its WHERE; schema: the target's, main or
 * merge_prescan.c's tgt), one term, so that SQLite tests it after the
 * look-up: a row that is the target's column for column (most rows of a
 * later copy) is not taken; of the few others, those whose ranks differ
 * as sql_collect's do: in a damaged target a row's device may have
 * another number (its id twice in device_ids) or none, or a column be
 * NULL; its equal row is then not taken, never kept as an older value.
 * Nor is a row that does not outrank the target's when the target keeps
 * its version already (how 0 and known: no statement after uses it; a
 * third of the rows of a later copy). <> as sql_collect's, not <: with a
 * NULL in the target's rank (a row whose device has no id) both > and <
 * are NULL where <> is not, and that row is kept as before. */
static void add_taken(struct strbuf *sb, const struct vtable *t,
                      const char *schema)
{
    strbuf_adds(sb, "CASE WHEN ");
    add_differs(sb, t);
    strbuf_adds(sb, " THEN (m.rid IS NULL OR ");
    add_rank_cmp(sb, t, ">", schema);
    strbuf_adds(sb, " OR (");
    add_rank_cmp(sb, t, "<>", schema);
    strbuf_adds(sb, " AND NOT ");
    add_kept(sb, schema, "d", "r", "v");
    strbuf_adds(sb, ")) ELSE 0 END");
}

/* from: the input's rows d with r and v (BY_NUMBER_HOW); where: more
 * terms on d, or "" */
static char *collect_numbered(const struct vtable *t, const char *from,
                              const char *where)
{
    struct strbuf sb;
    strbuf_init(&sb);
    add_diff_insert(&sb, t);
    strbuf_adds(&sb, ", CASE WHEN m.rid IS NULL THEN 2 WHEN ");
    add_rank_cmp(&sb, t, ">", "main");
    strbuf_adds(&sb, " THEN 1 ELSE 0 END, m.rowid, r.rid, ");
    add_known(&sb, "m.rid", "d", "r", "v");
    strbuf_adds(&sb, from);
    add_target_row(&sb, t, "main");
    strbuf_addf(&sb, " WHERE %s", where);
    add_taken(&sb, t, "main");
    return strbuf_detach(&sb);
}

static char *sql_collect_numbered(const struct vtable *t)
{
    return collect_numbered(t, BY_NUMBER_HOW(" NOT INDEXED"), "");
}

/* The collect split with merge_prescan.c's scan beside it: the rows of
 * rowids ?1..?2 (S_COLLECT_SPAN), and those the scan found it takes, in
 * temp.merge_found with their how, mrow and known as the scan read them
 * (S_COLLECT_FOUND; the scan read the target as the collect would): each
 * added to merge_diff_answers in the input's rowid order, as the one
 * statement would. */
static char *sql_collect_span(void)
{
    return collect_numbered(&merge_vtables[T_ANSWERS],
                            BY_NUMBER_HOW(" NOT INDEXED"),
                            "d.rowid BETWEEN ?1 AND ?2 AND ");
}

static char *sql_collect_found(void)
{
    struct strbuf sb;
    strbuf_init(&sb);
    add_diff_insert(&sb, &merge_vtables[T_ANSWERS]);
    strbuf_adds(&sb, ", f.how, f.mrow, r.rid, f.known FROM temp.merge_found "
                     "AS f CROSS JOIN src.answer_rows AS d NOT INDEXED ON "
                     "d.rowid = f.r CROSS JOIN temp.merge_rid_map AS r ON "
                     "r.n = d.rid CROSS JOIN temp.merge_did_map AS v ON v.n "
                     "= d.did ORDER BY f.r");
    return strbuf_detach(&sb);
}

/* merge_prescan.c's scan of ?1..?2 (its connection: the input as main,
 * the target as tgt, the numbers mapped in temp.prescan_rid and
 * temp.prescan_did): each input answer row that differs from the
 * target's, with its rowid, the target's row (mrow), its rank > and <>
 * the target's, whether the target keeps its version (add_taken's terms,
 * which the scan applies: merge_prescan.c's taken) and whether it names
 * no record or device of the input (the collect does not take it). */
char *merge_sql_prescan(void)
{
    struct strbuf sb;
    strbuf_init(&sb);
    const struct vtable *t = &merge_vtables[T_ANSWERS];
    strbuf_adds(&sb, "SELECT d.rowid, m.rowid, ");
    add_rank_cmp(&sb, t, ">", "tgt");
    strbuf_adds(&sb, ", ");
    add_rank_cmp(&sb, t, "<>", "tgt");
    strbuf_adds(&sb, ", CASE WHEN m.rid IS NULL THEN 0 ELSE ");
    add_kept(&sb, "tgt", "d", "r", "v");
    strbuf_adds(&sb, " END, r.n IS NULL OR v.n IS NULL FROM main.answer_rows "
                     "AS d NOT INDEXED LEFT JOIN temp.prescan_rid AS r ON "
                     "r.n = d.rid LEFT JOIN temp.prescan_did AS v ON v.n = "
                     "d.did");
    add_target_row(&sb, t, "tgt");
    strbuf_adds(&sb, " WHERE d.rowid BETWEEN ?1 AND ?2 AND (r.n IS NULL OR "
                     "v.n IS NULL OR ");
    add_differs(&sb, t);
    strbuf_adds(&sb, ")");
    return strbuf_detach(&sb);
}

/* copy_new of the records when SQLite's own next numbers are the ones to
 * give (S_RIDS_IN_ORDER). */
static char *sql_copy_plain(const struct vtable *t)
{
    return sql_insert_from(t, "src.", "", NULL);
}

static char *sql_copy(const struct vtable *t)
{
    if (t->numbered) /* checked beside it too (merge_qc.c) */
        return sql_numbered(t, "INSERT", false, false,
                            BY_UUID("src.answers"), "");
    return sql_insert_from(t, "src.", "", "");
}

/* The input's kept versions the target lacks, and (one statement, one
 * look-up each) the reason of those it has, where the input's is
 * better: "merge" is the weakest, otherwise the least wins; so a
 * version's reason is the same whatever order the files are merged in.
 * imas_relabel counts the versions relabelled (merge_sql.c: not kept
 * anew). OR IGNORE still skips a row that breaks another constraint.
 * Every row is checked beside the merge (merge_qc.c), before commit.
 * The answers' come from temp.merge_versions_answers (S_VERSIONS_NEW):
 * those the target lacked are added (a version kept since then got its
 * reason then: sql_keep), and those it had are relabelled
 * (S_IMPORT_RELABEL). */
static char *sql_import_from(const struct vtable *t, const char *from,
                             bool upsert)
{
    struct strbuf sb;
    char *vname = xasprintf("%s_versions", t->name);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT OR IGNORE INTO main.%s AS v (", vname);
    add_cols(&sb, t->vcols, merge_ncols(t->vcols), NULL);
    strbuf_adds(&sb, ") SELECT ");
    add_cols(&sb, t->vcols, merge_ncols(t->vcols), NULL);
    strbuf_addf(&sb, " FROM %s", from);
    if (upsert) {
        strbuf_adds(&sb, " ON CONFLICT(");
        add_cols(&sb, t->vcols, t->nvkey, NULL);
        strbuf_adds(&sb, ") DO UPDATE SET reason = "
                         "imas_relabel(excluded.reason) WHERE "
                         "excluded.reason <> v.reason AND excluded.reason "
                         "<> 'merge' AND (v.reason = 'merge' OR "
                         "excluded.reason < v.reason)");
    }
    free(vname);
    return strbuf_detach(&sb);
}

static char *sql_import(const struct vtable *t)
{
    if (t->numbered)
        return sql_import_from(t, "temp.merge_versions_answers WHERE lacked",
                               false);
    /* (WHERE 1: an upsert's SELECT needs one before ON CONFLICT) */
    char *from = xasprintf("src.%s_versions WHERE 1", t->name);
    char *sql = sql_import_from(t, from, true);
    free(from);
    return sql;
}

/* The input's kept versions of answers that the target lacks, or has
 * with a reason the input's would replace (sql_import), set aside before
 * anything changes: in a later copy most are the target's already, and
 * the touched answers, the reasons of the versions kept, the import and
 * the records' last edits read these few, not the input's every one. */
static char *sql_versions_new(void)
{
    const struct vtable *t = &merge_vtables[T_ANSWERS];
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "INSERT INTO temp.merge_versions_answers(");
    add_cols(&sb, t->vcols, merge_ncols(t->vcols), NULL);
    strbuf_adds(&sb, ", lacked) SELECT ");
    add_cols(&sb, t->vcols, merge_ncols(t->vcols), "s");
    strbuf_adds(&sb, ", v.record_uuid IS NULL FROM src.answers_versions AS "
                     "s LEFT JOIN main.answers_versions AS v ON ");
    add_key_eq(&sb, t->vcols, t->nvkey, "v", "s");
    strbuf_adds(&sb, " WHERE v.record_uuid IS NULL OR (s.reason <> v.reason "
                     "AND s.reason <> 'merge' AND (v.reason = 'merge' OR "
                     "s.reason < v.reason))");
    return strbuf_detach(&sb);
}

/* An input's items (and answers, more) of a record neither file holds.
 * Schema 9's view shows an input's answers only with their records, and
 * merge_qc.c's numbers check refuses a file holding others: from it,
 * the items alone. */
#define ORPHANS_SQL(more)                                                   \
    "SELECT record_uuid FROM (SELECT s.record_uuid FROM src.items AS s"     \
    more ") AS s WHERE NOT EXISTS (SELECT 1 FROM main.records AS r WHERE "  \
    "r.record_uuid = s.record_uuid) LIMIT 1"
static const char orphan_items_sql[] = ORPHANS_SQL("");

static const char *const fixed_sql[S_COUNT - S_KNOWN] = {
    /* The answers this input brings a version of that the target does not
     * have: only they can be in conflict because of it. An incoming
     * current row that differs from the target's (?1.. its key, revision,
     * device and time, from merge_rows), unless the target keeps it among
     * its versions; then (S_TOUCH_VERSIONS) the input's kept versions the
     * target lacks. A key the target has not is in conflict only through
     * kept versions, and one whose rows agree only through them. */
    [S_KNOWN - S_KNOWN] =
        "INSERT OR IGNORE INTO temp.merge_touched SELECT d.record_uuid, "
        "d.item_uuid, d.field FROM temp.merge_diff_answers AS d WHERE "
        "d.how < 2 AND NOT d.known",
    [S_VERSIONS_CLEAR - S_KNOWN] = "DELETE FROM temp.merge_versions_answers",
    /* S_VERSIONS_NEW: sql_versions_new */
    [S_TOUCH_VERSIONS - S_KNOWN] =
        "INSERT OR IGNORE INTO temp.merge_touched SELECT s.record_uuid, "
        "s.item_uuid, s.field FROM temp.merge_versions_answers AS s WHERE "
        "s.lacked AND NOT EXISTS (SELECT 1 FROM main.answers AS m WHERE "
        "m.record_uuid = s.record_uuid AND m.item_uuid = s.item_uuid AND "
        "m.field = s.field AND m.revision = s.revision AND m.updated_at = "
        "s.updated_at AND m.device_id = s.device_id)",
    /* S_IMPORT_RELABEL: sql_import_from */
    /* Of those, the answers in conflict now, as store/conflicts.c counts
     * them: in a live record, another head of their history holds
     * something else than the current row (in a deleted item, only a
     * tombstone against a value). */
    /* (The current row read from answer_rows by the record's number,
     * once per key, and its device's number checked as the view would:
     * through the view it was looked up again for every version.) */
    [S_CONFLICTS - S_KNOWN] =
        "SELECT count(*) FROM temp.merge_touched AS t CROSS JOIN "
        "main.records AS r ON r.record_uuid = t.record_uuid AND r.deleted = "
        "0 CROSS JOIN main.answer_rows AS a ON a.rid = r.rid AND "
        "a.item_uuid = t.item_uuid AND a.field = t.field WHERE EXISTS "
        "(SELECT 1 FROM main.device_ids AS d WHERE d.did = a.did) AND "
        "EXISTS (SELECT 1 FROM main.answers_versions AS v LEFT JOIN "
        "main.items AS i ON i.item_uuid = a.item_uuid WHERE v.record_uuid = "
        "t.record_uuid AND v.item_uuid = t.item_uuid AND v.field = t.field "
        "AND (v.value IS NOT a.value OR v.deleted <> a.deleted) AND "
        "(COALESCE(i.deleted, 0) = 0 OR v.deleted <> a.deleted) AND NOT "
        STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 FROM "
        "main.answers_versions AS w WHERE w.record_uuid = v.record_uuid AND "
        "w.item_uuid = v.item_uuid AND w.field = v.field AND "
        STORE_NAMES_PARENT_SQL("w", "v") "))",
    [S_UNTOUCH - S_KNOWN] = "DELETE FROM temp.merge_touched",
    /* A record's last edit (record_edits): the latest time of every
     * version of its answers the file holds. The incoming rows that were
     * new or differed are now the target's rows or kept versions (but
     * those it kept already, known, whose time its record_edits has);
     * the input's kept versions were imported (S_EDITS_VERSIONS). */
    [S_EDITS_DIFF - S_KNOWN] =
        "INSERT INTO main.record_edits AS e (record_uuid, at) SELECT "
        "record_uuid, MAX(updated_at) FROM temp.merge_diff_answers WHERE "
        "how >= 1 OR NOT known GROUP BY record_uuid ON CONFLICT(record_uuid) "
        "DO UPDATE SET at = excluded.at WHERE excluded.at > e.at",
    /* and the rows copied (copy_new), above the top rowid before (?1):
     * those rows alone (NOT INDEXED: the key index's rid order, which
     * spares the GROUP BY a sort, would read every row of the target),
     * each record looked up once */
    [S_EDITS_NEW - S_KNOWN] =
        "INSERT INTO main.record_edits AS e (record_uuid, at) SELECT "
        "r.record_uuid, g.at FROM (SELECT rid, MAX(updated_at) AS at FROM "
        "main.answer_rows NOT INDEXED WHERE rowid > ?1 GROUP BY rid) AS g "
        "CROSS JOIN main.records AS r ON r.rid = g.rid WHERE 1 ON "
        "CONFLICT(record_uuid) DO UPDATE SET at = excluded.at WHERE "
        "excluded.at > e.at",
    /* (those the target lacked: the time of every version it had is in
     * its record_edits already) */
    [S_EDITS_VERSIONS - S_KNOWN] =
        "INSERT INTO main.record_edits AS e (record_uuid, at) SELECT "
        "record_uuid, MAX(updated_at) FROM temp.merge_versions_answers WHERE "
        "lacked "
        "GROUP BY record_uuid ON CONFLICT(record_uuid) DO UPDATE SET at = "
        "excluded.at WHERE excluded.at > e.at",
    /* The search index follows the answers whose winner changes
     * (store/sql.h's rule, by rowid): for each winner, the entry of the
     * target's row it replaces out, before the row changes, and its own
     * in under the same rowid (an answer keeps it), one statement in
     * rowid order: FTS5 keeps a delete and an insert of one rowid in its
     * pending terms, where an insert below the last rowid it took (the
     * winners' after every entry out) makes it write them out first, a
     * segment more. Then the new rows', all above the top rowid read
     * before they were added (?1). */
    [S_SEARCH_SWAP - S_KNOWN] =
        "INSERT INTO main.search(search, rowid, text) SELECT cmd, id, txt "
        "FROM (SELECT 'delete' AS cmd, d.mrow AS id, imas_fold(a.value) AS "
        "txt, 0 AS k FROM temp.merge_diff_answers AS d CROSS JOIN "
        "main.answer_rows AS a ON a.rowid = d.mrow LEFT JOIN main.records AS "
        "r ON r.rid = a.rid WHERE d.how = 1 AND "
        STORE_SEARCH_INDEXED_SQL("a", "r") " UNION ALL SELECT NULL, d.mrow, "
        "imas_fold(d.value), 1 FROM temp.merge_diff_answers AS d LEFT JOIN "
        "main.records AS r ON r.rid = d.mrid WHERE d.how = 1 AND "
        STORE_SEARCH_INDEXED_SQL("d", "r") ") ORDER BY id, k",
    [S_ANSWERS_TOP - S_KNOWN] =
        "SELECT (SELECT coalesce(max(rowid), 0) FROM main.answer_rows), NOT "
        "EXISTS (SELECT 1 FROM main.answer_rows)",
    [S_SEARCH_NEW - S_KNOWN] =
        "INSERT INTO main.search(rowid, text) SELECT a.rowid, "
        "imas_fold(a.value) FROM main.answer_rows AS a LEFT JOIN "
        "main.records AS r ON r.rid = a.rid WHERE a.rowid > ?1 AND "
        STORE_SEARCH_INDEXED_SQL("a", "r") " ORDER BY a.rowid",
    /* The same by key, when the new rows' rowids are not all above top:
     * a target whose top rowid is within their count of 2^63 - 1 (a
     * damaged or hostile file) makes SQLite pick free rowids at random. */
    [S_SEARCH_NEW_KEYED - S_KNOWN] =
        "INSERT INTO main.search(rowid, text) SELECT a.rowid, "
        "imas_fold(a.value) FROM temp.merge_diff_answers AS d CROSS JOIN "
        "main.answers AS a ON a.record_uuid = d.record_uuid AND a.item_uuid "
        "= d.item_uuid AND a.field = d.field LEFT JOIN main.records AS r ON "
        "r.record_uuid = a.record_uuid WHERE d.how = 2 AND "
        STORE_SEARCH_INDEXED_SQL("a", "r") " ORDER BY a.rowid",
    /* A target without answers has no entries: any there (a damaged
     * file, emptied by hand) would stand for the answers copied in
     * (S_ANSWERS_TOP tells). */
    [S_SEARCH_CLEAR - S_KNOWN] =
        "INSERT INTO main.search(search) VALUES ('delete-all')",
    /* Schema 9: the devices of the answers about to be written get
     * their numbers in the target (store/schema_v9.c): those of the
     * rows that differ or are new, or (copy_new, every row checked by
     * then) of all the input's answers. */
    [S_DEVICES_DIFF - S_KNOWN] =
        "INSERT OR IGNORE INTO main.device_ids(device_id) SELECT DISTINCT "
        "device_id FROM temp.merge_diff_answers WHERE how >= 1",
    [S_DEVICES_COPY - S_KNOWN] =
        "INSERT OR IGNORE INTO main.device_ids(device_id) SELECT DISTINCT "
        "device_id FROM src.answers",
    /* An input of schema 9 copied (copy_new): its devices (each id
     * checked before, by S_DEVICES_CHECK), then its record and device
     * numbers mapped to the target's once (the records are copied by
     * then), so that each answer row is read from its answer_rows with
     * two look-ups by number, not through its view and the target's UUID
     * indexes. */
    [S_DEVICES_COPY_NUMBERED - S_KNOWN] =
        "INSERT OR IGNORE INTO main.device_ids(device_id) SELECT device_id "
        "FROM src.device_ids",
    /* Every record and device of the input, read from its tables (NOT
     * INDEXED: an index that lacks a row, which quick_check does not see,
     * would leave that record's or device's answers out; merge_qc.c
     * checks that each answer names one). A device the target lacks has
     * no did. */
    [S_RID_MAP - S_KNOWN] =
        "INSERT INTO temp.merge_rid_map(n, rid, record_uuid) SELECT s.rid, "
        "m.rid, m.record_uuid FROM src.records AS s NOT INDEXED CROSS JOIN "
        "main.records AS m ON m.record_uuid = s.record_uuid",
    [S_DID_MAP - S_KNOWN] =
        "INSERT INTO temp.merge_did_map(n, did, device_id) SELECT s.did, "
        "m.did, s.device_id FROM src.device_ids AS s NOT INDEXED LEFT JOIN "
        "main.device_ids AS m ON m.device_id = s.device_id",
    /* how many answer rows it holds: each must have been copied. The
     * table's rows (NOT INDEXED), which the copy reads: count(*) would
     * count its key index's, which lacks a row in a damaged file
     * (quick_check does not compare the two) */
    [S_SRC_ANSWERS - S_KNOWN] =
        "SELECT count(*) FROM src.answer_rows NOT INDEXED",
    /* Every device id of the input is checked, as every record's, whether
     * it is copied (S_DEVICES_COPY_NUMBERED reads them all) or its
     * answers are compared row by row (which read only the ids that
     * answers name): a file is refused or merged whatever the target */
    /* the lowest and highest rowids of its answer rows (NULL, NULL when
     * it has none), where the collect is split (merge_prescan.c) */
    [S_ANSWERS_SPAN - S_KNOWN] =
        "SELECT (SELECT min(rowid) FROM src.answer_rows), (SELECT "
        "max(rowid) FROM src.answer_rows)",
    [S_FOUND_PUT - S_KNOWN] =
        "INSERT INTO temp.merge_found(r, mrow, how, known) VALUES (?1, ?2, "
        "?3, ?4)",
    [S_FOUND_CLEAR - S_KNOWN] = "DELETE FROM temp.merge_found",
    [S_DEVICES_CHECK - S_KNOWN] =
        "SELECT count(*) FROM src.device_ids WHERE imas_valid('answers', "
        "'u', device_id)",
    /* The records copied (copy_new) may take SQLite's own next numbers,
     * max(rid) + 1, + 2, ..., the numbers STORE_NEW_RID_SQL gives, when
     * no answer row names a number above the records' and they are below
     * 2^62: without the window that counts them, a third of the time. */
    [S_RIDS_IN_ORDER - S_KNOWN] =
        "SELECT coalesce((SELECT max(rid) FROM main.answer_rows), 0) <= m "
        "AND m < 4611686018427387904 FROM (SELECT coalesce((SELECT max(rid) "
        "FROM main.records), 0) AS m)",
    /* S_RECORDS_COPY_PLAIN: sql_copy_plain */
    /* Whether the target has any record of the input (copy_new). */
    [S_RECORDS_SEEN - S_KNOWN] =
        "SELECT EXISTS (SELECT 1 FROM src.records AS s CROSS JOIN "
        "main.records AS m ON m.record_uuid = s.record_uuid)",
    /* What the search index's rule reads must not change under an
     * answer: its record's form (store/sql.h). A record names a form the
     * file holds (the store never makes one that does not), keeps the
     * form it was made with, and every answer and repeat item has its
     * record: a file that breaks one of these is refused. */
    /* (each form the records name looked up once, not once a record;
     * a record of it named only when it is missing) */
    [S_RECORD_NO_FORM - S_KNOWN] =
        "SELECT (SELECT r.record_uuid FROM src.records AS r NOT INDEXED "
        "WHERE r.form_id IS s.form_id AND r.form_version IS s.form_version "
        "LIMIT 1), s.form_id, s.form_version FROM (SELECT DISTINCT form_id, "
        "form_version FROM src.records NOT INDEXED) AS s WHERE NOT EXISTS "
        "(SELECT 1 FROM main.forms AS f WHERE f.form_id = s.form_id AND "
        "f.form_version = s.form_version) LIMIT 1",
    /* among the records set aside (the form is part of a record's rank,
     * so every record of the target's whose form differs is), before
     * anything changes */
    [S_RECORD_FORM_MOVED - S_KNOWN] =
        "SELECT d.record_uuid FROM temp.merge_diff_records AS d CROSS JOIN "
        "main.records AS m ON m.record_uuid = d.record_uuid WHERE d.how < 2 "
        "AND (d.form_id IS NOT m.form_id OR d.form_version IS NOT "
        "m.form_version) LIMIT 1",
    [S_ORPHANS - S_KNOWN] = ORPHANS_SQL(" UNION ALL SELECT s.record_uuid "
                                        "FROM src.answers AS s"),
    [S_FORM_CLASH - S_KNOWN] =
        "SELECT s.form_id, s.form_version FROM src.forms AS s JOIN "
        "main.forms AS m ON m.form_id = s.form_id AND "
        "m.form_version = s.form_version WHERE s.hash IS NOT m.hash OR "
        "s.definition IS NOT m.definition LIMIT 1",
    [S_FORM_MERGE - S_KNOWN] =
        "INSERT INTO main.forms AS m (form_id, form_version, hash, title, "
        "definition, added_at) SELECT form_id, form_version, hash, title, "
        "definition, added_at FROM src.forms WHERE imas_valid('forms', "
        "'tttttm', form_id, form_version, hash, title, definition, "
        "added_at) ON CONFLICT(form_id, form_version) DO UPDATE SET "
        "added_at = min(m.added_at, excluded.added_at), "
        "title = min(m.title, excluded.title) "
        "WHERE excluded.added_at < m.added_at OR excluded.title < m.title",
    [S_AUDIT_MERGE - S_KNOWN] =
        "INSERT OR IGNORE INTO main.audit(audit_uuid, record_uuid, action, "
        "reason, at, device_id, author) SELECT audit_uuid, record_uuid, "
        "action, reason, at, device_id, author FROM src.audit",
    /* A laptop's name: the latest given wins (then the greatest name), so
     * every file ends with the same one. */
    [S_DEVICES_MERGE - S_KNOWN] =
        "INSERT INTO main.devices AS m (device_id, name, updated_at) SELECT "
        "device_id, name, updated_at FROM src.devices WHERE "
        "imas_valid('devices', 'utm', device_id, name, updated_at) ON "
        "CONFLICT(device_id) DO UPDATE SET name = excluded.name, "
        "updated_at = excluded.updated_at WHERE (excluded.updated_at, "
        "excluded.name) > (m.updated_at, m.name)",
    /* The laptop merging writes into the file (merge_log). */
    [S_DEVICE_NOTE - S_KNOWN] =
        "INSERT INTO main.devices AS m (device_id, name, updated_at) VALUES "
        "(?1, ?2, ?3) ON CONFLICT(device_id) DO UPDATE SET name = "
        "excluded.name, updated_at = max(m.updated_at + 1, "
        "excluded.updated_at) WHERE m.name IS NOT excluded.name",
    [S_LOG - S_KNOWN] =
        "INSERT INTO main.merge_log(merge_uuid, source_path, source_sha256, "
        "source_db_uuid, merged_at, records_new, records_updated, "
        "items_new, answers_new, answers_updated, versions_kept, "
        "conflicts, device_id, author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14)",
};

bool merge_sql_prepare(struct merge_db *m)
{
    char *(*const build[K_COUNT])(const struct vtable *) = {
        [K_CLEAR] = sql_clear,       [K_COLLECT] = sql_collect,
        [K_KEEP_IN] = sql_keep_in,   [K_KEEP_OUT] = sql_keep_out,
        [K_UPDATE] = sql_update,     [K_ADD] = sql_add,
        [K_IMPORT] = sql_import,
        [K_CHECK_NEW] = sql_check_new, [K_COPY] = sql_copy};
    bool numbered = m->src_version >= 9;
    for (int i = 0; i < S_COUNT; i++) {
        char *sql = i == SID(T_ANSWERS, K_COPY) && numbered
                        ? sql_copy_numbered(&merge_vtables[T_ANSWERS])
                    : i == SID(T_ANSWERS, K_COLLECT) && numbered
                        ? sql_collect_numbered(&merge_vtables[T_ANSWERS])
                    : i == S_COLLECT_SPAN && numbered ? sql_collect_span()
                    : i == S_COLLECT_FOUND && numbered ? sql_collect_found()
                    : i < S_KNOWN ? build[i % K_COUNT](&merge_vtables[i / K_COUNT])
                    : i == S_RECORDS_COPY_PLAIN
                        ? sql_copy_plain(&merge_vtables[T_RECORDS])
                    : i == S_VERSIONS_NEW ? sql_versions_new()
                    : i == S_IMPORT_RELABEL
                        ? sql_import_from(&merge_vtables[T_ANSWERS],
                                          "temp.merge_versions_answers "
                                          "WHERE NOT lacked",
                                          true)
                    : m->src_version < 9 && i >= S_DEVICES_COPY_NUMBERED &&
                            i <= S_ANSWERS_SPAN
                        ? xstrdup("SELECT NULL") /* no numbers to map */
                    : i == S_ORPHANS && m->src_version >= 9
                        ? xstrdup(orphan_items_sql)
                        : xstrdup(fixed_sql[i - S_KNOWN]);
        int rc = sqlite3_prepare_v2(m->db, sql, -1, &m->st[i], NULL);
        free(sql);
        /* the target's index is read here (its format, FTS5's config) */
        m->index_failed = rc != SQLITE_OK &&
                          (i == S_SEARCH_SWAP ||
                           i == S_SEARCH_NEW || i == S_SEARCH_NEW_KEYED ||
                           i == S_SEARCH_CLEAR);
        if (rc != SQLITE_OK)
            return false;
    }
    return true;
}

bool merge_sql_temp_tables(struct merge_db *m)
{
    if (!merge_exec(m, "CREATE TEMP TABLE merge_rid_map(n INTEGER PRIMARY "
                       "KEY, rid INTEGER NOT NULL, record_uuid TEXT NOT "
                       "NULL)") ||
        !merge_exec(m, "CREATE TEMP TABLE merge_did_map(n INTEGER PRIMARY "
                       "KEY, did INTEGER, device_id TEXT NOT NULL)") ||
        !merge_exec(m, "CREATE TEMP TABLE merge_found(r INTEGER PRIMARY "
                       "KEY, mrow INTEGER, how INTEGER, known INTEGER)"))
        return false;
    /* S_VERSIONS_NEW's, looked up by key (sql_keep); not unique, as the
     * input's rows are taken as the upsert would take them, one by one */
    const struct vtable *av = &merge_vtables[T_ANSWERS];
    struct strbuf vs;
    strbuf_init(&vs);
    strbuf_adds(&vs, "CREATE TEMP TABLE merge_versions_answers(");
    add_cols(&vs, av->vcols, merge_ncols(av->vcols), NULL);
    strbuf_adds(&vs, ", lacked); CREATE INDEX temp.merge_versions_key ON "
                     "merge_versions_answers(");
    add_cols(&vs, av->vcols, av->nvkey, NULL);
    strbuf_adds(&vs, ")");
    bool vok = sqlite3_exec(m->db, vs.buf, NULL, NULL, NULL) == SQLITE_OK;
    strbuf_free(&vs);
    if (!vok)
        return false;
    for (int t = 0; t < T_COUNT; t++) {
        const struct vtable *vt = &merge_vtables[t];
        struct strbuf sb;
        strbuf_init(&sb);
        /* Columns without a type: values are kept exactly as read. A key
         * at most once: an input whose key index was damaged so that it
         * holds a row twice (PRAGMA quick_check does not compare an index
         * with its table) is refused, not merged twice into one row
         * (unless the second copy is one the collect does not take: the
         * target's own row, or one it outranks and keeps already). */
        strbuf_addf(&sb, "CREATE TEMP TABLE merge_diff_%s(", vt->name);
        add_cols(&sb, vt->cols, merge_ncols(vt->cols), NULL);
        /* mrid: an answer's record's number in the target */
        strbuf_adds(&sb, vt->numbered  ? ", how, mrow, mrid, known, UNIQUE("
                         : vt->rowid ? ", how, mrow, UNIQUE("
                                     : ", how, UNIQUE(");
        add_cols(&sb, vt->cols, vt->nkey, NULL);
        strbuf_adds(&sb, "))");
        char *sql = strbuf_detach(&sb);
        bool ok = sqlite3_exec(m->db, sql, NULL, NULL, NULL) == SQLITE_OK;
        free(sql);
        if (!ok)
            return false;
    }
    return true;
}

void merge_sql_finalize(struct merge_db *m)
{
    for (int i = 0; i < S_COUNT; i++) {
        sqlite3_finalize(m->st[i]);
        m->st[i] = NULL;
    }
}

