#include "config.h"

#include "merge/merge_sql.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "merge/input.h"
#include "store/answers.h"
#include "store/sql.h"
#include "store/history.h"
#include "store/schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000
#define PROGRESS_OPS 10000
/* A row may hold one value of STORE_VALUE_MAX bytes and its key: longer
 * strings make SQLite fail with SQLITE_TOOBIG before we see them. */
#define MAX_LENGTH (2 * STORE_VALUE_MAX)
#define REASON_MAX 240

/* ---- the tables ------------------------------------------------------- */

/* A table of versioned rows (SPEC 4). Columns are in table order, key
 * first; sig gives each column's type (t text, T text or NULL, i integer);
 * rank is the winner order, '@' standing for the row's alias: SPEC 6's
 * (revision, updated_at, device_id, value), a missing value (tombstone)
 * lowest, then every other column, so that two different rows never tie
 * and the winner is the same whichever file holds which. */
struct vtable {
    const char *name;
    const char *const *cols;
    int nkey;
    const char *sig;
    const char *rank;
    const char *const *vcols; /* <name>_versions, key first */
    int nvkey;
    const char *vsig;
};

enum { T_RECORDS, T_ITEMS, T_ANSWERS, T_COUNT };

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

static const struct vtable vtables[T_COUNT] = {
    [T_RECORDS] = {"records", record_cols, 1, "ttttiiittit",
                   "@.revision, @.updated_at, @.device_id, @.state, "
                   "@.deleted, @.form_id, @.form_version, @.created_at, "
                   "@.author, @.parents",
                   record_vcols, 4, "tititttitiitt"},
    [T_ITEMS] = {"items", item_cols, 1, "ttttiiittit",
                 "@.revision, @.updated_at, @.device_id, @.deleted, "
                 "@.record_uuid, @.parent_uuid, @.repeat_path, "
                 "@.created_at, @.author, @.parents",
                 item_vcols, 4, "tititttitiitt"},
    [T_ANSWERS] = {"answers", answer_cols, 3, "tttTiittit",
                   "@.revision, @.updated_at, @.device_id, "
                   "@.value IS NOT NULL, COALESCE(@.value, ''), @.deleted, "
                   "@.author, @.parents",
                   answer_vcols, 6, "tttitiTtiitt"},
};

const char *const *merge_sql_columns(const char *table)
{
    for (int t = 0; t < T_COUNT; t++) {
        const struct vtable *vt = &vtables[t];
        size_t n = strlen(vt->name);
        if (strcmp(table, vt->name) == 0)
            return vt->cols;
        if (strncmp(table, vt->name, n) == 0 &&
            strcmp(table + n, "_versions") == 0)
            return vt->vcols;
    }
    return NULL;
}

/* Statements of one input: K_COUNT per versioned table, then the rest. */
enum { K_PASS, K_KEEP, K_UPDATE, K_ADD, K_IMPORT, K_BETTER, K_RELABEL,
       K_COUNT };
enum {
    S_FTS_DROP = T_COUNT * K_COUNT,
    S_FTS_ADD,
    S_KNOWN,
    S_TOUCH_VERSIONS,
    S_CONFLICTS,
    S_UNTOUCH,
    S_FORM_CLASH,
    S_FORM_MERGE,
    S_AUDIT_MERGE,
    S_DEVICES_MERGE,
    S_DEVICE_NOTE,
    S_LOG,
    S_COUNT
};
#define SID(t, k) ((t) * K_COUNT + (k))

struct merge_db {
    sqlite3 *db;
    char *path, *author, *device_name;
    char device_id[UUID_STR_LEN];
    sqlite3_stmt *st[S_COUNT];
    int64_t now, deadline_ms;
    bool timed_out;
    char *invalid; /* what imas_valid() found, NULL when nothing */
};

/* ---- building the SQL ----------------------------------------------- */

static int ncols(const char *const *cols)
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

static void add_rank(struct strbuf *sb, const char *rank, const char *alias)
{
    strbuf_addc(sb, '(');
    for (const char *p = rank; *p; p++) {
        if (*p == '@')
            strbuf_adds(sb, alias);
        else
            strbuf_addc(sb, *p);
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

/* imas_valid('table', 'sig', cols...) */
static void add_valid(struct strbuf *sb, const char *table,
                      const char *const *cols, const char *sig,
                      const char *alias)
{
    strbuf_addf(sb, "imas_valid('%s', '%s', ", table, sig);
    add_cols(sb, cols, ncols(cols), alias);
    strbuf_addc(sb, ')');
}

/* The incoming rows whose key the target has, where the two differ
 * (new rows are added set-based afterwards, by sql_add, which also
 * checks every incoming value). */
static char *sql_pass(const struct vtable *t)
{
    struct strbuf sb;
    int n = ncols(t->cols);
    strbuf_init(&sb);
    strbuf_adds(&sb, "SELECT ");
    add_cols(&sb, t->cols, n, "s");
    strbuf_adds(&sb, ", ");
    add_cols(&sb, t->cols, n, "m");
    strbuf_adds(&sb, ", ");
    add_rank(&sb, t->rank, "s");
    strbuf_adds(&sb, " > ");
    add_rank(&sb, t->rank, "m");
    strbuf_addf(&sb, " FROM src.%s AS s JOIN main.%s AS m ON ", t->name,
                t->name);
    add_key_eq(&sb, t->cols, t->nkey, "m", "s");
    strbuf_adds(&sb, " WHERE ");
    add_rank(&sb, t->rank, "s");
    strbuf_adds(&sb, " <> ");
    add_rank(&sb, t->rank, "m");
    return strbuf_detach(&sb);
}

static char *sql_keep(const struct vtable *t)
{
    struct strbuf sb;
    int n = ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT OR IGNORE INTO main.%s_versions(", t->name);
    add_cols(&sb, t->cols, n, NULL);
    strbuf_adds(&sb, ", superseded_at, reason) VALUES (");
    for (int i = 1; i <= n + 1; i++)
        strbuf_addf(&sb, "?%d, ", i);
    strbuf_adds(&sb, "'merge')");
    return strbuf_detach(&sb);
}

/* The incoming row wins over the target's: ?1.. are its columns. */
static char *sql_update(const struct vtable *t)
{
    struct strbuf sb;
    int n = ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "UPDATE main.%s SET ", t->name);
    for (int i = t->nkey; i < n; i++)
        strbuf_addf(&sb, "%s%s = ?%d", i > t->nkey ? ", " : "", t->cols[i],
                    i + 1);
    strbuf_adds(&sb, " WHERE ");
    for (int i = 0; i < t->nkey; i++)
        strbuf_addf(&sb, "%s%s = ?%d", i ? " AND " : "", t->cols[i], i + 1);
    return strbuf_detach(&sb);
}

/* The rows the target did not have (it has all others by now). Every
 * incoming row is checked here; the statements before it in the same
 * transaction may have used some unchecked, and are rolled back with it
 * when one is bad. */
static char *sql_add(const struct vtable *t)
{
    struct strbuf sb;
    int n = ncols(t->cols);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT OR IGNORE INTO main.%s(", t->name);
    add_cols(&sb, t->cols, n, NULL);
    strbuf_adds(&sb, ") SELECT ");
    add_cols(&sb, t->cols, n, NULL);
    strbuf_addf(&sb, " FROM src.%s WHERE ", t->name);
    add_valid(&sb, t->name, t->cols, t->sig, NULL);
    return strbuf_detach(&sb);
}

static char *sql_import(const struct vtable *t)
{
    struct strbuf sb;
    char *vname = xasprintf("%s_versions", t->name);
    strbuf_init(&sb);
    strbuf_addf(&sb, "INSERT OR IGNORE INTO main.%s(", vname);
    add_cols(&sb, t->vcols, ncols(t->vcols), NULL);
    strbuf_adds(&sb, ") SELECT ");
    add_cols(&sb, t->vcols, ncols(t->vcols), NULL);
    strbuf_addf(&sb, " FROM src.%s WHERE ", vname);
    add_valid(&sb, vname, t->vcols, t->vsig, NULL);
    free(vname);
    return strbuf_detach(&sb);
}

/* Kept versions whose reason the input knows better: "merge" is the
 * weakest, otherwise the least wins; so a version's reason is the same
 * whatever order the files are merged in. */
static char *sql_better(const struct vtable *t)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "SELECT ");
    add_cols(&sb, t->vcols, t->nvkey, "s");
    strbuf_addf(&sb, ", s.reason FROM src.%s_versions AS s CROSS JOIN "
                     "main.%s_versions AS m ON ",
                t->name, t->name);
    add_key_eq(&sb, t->vcols, t->nvkey, "m", "s");
    strbuf_adds(&sb, " WHERE s.reason <> m.reason AND s.reason <> 'merge' "
                     "AND (m.reason = 'merge' OR s.reason < m.reason)");
    return strbuf_detach(&sb);
}

static char *sql_relabel(const struct vtable *t)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "UPDATE main.%s_versions SET reason = ?%d WHERE ",
                t->name, t->nvkey + 1);
    for (int i = 0; i < t->nvkey; i++)
        strbuf_addf(&sb, "%s%s = ?%d", i ? " AND " : "", t->vcols[i], i + 1);
    return strbuf_detach(&sb);
}

/* The search entries of the answers the input changes, set-based (one
 * statement each: FTS5 writes its pending index at every statement inside
 * a transaction, so one INSERT per answer would cost a segment each).
 * Before the answers themselves change: drop the entries of the answers
 * that lose, then add those of the winners that have text, under the
 * store's rowid (store_fts_rowid). ?1 = 2 uses it blindly; after a
 * hash collision (the insert fails) ?1 = 1 takes a fresh rowid where it is
 * taken, and ?1 = 0 fresh rowids for all, as the store does. In rowid
 * order: FTS5 also writes its pending index whenever a rowid comes lower
 * than the one before. */
static char *sql_fts_drop(void)
{
    const struct vtable *t = &vtables[T_ANSWERS];
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "DELETE FROM main.answers_fts WHERE rowid IN (SELECT "
                     "imas_fts_rowid(m.record_uuid, m.item_uuid, m.field) "
                     "FROM src.answers AS s JOIN main.answers AS m ON ");
    add_key_eq(&sb, t->cols, t->nkey, "m", "s");
    strbuf_adds(&sb, " WHERE ");
    add_rank(&sb, t->rank, "s");
    strbuf_adds(&sb, " > ");
    add_rank(&sb, t->rank, "m");
    strbuf_adds(&sb, ") AND EXISTS (SELECT 1 FROM src.answers AS s JOIN "
                     "main.answers AS m ON ");
    add_key_eq(&sb, t->cols, t->nkey, "m", "s");
    strbuf_adds(&sb, " WHERE s.record_uuid = answers_fts.record_uuid AND "
                     "s.item_uuid = answers_fts.item_uuid AND "
                     "s.field = answers_fts.field AND ");
    add_rank(&sb, t->rank, "s");
    strbuf_adds(&sb, " > ");
    add_rank(&sb, t->rank, "m");
    strbuf_adds(&sb, ")");
    return strbuf_detach(&sb);
}

static char *sql_fts_add(void)
{
    const struct vtable *t = &vtables[T_ANSWERS];
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb,
                "INSERT INTO main.answers_fts(rowid, record_uuid, item_uuid, "
                "field, value) SELECT CASE WHEN ?1 = 2 OR (?1 = 1 AND NOT "
                "EXISTS (SELECT 1 FROM main.answers_fts AS f WHERE f.rowid = "
                "imas_fts_rowid(s.record_uuid, s.item_uuid, s.field))) THEN "
                "imas_fts_rowid(s.record_uuid, s.item_uuid, s.field) END, "
                "s.record_uuid, s.item_uuid, s.field, s.value "
                "FROM src.answers AS s LEFT JOIN main.answers AS m ON ");
    add_key_eq(&sb, t->cols, t->nkey, "m", "s");
    strbuf_adds(&sb, " WHERE s.deleted = 0 AND s.value <> '' AND "
                     "(m.record_uuid IS NULL OR ");
    add_rank(&sb, t->rank, "s");
    strbuf_adds(&sb, " > ");
    add_rank(&sb, t->rank, "m");
    strbuf_adds(&sb, ") ORDER BY 1");
    return strbuf_detach(&sb);
}

static const char *const fixed_sql[S_COUNT - S_KNOWN] = {
    /* The answers this input brings a version of that the target does not
     * have: only they can be in conflict because of it. An incoming
     * current row that differs from the target's (?1.. its key, revision,
     * device and time, from merge_rows), unless the target keeps it among
     * its versions; then (S_TOUCH_VERSIONS) the input's kept versions the
     * target lacks. A key the target has not is in conflict only through
     * kept versions, and one whose rows agree only through them. */
    [S_KNOWN - S_KNOWN] =
        "INSERT OR IGNORE INTO temp.merge_touched SELECT ?1, ?2, ?3 WHERE "
        "NOT EXISTS (SELECT 1 FROM main.answers_versions WHERE record_uuid "
        "= ?1 AND item_uuid = ?2 AND field = ?3 AND revision = ?4 AND "
        "device_id = ?5 AND updated_at = ?6)",
    [S_TOUCH_VERSIONS - S_KNOWN] =
        "INSERT OR IGNORE INTO temp.merge_touched SELECT s.record_uuid, "
        "s.item_uuid, s.field FROM src.answers_versions AS s WHERE NOT "
        "EXISTS (SELECT 1 FROM main.answers AS m WHERE m.record_uuid = "
        "s.record_uuid AND m.item_uuid = s.item_uuid AND m.field = s.field "
        "AND m.revision = s.revision AND m.updated_at = s.updated_at AND "
        "m.device_id = s.device_id) AND NOT EXISTS (SELECT 1 FROM "
        "main.answers_versions AS v WHERE v.record_uuid = s.record_uuid AND "
        "v.item_uuid = s.item_uuid AND v.field = s.field AND v.revision = "
        "s.revision AND v.device_id = s.device_id AND v.updated_at = "
        "s.updated_at)",
    /* Of those, the answers in conflict now (store/conflicts.h): another
     * head of their history holds something else than the current row. */
    [S_CONFLICTS - S_KNOWN] =
        "SELECT count(*) FROM temp.merge_touched AS t WHERE EXISTS (SELECT "
        "1 FROM main.answers_versions AS v CROSS JOIN main.answers AS a ON "
        "a.record_uuid = v.record_uuid AND a.item_uuid = v.item_uuid AND "
        "a.field = v.field WHERE v.record_uuid = t.record_uuid AND "
        "v.item_uuid = t.item_uuid AND v.field = t.field AND "
        "(v.value IS NOT a.value OR v.deleted <> a.deleted) AND NOT "
        STORE_NAMES_PARENT_SQL("a", "v") " AND NOT EXISTS (SELECT 1 FROM "
        "main.answers_versions AS w WHERE w.record_uuid = v.record_uuid AND "
        "w.item_uuid = v.item_uuid AND w.field = v.field AND "
        STORE_NAMES_PARENT_SQL("w", "v") "))",
    [S_UNTOUCH - S_KNOWN] = "DELETE FROM temp.merge_touched",
    [S_FORM_CLASH - S_KNOWN] =
        "SELECT s.form_id, s.form_version FROM src.forms AS s JOIN "
        "main.forms AS m ON m.form_id = s.form_id AND "
        "m.form_version = s.form_version WHERE s.hash IS NOT m.hash OR "
        "s.definition IS NOT m.definition LIMIT 1",
    [S_FORM_MERGE - S_KNOWN] =
        "INSERT INTO main.forms AS m (form_id, form_version, hash, title, "
        "definition, added_at) SELECT form_id, form_version, hash, title, "
        "definition, added_at FROM src.forms WHERE imas_valid('forms', "
        "'ttttti', form_id, form_version, hash, title, definition, "
        "added_at) ON CONFLICT(form_id, form_version) DO UPDATE SET "
        "added_at = min(m.added_at, excluded.added_at), "
        "title = min(m.title, excluded.title) "
        "WHERE excluded.added_at < m.added_at OR excluded.title < m.title",
    [S_AUDIT_MERGE - S_KNOWN] =
        "INSERT OR IGNORE INTO main.audit(audit_uuid, record_uuid, action, "
        "reason, at, device_id, author) SELECT audit_uuid, record_uuid, "
        "action, reason, at, device_id, author FROM src.audit WHERE "
        "imas_valid('audit', 'ttttitt', audit_uuid, record_uuid, action, "
        "reason, at, device_id, author)",
    /* A laptop's name: the latest given wins (then the greatest name), so
     * every file ends with the same one. */
    [S_DEVICES_MERGE - S_KNOWN] =
        "INSERT INTO main.devices AS m (device_id, name, updated_at) SELECT "
        "device_id, name, updated_at FROM src.devices WHERE "
        "imas_valid('devices', 'tti', device_id, name, updated_at) ON "
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

static bool prepare_all(struct merge_db *m)
{
    char *(*const build[K_COUNT])(const struct vtable *) = {
        [K_PASS] = sql_pass,     [K_KEEP] = sql_keep,
        [K_UPDATE] = sql_update, [K_ADD] = sql_add,
        [K_IMPORT] = sql_import,
        [K_BETTER] = sql_better, [K_RELABEL] = sql_relabel};
    for (int i = 0; i < S_COUNT; i++) {
        char *sql = i < S_FTS_DROP  ? build[i % K_COUNT](&vtables[i / K_COUNT])
                    : i == S_FTS_DROP ? sql_fts_drop()
                    : i == S_FTS_ADD  ? sql_fts_add()
                                      : xstrdup(fixed_sql[i - S_KNOWN]);
        int rc = sqlite3_prepare_v2(m->db, sql, -1, &m->st[i], NULL);
        free(sql);
        if (rc != SQLITE_OK)
            return false;
    }
    return true;
}

static void finalize_all(struct merge_db *m)
{
    for (int i = 0; i < S_COUNT; i++) {
        sqlite3_finalize(m->st[i]);
        m->st[i] = NULL;
    }
}

/* ---- running statements ----------------------------------------------- */

/* Step a statement that returns no rows, and reset it so it holds no
 * read open (the reset only repeats the step's result). */
static bool run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

static bool exec(struct merge_db *m, const char *sql)
{
    return sqlite3_exec(m->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Bind columns from..from+n-1 of row to ?first.. of st. */
static bool bind_row(sqlite3_stmt *st, int first, sqlite3_stmt *row,
                     int from, int n)
{
    for (int i = 0; i < n; i++)
        if (sqlite3_bind_value(st, first + i,
                               sqlite3_column_value(row, from + i)) !=
            SQLITE_OK)
            return false;
    return true;
}

/* ---- merging ------------------------------------------------------------ */

static bool keep_loser(struct merge_db *m, int t, sqlite3_stmt *row,
                       int from, int n, struct merge_counts *c)
{
    sqlite3_stmt *st = m->st[SID(t, K_KEEP)];
    if (!bind_row(st, 1, row, from, n) ||
        sqlite3_bind_int64(st, n + 1, m->now) != SQLITE_OK || !run(st))
        return false;
    c->versions_kept += sqlite3_changes64(m->db);
    return true;
}

/* The statement reading the rows looks them up by key and only ever
 * changes other columns, so changing them under it is safe. */
static bool update_row(struct merge_db *m, int t, sqlite3_stmt *row, int n)
{
    sqlite3_stmt *st = m->st[SID(t, K_UPDATE)];
    return bind_row(st, 1, row, 0, n) && run(st);
}

/* An incoming answer that differs from the target's (answer_cols order:
 * key 0-2, revision 4, updated_at 5, device_id 6). */
static bool touch_row(struct merge_db *m, sqlite3_stmt *row)
{
    sqlite3_stmt *st = m->st[S_KNOWN];
    return bind_row(st, 1, row, 0, 3) && bind_row(st, 4, row, 4, 1) &&
           bind_row(st, 5, row, 6, 1) && bind_row(st, 6, row, 5, 1) &&
           run(st);
}

/* Every incoming row whose key the target has and that differs from the
 * target's: count it, keep the loser of the two in <table>_versions, and
 * put a winner in the place of the target's row. */
static bool merge_rows(struct merge_db *m, int t, struct merge_counts *c)
{
    int64_t unused = 0;
    int64_t *newer = t == T_RECORDS ? &c->records_updated
                     : t == T_ANSWERS ? &c->answers_updated
                                      : &unused;
    int n = ncols(vtables[t].cols);
    sqlite3_stmt *st = m->st[SID(t, K_PASS)];
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        bool wins = sqlite3_column_int(st, 2 * n) != 0;
        *newer += wins;
        ok = (t != T_ANSWERS || touch_row(m, st)) &&
             keep_loser(m, t, st, wins ? n : 0, n, c) &&
             (!wins || update_row(m, t, st, n));
    }
    if (ok && rc != SQLITE_DONE)
        ok = false;
    sqlite3_reset(st);
    return ok;
}

/* The rows the target did not have. */
static bool add_rows(struct merge_db *m, int t, struct merge_counts *c)
{
    if (!run(m->st[SID(t, K_ADD)]))
        return false;
    int64_t added = sqlite3_changes64(m->db);
    *(t == T_RECORDS ? &c->records_new
      : t == T_ITEMS ? &c->items_new
                     : &c->answers_new) += added;
    return true;
}

/* The search index follows the answers that change (before they do). */
static bool fts_follow(struct merge_db *m)
{
    sqlite3_stmt *add = m->st[S_FTS_ADD];
    if (!run(m->st[S_FTS_DROP]))
        return false;
    for (int mode = 2; mode >= 0; mode--) {
        if (sqlite3_bind_int(add, 1, mode) != SQLITE_OK)
            return false;
        if (run(add))
            return true;
        if ((sqlite3_errcode(m->db) & 0xff) != SQLITE_CONSTRAINT)
            return false;
    }
    return false;
}

static bool relabel_versions(struct merge_db *m, int t)
{
    const struct vtable *vt = &vtables[t];
    sqlite3_stmt *st = m->st[SID(t, K_BETTER)];
    sqlite3_stmt *up = m->st[SID(t, K_RELABEL)];
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ok = bind_row(up, 1, st, 0, vt->nvkey + 1) && run(up);
    if (ok && rc != SQLITE_DONE)
        ok = false;
    sqlite3_reset(st);
    return ok;
}

/* One versioned table: the search index (answers), the rows the target
 * has, the rows it has not, then the input's kept versions. */
static bool merge_table(struct merge_db *m, int t, struct merge_counts *c)
{
    if ((t == T_ANSWERS && !fts_follow(m)) || !merge_rows(m, t, c) ||
        !add_rows(m, t, c) || !run(m->st[SID(t, K_IMPORT)]))
        return false;
    c->versions_kept += sqlite3_changes64(m->db);
    return relabel_versions(m, t);
}

/* Which answers the input touches, before anything changes. */
static bool touch_answers(struct merge_db *m)
{
    return run(m->st[S_UNTOUCH]) && run(m->st[S_TOUCH_VERSIONS]);
}

/* The touched answers in conflict, once everything is merged. */
static bool count_conflicts(struct merge_db *m, struct merge_counts *c)
{
    sqlite3_stmt *st = m->st[S_CONFLICTS];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        c->conflicts = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW && run(m->st[S_UNTOUCH]);
}

/* A form version is stored once and never changes (store/forms.h): the
 * same id and version with other content is refused, not guessed at. */
static bool forms_clash(struct merge_db *m, char **reason)
{
    sqlite3_stmt *st = m->st[S_FORM_CLASH];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        char *id = utf8_sanitize(a ? a : "", false);
        char *ver = utf8_sanitize(b ? b : "", false);
        *reason = xasprintf(_("its form %s version %s differs from the "
                              "target's; a changed form needs a new "
                              "version"),
                            id, ver);
        free(id);
        free(ver);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

static bool merge_all(struct merge_db *m, struct merge_counts *c,
                      char **reason)
{
    if (!forms_clash(m, reason))
        return false;
    if (!run(m->st[S_FORM_MERGE]))
        return false;
    if (!touch_answers(m))
        return false;
    for (int t = 0; t < T_COUNT; t++)
        if (!merge_table(m, t, c))
            return false;
    sqlite3_stmt *note = m->st[S_DEVICE_NOTE];
    return count_conflicts(m, c) && run(m->st[S_AUDIT_MERGE]) &&
           run(m->st[S_DEVICES_MERGE]) &&
           sqlite3_bind_text(note, 1, m->device_id, -1, SQLITE_STATIC) ==
               SQLITE_OK &&
           sqlite3_bind_text(note, 2, m->device_name, -1, SQLITE_STATIC) ==
               SQLITE_OK &&
           sqlite3_bind_int64(note, 3, m->now) == SQLITE_OK && run(note);
}

static bool write_log(struct merge_db *m, const struct merge_source *src,
                      const char *sha256, const char *src_uuid,
                      const struct merge_counts *c)
{
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    char *path = utf8_sanitize(src->path, false);
    sqlite3_stmt *st = m->st[S_LOG];
    const int64_t nums[] = {c->records_new,     c->records_updated,
                            c->items_new,       c->answers_new,
                            c->answers_updated, c->versions_kept,
                            c->conflicts};
    const char *text[] = {uuid, path, sha256, src_uuid};
    bool ok = sqlite3_bind_int64(st, 5, clock_now_ms()) == SQLITE_OK &&
              sqlite3_bind_text(st, 13, m->device_id, -1, SQLITE_STATIC) ==
                  SQLITE_OK &&
              sqlite3_bind_text(st, 14, m->author, -1, SQLITE_STATIC) ==
                  SQLITE_OK;
    for (int i = 0; ok && i < 4; i++)
        ok = sqlite3_bind_text(st, 1 + i, text[i], -1, SQLITE_STATIC) ==
             SQLITE_OK;
    for (int i = 0; ok && i < 7; i++)
        ok = sqlite3_bind_int64(st, 6 + i, nums[i]) == SQLITE_OK;
    ok = ok && run(st);
    /* The bound strings are ours and freed now. */
    ok = sqlite3_clear_bindings(st) == SQLITE_OK && ok;
    free(path);
    return ok;
}

/* ---- checking the input ------------------------------------------------- */

static bool set_reason(char **reason, char *msg)
{
    free(*reason);
    *reason = msg;
    return false;
}

/* One line of at most REASON_MAX bytes, safe to print. */
static char *one_line(const char *s)
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

/* quick_check, and the source's db_uuid; false on an SQLite error (the
 * caller classifies it) or with *reason set. */
static bool read_checks(struct merge_db *m, char src_uuid[UUID_STR_LEN],
                        char **reason)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(m->db, "PRAGMA src.quick_check(1)", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto cleanup;
    const char *qc = (const char *)sqlite3_column_text(st, 0);
    if (!qc || strcmp(qc, "ok") != 0) {
        char *line = one_line(qc);
        set_reason(reason, xasprintf(_("the file is damaged (%s)"), line));
        free(line);
        goto cleanup;
    }
    sqlite3_finalize(st);
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
        set_reason(reason, xstrdup(_("the file is damaged (no db_uuid)")));
        goto cleanup;
    }
    memcpy(src_uuid, v, UUID_STR_LEN);
    ok = true;
cleanup:
    sqlite3_finalize(st);
    return ok;
}

/* What SQLite itself says of the attached file: schema version and id as
 * of its -wal, exactly our schema objects, quick_check. */
static bool check_source(struct merge_db *m, const char *path,
                         char src_uuid[UUID_STR_LEN], char **reason)
{
    int64_t app = 0, version = 0;
    if (!pragma_int(m, "PRAGMA src.application_id", &app) ||
        !pragma_int(m, "PRAGMA src.user_version", &version))
        return false;
    if ((uint32_t)app != SCHEMA_APPLICATION_ID)
        return set_reason(reason, xstrdup(_("not an imas-survey file")));
    if (version != SCHEMA_VERSION)
        return set_reason(reason,
                          xasprintf(_("it has schema version %lld, this "
                                      "program merges version %d"),
                                    (long long)version, SCHEMA_VERSION));
    struct error e = ERROR_INIT;
    if (!schema_verify(m->db, "src", path, &e)) {
        set_reason(reason, one_line(e.msg));
        error_clear(&e);
        return false;
    }
    return read_checks(m, src_uuid, reason);
}

/* imas_valid(table, sig, v...): 1 when every v has the type sig asks for,
 * text is valid UTF-8 without NUL and at most STORE_VALUE_MAX bytes; else
 * an error that stops the statement (and so the merge). */
enum bad { BAD_NONE, BAD_TYPE, BAD_LONG, BAD_UTF8 };

static enum bad bad_value(char kind, sqlite3_value *v)
{
    int type = sqlite3_value_type(v);
    if (kind == 'i')
        return type == SQLITE_INTEGER ? BAD_NONE : BAD_TYPE;
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
    return BAD_NONE;
}

static char *bad_message(enum bad bad, const char *table)
{
    switch (bad) {
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

static void sql_valid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct merge_db *m = sqlite3_user_data(ctx);
    const char *table = argc >= 2
                            ? (const char *)sqlite3_value_text(argv[0])
                            : NULL;
    const char *sig = argc >= 2 ? (const char *)sqlite3_value_text(argv[1])
                                : NULL;
    if (!table || !sig || strlen(sig) != (size_t)(argc - 2)) {
        sqlite3_result_error(ctx, "imas_valid: bad arguments", -1);
        return;
    }
    for (int i = 2; i < argc; i++) {
        enum bad bad = bad_value(sig[i - 2], argv[i]);
        if (bad != BAD_NONE) {
            free(m->invalid);
            m->invalid = bad_message(bad, table);
            sqlite3_result_error(ctx, m->invalid, -1);
            return;
        }
    }
    sqlite3_result_int(ctx, 1);
}

static int progress(void *p)
{
    struct merge_db *m = p;
    if (m->deadline_ms && input_now_ms() > m->deadline_ms) {
        m->timed_out = true;
        return 1;
    }
    return 0;
}

/* ---- outcome of a failed statement -------------------------------------- */

static enum merge_db_status failed(struct merge_db *m, struct error *err)
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
        error_set_at(err, m->path, 0, _("cannot merge into it: %s"), detail);
    }
    return MERGE_DB_FAILED;
}

/* A statement reading the input failed: the input is refused, unless the
 * failure is the target's (full, read-only, locked). "Out of memory" while
 * reading an input comes from the input: SQLite says it for a damaged
 * schema (found by fuzz-merge, tests/data/fuzz/regressions/merge). */
static enum merge_db_status classify(struct merge_db *m, char **reason,
                                     struct error *err)
{
    if (*reason)
        return MERGE_DB_REFUSED;
    if (m->invalid) {
        set_reason(reason, xstrdup(m->invalid));
        return MERGE_DB_REFUSED;
    }
    if (m->timed_out) {
        set_reason(reason, xstrdup(_("reading it took too long; the file "
                                     "may be damaged")));
        return MERGE_DB_REFUSED;
    }
    int code = sqlite3_extended_errcode(m->db);
    char *detail = one_line(sqlite3_errmsg(m->db));
    switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        free(detail);
        return failed(m, err);
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        set_reason(reason, xasprintf(_("the file is damaged (%s)"), detail));
        break;
    case SQLITE_TOOBIG:
        set_reason(reason, xstrdup(_("it holds a value longer than 16 MB")));
        break;
    default:
        set_reason(reason, xasprintf(_("cannot read it: %s"), detail));
    }
    free(detail);
    return MERGE_DB_REFUSED;
}

/* ---- one input ---------------------------------------------------------- */

/* "file:///abs/path?query" with every byte that could mean something in
 * a URI %-escaped. */
static char *file_uri(const char *path, const char *query)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "file://");
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd) {
            strbuf_adds(&sb, cwd);
            strbuf_addc(&sb, '/');
            free(cwd);
        }
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
            strbuf_addc(&sb, (char)*p);
        else
            strbuf_addf(&sb, "%%%02X", *p);
    }
    if (query)
        strbuf_addf(&sb, "?%s", query);
    return strbuf_detach(&sb);
}

static bool attach(struct merge_db *m, const char *copy)
{
    char *uri = file_uri(copy, "mode=ro");
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, "ATTACH ?1 AS src", -1, &st,
                                 NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_DONE;
    /* The step's error stays the connection's after finalize. */
    sqlite3_finalize(st);
    free(uri);
    return ok;
}

/* Inside the transaction: check, merge, log. */
static enum merge_db_status merge_tx(struct merge_db *m,
                                     const struct merge_source *src,
                                     struct merge_counts *c, char **reason,
                                     struct error *err)
{
    char src_uuid[UUID_STR_LEN];
    if (!check_source(m, src->copy, src_uuid, reason) || !prepare_all(m) ||
        !merge_all(m, c, reason))
        return classify(m, reason, err);
    const char *sha = src->sha256(src->ctx);
    if (!sha) {
        set_reason(reason, xstrdup(_("cannot read it")));
        return MERGE_DB_REFUSED;
    }
    if (!write_log(m, src, sha, src_uuid, c))
        return failed(m, err);
    return MERGE_DB_OK;
}

enum merge_db_status merge_db_input(struct merge_db *m,
                                    const struct merge_source *src,
                                    struct merge_counts *counts,
                                    char **reason, struct error *err)
{
    memset(counts, 0, sizeof *counts);
    *reason = NULL;
    xfree(&m->invalid);
    m->timed_out = false;
    m->deadline_ms = src->deadline_ms;
    m->now = clock_now_ms();
    enum merge_db_status s;
    if (!attach(m, src->copy)) {
        s = classify(m, reason, err);
        goto done;
    }
    if (!exec(m, "BEGIN IMMEDIATE")) {
        s = failed(m, err);
        goto detach;
    }
    s = merge_tx(m, src, counts, reason, err);
    finalize_all(m);
    if (s == MERGE_DB_OK && !exec(m, "COMMIT"))
        s = failed(m, err);
    if (!sqlite3_get_autocommit(m->db))
        exec(m, "ROLLBACK");
detach:
    finalize_all(m);
    if (!exec(m, "DETACH src") && s == MERGE_DB_OK)
        s = failed(m, err);
done:
    m->deadline_ms = 0;
    if (s != MERGE_DB_OK)
        memset(counts, 0, sizeof *counts);
    return s;
}

/* ---- the connection ----------------------------------------------------- */

static bool harden(struct merge_db *m)
{
    static const int off[] = {SQLITE_DBCONFIG_ENABLE_TRIGGER,
                              SQLITE_DBCONFIG_ENABLE_VIEW,
                              SQLITE_DBCONFIG_TRUSTED_SCHEMA,
                              SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        if (sqlite3_db_config(m->db, off[i], 0, (int *)NULL) != SQLITE_OK)
            return false;
    if (sqlite3_db_config(m->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
                          (int *)NULL) != SQLITE_OK)
        return false;
    sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
    sqlite3_limit(m->db, SQLITE_LIMIT_ATTACHED, 1);
    sqlite3_progress_handler(m->db, PROGRESS_OPS, progress, m);
    return sqlite3_busy_timeout(m->db, BUSY_TIMEOUT_MS) == SQLITE_OK &&
           sqlite3_create_function_v2(m->db, "imas_valid", -1, SQLITE_UTF8,
                                      m, sql_valid, NULL, NULL,
                                      NULL) == SQLITE_OK &&
           store_sql_functions(m->db) && /* imas_fts_rowid, as the store's */
           exec(m, "PRAGMA trusted_schema = OFF") &&
           exec(m, "CREATE TEMP TABLE merge_touched(record_uuid TEXT, "
                   "item_uuid TEXT, field TEXT, PRIMARY KEY(record_uuid, "
                   "item_uuid, field)) WITHOUT ROWID");
}

static bool set_durable(struct merge_db *m, bool durable)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(m->db, "PRAGMA journal_mode = WAL", -1,
                                 &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    return ok && exec(m, durable ? "PRAGMA synchronous = FULL"
                                 : "PRAGMA synchronous = OFF");
}

void merge_db_set_name(struct merge_db *m, const char *name)
{
    free(m->path);
    m->path = xstrdup(name);
}

struct merge_db *merge_db_open(const char *path, bool durable,
                               const struct merge_writer *who,
                               struct error *err)
{
    struct merge_db *m = xcalloc(1, sizeof *m);
    m->path = xstrdup(path);
    m->author = xstrdup(who->author);
    m->device_name = xstrdup(who->device_name);
    snprintf(m->device_id, sizeof m->device_id, "%s", who->device_id);
    char *uri = file_uri(path, NULL);
    int rc = sqlite3_open_v2(uri, &m->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_EXRESCODE,
                             NULL);
    free(uri);
    if (rc != SQLITE_OK || !harden(m) || !set_durable(m, durable)) {
        failed(m, err);
        goto fail;
    }
    if (!schema_verify(m->db, "main", path, err))
        goto fail;
    return m;
fail:
    merge_db_close(&m, NULL);
    return NULL;
}

bool merge_db_close(struct merge_db **mp, struct error *err)
{
    struct merge_db *m = *mp;
    if (!m)
        return true;
    finalize_all(m);
    bool ok = sqlite3_close(m->db) == SQLITE_OK;
    if (!ok)
        error_set_at(err, m->path, 0, _("cannot close the file: %s"),
                     sqlite3_errmsg(m->db));
    free(m->path);
    free(m->author);
    free(m->device_name);
    free(m->invalid);
    free(m);
    *mp = NULL;
    return ok;
}
