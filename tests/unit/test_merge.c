/* test_merge.c: merging survey files (SPEC 6): the winner rule and the
 * counts against a brute-force model, order and grouping independence,
 * idempotence, tombstones, kept versions, forms, merge_log, dry runs, the
 * -wal, read-only media, kill -9, and one test per reason an input is
 * refused (target unchanged byte for byte, nothing left beside the input
 * or the target, no hang). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "as_owner.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/strbuf.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "merge/merge.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/conflicts.h"
#include "store/records.h"
#include "store/sql.h"
#include "store/schema.h"
#include "store/search_index.h"
#include "store/store.h"
#include "old_schema.h"
#include "search_check.h"

#define BASE_MS INT64_C(1767225600000)

static char tmpdir[] = "/tmp/test_merge.XXXXXX";
static char *dir;
static int test_no;
static char *tdir; /* this test's directory */

/* ---- files --------------------------------------------------------------- */

static char *tpath(const char *name)
{
    return xasprintf("%s/%s", tdir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void file_sha(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct sha256 c;
    sha256_init(&c);
    char buf[1 << 15];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, n);
    fclose(f);
    sha256_final_hex(&c, hex);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[1 << 15];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* The names in the test's directory, sorted, as one string. */
static char *listing(const char *d)
{
    char *cmd = xasprintf("ls -a '%s'", d);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct strbuf sb;
    strbuf_init(&sb);
    char buf[512];
    while (fgets(buf, sizeof buf, p))
        strbuf_adds(&sb, buf);
    pclose(p);
    free(cmd);
    return strbuf_detach(&sb);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    return db;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_true(store_sql_functions(db)); /* imas_fold */
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static char *raw_text(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* ---- making survey files with the store ------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void)
{
    uint64_t z = (rng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static bool chance(double p)
{
    return (double)(rnd() >> 11) / 9007199254740992.0 < p;
}

/* A coarse clock, so files edited alike often share updated_at and the
 * device decides. */
static int64_t clock_ms;

static void tick(void)
{
    char buf[32];
    clock_ms += 1000 * (int64_t)(rnd() % 3);
    snprintf(buf, sizeof buf, "%lld", (long long)clock_ms);
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

static struct store *open_store(const char *path, unsigned flags)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, flags, &err);
    if (!s)
        fail_msg("store_open %s: %s", path, err.msg);
    return s;
}

static void ok_or_fail(bool ok, struct error *err, const char *what)
{
    if (!ok)
        fail_msg("%s: %s", what, err->msg);
}

static const char *const texts[] = {
    "assistant", "Асистентът помага", "učiteľa pomáha", "national", "3",
    "Die Assistenz", "pupil", "regional"};

static void set_random(struct store *s, const char *rec, const char *item,
                       const char *field)
{
    struct error err = ERROR_INIT;
    char *v = xasprintf("%s %u", texts[rnd() % 8], (unsigned)(rnd() % 100));
    tick();
    ok_or_fail(store_answer_set(s, rec, item, field, v, &err), &err,
               "answer");
    free(v);
}

static void add_record(struct store *s, int nans)
{
    struct error err = ERROR_INIT;
    char rec[UUID_STR_LEN], item[UUID_STR_LEN];
    tick();
    ok_or_fail(store_record_create(s, "f", "1", rec, &err), &err, "record");
    for (int j = 0; j < nans; j++) {
        char field[32];
        snprintf(field, sizeof field, "/data/q%d", j);
        set_random(s, rec, "", field);
    }
    tick();
    ok_or_fail(store_item_add(s, rec, "", "/data/roster", item, &err), &err,
               "item");
    set_random(s, rec, item, "/data/roster/name");
    if (chance(0.3)) {
        tick();
        ok_or_fail(store_record_finalize(s, rec, &err), &err, "finalize");
    }
}

/* A new survey file: nrec records of form f/1, nans answers each and one
 * roster item. */
static void make_survey(const char *path, int nrec, int nans, uint64_t seed)
{
    struct error err = ERROR_INIT;
    rng = seed;
    clock_ms = BASE_MS;
    tick();
    struct store *s = open_store(path, STORE_CREATE);
    ok_or_fail(store_form_put(s, "f", "1", NULL, "Form", "<h:html/>", &err),
               &err, "form");
    for (int r = 0; r < nrec; r++)
        add_record(s, nans);
    store_close(&s);
}

/* A copy is another laptop: its own db_uuid, and from now on this
 * process works as that laptop (its device identity lives in its own XDG
 * state directory, never in the file). */
static void new_identity(const char *path)
{
    char db[UUID_STR_LEN];
    uuid_v4(db);
    char *sql = xasprintf("UPDATE meta SET value = '%s' WHERE key = "
                          "'db_uuid';",
                          db);
    raw_exec(path, sql);
    free(sql);
    const char *base = strrchr(path, '/');
    char *state = xasprintf("%s/state-%s", tdir, base ? base + 1 : path);
    setenv("XDG_STATE_HOME", state, 1);
    free(state);
}

struct akey {
    char rec[UUID_STR_LEN];
    char *item, *field;
};

struct akeys {
    struct akey *v;
    size_t n;
    const char *rec;
};

static bool collect_key(void *ctx, const char *item, const char *field,
                        const char *value)
{
    (void)value;
    struct akeys *k = ctx;
    k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
    struct akey *a = &k->v[k->n++];
    snprintf(a->rec, sizeof a->rec, "%s", k->rec);
    a->item = xstrdup(item);
    a->field = xstrdup(field);
    return true;
}

static void make_draft(struct store *s, const char *rec)
{
    struct error err = ERROR_INIT;
    struct store_record r;
    if (!store_record_get(s, rec, &r, &err)) {
        error_clear(&err);
        return;
    }
    bool final = strcmp(r.state, "finalized") == 0;
    store_record_clear(&r);
    if (final) {
        tick();
        ok_or_fail(store_record_reopen(s, rec, "fix", &err), &err, "reopen");
    }
}

/* Edit a copy of a file as another laptop would: change, clear, delete,
 * finalize, add; p is how much. The clock starts where the base's did,
 * so edits of several copies collide. */
static void edit_survey(const char *path, uint64_t seed, double p)
{
    struct error err = ERROR_INIT;
    rng = seed;
    clock_ms = BASE_MS + 100000;
    tick();
    struct store *s = open_store(path, 0);
    struct store_record *list;
    size_t n;
    ok_or_fail(store_record_list(s, &list, &n, &err), &err, "list");
    struct akeys k = {0};
    for (size_t i = 0; i < n; i++) {
        k.rec = list[i].uuid;
        ok_or_fail(store_answer_foreach(s, list[i].uuid, collect_key, &k,
                                        &err),
                   &err, "foreach");
    }
    for (size_t i = 0; i < k.n; i++) {
        struct akey *a = &k.v[i];
        if (chance(p)) {
            make_draft(s, a->rec);
            if (chance(0.2)) {
                tick();
                store_answer_set(s, a->rec, a->item, a->field, NULL, &err);
            } else {
                set_random(s, a->rec, a->item, a->field);
            }
            error_clear(&err);
        }
        free(a->item);
        free(a->field);
    }
    free(k.v);
    for (size_t i = 0; i < n; i++) {
        tick();
        if (chance(p / 5)) {
            store_record_delete(s, list[i].uuid, &err);
        } else if (chance(p / 3)) {
            make_draft(s, list[i].uuid);
            char item[UUID_STR_LEN];
            store_item_add(s, list[i].uuid, "", "/data/roster", item, &err);
        } else if (chance(p / 4)) {
            make_draft(s, list[i].uuid);
            char **items;
            size_t ni;
            if (store_item_list(s, list[i].uuid, "", "/data/roster", &items,
                                &ni, &err) &&
                ni > 0)
                store_item_delete(s, items[0], &err);
            store_item_list_free(&items, ni);
        } else if (chance(p / 3)) {
            store_record_finalize(s, list[i].uuid, &err);
        }
        error_clear(&err);
    }
    store_record_list_free(&list, n);
    if (chance(0.5))
        add_record(s, 3);
    store_close(&s);
}

/* A diverging copy of base at out. */
static void fork_survey(const char *base, const char *out, uint64_t seed,
                        double p)
{
    copy_file(base, out);
    new_identity(out);
    edit_survey(out, seed, p);
}

/* ---- running merges ------------------------------------------------------- */

static bool run_merge(const char *target, const char *const *inputs,
                      size_t n, bool dry, struct merge_input_result *res)
{
    struct error err = ERROR_INIT;
    bool ok = merge_run(target, inputs, n, dry, res, &err);
    if (!ok)
        print_message("merge_run: %s\n", err.msg ? err.msg : "?");
    error_clear(&err);
    return ok;
}

/* Merge one input that must be accepted; its counts into *c (may be
 * NULL). */
static void merge_ok(const char *target, const char *input,
                     struct merge_counts *c)
{
    struct merge_input_result r;
    assert_true(run_merge(target, &input, 1, false, &r));
    if (r.refused)
        fail_msg("%s refused: %s", input, r.reason);
    if (c)
        *c = r.counts;
    merge_input_result_clear(&r);
}

/* Merge one input that must be refused; returns the reason. */
static char *merge_refused(const char *target, const char *input)
{
    struct merge_input_result r;
    assert_true(run_merge(target, &input, 1, false, &r));
    assert_true(r.refused);
    assert_non_null(r.reason);
    assert_null(strchr(r.reason, '\n'));
    char *reason = r.reason;
    r.reason = NULL;
    return reason;
}

static void assert_counts_zero(const struct merge_counts *c)
{
    assert_int_equal(c->records_new, 0);
    assert_int_equal(c->records_updated, 0);
    assert_int_equal(c->items_new, 0);
    assert_int_equal(c->answers_new, 0);
    assert_int_equal(c->answers_updated, 0);
    assert_int_equal(c->versions_kept, 0);
    assert_int_equal(c->conflicts, 0);
}

static void assert_counts_equal(const struct merge_counts *a,
                                const struct merge_counts *b)
{
    assert_int_equal(a->records_new, b->records_new);
    assert_int_equal(a->records_updated, b->records_updated);
    assert_int_equal(a->items_new, b->items_new);
    assert_int_equal(a->answers_new, b->answers_new);
    assert_int_equal(a->answers_updated, b->answers_updated);
    assert_int_equal(a->versions_kept, b->versions_kept);
    assert_int_equal(a->conflicts, b->conflicts);
}

/* ---- the data of a file, canonically ------------------------------------- */

/* Everything but meta (the file's own identity), merge_log and when a
 * version was superseded (bookkeeping of each file). */
static const char *const dump_sql[] = {
    "SELECT 'forms', form_id, form_version, hash, title, definition, "
    "added_at FROM forms ORDER BY 2, 3",
    /* not a record's number nor an answer's rowid: the file's own */
    "SELECT 'records', record_uuid, form_id, form_version, state, "
    "created_at, revision, updated_at, device_id, author, deleted, parents "
    "FROM records ORDER BY record_uuid",
    "SELECT 'items', * FROM items ORDER BY item_uuid",
    "SELECT 'answers', record_uuid, item_uuid, field, value, revision, "
    "updated_at, device_id, author, deleted, parents FROM answers "
    "ORDER BY 2, 3, 4",
    "SELECT 'audit', * FROM audit ORDER BY audit_uuid",
    "SELECT 'rv', record_uuid, revision, device_id, updated_at, form_id, "
    "form_version, state, created_at, author, deleted, reason "
    "FROM records_versions ORDER BY 2, 3, 4, 5",
    "SELECT 'iv', item_uuid, revision, device_id, updated_at, record_uuid, "
    "parent_uuid, repeat_path, created_at, author, deleted, reason "
    "FROM items_versions ORDER BY 2, 3, 4, 5",
    "SELECT 'av', record_uuid, item_uuid, field, revision, device_id, "
    "updated_at, value, author, deleted, reason FROM answers_versions "
    "ORDER BY 2, 3, 4, 5, 6, 7",
    "SELECT 'search', * FROM temp.search_terms ORDER BY 2, 3, 4, 6, 5",
    "SELECT 'edits', record_uuid, at FROM record_edits ORDER BY 2",
};

static char *dump(const char *path)
{
    sqlite3 *db = raw_open(path);
    assert_int_equal(search_terms_table(db), SQLITE_OK);
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t q = 0; q < sizeof dump_sql / sizeof dump_sql[0]; q++) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, dump_sql[q], -1, &st, NULL),
                         SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                int type = sqlite3_column_type(st, i);
                if (type == SQLITE_NULL)
                    strbuf_adds(&sb, "|NULL");
                else if (type == SQLITE_INTEGER)
                    strbuf_addf(&sb, "|%lld",
                                (long long)sqlite3_column_int64(st, i));
                else
                    strbuf_addf(&sb, "|'%s'", sqlite3_column_text(st, i));
            }
            strbuf_addc(&sb, '\n');
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return strbuf_detach(&sb);
}

static void assert_same_text(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return;
    size_t i = 0, line = 1, start = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    int la = (int)strcspn(a + start, "\n"), lb = (int)strcspn(b + start, "\n");
    fail_msg("dumps differ at line %zu:\n  %.*s\n  %.*s", line, la,
             a + start, lb, b + start);
}

static void assert_same_data(const char *path_a, const char *path_b)
{
    char *a = dump(path_a), *b = dump(path_b);
    assert_same_text(a, b);
    free(a);
    free(b);
}

/* A record's last edit (record_edits, schema 7) is the latest time of
 * every version of its answers the file holds, current or kept, for
 * every record that has one, and nothing else. */
static void assert_edits_in_step(const char *path)
{
    static const char want[] =
        "SELECT record_uuid, MAX(updated_at) AS at FROM (SELECT record_uuid, "
        "updated_at FROM answers UNION ALL SELECT record_uuid, updated_at "
        "FROM answers_versions) GROUP BY record_uuid";
    char *sql = xasprintf("WITH w AS (%s) SELECT count(*) FROM (SELECT * "
                          "FROM w EXCEPT SELECT record_uuid, at FROM "
                          "record_edits)", want);
    assert_int_equal(raw_int(path, sql), 0);
    free(sql);
    sql = xasprintf("WITH w AS (%s) SELECT count(*) FROM (SELECT "
                    "record_uuid, at FROM record_edits EXCEPT SELECT * FROM "
                    "w)", want);
    assert_int_equal(raw_int(path, sql), 0);
    free(sql);
    assert_true(raw_int(path, "SELECT count(*) FROM record_edits") > 0);
}

/* The search index holds exactly the live answers with text (every
 * field: no classifier is registered here), folded (core/fold.h), each
 * under its rowid: its terms are those of an index built afresh from the
 * answers, and FTS5 finds it consistent (search_check.h). */
static void assert_fts_in_step(const char *path)
{
    assert_search_in_step(path);
}

/* ---- a brute-force model of the merge ------------------------------------
 *
 * A file is read into memory as, per table and key, its current row and
 * its kept versions; two models merge by the rule of SPEC 6 written the
 * plain way (loops, no SQL), counting as it goes. The file the merge
 * writes must read back as exactly the model, with exactly its counts. */

enum { M_RECORDS, M_ITEMS, M_ANSWERS, M_TABLES };

struct mspec {
    const char *name, *cols;
    int ncols, nkey;
    int rev;   /* revision; updated_at and device_id follow it */
    int value; /* answers.value, -1 elsewhere */
};

static const struct mspec mspecs[M_TABLES] = {
    {"records",
     "record_uuid, form_id, form_version, state, created_at, revision, "
     "updated_at, device_id, author, deleted, parents",
     11, 1, 5, -1},
    {"items",
     "item_uuid, record_uuid, parent_uuid, repeat_path, created_at, "
     "revision, updated_at, device_id, author, deleted, parents",
     11, 1, 5, -1},
    {"answers",
     "record_uuid, item_uuid, field, value, revision, updated_at, "
     "device_id, author, deleted, parents",
     10, 3, 4, 3},
};

struct mval {
    int type; /* SQLITE_NULL, SQLITE_INTEGER or SQLITE_TEXT */
    int64_t i;
    char *s;
};

struct mrow {
    struct mval v[12];
    char *reason; /* versions only */
};

struct mkey {
    char *key;
    bool has_cur;
    struct mrow cur;
    struct mrow *vers;
    size_t nvers;
};

struct mtab {
    struct mkey *keys;
    size_t n;
};

struct model {
    struct mtab t[M_TABLES];
    char **other; /* forms and audit rows as text: merged as sets */
    size_t nother;
};

static struct mrow row_read(sqlite3_stmt *st, int n, bool reason)
{
    struct mrow r = {0};
    for (int i = 0; i < n; i++) {
        r.v[i].type = sqlite3_column_type(st, i);
        if (r.v[i].type == SQLITE_INTEGER)
            r.v[i].i = sqlite3_column_int64(st, i);
        else if (r.v[i].type == SQLITE_TEXT)
            r.v[i].s = xstrdup((const char *)sqlite3_column_text(st, i));
    }
    if (reason)
        r.reason = xstrdup((const char *)sqlite3_column_text(st, n));
    return r;
}

static struct mrow row_copy(const struct mrow *a, int n, const char *reason)
{
    struct mrow r = *a;
    for (int i = 0; i < n; i++)
        r.v[i].s = a->v[i].s ? xstrdup(a->v[i].s) : NULL;
    r.reason = reason ? xstrdup(reason) : NULL;
    return r;
}

static void row_free(struct mrow *r, int n)
{
    for (int i = 0; i < n; i++)
        free(r->v[i].s);
    free(r->reason);
}

static bool val_equal(const struct mval *a, const struct mval *b)
{
    if (a->type != b->type)
        return false;
    if (a->type == SQLITE_INTEGER)
        return a->i == b->i;
    return a->type == SQLITE_NULL || strcmp(a->s, b->s) == 0;
}

static bool row_equal(const struct mrow *a, const struct mrow *b, int n)
{
    for (int i = 0; i < n; i++)
        if (!val_equal(&a->v[i], &b->v[i]))
            return false;
    return true;
}

static bool same_identity(const struct mspec *sp, const struct mrow *a,
                          const struct mrow *b)
{
    return a->v[sp->rev].i == b->v[sp->rev].i &&
           a->v[sp->rev + 1].i == b->v[sp->rev + 1].i &&
           strcmp(a->v[sp->rev + 2].s, b->v[sp->rev + 2].s) == 0;
}

static int cmp_i(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* SPEC 6: the highest (revision, updated_at, device_id, value) wins; no
 * value (a tombstone) is the lowest. The test files never tie beyond. */
static int rank_cmp(const struct mspec *sp, const struct mrow *a,
                    const struct mrow *b)
{
    int c = cmp_i(a->v[sp->rev].i, b->v[sp->rev].i);
    if (!c)
        c = cmp_i(a->v[sp->rev + 1].i, b->v[sp->rev + 1].i);
    if (!c)
        c = strcmp(a->v[sp->rev + 2].s, b->v[sp->rev + 2].s);
    if (!c && sp->value >= 0) {
        const struct mval *x = &a->v[sp->value], *y = &b->v[sp->value];
        c = (x->type != SQLITE_NULL) - (y->type != SQLITE_NULL);
        if (!c && x->type != SQLITE_NULL)
            c = strcmp(x->s, y->s);
    }
    if (!c && !row_equal(a, b, sp->ncols))
        fail_msg("test data ties beyond the winner rule");
    return c;
}

static char *key_of(const struct mspec *sp, const struct mrow *r)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < sp->nkey; i++)
        strbuf_addf(&sb, "%s\x1f", r->v[i].s);
    return strbuf_detach(&sb);
}

static struct mkey *find_key(struct mtab *t, const char *key, bool create)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->keys[i].key, key) == 0)
            return &t->keys[i];
    if (!create)
        return NULL;
    t->keys = xrealloc(t->keys, (t->n + 1) * sizeof *t->keys);
    struct mkey *k = &t->keys[t->n++];
    memset(k, 0, sizeof *k);
    k->key = xstrdup(key);
    return k;
}

static struct mrow *find_version(const struct mspec *sp, struct mkey *k,
                                 const struct mrow *r)
{
    for (size_t i = 0; i < k->nvers; i++)
        if (same_identity(sp, &k->vers[i], r))
            return &k->vers[i];
    return NULL;
}

static void add_version(struct mkey *k, struct mrow r)
{
    k->vers = xrealloc(k->vers, (k->nvers + 1) * sizeof *k->vers);
    k->vers[k->nvers++] = r;
}

static void model_other(struct model *m, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        bool seen = false;
        for (size_t i = 0; i < m->nother && !seen; i++)
            seen = strcmp(m->other[i], row) == 0;
        if (seen)
            continue;
        m->other = xrealloc(m->other, (m->nother + 1) * sizeof *m->other);
        m->other[m->nother++] = xstrdup(row);
    }
    sqlite3_finalize(st);
}

static void model_load(struct model *m, const char *path)
{
    memset(m, 0, sizeof *m);
    sqlite3 *db = raw_open(path);
    for (int t = 0; t < M_TABLES; t++) {
        const struct mspec *sp = &mspecs[t];
        for (int pass = 0; pass < 2; pass++) {
            char *sql = xasprintf("SELECT %s%s FROM %s%s", sp->cols,
                                  pass ? ", reason" : "", sp->name,
                                  pass ? "_versions" : "");
            sqlite3_stmt *st = NULL;
            assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
                             SQLITE_OK);
            while (sqlite3_step(st) == SQLITE_ROW) {
                struct mrow r = row_read(st, sp->ncols, pass);
                char *key = key_of(sp, &r);
                struct mkey *k = find_key(&m->t[t], key, true);
                free(key);
                if (pass) {
                    add_version(k, r);
                } else {
                    k->has_cur = true;
                    k->cur = r;
                }
            }
            sqlite3_finalize(st);
            free(sql);
        }
    }
    model_other(m, db, "SELECT 'form|' || form_id || '|' || form_version || "
                       "'|' || hash || '|' || definition FROM forms");
    model_other(m, db, "SELECT 'audit|' || audit_uuid || '|' || record_uuid "
                       "|| '|' || action || '|' || reason || '|' || at || "
                       "'|' || device_id || '|' || author FROM audit");
    sqlite3_close(db);
}

static void model_free(struct model *m)
{
    for (int t = 0; t < M_TABLES; t++) {
        for (size_t i = 0; i < m->t[t].n; i++) {
            struct mkey *k = &m->t[t].keys[i];
            if (k->has_cur)
                row_free(&k->cur, mspecs[t].ncols);
            for (size_t j = 0; j < k->nvers; j++)
                row_free(&k->vers[j], mspecs[t].ncols);
            free(k->vers);
            free(k->key);
        }
        free(m->t[t].keys);
    }
    for (size_t i = 0; i < m->nother; i++)
        free(m->other[i]);
    free(m->other);
}

/* "merge" is the weakest reason, otherwise the least wins. */
static bool better_reason(const char *a, const char *b)
{
    return strcmp(a, "merge") != 0 &&
           (strcmp(b, "merge") == 0 || strcmp(a, b) < 0);
}

static void model_merge_row(struct model *into, int t, const char *key,
                            const struct mrow *s, struct merge_counts *c)
{
    const struct mspec *sp = &mspecs[t];
    struct mkey *k = find_key(&into->t[t], key, true);
    if (!k->has_cur) {
        k->has_cur = true;
        k->cur = row_copy(s, sp->ncols, NULL);
        *(t == M_RECORDS ? &c->records_new
          : t == M_ITEMS ? &c->items_new
                         : &c->answers_new) += 1;
        return;
    }
    if (row_equal(s, &k->cur, sp->ncols))
        return;
    bool wins = rank_cmp(sp, s, &k->cur) > 0;
    const struct mrow *loser = wins ? &k->cur : s;
    if (!find_version(sp, k, loser)) {
        add_version(k, row_copy(loser, sp->ncols, "merge"));
        c->versions_kept++;
    }
    if (wins) {
        row_free(&k->cur, sp->ncols);
        k->cur = row_copy(s, sp->ncols, NULL);
        if (t == M_RECORDS)
            c->records_updated++;
        if (t == M_ANSWERS)
            c->answers_updated++;
    }
}

/* The model's own reading of SPEC 6: a version is a head when no other
 * version of its key names it as a parent; an answer is in conflict when
 * a head holds another value (or tombstone) than the current row. */
static bool names_parent(const struct mspec *sp, const struct mrow *child,
                         const struct mrow *v)
{
    char vid[64];
    snprintf(vid, sizeof vid, "%lld.%lld.%.8s", (long long)v->v[sp->rev].i,
             (long long)v->v[sp->rev + 1].i, v->v[sp->rev + 2].s);
    const char *p = child->v[sp->ncols - 1].s;
    size_t n = strlen(vid);
    while (p && *p) {
        size_t len = strcspn(p, " ");
        if (len == n && strncmp(p, vid, n) == 0)
            return true;
        p += len;
        p += *p == ' ';
    }
    return false;
}

/* Is the current row of key (record_uuid or item_uuid) a tombstone? */
static bool model_deleted(struct model *m, int t, const char *uuid)
{
    char *key = xasprintf("%s\x1f", uuid);
    struct mkey *k = find_key(&m->t[t], key, false);
    free(key);
    return k && k->has_cur && k->cur.v[9].i != 0;
}

/* In a live record; in a live item any other value, in a deleted one
 * only a tombstone against a value (store/conflicts.c). */
static bool model_in_conflict(struct model *m, const struct mkey *k)
{
    const struct mspec *sp = &mspecs[M_ANSWERS];
    if (!k->has_cur || model_deleted(m, M_RECORDS, k->cur.v[0].s))
        return false;
    bool dead_item = *k->cur.v[1].s && model_deleted(m, M_ITEMS, k->cur.v[1].s);
    for (size_t i = 0; i < k->nvers; i++) {
        const struct mrow *v = &k->vers[i];
        if (val_equal(&v->v[8], &k->cur.v[8]) &&
            (dead_item || val_equal(&v->v[sp->value], &k->cur.v[sp->value])))
            continue;
        bool head = !names_parent(sp, &k->cur, v);
        for (size_t j = 0; head && j < k->nvers; j++)
            head = !names_parent(sp, &k->vers[j], v);
        if (head)
            return true;
    }
    return false;
}

/* Does the target know this version of the key (current or kept)? */
static bool model_knows(const struct mspec *sp, struct mkey *k,
                        const struct mrow *r)
{
    return k && ((k->has_cur && same_identity(sp, &k->cur, r)) ||
                 find_version(sp, k, r));
}

static void model_merge(struct model *into, const struct model *from,
                        struct merge_counts *c)
{
    memset(c, 0, sizeof *c);
    /* the answers the input brings a version of that the target lacks */
    const struct mspec *asp = &mspecs[M_ANSWERS];
    char **touched = xcalloc(from->t[M_ANSWERS].n + 1, sizeof *touched);
    size_t ntouched = 0;
    for (size_t i = 0; i < from->t[M_ANSWERS].n; i++) {
        const struct mkey *fk = &from->t[M_ANSWERS].keys[i];
        struct mkey *k = find_key(&into->t[M_ANSWERS], fk->key, false);
        bool news = fk->has_cur && !model_knows(asp, k, &fk->cur);
        for (size_t j = 0; !news && j < fk->nvers; j++)
            news = !model_knows(asp, k, &fk->vers[j]);
        if (news)
            touched[ntouched++] = fk->key;
    }
    for (int t = 0; t < M_TABLES; t++) {
        const struct mspec *sp = &mspecs[t];
        for (size_t i = 0; i < from->t[t].n; i++) {
            const struct mkey *fk = &from->t[t].keys[i];
            if (fk->has_cur)
                model_merge_row(into, t, fk->key, &fk->cur, c);
        }
        for (size_t i = 0; i < from->t[t].n; i++) {
            const struct mkey *fk = &from->t[t].keys[i];
            struct mkey *k = find_key(&into->t[t], fk->key, true);
            for (size_t j = 0; j < fk->nvers; j++) {
                struct mrow *v = find_version(sp, k, &fk->vers[j]);
                if (!v) {
                    add_version(k, row_copy(&fk->vers[j], sp->ncols,
                                            fk->vers[j].reason));
                    c->versions_kept++;
                } else if (better_reason(fk->vers[j].reason, v->reason)) {
                    free(v->reason);
                    v->reason = xstrdup(fk->vers[j].reason);
                }
            }
        }
    }
    for (size_t i = 0; i < ntouched; i++)
        c->conflicts += model_in_conflict(
            into, find_key(&into->t[M_ANSWERS], touched[i], false));
    free(touched);
    for (size_t i = 0; i < from->nother; i++) {
        bool seen = false;
        for (size_t j = 0; j < into->nother && !seen; j++)
            seen = strcmp(into->other[j], from->other[i]) == 0;
        if (!seen) {
            into->other = xrealloc(into->other,
                                   (into->nother + 1) * sizeof *into->other);
            into->other[into->nother++] = xstrdup(from->other[i]);
        }
    }
}

static void assert_model_equal(const struct model *want,
                               const struct model *got)
{
    assert_int_equal(want->nother, got->nother);
    for (int t = 0; t < M_TABLES; t++) {
        const struct mspec *sp = &mspecs[t];
        assert_int_equal(want->t[t].n, got->t[t].n);
        for (size_t i = 0; i < want->t[t].n; i++) {
            const struct mkey *w = &want->t[t].keys[i];
            struct mkey *g = find_key((struct mtab *)&got->t[t], w->key,
                                      false);
            if (!g)
                fail_msg("%s: key missing", sp->name);
            assert_int_equal(w->has_cur, g->has_cur);
            if (w->has_cur && !row_equal(&w->cur, &g->cur, sp->ncols))
                fail_msg("%s: current row differs from the model",
                         sp->name);
            assert_int_equal(w->nvers, g->nvers);
            for (size_t j = 0; j < w->nvers; j++) {
                struct mrow *v = find_version(sp, g, &w->vers[j]);
                if (!v || !row_equal(v, &w->vers[j], sp->ncols))
                    fail_msg("%s: a version differs from the model",
                             sp->name);
                assert_string_equal(v->reason, w->vers[j].reason);
            }
        }
    }
}

/* Every row an input holds, current or kept, is in the target. */
static void assert_nothing_lost(const struct model *input,
                                const struct model *target)
{
    for (int t = 0; t < M_TABLES; t++) {
        const struct mspec *sp = &mspecs[t];
        for (size_t i = 0; i < input->t[t].n; i++) {
            const struct mkey *ik = &input->t[t].keys[i];
            struct mkey *k =
                find_key((struct mtab *)&target->t[t], ik->key, false);
            assert_non_null(k);
            for (size_t j = 0; j < ik->nvers + ik->has_cur; j++) {
                const struct mrow *r = j < ik->nvers ? &ik->vers[j]
                                                     : &ik->cur;
                bool found = (k->has_cur && row_equal(&k->cur, r, sp->ncols));
                struct mrow *v = find_version(sp, k, r);
                found = found || (v && row_equal(v, r, sp->ncols));
                if (!found)
                    fail_msg("%s: a row of an input was lost", sp->name);
            }
        }
    }
}

/* ---- setup ------------------------------------------------------------- */

static char *tmp_for_copies;

static int setup(void **state)
{
    (void)state;
    tdir = xasprintf("%s/%d", dir, ++test_no);
    assert_int_equal(mkdir(tdir, 0755), 0);
    tmp_for_copies = tpath("tmp");
    assert_int_equal(mkdir(tmp_for_copies, 0755), 0);
    setenv("TMPDIR", tmp_for_copies, 1);
    unsetenv("IMAS_SURVEY_NOW_MS");
    char *laptop = tpath("state");
    setenv("XDG_STATE_HOME", laptop, 1);
    free(laptop);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    /* No private copy is ever left behind. */
    char *left = listing(tmp_for_copies);
    assert_string_equal(left, ".\n..\n");
    free(left);
    char *cmd = xasprintf("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'",
                          tdir, tdir);
    if (system(cmd) != 0)
        print_message("cannot remove %s\n", tdir);
    free(cmd);
    xfree(&tmp_for_copies);
    xfree(&tdir);
    return 0;
}

/* Four files: a base and three laptops' copies of it, one a copy of a
 * copy, edited on top of one another. */
struct family {
    char *f[4];
};

static void make_family(struct family *fam, uint64_t seed, int nrec)
{
    fam->f[0] = tpath("base.sqlite");
    fam->f[1] = tpath("austria.sqlite");
    fam->f[2] = tpath("bulgaria.sqlite");
    fam->f[3] = tpath("slovakia.sqlite");
    make_survey(fam->f[0], nrec, 3, seed);
    fork_survey(fam->f[0], fam->f[1], seed * 7 + 1, 0.4);
    fork_survey(fam->f[0], fam->f[2], seed * 7 + 2, 0.4);
    fork_survey(fam->f[1], fam->f[3], seed * 7 + 3, 0.3);
}

static void free_family(struct family *fam)
{
    for (int i = 0; i < 4; i++)
        free(fam->f[i]);
}

/* ---- the merge rule ------------------------------------------------------- */

static void test_merge_matches_brute_force_model(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct family fam;
        make_family(&fam, seed, 12);
        char *target = tpath("model-target.sqlite");
        unlink(target);
        struct model want, got, in;
        memset(&want, 0, sizeof want);
        /* and a laptop of its own (its records new to the target: copied
         * in one statement per table), between the copies */
        char *own = tpath("own.sqlite");
        make_survey(own, 4, 3, seed + 50);
        const char *files[5] = {fam.f[3], fam.f[1], own, fam.f[0],
                                fam.f[2]};
        for (int i = 0; i < 5; i++) {
            struct merge_counts c, mc;
            model_load(&in, files[i]);
            model_merge(&want, &in, &mc);
            merge_ok(target, files[i], &c);
            assert_counts_equal(&c, &mc);
            model_load(&got, target);
            assert_model_equal(&want, &got);
            assert_nothing_lost(&in, &got);
            model_free(&got);
            model_free(&in);
            assert_fts_in_step(target);
            assert_edits_in_step(target);
        }
        model_free(&want);
        free(own);
        free(target);
        free_family(&fam);
    }
}

/* An input with rows of records it lacks (answers and items whose record
 * row is gone), all of which the target has: its records are none of the
 * target's, but its rows are merged row by row, not copied, and change
 * nothing. Only a file of schema 8 or older can hold such answers; from
 * schema 9 they name their record by its number, and one that names none
 * is refused. */
static void test_rows_without_their_record_are_compared(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite"), *in = tpath("orphans.sqlite");
    make_survey(in, 3, 3, 61);
    merge_ok(t, in, NULL);
    char *before = dump(t);
    char *v9 = tpath("orphans9.sqlite");
    make_survey(v9, 3, 3, 61);
    raw_exec(v9, "DELETE FROM records");
    char *reason = merge_refused(t, v9);
    assert_non_null(strstr(reason, "answers of a record or device it does "
                                   "not name"));
    free(reason);
    free(v9);
    raw_exec(in, OLD_SCHEMA_V8_SQL "PRAGMA user_version = 8;"
                 "DELETE FROM records");
    struct merge_counts c;
    merge_ok(t, in, &c);
    assert_int_equal(c.records_new, 0);
    assert_int_equal(c.items_new, 0);
    assert_int_equal(c.answers_new, 0);
    assert_int_equal(c.answers_updated, 0);
    char *after = dump(t);
    assert_same_text(before, after);
    assert_fts_in_step(t);
    free(before);
    free(after);
    free(t);
    free(in);
}

/* The set-based merge (issue 15: every input table read once into
 * temp.merge_diff_<table>, the losers kept, the winners replaced and the
 * new rows added by one statement each) against the brute-force model
 * after every input, in two opposite orders over a larger family, whose
 * results must also be the same file. */
static void test_set_based_merge_matches_model_in_two_orders(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 77, 30);
    static const int orders[2][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}};
    char *dumps[2];
    for (int o = 0; o < 2; o++) {
        char *target = tpath(o ? "two-orders-b.sqlite" : "two-orders-a.sqlite");
        struct model want, got, in;
        memset(&want, 0, sizeof want);
        for (int i = 0; i < 4; i++) {
            struct merge_counts c, mc;
            model_load(&in, fam.f[orders[o][i]]);
            model_merge(&want, &in, &mc);
            merge_ok(target, fam.f[orders[o][i]], &c);
            assert_counts_equal(&c, &mc);
            model_free(&in);
        }
        model_load(&got, target);
        assert_model_equal(&want, &got);
        assert_fts_in_step(target);
        assert_edits_in_step(target);
        dumps[o] = dump(target);
        model_free(&got);
        model_free(&want);
        free(target);
    }
    assert_same_text(dumps[0], dumps[1]);
    free(dumps[0]);
    free(dumps[1]);
    free_family(&fam);
}

static void test_conflicts_counted_like_brute_force(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 11, 20);
    char *target = tpath("t.sqlite");
    struct model want = {0}, in;
    int64_t total = 0;
    for (int i = 1; i < 4; i++) {
        struct merge_counts c, mc;
        model_load(&in, fam.f[i]);
        model_merge(&want, &in, &mc);
        model_free(&in);
        merge_ok(target, fam.f[i], &c);
        assert_int_equal(c.conflicts, mc.conflicts);
        total += c.conflicts;
    }
    /* The copies change the same answers of the base: there are some. */
    assert_true(total > 0);
    model_free(&want);
    free(target);
    free_family(&fam);
}

static int64_t conflict_count(const char *path);

static void test_same_revision_other_value_is_a_conflict(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *c = tpath("c.sqlite"),
         *t = tpath("t.sqlite");
    setenv("IMAS_SURVEY_NOW_MS", "1767225600000", 1);
    struct store *s = open_store(base, STORE_CREATE);
    char rec[UUID_STR_LEN];
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) &&
                   store_record_create(s, "f", "1", rec, &err) &&
                   store_answer_set(s, rec, "", "/data/a", "one", &err),
               &err, "base");
    store_close(&s);
    const char *values[] = {"two", "deux"};
    char *files[] = {a, b, c};
    for (int i = 0; i < 2; i++) {
        copy_file(base, files[i]);
        new_identity(files[i]);
        s = open_store(files[i], 0);
        setenv("IMAS_SURVEY_NOW_MS", "1767225650000", 1);
        ok_or_fail(store_answer_set(s, rec, "", "/data/a", values[i], &err),
                   &err, "edit");
        store_close(&s);
    }
    struct merge_counts k;
    merge_ok(t, a, &k);
    assert_int_equal(k.conflicts, 0);
    merge_ok(t, b, &k); /* "deux" at revision 2 against "two" */
    assert_int_equal(k.conflicts, 1);
    merge_ok(t, b, &k); /* known now */
    assert_int_equal(k.conflicts, 0);
    /* A third laptop that set the value now current, later, from the
     * base: it wins and agrees with one side, but the other side's value
     * is still a head nobody has seen: the answer stays in conflict. */
    s = open_store(t, 0);
    char *now_value;
    ok_or_fail(store_answer_get(s, rec, "", "/data/a", &now_value, &err),
               &err, "get");
    store_close(&s);
    copy_file(base, c);
    new_identity(c);
    s = open_store(c, 0);
    setenv("IMAS_SURVEY_NOW_MS", "1767225700000", 1);
    ok_or_fail(store_answer_set(s, rec, "", "/data/a", now_value, &err),
               &err, "edit");
    store_close(&s);
    merge_ok(t, c, &k);
    assert_int_equal(k.conflicts, 1);
    assert_int_equal(conflict_count(t), 1);
    assert_int_equal(k.answers_updated, 1);
    free(now_value);
    /* Both rows of revision 2 that are not current are kept. */
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers_versions "
                                "WHERE revision = 2"),
                     2);
    free(base);
    free(a);
    free(b);
    free(c);
    free(t);
}

/* A conflict can arrive as a kept version alone: a file that merged both
 * rivals (one current, the other kept) into a target that has only the
 * current one. The current rows agree; the kept rival is new to the
 * target and makes the answer a conflict there, counted by the merge. */
static void make_rivals(const char *base, char **files, const char **values,
                        int n, char rec[UUID_STR_LEN]);

static void test_conflict_in_a_kept_version_alone_is_counted(void **state)
{
    (void)state;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *both = tpath("both.sqlite"),
         *t = tpath("t.sqlite");
    const char *values[] = {"two", "deux"};
    char *files[] = {a, b};
    char rec[UUID_STR_LEN];
    make_rivals(base, files, values, 2, rec);
    struct merge_counts k;
    merge_ok(both, a, &k);
    merge_ok(both, b, &k);
    assert_int_equal(k.conflicts, 1);
    merge_ok(t, b, &k);
    assert_int_equal(k.conflicts, 0);
    assert_int_equal(conflict_count(t), 0);
    merge_ok(t, both, &k);
    assert_int_equal(k.answers_updated, 0);
    assert_int_equal(k.conflicts, 1);
    assert_int_equal(conflict_count(t), 1);
    merge_ok(t, both, &k); /* known now */
    assert_int_equal(k.conflicts, 0);
    free(base);
    free(a);
    free(b);
    free(both);
    free(t);
}

/* ---- order, grouping, idempotence --------------------------------------- */

static bool count_hit(void *ctx, const char *rec, const char *item,
                      const char *field, const char *value)
{
    (void)rec;
    (void)item;
    (void)field;
    (void)value;
    ++*(int *)ctx;
    return true;
}

static bool next_permutation(int *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1])
        i--;
    if (i < 0)
        return false;
    int j = n - 1;
    while (a[j] <= a[i])
        j--;
    int x = a[i];
    a[i] = a[j];
    a[j] = x;
    for (int l = i + 1, r = n - 1; l < r; l++, r--) {
        x = a[l];
        a[l] = a[r];
        a[r] = x;
    }
    return true;
}

/* Merge files[order[0..n-1]] into a new target at path, in one run. */
static void merge_in_order(const char *path, char *const *files,
                           const int *order, int n)
{
    const char *inputs[4];
    struct merge_input_result res[4];
    for (int i = 0; i < n; i++)
        inputs[i] = files[order[i]];
    assert_true(run_merge(path, inputs, (size_t)n, false, res));
    for (int i = 0; i < n; i++) {
        if (res[i].refused)
            fail_msg("%s refused: %s", inputs[i], res[i].reason);
        merge_input_result_clear(&res[i]);
    }
}

static void test_merge_is_independent_of_order(void **state)
{
    (void)state;
    for (uint64_t seed = 21; seed <= 23; seed++) {
        struct family fam;
        make_family(&fam, seed, 8);
        /* All 24 orders of the four files for the first seed, all 6
         * orders of three for the others. */
        int n = seed == 21 ? 4 : 3;
        int order[4] = {0, 1, 2, 3};
        char *first = NULL;
        int k = 0;
        do {
            char *name = xasprintf("order-%llu-%d.sqlite",
                                   (unsigned long long)seed, k++);
            char *path = tpath(name);
            merge_in_order(path, fam.f + (4 - n), order, n);
            char *d = dump(path);
            if (!first)
                first = d;
            else {
                assert_same_text(first, d);
                free(d);
            }
            assert_fts_in_step(path);
            assert_edits_in_step(path);
            unlink(path);
            free(path);
            free(name);
        } while (next_permutation(order, n));
        free(first);
        free_family(&fam);
    }
}

static void test_merge_is_independent_of_grouping(void **state)
{
    (void)state;
    for (uint64_t seed = 31; seed <= 34; seed++) {
        struct family fam;
        make_family(&fam, seed, 8);
        char *a = fam.f[1], *b = fam.f[2], *c = fam.f[3];
        char *ab = tpath("ab.sqlite"), *ab_c = tpath("ab-c.sqlite"),
             *bc = tpath("bc.sqlite"), *a_bc = tpath("a-bc.sqlite"),
             *ca = tpath("ca.sqlite"), *b_ca = tpath("b-ca.sqlite");
        merge_ok(ab, a, NULL); /* (A + B) + C */
        merge_ok(ab, b, NULL);
        merge_ok(ab_c, ab, NULL);
        merge_ok(ab_c, c, NULL);
        merge_ok(bc, b, NULL); /* A + (B + C) */
        merge_ok(bc, c, NULL);
        merge_ok(a_bc, a, NULL);
        merge_ok(a_bc, bc, NULL);
        merge_ok(ca, c, NULL); /* B + (C + A), merged into B itself */
        merge_ok(ca, a, NULL);
        copy_file(b, b_ca);
        merge_ok(b_ca, ca, NULL);
        assert_same_data(ab_c, a_bc);
        assert_same_data(ab_c, b_ca);
        char *paths[] = {ab, ab_c, bc, a_bc, ca, b_ca};
        for (int i = 0; i < 6; i++) {
            unlink(paths[i]);
            free(paths[i]);
        }
        free_family(&fam);
    }
}

static void test_merge_is_idempotent(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 41, 10);
    char *t = tpath("t.sqlite");
    for (int i = 0; i < 4; i++)
        merge_ok(t, fam.f[i], NULL);
    char *before = dump(t);
    for (int i = 3; i >= 0; i--) {
        struct merge_counts c;
        merge_ok(t, fam.f[i], &c);
        assert_counts_zero(&c);
    }
    /* A copy of the target is a valid input that changes nothing. */
    char *copy = tpath("copy-of-t.sqlite");
    copy_file(t, copy);
    struct merge_counts c;
    merge_ok(t, copy, &c);
    assert_counts_zero(&c);
    char *after = dump(t);
    assert_same_text(before, after);
    free(before);
    free(after);
    free(copy);
    free(t);
    free_family(&fam);
}

/* ---- tombstones, versions, forms, merge_log -------------------------------- */

static void test_tombstones_win_only_by_the_rule(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *cleared = tpath("cleared.sqlite"),
         *edited = tpath("edited.sqlite"), *t1 = tpath("t1.sqlite"),
         *t2 = tpath("t2.sqlite");
    setenv("IMAS_SURVEY_NOW_MS", "1767225600000", 1);
    struct store *s = open_store(base, STORE_CREATE);
    char rec[UUID_STR_LEN], rec2[UUID_STR_LEN];
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) &&
                   store_record_create(s, "f", "1", rec, &err) &&
                   store_record_create(s, "f", "1", rec2, &err) &&
                   store_answer_set(s, rec, "", "/data/a", "keep me", &err) &&
                   store_answer_set(s, rec, "", "/data/b", "clear me", &err),
               &err, "base");
    store_close(&s);
    /* One laptop clears both answers (revision 2) and deletes rec2. */
    copy_file(base, cleared);
    new_identity(cleared);
    s = open_store(cleared, 0);
    setenv("IMAS_SURVEY_NOW_MS", "1767225610000", 1);
    ok_or_fail(store_answer_set(s, rec, "", "/data/a", NULL, &err) &&
                   store_answer_set(s, rec, "", "/data/b", NULL, &err) &&
                   store_record_delete(s, rec2, &err),
               &err, "clear");
    store_close(&s);
    /* The other edits /data/a twice (revision 3), later. */
    copy_file(base, edited);
    new_identity(edited);
    s = open_store(edited, 0);
    setenv("IMAS_SURVEY_NOW_MS", "1767225620000", 1);
    ok_or_fail(store_answer_set(s, rec, "", "/data/a", "kept!", &err) &&
                   store_answer_set(s, rec, "", "/data/a", "kept!!", &err),
               &err, "edit");
    store_close(&s);
    merge_ok(t1, cleared, NULL);
    merge_ok(t1, edited, NULL);
    merge_ok(t2, edited, NULL);
    merge_ok(t2, cleared, NULL);
    assert_same_data(t1, t2);
    s = open_store(t1, 0);
    char *v;
    ok_or_fail(store_answer_get(s, rec, "", "/data/a", &v, &err), &err, "a");
    assert_string_equal(v, "kept!!"); /* revision 3 beats the tombstone */
    free(v);
    ok_or_fail(store_answer_get(s, rec, "", "/data/b", &v, &err), &err, "b");
    assert_null(v); /* the tombstone (revision 2) beats revision 1 */
    struct store_record r;
    assert_false(store_record_get(s, rec2, &r, &err)); /* deleted */
    error_clear(&err);
    store_close(&s);
    assert_int_equal(raw_int(t1, "SELECT count(*) FROM answers_versions "
                                 "WHERE field = '/data/b' AND value = "
                                 "'clear me'"),
                     1);
    assert_int_equal(raw_int(t1, "SELECT count(*) FROM answers_versions "
                                 "WHERE field = '/data/a' AND deleted = 1"),
                     1);
    assert_fts_in_step(t1);
    assert_edits_in_step(t1);
    char *paths[] = {base, cleared, edited, t1, t2};
    for (int i = 0; i < 5; i++)
        free(paths[i]);
}

static void test_versions_keep_every_loser(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 51, 10);
    char *t = tpath("t.sqlite");
    for (int i = 3; i >= 0; i--)
        merge_ok(t, fam.f[i], NULL);
    struct model target;
    model_load(&target, t);
    for (int i = 0; i < 4; i++) {
        struct model in;
        model_load(&in, fam.f[i]);
        assert_nothing_lost(&in, &target);
        model_free(&in);
    }
    model_free(&target);
    /* Losers that arrived by merge say so. */
    assert_true(raw_int(t, "SELECT count(*) FROM answers_versions "
                           "WHERE reason = 'merge'") > 0);
    free(t);
    free_family(&fam);
}

static void test_forms_travel_with_their_records(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    struct store *s = open_store(t, STORE_CREATE);
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<f/>", &err), &err,
               "form");
    store_close(&s);
    s = open_store(in, STORE_CREATE);
    char rec[UUID_STR_LEN];
    static const char def[] = "<h:html><h:title>Grid</h:title></h:html>";
    ok_or_fail(store_form_put(s, "imas-grid", "2", NULL, "Grid", def, &err) &&
                   store_record_create(s, "imas-grid", "2", rec, &err) &&
                   store_answer_set(s, rec, "", "/data/x", "y", &err),
               &err, "input");
    store_close(&s);
    merge_ok(t, in, NULL);
    s = open_store(t, 0);
    struct store_form f;
    bool found;
    ok_or_fail(store_form_get(s, "imas-grid", "2", &f, &found, &err), &err,
               "get");
    assert_true(found);
    assert_string_equal(f.definition, def);
    char hash[65];
    sha256_hex(def, strlen(def), hash);
    assert_string_equal(f.hash, hash);
    store_form_clear(&f);
    struct store_record r;
    ok_or_fail(store_record_get(s, rec, &r, &err), &err, "record");
    assert_string_equal(r.form_id, "imas-grid");
    store_record_clear(&r);
    store_close(&s);
    free(t);
    free(in);
}

static void test_form_changed_under_same_version_refused(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    struct store *s = open_store(t, STORE_CREATE);
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<old/>", &err), &err,
               "form");
    store_close(&s);
    s = open_store(in, STORE_CREATE);
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<new/>", &err), &err,
               "form");
    store_close(&s);
    char before[65], after[65];
    file_sha(t, before);
    char *reason = merge_refused(t, in);
    assert_non_null(strstr(reason, "form f version 1"));
    file_sha(t, after);
    assert_string_equal(before, after);
    free(reason);
    free(t);
    free(in);
}

/* A record's form never changes, and which of its answers are indexed
 * follows from it: an input whose record has another form (here a
 * newer revision moving it to f/2) than the target's record of that id
 * is refused, the target unchanged byte for byte; so is one whose record
 * is of a form neither file holds (a later input bringing that form
 * would change what its answers' entries are dropped by). */
static void test_record_of_another_or_missing_form_refused(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    make_survey(t, 2, 2, 97);
    copy_file(t, in);
    new_identity(in);
    struct store *s = open_store(in, 0);
    ok_or_fail(store_form_put(s, "f", "2", NULL, "F", "<h:html2/>", &err),
               &err, "form");
    store_close(&s);
    raw_exec(in, "UPDATE records SET form_version = '2', revision = "
                 "revision + 1 WHERE record_uuid = (SELECT min(record_uuid) "
                 "FROM records)");
    char before[65], after[65];
    file_sha(t, before);
    char *reason = merge_refused(t, in);
    assert_non_null(strstr(reason, "another form"));
    file_sha(t, after);
    assert_string_equal(before, after);
    free(reason);
    /* also where the target's record would win (an older edit) */
    raw_exec(in, "UPDATE records SET revision = revision - 1, updated_at = "
                 "updated_at - 1 WHERE form_version = '2'");
    reason = merge_refused(t, in);
    assert_non_null(strstr(reason, "another form"));
    file_sha(t, after);
    assert_string_equal(before, after);
    free(reason);
    /* into a new file, its records and form are taken as they are */
    char *u = tpath("u.sqlite");
    merge_ok(u, in, NULL);
    assert_search_in_step(u);
    free(u);
    /* a record of a form neither file holds: a new record of the input */
    raw_exec(in, "UPDATE records SET form_version = '9', record_uuid = "
                 "'019b0000-0000-7000-8000-000000000001' WHERE record_uuid = "
                 "(SELECT max(record_uuid) FROM records)");
    reason = merge_refused(t, in);
    assert_non_null(strstr(reason, "neither it nor the target holds"));
    assert_non_null(strstr(reason, "019b0000-0000-7000-8000-000000000001"));
    free(reason);
    u = tpath("v.sqlite");
    reason = merge_refused(u, in);
    assert_non_null(strstr(reason, "neither it nor the target holds"));
    assert_false(exists(u));
    file_sha(t, after);
    assert_string_equal(before, after);
    free(reason);
    free(u);
    free(t);
    free(in);
}

static void test_merge_log_row_per_merged_input(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 61, 5);
    char *t = tpath("t.sqlite");
    const char *inputs[] = {fam.f[1], fam.f[2], fam.f[1]};
    struct merge_input_result res[3];
    for (int i = 0; i < 3; i++) {
        char now[32];
        snprintf(now, sizeof now, "%lld", (long long)(BASE_MS + 1000 * i));
        setenv("IMAS_SURVEY_NOW_MS", now, 1);
        assert_true(run_merge(t, &inputs[i], 1, false, &res[i]));
    }
    sqlite3 *db = raw_open(t);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT source_path, source_sha256, source_db_uuid, records_new, "
            "records_updated, items_new, answers_new, answers_updated, "
            "versions_kept, conflicts, device_id, merged_at FROM merge_log "
            "ORDER BY merged_at",
            -1, &st, NULL),
        SQLITE_OK);
    for (int i = 0; i < 3; i++) {
        assert_false(res[i].refused);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal(sqlite3_column_text(st, 0), inputs[i]);
        char sha[65];
        file_sha(inputs[i], sha);
        assert_string_equal(sqlite3_column_text(st, 1), sha);
        char *q = xasprintf("SELECT value FROM meta WHERE key = 'db_uuid'");
        sqlite3 *in = raw_open(inputs[i]);
        sqlite3_stmt *m = NULL;
        assert_int_equal(sqlite3_prepare_v2(in, q, -1, &m, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(m), SQLITE_ROW);
        assert_string_equal(sqlite3_column_text(st, 2),
                            sqlite3_column_text(m, 0));
        sqlite3_finalize(m);
        sqlite3_close(in);
        free(q);
        const int64_t want[] = {res[i].counts.records_new,
                                res[i].counts.records_updated,
                                res[i].counts.items_new,
                                res[i].counts.answers_new,
                                res[i].counts.answers_updated,
                                res[i].counts.versions_kept,
                                res[i].counts.conflicts};
        for (int j = 0; j < 7; j++)
            assert_int_equal(sqlite3_column_int64(st, 3 + j), want[j]);
        assert_int_equal(sqlite3_column_int64(st, 11), BASE_MS + 1000 * i);
        merge_input_result_clear(&res[i]);
    }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* written by this laptop, whose name the file now knows */
    assert_int_equal(raw_int(t, "SELECT count(*) FROM merge_log m JOIN "
                                "devices d ON d.device_id = m.device_id"),
                     3);
    free(t);
    free_family(&fam);
}

/* A search entry's id is its answer's rowid in the target (schema 8):
 * an input's rowids and its index are never read. The input's answer
 * sits at the rowid of the target's own first answer, and its index holds
 * words its answers do not: the merged answer is indexed under a rowid of
 * its own, found by its text, and the input's words are nowhere. */
static void test_input_rowids_and_index_never_read(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    make_survey(t, 1, 1, 91);
    struct store *s = open_store(in, STORE_CREATE);
    char rec[UUID_STR_LEN];
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<h:html/>", &err) &&
                   store_record_create(s, "f", "1", rec, &err) &&
                   store_answer_set(s, rec, "", "/data/n", "Učiteľ", &err),
               &err, "input");
    store_close(&s);
    assert_int_equal(raw_int(in, "SELECT rowid FROM answers"),
                     raw_int(t, "SELECT min(rowid) FROM answers"));
    raw_exec(in, "INSERT INTO search(rowid, text) VALUES (1, 'collided'), "
                 "(99, 'phantom')");
    long long before = raw_int(t, "SELECT count(*) FROM answers");
    merge_ok(t, in, NULL);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers"), before + 1);
    assert_true(raw_int(t, "SELECT rowid FROM answers WHERE field = "
                           "'/data/n'") > before);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM search WHERE search "
                                "MATCH 'collided OR phantom'"),
                     0);
    assert_fts_in_step(t);
    s = open_store(t, 0);
    int found = 0;
    ok_or_fail(store_search(s, "ucitel", count_hit, &found, &err), &err,
               "search");
    store_close(&s);
    assert_int_equal(found, 1);
    free(t);
    free(in);
}

/* Into a target without rows (a new file) an input of this schema is
 * copied in one statement per table: the same data as merged row by row
 * (here, into a copy of that target holding one record the input lacks,
 * removed again before comparing), counted the same, indexed, with the
 * target's own rowids (the input's start at 1001 here). */
static void test_new_target_takes_the_input_whole(void **state)
{
    (void)state;
    char *in = tpath("in.sqlite"), *t = tpath("t.sqlite"),
         *u = tpath("u.sqlite"), *other = tpath("other.sqlite");
    make_survey(in, 5, 4, 31);
    make_survey(other, 1, 1, 32);
    raw_exec(in, "UPDATE answer_rows SET rowid = rowid + 1000");
    struct merge_counts whole, rows;
    merge_ok(t, in, &whole);
    assert_int_equal(raw_int(t, "SELECT min(rowid) FROM answers"), 1);
    assert_fts_in_step(t);
    merge_ok(u, other, NULL);
    char *rec = raw_text(u, "SELECT record_uuid FROM records");
    merge_ok(u, in, &rows);
    assert_counts_equal(&whole, &rows);
    assert_true(raw_int(u, "SELECT max(rowid) FROM answers") < 1000);
    sqlite3 *db = raw_open(u);
    assert_true(store_sql_functions(db));
    char *drop = xasprintf("INSERT INTO search(search, rowid, text) SELECT "
                           "'delete', rowid, imas_fold(value) FROM answers "
                           "WHERE record_uuid = '%s' AND deleted = 0 AND "
                           "value <> ''",
                           rec);
    assert_int_equal(sqlite3_exec(db, drop, NULL, NULL, NULL), SQLITE_OK);
    free(drop);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    char *rows_of = xasprintf("DELETE FROM answer_rows WHERE rid = (SELECT "
                              "rid FROM records WHERE record_uuid = '%s')",
                              rec);
    raw_exec(u, rows_of);
    free(rows_of);
    static const char *const tables[] = {
        "items", "records", "record_edits", "audit",
        "answers_versions", "items_versions", "records_versions"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char *sql = xasprintf("DELETE FROM %s WHERE record_uuid = '%s'",
                              tables[i], rec);
        raw_exec(u, sql);
        free(sql);
    }
    raw_exec(u, "DELETE FROM forms WHERE form_id NOT IN (SELECT form_id "
                "FROM records)");
    raw_exec(t, "DELETE FROM forms WHERE form_id NOT IN (SELECT form_id "
                "FROM records)");
    assert_same_data(t, u);
    free(rec);
    free(in);
    free(t);
    free(u);
    free(other);
}

/* A classifier for the test below: /t is text in every form, /x only in
 * a definition that says "x-is-text". */
static char **marker_fields(const char *definition, size_t len, size_t *n)
{
    (void)len;
    char **v = xcalloc(2, sizeof *v);
    *n = 0;
    v[(*n)++] = xstrdup("/t");
    if (strstr(definition, "x-is-text"))
        v[(*n)++] = xstrdup("/x");
    return v;
}

static void one_record(const char *path, const char *definition,
                       const char *x)
{
    struct error err = ERROR_INIT;
    struct store *s = open_store(path, STORE_CREATE);
    char rec[UUID_STR_LEN];
    ok_or_fail(store_form_put(s, "g", "1", NULL, "G", definition, &err) &&
                   store_record_create(s, "g", "1", rec, &err) &&
                   store_answer_set(s, rec, "", "/x", x, &err) &&
                   store_answer_set(s, rec, "", "/t", "hello", &err),
               &err, "input");
    store_close(&s);
}

/* What the search index holds follows the forms the target holds, read
 * afresh for every input: a form of an input refused after its answers
 * were indexed (rolled back) does not decide what the next input's
 * answers index. Here the refused input's g/1 calls /x text, the next
 * one's g/1 does not. */
static void test_refused_input_form_does_not_index_the_next(void **state)
{
    (void)state;
    store_set_text_fields(marker_fields);
    char *t = tpath("t.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite");
    one_record(a, "<h:html>x-is-text</h:html>", "alpha");
    raw_exec(a, "INSERT INTO answers_versions SELECT record_uuid, "
                "item_uuid, field, 0, device_id, updated_at, value, author, "
                "deleted, 1, 'edit', parents FROM answers LIMIT 1");
    one_record(b, "<h:html/>", "bravo");
    struct merge_input_result r[2];
    assert_true(run_merge(t, (const char *[]){a, b}, 2, false, r));
    assert_true(r[0].refused);
    assert_false(r[1].refused);
    merge_input_result_clear(&r[0]);
    merge_input_result_clear(&r[1]);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM search WHERE search "
                                "MATCH 'bravo OR alpha'"),
                     0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM search WHERE search "
                                "MATCH 'hello'"),
                     1);
    assert_fts_in_step(t);
    store_set_text_fields(NULL);
    free(t);
    free(a);
    free(b);
}

/* The search index of the file at path made afresh by the rule (after
 * its rowids were changed by hand). */
static void rebuild_index(const char *path)
{
    struct error err = ERROR_INIT;
    sqlite3 *db = raw_open(path);
    assert_true(store_sql_functions(db) && search_index_functions(db));
    ok_or_fail(search_index_rebuild(db, path, &err), &err, "rebuild");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A target without rows whose index still holds entries (a damaged
 * file, emptied by hand): the input copied whole is indexed alone, the
 * old entries never found on the answers that took their rowids. */
static void test_emptied_target_drops_stale_entries(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    make_survey(t, 2, 2, 98);
    make_survey(in, 2, 2, 99);
    raw_exec(t, "DELETE FROM answer_rows; DELETE FROM items; DELETE FROM "
                "records; DELETE FROM answers_versions; DELETE FROM "
                "items_versions; DELETE FROM records_versions; DELETE FROM "
                "record_edits; DELETE FROM audit; INSERT INTO search(rowid, "
                "text) VALUES (1, 'stale'), (2, 'stale')");
    struct merge_counts c;
    merge_ok(t, in, &c);
    assert_int_equal(c.answers_new, raw_int(in, "SELECT count(*) FROM "
                                                "answers"));
    assert_search_in_step(t);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM search WHERE search "
                                "MATCH 'stale'"),
                     0);
    free(t);
    free(in);
}

/* A damaged or hostile target whose top answer rowid is 2^63 - 1 (or
 * within the count of the new rows of it): SQLite gives the rows added
 * free rowids at random, below the top, and they are indexed all the
 * same, by key; a second input after it too. */
static void test_new_rows_indexed_below_a_top_rowid_of_2_63(void **state)
{
    (void)state;
    static const char *const tops[] = {"9223372036854775807",
                                       "9223372036854775805"};
    for (size_t i = 0; i < 2; i++) {
        char *t = tpath("t.sqlite"), *in = tpath("in.sqlite"),
             *in2 = tpath("in2.sqlite");
        unlink(t);
        unlink(in);
        unlink(in2);
        make_survey(t, 2, 2, 93);
        make_survey(in, 3, 3, 94);
        make_survey(in2, 2, 2, 95);
        char *sql = xasprintf("UPDATE answer_rows SET rowid = %s WHERE rowid = "
                              "(SELECT max(rowid) FROM answers)",
                              tops[i]);
        raw_exec(t, sql);
        free(sql);
        rebuild_index(t);
        long long before = assert_search_in_step(t);
        merge_ok(t, in, NULL);
        long long after = assert_search_in_step(t);
        assert_int_equal(after, before + raw_int(in, "SELECT count(*) FROM "
                                                     "answers WHERE value "
                                                     "<> ''"));
        merge_ok(t, in2, NULL);
        assert_search_in_step(t);
        assert_int_equal(raw_int(t, "SELECT max(rowid) FROM answers"),
                         INT64_MAX);
        free(t);
        free(in);
        free(in2);
    }
}

/* A target whose own search index is damaged (emptied, its format
 * changed, its structure record garbled): the merge stops with the target's fault
 * named, the input never called damaged, the target unchanged. */
static void test_damaged_target_index_is_the_targets_fault(void **state)
{
    (void)state;
    static const char *const damage[] = {
        "INSERT INTO search(search) VALUES ('delete-all')",
        "INSERT OR REPLACE INTO search_config VALUES ('version', 99)",
        "UPDATE search_data SET block = X'0102' WHERE id = 1"};
    for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
        char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
        unlink(t);
        unlink(in);
        make_survey(t, 3, 3, 96);
        copy_file(t, in);
        new_identity(in);
        raw_exec(in, "UPDATE answer_rows SET value = 'novel ' || value, "
                     "revision = revision + 1");
        raw_exec(t, damage[i]);
        char before[65], after[65];
        file_sha(t, before);
        struct error err = ERROR_INIT;
        struct merge_input_result r;
        const char *inputs[] = {in};
        if (merge_run(t, inputs, 1, false, &r, &err))
            fail_msg("damage %zu: merged (%s)", i, r.reason ? r.reason : "");
        assert_non_null(err.msg);
        assert_non_null(err.file);
        assert_non_null(strstr(err.file, "t.sqlite"));
        assert_non_null(strstr(err.msg, "search index is damaged"));
        assert_null(strstr(err.msg, "in.sqlite"));
        assert_true(r.refused);
        assert_null(r.reason ? strstr(r.reason, "the file is damaged") : NULL);
        merge_input_result_clear(&r);
        error_clear(&err);
        file_sha(t, after);
        assert_string_equal(before, after);
        free(t);
        free(in);
    }
}

/* A damaged target whose answers' device is known under a second number
 * (its device_ids row twice, the copy missing from the id's index, which
 * PRAGMA quick_check does not see) or under none (the row gone): an input
 * holding the same rows changes nothing, as before answers were compared
 * by number. The rows are the target's own: not kept again as older
 * values, not counted as such. */
static void test_damaged_target_device_keeps_no_copy_of_its_rows(void **st)
{
    (void)st;
    for (int lost = 0; lost < 2; lost++) {
        char *t = tpath(lost ? "dev-lost-t.sqlite" : "dev-twice-t.sqlite");
        char *in = tpath(lost ? "dev-lost-in.sqlite" : "dev-twice-in.sqlite");
        make_survey(t, 3, 3, 97);
        copy_file(t, in);
        new_identity(in);
        if (lost) {
            raw_exec(t, "DELETE FROM device_ids");
        } else {
            int64_t root = raw_int(t, "SELECT rootpage FROM sqlite_schema "
                                      "WHERE name = "
                                      "'sqlite_autoindex_device_ids_1'");
            raw_exec(t, "PRAGMA writable_schema = ON; DELETE FROM "
                        "sqlite_schema WHERE name = "
                        "'sqlite_autoindex_device_ids_1'; UPDATE "
                        "sqlite_schema SET sql = replace(sql, 'TEXT NOT "
                        "NULL UNIQUE', 'TEXT NOT NULL') WHERE name = "
                        "'device_ids'");
            raw_exec(t, "INSERT INTO device_ids(did, device_id) SELECT "
                        "did + 1000, device_id FROM device_ids; UPDATE "
                        "answer_rows SET did = did + 1000 WHERE rowid % 2 "
                        "= 0");
            char *restore = xasprintf(
                "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql "
                "= replace(sql, 'TEXT NOT NULL', 'TEXT NOT NULL UNIQUE') "
                "WHERE name = 'device_ids'; INSERT INTO sqlite_schema "
                "VALUES ('index', 'sqlite_autoindex_device_ids_1', "
                "'device_ids', %lld, NULL)",
                (long long)root);
            raw_exec(t, restore);
            free(restore);
            char *qc = raw_text(t, "PRAGMA quick_check");
            assert_string_equal(qc, "ok");
            free(qc);
        }
        int64_t kept = raw_int(t, "SELECT count(*) FROM answers_versions");
        char *before = dump(t);
        struct merge_counts c;
        merge_ok(t, in, &c);
        assert_int_equal(c.answers_new, 0);
        assert_int_equal(c.answers_updated, 0);
        assert_int_equal(c.versions_kept, 0);
        assert_int_equal(raw_int(t, "SELECT count(*) FROM answers_versions"),
                         kept);
        char *after = dump(t);
        assert_same_text(before, after);
        free(after);
        free(before);
        free(in);
        free(t);
    }
}

/* ---- dry runs --------------------------------------------------------- */

static void test_dry_run_changes_nothing_and_counts_like_real_run(void **state)
{
    (void)state;
    struct family fam;
    make_family(&fam, 71, 8);
    char *t = tpath("t.sqlite");
    merge_ok(t, fam.f[0], NULL);
    char *copy = tpath("copy-of-austria.sqlite");
    copy_file(fam.f[1], copy);
    const char *inputs[] = {fam.f[1], fam.f[2], copy, "/nonexistent"};
    struct merge_input_result dry[4], real[4];
    char before[65], after[65];
    file_sha(t, before);
    char *ls_before = listing(tdir);
    assert_true(run_merge(t, inputs, 4, true, dry));
    file_sha(t, after);
    assert_string_equal(before, after);
    char *ls_after = listing(tdir);
    assert_string_equal(ls_before, ls_after);
    assert_true(run_merge(t, inputs, 4, false, real));
    for (int i = 0; i < 4; i++) {
        assert_int_equal(dry[i].refused, real[i].refused);
        assert_counts_equal(&dry[i].counts, &real[i].counts);
        merge_input_result_clear(&dry[i]);
        merge_input_result_clear(&real[i]);
    }
    assert_true(dry[3].refused);
    free(ls_before);
    free(ls_after);
    free(copy);
    free(t);
    free_family(&fam);
}

static void test_dry_run_never_creates_the_target(void **state)
{
    (void)state;
    char *in = tpath("in.sqlite"), *t = tpath("new.sqlite");
    make_survey(in, 3, 2, 5);
    struct merge_input_result dry, real;
    assert_true(run_merge(t, (const char *[]){in}, 1, true, &dry));
    assert_false(dry.refused);
    assert_false(exists(t));
    assert_true(run_merge(t, (const char *[]){in}, 1, false, &real));
    assert_counts_equal(&dry.counts, &real.counts);
    assert_int_equal(real.counts.records_new, 3);
    merge_input_result_clear(&dry);
    merge_input_result_clear(&real);
    free(in);
    free(t);
}

/* ---- a missing target ------------------------------------------------------ */

static void test_refusal_never_creates_missing_target(void **state)
{
    (void)state;
    char *t = tpath("new.sqlite"), *bad = tpath("bad.txt");
    write_file(bad, "hello\n", 6);
    char *ls = listing(tdir);
    char *reason = merge_refused(t, bad);
    free(reason);
    assert_false(exists(t));
    char *ls2 = listing(tdir);
    assert_string_equal(ls, ls2);
    free(ls);
    free(ls2);
    free(t);
    free(bad);
}

static void test_refused_input_does_not_stop_the_others(void **state)
{
    (void)state;
    char *t = tpath("new.sqlite"), *bad = tpath("bad.txt"),
         *good = tpath("good.sqlite");
    write_file(bad, "hello\n", 6);
    make_survey(good, 2, 2, 9);
    const char *inputs[] = {bad, good, "/nonexistent/x.sqlite"};
    struct merge_input_result res[3];
    assert_true(run_merge(t, inputs, 3, false, res));
    assert_true(res[0].refused);
    assert_false(res[1].refused);
    assert_true(res[2].refused);
    assert_int_equal(res[1].counts.records_new, 2);
    struct stat st;
    assert_int_equal(stat(t, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *wal = tpath("new.sqlite-wal");
    assert_false(exists(wal));
    free(wal);
    for (int i = 0; i < 3; i++)
        merge_input_result_clear(&res[i]);
    assert_same_data(t, good);
    free(t);
    free(bad);
    free(good);
}

/* ---- the -wal of an input -------------------------------------------------- */

/* A laptop that crashed after saving: its last answer is only in the
 * -wal (a child process saves and exits without closing). */
static void crash_after_save(const char *path, const char *value)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct error err = ERROR_INIT;
        struct store *s = store_open(path, 0, &err);
        char rec[UUID_STR_LEN];
        bool ok = s && store_record_create(s, "f", "1", rec, &err) &&
                  store_answer_set(s, rec, "", "/data/wal", value, &err);
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_wal_contents_are_merged_and_input_untouched(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite");
    char *in_dir = tpath("partner");
    assert_int_equal(mkdir(in_dir, 0755), 0);
    char *in = xasprintf("%s/wal.sqlite", in_dir);
    make_survey(in, 2, 2, 13);
    crash_after_save(in, "only in the log");
    char *wal = xasprintf("%s-wal", in);
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size > 0);
    char sha_db[65], sha_wal[65], sha_db2[65], sha_wal2[65];
    file_sha(in, sha_db);
    file_sha(wal, sha_wal);
    char *ls = listing(in_dir);
    merge_ok(t, in, NULL);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers WHERE value = "
                                "'only in the log'"),
                     1);
    file_sha(in, sha_db2);
    file_sha(wal, sha_wal2);
    assert_string_equal(sha_db, sha_db2);
    assert_string_equal(sha_wal, sha_wal2);
    char *ls2 = listing(in_dir);
    assert_string_equal(ls, ls2);
    free(ls);
    free(ls2);
    free(wal);
    free(in);
    free(in_dir);
    free(t);
}

/* An input in a directory we cannot write to (read-only media): SQLite
 * could not make the -shm a WAL file needs there; it reads a copy. Run as
 * an unprivileged user when we are root. */
static void test_input_in_read_only_directory(void **state)
{
    (void)state;
    char *in_dir = tpath("usb"), *t_dir = tpath("out");
    assert_int_equal(mkdir(in_dir, 0755), 0);
    assert_int_equal(mkdir(t_dir, 0777), 0);
    assert_int_equal(chmod(t_dir, 0777), 0);
    assert_int_equal(chmod(tmp_for_copies, 0777), 0);
    char *in = xasprintf("%s/partner.sqlite", in_dir);
    char *t = xasprintf("%s/t.sqlite", t_dir);
    make_survey(in, 2, 2, 17);
    crash_after_save(in, "from the stick");
    char *wal = xasprintf("%s-wal", in);
    assert_int_equal(chmod(in, 0644), 0);
    assert_int_equal(chmod(wal, 0644), 0);
    free(wal);
    char *shm = xasprintf("%s-shm", in);
    unlink(shm); /* as if copied from another machine: no -shm */
    char *ls = listing(in_dir);
    assert_int_equal(chmod(in_dir, 0555), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* root writes into a 0555 directory; as its owner it may not */
        if (!as_owner_begin())
            _exit(2);
        struct merge_input_result r;
        struct error err = ERROR_INIT;
        const char *inputs[] = {in};
        bool ok = merge_run(t, inputs, 1, false, &r, &err);
        if (!ok || r.refused)
            fprintf(stderr, "%s\n", ok ? r.reason : err.msg);
        _exit(ok && !r.refused ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(in_dir, 0755), 0);
    assert_int_equal(chmod(dir, 0700), 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
        skip();
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers WHERE value = "
                                "'from the stick'"),
                     1);
    char *ls2 = listing(in_dir);
    assert_string_equal(ls, ls2);
    free(ls);
    free(ls2);
    free(shm);
    free(in);
    free(t);
    free(in_dir);
    free(t_dir);
}

/* ---- kill -9 ------------------------------------------------------------- */

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Killed at any moment, a merge leaves the target as it was before the
 * input or as it is after it, never in between, and never damaged. */
static void test_kill_during_merge_leaves_target_before_or_after(void **state)
{
    (void)state;
    char *base = tpath("base.sqlite"), *in = tpath("in.sqlite"),
         *t = tpath("t.sqlite"), *after = tpath("after.sqlite");
    make_survey(base, 40, 6, 81);
    fork_survey(base, in, 82, 0.5);
    make_survey(t, 30, 4, 83);
    merge_ok(t, base, NULL);
    copy_file(t, after);
    double t0 = mono_ms();
    merge_ok(after, in, NULL);
    double took = mono_ms() - t0;
    char *want_before = dump(t), *want_after = dump(after);
    char *victim = tpath("victim.sqlite");
    int outcomes[2] = {0, 0};
    for (int i = 0; i < 10; i++) {
        char *wal = xasprintf("%s-wal", victim);
        unlink(wal);
        free(wal);
        copy_file(t, victim);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct merge_input_result r;
            struct error err = ERROR_INIT;
            const char *inputs[] = {in};
            merge_run(victim, inputs, 1, false, &r, &err);
            _exit(0);
        }
        /* From at once to well after a merge would be done. */
        double ns = took * 1e6 * i / 4;
        struct timespec nap = {(time_t)(ns / 1e9),
                               (long)(ns - (double)(time_t)(ns / 1e9) * 1e9)};
        nanosleep(&nap, NULL);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        char *ok = NULL;
        sqlite3 *db = raw_open(victim);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA quick_check", -1,
                                            &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        ok = xstrdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        sqlite3_close(db);
        assert_string_equal(ok, "ok");
        free(ok);
        char *got = dump(victim);
        bool before = strcmp(got, want_before) == 0;
        if (!before)
            assert_same_text(want_after, got);
        outcomes[before ? 0 : 1]++;
        free(got);
        unlink(victim);
    }
    /* The private copies of killed merges are left in $TMPDIR. */
    char *cmd = xasprintf("rm -rf '%s'/imas-merge-*", tmp_for_copies);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    print_message("killed merges: %d before, %d after\n", outcomes[0],
                  outcomes[1]);
    free(want_before);
    free(want_after);
    free(victim);
    free(base);
    free(in);
    free(t);
    free(after);
}

/* ---- refusals -------------------------------------------------------------
 *
 * Each input is refused with one line saying why; the target stays byte
 * for byte as it was, nothing appears beside the input, nothing hangs. */

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ABS_TOP_SRCDIR;
}

static char *target_path;

/* A target with data, in its own directory. */
static const char *target(void)
{
    if (!target_path) {
        char *d = tpath("target");
        mkdir(d, 0755);
        target_path = xasprintf("%s/t.sqlite", d);
        free(d);
        make_survey(target_path, 3, 2, 99);
    }
    return target_path;
}

/* The inputs' directory and a valid survey file in it, to spoil. */
static char *input(const char *name)
{
    char *d = tpath("in");
    mkdir(d, 0755);
    char *p = xasprintf("%s/%s", d, name);
    free(d);
    return p;
}

static char *valid_input(const char *name)
{
    char *p = input(name);
    make_survey(p, 4, 3, 7);
    return p;
}

/* A valid input (name) and a target that has merged it (target_name,
 * made by the merge): the target holds every row of the input. */
static char *held_input(const char *name, const char *target_name, char **t)
{
    char *in = valid_input(name);
    *t = input(target_name);
    merge_ok(*t, in, NULL);
    return in;
}

/* The merge copies its log into the file before it closes it, also while
 * another connection (the program, open on the file) keeps the file open
 * and so the close would not: that connection's next save does not pay
 * for copying what the merge wrote. */
static void test_log_copied_into_the_file_it_leaves_open(void **state)
{
    (void)state;
    char *first = valid_input("open-first.sqlite");
    char *second = input("open-second.sqlite");
    make_survey(second, 40, 12, 99);
    char *t = input("open-target.sqlite");
    merge_ok(t, first, NULL);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM records", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    int64_t before = raw_int(t, "PRAGMA page_count");
    merge_ok(t, second, NULL);
    int64_t pages = raw_int(t, "PRAGMA page_count");
    assert_true(pages > before);
    /* the page count in the file's own header: what the file holds
     * without its log */
    unsigned char h[100];
    FILE *f = fopen(t, "rb");
    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    int64_t in_file = (int64_t)h[28] << 24 | (int64_t)h[29] << 16 |
                      (int64_t)h[30] << 8 | (int64_t)h[31];
    assert_int_equal(in_file, pages);
    sqlite3_close(db);
    free(first);
    free(second);
    free(t);
}

#define AUTOMERGE_SQL                                                       \
    "SELECT coalesce((SELECT v FROM search_config WHERE k = 'automerge'), 4)"

/* A merge writes its search entries with FTS5's merging of segments off
 * (merge_sql.c) and puts the file's own setting back: the default, a
 * setting of the file's own, and after an input it refuses. */
static void test_search_automerge_put_back(void **state)
{
    (void)state;
    char *first = valid_input("am-first.sqlite");
    char *second = input("am-second.sqlite");
    make_survey(second, 40, 12, 98);
    char *bad = valid_input("am-bad.sqlite");
    raw_exec(bad, "CREATE INDEX by_value ON answer_rows(value)");
    char *t = input("am-target.sqlite");
    merge_ok(t, first, NULL);
    assert_int_equal(raw_int(t, AUTOMERGE_SQL), 4);
    raw_exec(t, "INSERT INTO search(search, rank) VALUES ('automerge', 8)");
    merge_ok(t, second, NULL);
    assert_int_equal(raw_int(t, AUTOMERGE_SQL), 8);
    free(merge_refused(t, bad));
    assert_int_equal(raw_int(t, AUTOMERGE_SQL), 8);
    /* a row FTS5 ignores (it works with its default): that default back,
     * not the 0 the merge wrote */
    raw_exec(t, "UPDATE search_config SET v = 'abc' WHERE k = 'automerge'");
    merge_ok(t, first, NULL);
    assert_int_equal(raw_int(t, AUTOMERGE_SQL), 4);
    /* the entries written with it off are there, and sound */
    assert_true(raw_int(t, "SELECT count(*) FROM search_data") > 1);
    raw_exec(t, "INSERT INTO search(search, rank) VALUES "
                "('integrity-check', 0)");
    free(first);
    free(second);
    free(bad);
    free(t);
}

/* Run sql on the file in a child that exits without closing, so the
 * change stays in its -wal (never checkpointed into the file). */
static void write_in_wal(const char *path, const char *sql)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        bool ok = sqlite3_open(path, &db) == SQLITE_OK &&
                  sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL, NULL) ==
                      SQLITE_OK &&
                  sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

static void expect_refusal_of(const char *target_file, const char *in,
                              const char *why)
{
    char before[65], after[65];
    file_sha(target_file, before);
    char *in_dir = dir_of(in);
    bool watch = strcmp(in_dir, "/dev") != 0;
    char *ls = watch ? listing(in_dir) : NULL;
    char *t_dir = dir_of(target_file);
    char *ls_t = listing(t_dir);
    alarm(120); /* a hang kills the test (generous for valgrind) */
    char *reason = merge_refused(target_file, in);
    alarm(0);
    if (!strstr(reason, why))
        fail_msg("%s: refused for \"%s\", not \"%s\"", in, reason, why);
    file_sha(target_file, after);
    assert_string_equal(before, after);
    char *ls_t2 = listing(t_dir);
    assert_string_equal(ls_t, ls_t2);
    if (watch) {
        char *ls2 = listing(in_dir);
        assert_string_equal(ls, ls2);
        free(ls2);
    }
    free(ls_t);
    free(ls_t2);
    free(t_dir);
    free(ls);
    free(in_dir);
    free(reason);
}

static void expect_refusal(const char *in, const char *why)
{
    expect_refusal_of(target(), in, why);
}

static void spoil(const char *path, const char *sql)
{
    raw_exec(path, sql);
}

static int refusal_teardown(void **state)
{
    xfree(&target_path);
    return teardown(state);
}

static void test_refuses_missing_file(void **state)
{
    (void)state;
    char *in = input("missing.sqlite");
    expect_refusal(in, "no such file");
    free(in);
}

static void test_refuses_unreadable_file(void **state)
{
    (void)state;
    char *in = valid_input("secret.sqlite");
    if (!as_owner_begin())
        skip(); /* root could not give up its override of permissions */
    assert_int_equal(chmod(in, 0), 0);
    expect_refusal(in, "not readable");
    free(in);
}

static void test_refuses_directory(void **state)
{
    (void)state;
    char *in = input("folder.sqlite");
    assert_int_equal(mkdir(in, 0755), 0);
    expect_refusal(in, "directory");
    free(in);
}

static void test_refuses_fifo_without_blocking(void **state)
{
    (void)state;
    char *in = input("pipe.sqlite");
    assert_int_equal(mkfifo(in, 0644), 0);
    expect_refusal(in, "pipe");
    free(in);
}

static void test_refuses_device(void **state)
{
    (void)state;
    expect_refusal("/dev/zero", "device");
}

static void test_refuses_text_file(void **state)
{
    (void)state;
    char *in = xasprintf("%s/tests/data/merge/not-a-survey.txt", srcdir());
    expect_refusal(in, "not an SQLite database");
    free(in);
}

static void test_refuses_empty_file(void **state)
{
    (void)state;
    char *in = input("empty.sqlite");
    write_file(in, "", 0);
    expect_refusal(in, "empty");
    free(in);
}

static void test_refuses_foreign_sqlite_file(void **state)
{
    (void)state;
    char *in = input("other.sqlite");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(in, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t "
                                      "VALUES (1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    expect_refusal(in, "not an imas-survey file");
    free(in);
}

/* A record row twice under one UUID, its second copy missing from the
 * UUID's index (PRAGMA quick_check does not compare an index with its
 * table, so the file looks sound), each with a newer answer of its own
 * to the same question. */
static void record_twice(const char *path)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rootpage FROM "
                                            "sqlite_schema WHERE name = "
                                            "'sqlite_autoindex_records_1'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t root = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "PRAGMA writable_schema = ON; DELETE "
                                      "FROM sqlite_schema WHERE name = "
                                      "'sqlite_autoindex_records_1'; UPDATE "
                                      "sqlite_schema SET sql = replace(sql, "
                                      "'TEXT NOT NULL UNIQUE', 'TEXT NOT "
                                      "NULL') WHERE name = 'records'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    raw_exec(path, "INSERT INTO records(rid, record_uuid, form_id, "
                   "form_version, state, created_at, revision, updated_at, "
                   "device_id, author, deleted, parents) SELECT 1000, "
                   "record_uuid, form_id, form_version, state, created_at, "
                   "revision, updated_at, device_id, author, deleted, parents "
                   "FROM records WHERE rid = (SELECT min(rid) FROM records); "
                   "INSERT INTO answer_rows(rid, item_uuid, field, value, "
                   "revision, updated_at, did, author, deleted, parents) "
                   "SELECT 1000, item_uuid, field, 'evil', revision + 5, "
                   "updated_at + 1, did, author, deleted, parents FROM "
                   "answer_rows WHERE rid = (SELECT min(rid) FROM records) "
                   "AND item_uuid = '' ORDER BY field LIMIT 1; UPDATE "
                   "answer_rows SET value = 'good newer', revision = "
                   "revision + 3 WHERE rowid = (SELECT rowid FROM answer_rows "
                   "WHERE rid = (SELECT min(rid) FROM records) AND item_uuid "
                   "= '' ORDER BY field LIMIT 1)");
    db = raw_open(path);
    char *restore = xasprintf(
        "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = "
        "replace(sql, 'record_uuid TEXT NOT NULL,', 'record_uuid TEXT NOT "
        "NULL UNIQUE,') WHERE name = 'records'; INSERT INTO sqlite_schema "
        "VALUES ('index', 'sqlite_autoindex_records_1', 'records', %lld, "
        "NULL)",
        (long long)root);
    assert_int_equal(sqlite3_exec(db, restore, NULL, NULL, NULL), SQLITE_OK);
    free(restore);
    sqlite3_close(db);
    char *qc = raw_text(path, "PRAGMA quick_check");
    assert_string_equal(qc, "ok");
    free(qc);
}

/* An input holding a row twice under one key (a damaged key index) is
 * refused as damaged, whether the target has the row (compared row by
 * row) or not (copied), and nothing changes. */
static void test_refuses_a_key_held_twice(void **state)
{
    (void)state;
    char *in = valid_input("twice.sqlite");
    char *t = tpath("twice-t.sqlite");
    merge_ok(t, in, NULL);
    record_twice(in);
    expect_refusal_of(t, in, "damaged");
    char *u = tpath("twice-u.sqlite");
    char *other = input("other-twice.sqlite");
    make_survey(other, 1, 1, 5);
    merge_ok(u, other, NULL);
    expect_refusal_of(u, in, "damaged");
    assert_search_in_step(t);
    free(other);
    free(u);
    free(t);
    free(in);
}

/* The search index's rule reads an answer's record's form: a file whose
 * record names a form neither it nor the target holds, whose record
 * names another form than the target's record of that id, or which holds
 * answers of a record neither holds, is refused. */
static void test_records_must_keep_their_forms(void **state)
{
    (void)state;
    char *in = valid_input("no-form.sqlite");
    spoil(in, "UPDATE records SET form_version = 'nowhere'");
    expect_refusal(in, "version nowhere, which neither it nor the target "
                       "holds");
    free(in);
    in = valid_input("moved.sqlite");
    merge_ok(target(), in, NULL);
    spoil(in, "INSERT INTO forms(form_id, form_version, hash, title, "
              "definition, added_at) SELECT form_id, form_version || '-b', "
              "hash, title, definition, added_at FROM forms; UPDATE records "
              "SET form_version = form_version || '-b', revision = revision "
              "+ 1");
    expect_refusal(in, "names another form than the target's record");
    free(in);
    in = valid_input("orphans.sqlite");
    spoil(in, "DELETE FROM records");
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
    /* schema 8: its answers name their record by UUID */
    in = valid_input("orphans8.sqlite");
    spoil(in, OLD_SCHEMA_V8_SQL "PRAGMA user_version = 8; DELETE FROM "
              "records");
    expect_refusal(in, "answers or repeat items of record");
    free(in);
    /* schema 9: a repeat item of a record the file lacks, whose answers
     * went with it */
    in = valid_input("orphan-items.sqlite");
    spoil(in, "DELETE FROM answer_rows WHERE rid = (SELECT r.rid FROM "
              "records AS r JOIN items AS i ON i.record_uuid = "
              "r.record_uuid LIMIT 1); DELETE FROM records WHERE rid NOT IN "
              "(SELECT rid FROM answer_rows)");
    expect_refusal(in, "answers or repeat items of record");
    free(in);
    /* an answer whose device has no number */
    in = valid_input("no-device.sqlite");
    spoil(in, "DELETE FROM device_ids");
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
    /* the same in a file whose records the target has (its rows then
     * compared one by one, not copied), and one whose record numbers
     * one answer names no more */
    in = valid_input("no-device-known.sqlite");
    merge_ok(target(), in, NULL);
    spoil(in, "DELETE FROM device_ids");
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
    in = valid_input("no-record-known.sqlite");
    merge_ok(target(), in, NULL);
    spoil(in, "UPDATE answer_rows SET rid = rid + 1000000 WHERE rowid = "
              "(SELECT max(rowid) FROM answer_rows)");
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
}

/* Run sql on the file with its answers' key index hidden, so that the
 * rows it adds are in the table but not in that index: a damaged file
 * PRAGMA quick_check finds sound (it does not compare an index with its
 * table), whose count(*) and DISTINCT rid, read from the index, miss
 * them. */
static void answer_hidden_from_key(const char *path, const char *sql)
{
    char *table = raw_text(path, "SELECT sql FROM sqlite_schema WHERE name "
                                 "= 'answer_rows'");
    int64_t root = raw_int(path, "SELECT rootpage FROM sqlite_schema WHERE "
                                 "name = 'sqlite_autoindex_answer_rows_1'");
    raw_exec(path, "PRAGMA writable_schema = ON; DELETE FROM sqlite_schema "
                   "WHERE name = 'sqlite_autoindex_answer_rows_1'; UPDATE "
                   "sqlite_schema SET sql = replace(sql, 'UNIQUE(rid, "
                   "item_uuid, field)', 'CHECK(1)') WHERE name = "
                   "'answer_rows'");
    raw_exec(path, sql);
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_exec(db, "PRAGMA writable_schema = ON", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE sqlite_schema SET sql = "
                                            "?1 WHERE name = 'answer_rows'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    char *index = xasprintf("INSERT INTO sqlite_schema VALUES ('index', "
                            "'sqlite_autoindex_answer_rows_1', "
                            "'answer_rows', %lld, NULL)",
                            (long long)root);
    assert_int_equal(sqlite3_exec(db, index, NULL, NULL, NULL), SQLITE_OK);
    free(index);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    free(table);
    char *qc = raw_text(path, "PRAGMA quick_check");
    assert_string_equal(qc, "ok");
    free(qc);
    assert_true(raw_int(path, "SELECT count(*) FROM answer_rows") <
                raw_int(path, "SELECT count(*) FROM answer_rows NOT INDEXED"));
}

#define HIDDEN_ANSWER_SQL(rid, value)                                       \
    "INSERT INTO answer_rows(rid, item_uuid, field, value, revision, "      \
    "updated_at, did, author) SELECT " rid ", '', '/data/hidden', '" value  \
    "', 1, 1767225600000, min(did), 'x' FROM device_ids"

/* An answer row the input's key index does not hold is still read: one
 * that names no record of the file is refused, whether the target has
 * the file's records (rows compared) or not (copied); one that names its
 * record is merged, either way, as the other rows. */
static void test_key_index_never_hides_an_answer(void **state)
{
    (void)state;
    static const char orphan[] = HIDDEN_ANSWER_SQL(
        "(SELECT max(rid) + 1000 FROM records)", "names no record");
    static const char named[] = HIDDEN_ANSWER_SQL(
        "(SELECT min(rid) FROM records)", "hidden but named");
    char *in = valid_input("hidden-orphan.sqlite");
    answer_hidden_from_key(in, orphan);
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
    in = valid_input("hidden-named.sqlite");
    answer_hidden_from_key(in, named);
    char *t = tpath("hidden-named-t.sqlite");
    merge_ok(t, in, NULL);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers WHERE value = "
                                "'hidden but named'"),
                     1);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers"),
                     raw_int(in, "SELECT count(*) FROM answer_rows NOT "
                                 "INDEXED"));
    assert_search_in_step(t);
    free(t);
    free(in);
    /* the same, compared row by row with a target that has its records */
    in = valid_input("hidden-orphan-known.sqlite");
    merge_ok(target(), in, NULL);
    answer_hidden_from_key(in, orphan);
    expect_refusal(in, "answers of a record or device it does not name");
    free(in);
    in = valid_input("hidden-named-known.sqlite");
    answer_hidden_from_key(in, named);
    merge_ok(target(), in, NULL);
    assert_int_equal(raw_int(target(), "SELECT count(*) FROM answers WHERE "
                                       "value = 'hidden but named'"),
                     1);
    assert_search_in_step(target());
    free(in);
}

/* Files of schemas 5 to 7 have this version's tables but for derived
 * ones (6 dropped an index, 7 added record_edits, 8 gave answers rowids
 * and dropped the search map): they merge as they are, each checked
 * against its own schema; older ones are refused. */
static void test_merges_schema_5_input_as_it_is(void **state)
{
    (void)state;
    char *old = old_schema_v7_sql();
    char *in = valid_input("v7.sqlite");
    char *sql7 = xasprintf("%sPRAGMA user_version = 7", old);
    spoil(in, sql7);
    free(sql7);
    struct merge_counts c7;
    merge_ok(target(), in, &c7);
    assert_true(c7.answers_new > 0);
    assert_fts_in_step(target());
    free(in);
    in = valid_input("v5.sqlite");
    char *sql5 = xasprintf("%sCREATE INDEX answers_by_time ON "
                           "answers(record_uuid, updated_at); DROP TABLE "
                           "record_edits; PRAGMA user_version = 5", old);
    spoil(in, sql5);
    free(sql5);
    struct merge_counts c;
    merge_ok(target(), in, &c);
    assert_true(c.answers_new > 0);
    sqlite3 *db = raw_open(target());
    sqlite3_stmt *st = NULL;
    char *sql = xasprintf("ATTACH '%s' AS i", in);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM i.answers "
                     "AS a WHERE NOT EXISTS (SELECT 1 FROM answers AS t "
                     "WHERE t.record_uuid = a.record_uuid AND t.item_uuid = "
                     "a.item_uuid AND t.field = a.field AND t.value IS "
                     "a.value)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(sql);
    free(in);
    /* schema 5 without its index is not schema 5 */
    in = valid_input("v5-bad.sqlite");
    sql5 = xasprintf("%sDROP TABLE record_edits; PRAGMA user_version = 5",
                     old);
    spoil(in, sql5);
    free(sql5);
    expect_refusal(in, "schema object");
    free(in);
    /* nor schema 7 with answers of schema 8 */
    in = valid_input("v7-bad.sqlite");
    spoil(in, "PRAGMA user_version = 7");
    expect_refusal(in, "schema object");
    free(old);
    free(in);
    in = valid_input("v4.sqlite");
    spoil(in, "PRAGMA user_version = 4");
    expect_refusal(in, "older schema (version 4)");
    free(in);
}

/* record_edits is derived: an input's rows (here a time far in the
 * future, and a record that does not exist) are never read; the target's
 * follow what was merged. A schema 6 input, which has no such table,
 * merges too. */
static void test_input_record_edits_never_read(void **state)
{
    (void)state;
    char *in = valid_input("edits.sqlite");
    spoil(in, "UPDATE record_edits SET at = 9000000000000000; INSERT INTO "
              "record_edits VALUES ('no-such-record', 9000000000000001)");
    merge_ok(target(), in, NULL);
    assert_edits_in_step(target());
    assert_int_equal(raw_int(target(), "SELECT count(*) FROM record_edits "
                                       "WHERE at >= 9000000000000000"),
                     0);
    free(in);
    in = valid_input("v6.sqlite");
    char *old = old_schema_v7_sql();
    char *sql = xasprintf("%sDROP TABLE record_edits; PRAGMA user_version = "
                          "6", old);
    spoil(in, sql);
    free(sql);
    free(old);
    struct merge_counts c;
    merge_ok(target(), in, &c);
    assert_true(c.answers_new > 0);
    assert_edits_in_step(target());
    free(in);
}

/* The log's SHA-256 is of what was merged: an input's uncheckpointed
 * -wal (its latest changes, which the merge reads) is hashed after the
 * file, so two inputs with one main file but other logs differ. */
static void test_merge_log_sha_covers_the_wal(void **state)
{
    (void)state;
    char *in = valid_input("with-wal.sqlite");
    write_in_wal(in, "UPDATE devices SET name = 'renamed in the log', updated_at = "
                     "updated_at + 1");
    char *wal = xasprintf("%s-wal", in);
    struct stat st;
    assert_int_equal(stat(wal, &st), 0);
    assert_true(st.st_size > 0);
    struct sha256 c;
    sha256_init(&c);
    const char *parts[] = {in, wal};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(parts[i], "rb");
        assert_non_null(f);
        char buf[1 << 15];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            sha256_update(&c, buf, n);
        fclose(f);
    }
    char want[65];
    sha256_final_hex(&c, want);
    merge_ok(target(), in, NULL);
    sqlite3 *db = raw_open(target());
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT source_sha256 FROM merge_log", -1, &q,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal(sqlite3_column_text(q, 0), want);
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(wal);
    free(in);
}

static void test_refuses_newer_schema(void **state)
{
    (void)state;
    char *in = valid_input("newer.sqlite");
    char *sql = xasprintf("PRAGMA user_version = %d", SCHEMA_VERSION + 1);
    spoil(in, sql);
    free(sql);
    expect_refusal(in, "newer version");
    free(in);
}

static void test_refuses_unknown_schema_version(void **state)
{
    (void)state;
    char *in = valid_input("zero.sqlite");
    spoil(in, "PRAGMA user_version = 0");
    expect_refusal(in, "no schema version");
    free(in);
}

static void test_refuses_newer_schema_only_in_wal(void **state)
{
    (void)state;
    char *in = valid_input("newer-wal.sqlite");
    char sql[40];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION + 1);
    write_in_wal(in, sql);
    char want[32];
    snprintf(want, sizeof want, "schema version %d", SCHEMA_VERSION + 1);
    expect_refusal(in, want);
    free(in);
}

static void test_refuses_hot_rollback_journal(void **state)
{
    (void)state;
    char *in = valid_input("journal.sqlite");
    char *journal = xasprintf("%s-journal", in);
    write_file(journal, "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 pending", 17);
    expect_refusal(in, "rollback journal");
    free(journal);
    free(in);
}

static void test_refuses_target_itself(void **state)
{
    (void)state;
    expect_refusal(target(), "target file itself");
}

static void test_refuses_target_through_symlink(void **state)
{
    (void)state;
    char *in = input("link.sqlite");
    assert_int_equal(symlink(target(), in), 0);
    expect_refusal(in, "target file itself");
    free(in);
}

static void test_refuses_target_through_hard_link(void **state)
{
    (void)state;
    char *in = input("hard.sqlite");
    assert_int_equal(link(target(), in), 0);
    expect_refusal(in, "target file itself");
    free(in);
}

static void test_refuses_trigger(void **state)
{
    (void)state;
    char *in = valid_input("trigger.sqlite");
    spoil(in, "CREATE TRIGGER sneaky AFTER INSERT ON answer_rows BEGIN "
              "DELETE FROM answer_rows; END");
    expect_refusal(in, "unexpected schema object: trigger sneaky");
    free(in);
}

static void test_refuses_view(void **state)
{
    (void)state;
    char *in = valid_input("view.sqlite");
    spoil(in, "CREATE VIEW v AS SELECT * FROM answers");
    expect_refusal(in, "unexpected schema object: view v");
    free(in);
}

/* A target whose last record row is gone (damaged, edited by hand:
 * --check counts its answers as lost) keeps them lost: a record merged
 * in gets a number above every answer's, never the lost record's, whose
 * answers it would otherwise take as its own (or be refused for when a
 * key matched). */
static void lost_answers_kept(bool high)
{
    char *t = tpath(high ? "lost-high.sqlite" : "lost.sqlite");
    char *in = tpath(high ? "lost-high-in.sqlite" : "lost-in.sqlite");
    make_survey(t, 3, 3, 81);
    make_survey(in, 2, 3, 82);
    raw_exec(t, "DELETE FROM records WHERE rid = (SELECT max(rid) FROM "
                "records)");
    /* numbers above 2^62 (damaged, or made so): SQLite's own next number
     * would be the lost record's; the new ones count down instead */
    if (high)
        raw_exec(t, "UPDATE records SET rid = rid + 4611686018427387904; "
                    "UPDATE answer_rows SET rid = rid + "
                    "4611686018427387904");
    int64_t lost = raw_int(t, "SELECT count(*) FROM answer_rows WHERE rid "
                              "NOT IN (SELECT rid FROM records)");
    assert_true(lost > 0);
    int64_t theirs = raw_int(in, "SELECT count(*) FROM answers");
    merge_ok(t, in, NULL);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answer_rows WHERE "
                                "rid NOT IN (SELECT rid FROM records)"),
                     lost);
    sqlite3 *db = raw_open(t);
    char *sql = xasprintf("ATTACH '%s' AS i", in);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*) FROM main.answers WHERE "
                               "record_uuid IN (SELECT record_uuid FROM "
                               "i.records)",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), theirs);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    if (high) /* below the others */
        assert_true(raw_int(t, "SELECT min(rid) FROM records") <
                    INT64_C(4611686018427387904));
    free(in);
    free(t);
}

static void test_new_record_never_takes_lost_answers(void **state)
{
    (void)state;
    lost_answers_kept(false);
    lost_answers_kept(true);
}

/* A target whose record numbers reach both 2^62 and -2^62 (damaged, or
 * made so): neither above nor below is free to count in, and SQLite
 * picks free numbers, as it did before numbers counted down. */
static void test_new_records_numbered_at_both_ends(void **state)
{
    (void)state;
    char *t = tpath("both-ends.sqlite"), *in = tpath("both-ends-in.sqlite");
    make_survey(t, 3, 3, 83);
    make_survey(in, 2, 3, 84);
    /* the least number there is: one below it overflows */
    raw_exec(t, "UPDATE answer_rows SET rid = -9223372036854775807 - 1 "
                "WHERE rid = (SELECT min(rid) FROM records); UPDATE records "
                "SET rid = -9223372036854775807 - 1 WHERE rid = (SELECT "
                "min(rid) FROM records); UPDATE answer_rows SET rid = rid + "
                "4611686018427387904 WHERE rid > 0; UPDATE records SET rid "
                "= rid + 4611686018427387904 WHERE rid > 0");
    int64_t before = raw_int(t, "SELECT count(*) FROM answers");
    merge_ok(t, in, NULL);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers"),
                     before + raw_int(in, "SELECT count(*) FROM answers"));
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answer_rows WHERE "
                                "rid NOT IN (SELECT rid FROM records)"),
                     0);
    free(in);
    free(t);
}

static void test_refuses_extra_table_and_index(void **state)
{
    (void)state;
    char *in = valid_input("extra.sqlite");
    spoil(in, "CREATE INDEX by_value ON answer_rows(value)");
    expect_refusal(in, "unexpected schema object: index by_value");
    char *in2 = valid_input("extra2.sqlite");
    spoil(in2, "CREATE TABLE notes(x)");
    expect_refusal(in2, "unexpected schema object: table notes");
    free(in);
    free(in2);
}

/* The reference schema is made once a process (store/schema.c): a file
 * checked after it was made is compared object for object all the same,
 * a missing index and a table's changed SQL included. */
static void test_refuses_missing_and_changed_objects_each_time(void **state)
{
    (void)state;
    char *good = valid_input("good-first.sqlite");
    merge_ok(target(), good, NULL);
    char *in = valid_input("no-index.sqlite");
    spoil(in, "DROP INDEX audit_by_record");
    expect_refusal(in, "missing schema object: index audit_by_record");
    char *in2 = valid_input("changed.sqlite");
    spoil(in2, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = "
               "replace(sql, 'author TEXT NOT NULL', 'author TEXT') WHERE "
               "name = 'audit'; PRAGMA writable_schema = OFF");
    expect_refusal(in2, "unexpected schema object: table audit");
    merge_ok(target(), good, NULL);
    free(good);
    free(in);
    free(in2);
}

static void test_refuses_truncated_file(void **state)
{
    (void)state;
    char *in = valid_input("short.sqlite");
    struct stat st;
    assert_int_equal(stat(in, &st), 0);
    assert_int_equal(truncate(in, st.st_size / 2), 0);
    expect_refusal(in, "truncated");
    free(in);
}

static void test_refuses_huge_sparse_file_quickly(void **state)
{
    (void)state;
    char *in = valid_input("sparse.sqlite");
    assert_int_equal(truncate(in, (off_t)1 << 40), 0);
    /* Refused from its size and header: not one terabyte read. */
    time_t start = time(NULL);
    expect_refusal(in, "damaged");
    assert_true(time(NULL) - start < 5);
    free(in);
}

static void test_refuses_corrupt_page(void **state)
{
    (void)state;
    char *in = valid_input("corrupt.sqlite");
    int64_t page = raw_int(in, "SELECT pageno FROM dbstat WHERE name = "
                               "'answer_rows' AND pagetype = 'leaf' LIMIT 1");
    int64_t size = raw_int(in, "PRAGMA page_size");
    int fd = open(in, O_WRONLY);
    assert_true(fd >= 0);
    unsigned char bad[4] = {0xff, 0xff, 0xff, 0xff};
    assert_int_equal(pwrite(fd, bad, 4, (off_t)((page - 1) * size)), 4);
    close(fd);
    expect_refusal(in, "damaged");
    free(in);
}

/* A damaged page the merge itself never reads (the input's merge_log) is
 * found by the quick_check that runs beside the merge, and refuses the
 * input before anything is committed. */
static void test_refuses_damage_in_a_table_not_merged(void **state)
{
    (void)state;
    char *in = valid_input("corrupt-log.sqlite");
    int64_t page = raw_int(in, "SELECT rootpage FROM sqlite_schema WHERE "
                               "name = 'merge_log'");
    int64_t size = raw_int(in, "PRAGMA page_size");
    int fd = open(in, O_WRONLY);
    assert_true(fd >= 0);
    unsigned char bad[4] = {0xff, 0xff, 0xff, 0xff};
    assert_int_equal(pwrite(fd, bad, 4, (off_t)((page - 1) * size)), 4);
    close(fd);
    expect_refusal(in, "damaged");
    free(in);
}

static void test_refuses_text_not_utf8(void **state)
{
    (void)state;
    char *in = valid_input("latin1.sqlite");
    spoil(in, "UPDATE answer_rows SET value = CAST(X'50E46461676F67' AS TEXT) "
              "WHERE field = '/data/q1'");
    expect_refusal(in, "not valid UTF-8");
    char *in2 = valid_input("nul.sqlite");
    spoil(in2, "UPDATE answers_versions SET value = CAST(X'610062' AS TEXT); "
               "UPDATE records SET author = CAST(X'610062' AS TEXT)");
    expect_refusal(in2, "not valid UTF-8");
    free(in);
    free(in2);
}

/* A value of invalid UTF-8 long enough that its search text (each bad
 * byte folds to U+FFFD's 3 bytes, 12 MB to 36) passes SQLite's length
 * limit (32 MB): the file is refused for its text, never blamed on the
 * target's search index (the merge failing, nothing of the input read
 * by merge_qc.c's check). held: the spoiled row is one the target holds,
 * at a later revision, so that it wins (merge_build.c's S_SEARCH_SWAP
 * folds it: the collect no longer checks it first); else its record is
 * new to the target, its rows copied whole (S_SEARCH_NEW). */
static void long_invalid_text_refused(bool held)
{
    static const char spoil_long[] =
        "UPDATE answer_rows SET value = replace(printf('%.*c', 12000000, "
        "'x'), 'x', CAST(X'FF' AS TEXT)), revision = revision + 1 WHERE "
        "field = '/data/q1'";
    char *t = NULL;
    char *in = held ? held_input("fold.sqlite", "fold-target.sqlite", &t)
                    : valid_input("fold.sqlite");
    spoil(in, spoil_long);
    const char *tf = held ? t : target();
    char before[65], after[65];
    file_sha(tf, before);
    struct error err = ERROR_INIT;
    struct merge_input_result r;
    const char *inputs[] = {in};
    if (!merge_run(tf, inputs, 1, false, &r, &err))
        fail_msg("the merge failed (%s), not the input refused",
                 err.msg ? err.msg : "?");
    assert_true(r.refused);
    assert_non_null(r.reason);
    if (!strstr(r.reason, "not valid UTF-8"))
        fail_msg("refused for \"%s\", not its text", r.reason);
    merge_input_result_clear(&r);
    error_clear(&err);
    file_sha(tf, after);
    assert_string_equal(before, after);
    free(in);
    free(t);
}

static void test_refuses_long_invalid_text_that_wins(void **state)
{
    (void)state;
    long_invalid_text_refused(true);
}

static void test_refuses_long_invalid_text_copied_new(void **state)
{
    (void)state;
    long_invalid_text_refused(false);
}

static void test_refuses_value_longer_than_16mb(void **state)
{
    (void)state;
    char *in = valid_input("long.sqlite");
    spoil(in, "UPDATE answer_rows SET value = printf('%.*c', 16777217, 'x') "
              "WHERE field = '/data/q0'");
    expect_refusal(in, "longer than 16 MB");
    free(in);
}

static void test_refuses_value_of_wrong_type(void **state)
{
    (void)state;
    char *in = valid_input("types.sqlite");
    spoil(in, "UPDATE answer_rows SET revision = 'two' WHERE field = "
              "'/data/q2'");
    expect_refusal(in, "wrong type");
    free(in);
}

/* A row the target holds, spoiled in the partner's copy without a new
 * revision (so it would not win): still checked, and the file refused.
 * Only a row that is the target's column for column goes unchecked, as
 * nothing of it is written (merge_build.c's collects). */
static void test_refuses_spoiled_row_the_target_holds(void **state)
{
    (void)state;
    static const char *const spoils[] = {
        "UPDATE answer_rows SET value = CAST(X'50E46461676F67' AS TEXT) "
        "WHERE field = '/data/q1'",
        "UPDATE records SET author = CAST(X'610062' AS TEXT)",
        "UPDATE items SET author = CAST(X'E4' AS TEXT)",
    };
    for (size_t i = 0; i < sizeof spoils / sizeof *spoils; i++) {
        char name[32], tname[40], *t;
        snprintf(name, sizeof name, "held%zu.sqlite", i);
        snprintf(tname, sizeof tname, "held-target%zu.sqlite", i);
        char *in = held_input(name, tname, &t);
        spoil(in, spoils[i]);
        expect_refusal_of(t, in, "not valid UTF-8");
        free(in);
        free(t);
    }
}

/* Run sql on a file whose table `table` declares `from` as `to` while it
 * runs (e.g. a column without a type, so that a value is kept as given,
 * or without NOT NULL), then give the table its own declaration back: a
 * file as a hostile program or damage could leave it (with sound, one
 * that PRAGMA quick_check finds sound). */
static void with_column_as(const char *path, const char *table,
                           const char *from, const char *to, const char *sql,
                           bool sound)
{
    char *q = xasprintf("SELECT sql FROM sqlite_schema WHERE name = '%s'",
                        table);
    char *orig = raw_text(path, q);
    free(q);
    char *change = xasprintf("PRAGMA writable_schema = ON; UPDATE "
                             "sqlite_schema SET sql = replace(sql, '%s', "
                             "'%s') WHERE name = '%s'",
                             from, to, table);
    raw_exec(path, change);
    free(change);
    raw_exec(path, sql);
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_exec(db, "PRAGMA writable_schema = ON", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE sqlite_schema SET sql = "
                                            "?1 WHERE name = ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, orig, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, table, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    free(orig);
    if (sound) {
        char *qc = raw_text(path, "PRAGMA quick_check");
        assert_string_equal(qc, "ok");
        free(qc);
    }
}

/* A row that compares equal to the target's but is not the same value:
 * a revision or time of the wrong type (REAL 5.0 where the target holds
 * the INTEGER 5: SQLite's IS counts them equal) is refused as it is
 * where the target lacks the row; a file is refused or merged whatever
 * the target. */
static void test_refuses_real_equal_to_the_targets_integer(void **state)
{
    (void)state;
    static const char *const spoils[][2] = {
        {"answer_rows", "UPDATE answer_rows SET updated_at = updated_at + "
                        "0.0 WHERE field = '/data/q1'"},
        {"records", "UPDATE records SET revision = revision + 0.0"},
        {"items", "UPDATE items SET created_at = created_at + 0.0"},
    };
    static const char *const cols[][2] = {
        {"updated_at INTEGER NOT NULL", "updated_at NOT NULL"},
        {"revision INTEGER NOT NULL", "revision NOT NULL"},
        {"created_at INTEGER NOT NULL", "created_at NOT NULL"},
    };
    for (size_t i = 0; i < sizeof spoils / sizeof *spoils; i++) {
        char name[32], tname[40], *t;
        snprintf(name, sizeof name, "real%zu.sqlite", i);
        snprintf(tname, sizeof tname, "real-target%zu.sqlite", i);
        char *in = held_input(name, tname, &t);
        with_column_as(in, spoils[i][0], cols[i][0], cols[i][1],
                       spoils[i][1], true);
        char *q = xasprintf("SELECT count(*) FROM %s WHERE typeof(%.*s) = "
                            "'real'",
                            spoils[i][0],
                            (int)(strchr(cols[i][0], ' ') - cols[i][0]),
                            cols[i][0]);
        assert_true(raw_int(in, q) > 0);
        free(q);
        expect_refusal_of(t, in, "wrong type");
        free(in);
        free(t);
    }
}

/* A damaged target's record without a form version (NULL where NOT NULL
 * stands): the input's record of that id names a form, another one, and
 * is refused as before, not taken as the target's because its rank
 * compares as unknown. */
static void test_refuses_record_whose_target_names_no_form(void **state)
{
    (void)state;
    char *t;
    char *in = held_input("nullform.sqlite", "nullform-target.sqlite", &t);
    with_column_as(t, "records", "form_version TEXT NOT NULL",
                   "form_version TEXT",
                   "UPDATE records SET form_version = NULL WHERE rid = "
                   "(SELECT min(rid) FROM records)",
                   false);
    expect_refusal_of(t, in, "another form");
    free(in);
    free(t);
}

/* A revision the next edit cannot count up from (INT64_MAX: the store's
 * revision + 1 overflows), or one no later edit could ever beat, and
 * times before 1970 or after 9999 are refused, whatever table holds them. */
#define SPOIL_ITEM(uuid, parent, created) \
    "INSERT INTO items(item_uuid, record_uuid, parent_uuid, repeat_path, created_at, " \
    "revision, updated_at, device_id, author) SELECT " uuid ", record_uuid, " parent ", " \
    "'/data/r', " created ", 1, updated_at, device_id, author FROM records LIMIT 1"
#define SPOIL_AUDIT(uuid, at) \
    "INSERT INTO audit(audit_uuid, record_uuid, action, reason, at, device_id, author) " \
    "SELECT " uuid ", record_uuid, 'finalize', '', " at ", device_id, author FROM records LIMIT 1"
#define SPOIL_DEVICE(uuid, at) \
    "INSERT OR REPLACE INTO devices(device_id, name, updated_at) VALUES (" uuid ", 'x', " at ")"
#define SOME_UUID "'00000000-0000-4000-8000-00000000000a'"

static void test_refuses_revision_or_time_out_of_range(void **state)
{
    (void)state;
    static const char *const spoils[] = {
        "UPDATE answer_rows SET revision = 9223372036854775807 WHERE field = '/data/q2'",
        "UPDATE answer_rows SET revision = 9007199254740993 WHERE field = '/data/q2'",
        "UPDATE records SET updated_at = -1",
        SPOIL_ITEM(SOME_UUID, "''", "253402300800000"),
        SPOIL_AUDIT(SOME_UUID, "-9223372036854775808"),
        SPOIL_DEVICE(SOME_UUID, "9223372036854775807"),
        "UPDATE forms SET added_at = -5",
    };
    for (size_t i = 0; i < sizeof spoils / sizeof *spoils; i++) {
        char name[32];
        snprintf(name, sizeof name, "range%zu.sqlite", i);
        char *in = valid_input(name);
        spoil(in, spoils[i]);
        expect_refusal(in, "a revision or time out of range");
        free(in);
    }
}

static void test_accepts_revision_and_time_at_their_limits(void **state)
{
    (void)state;
    char *in = valid_input("limits.sqlite");
    spoil(in, "UPDATE answer_rows SET revision = 9007199254740992, updated_at = "
              "253402300799999 WHERE field = '/data/q2'");
    merge_ok(target(), in, NULL);
    assert_int_equal(raw_int(target(), "SELECT max(revision) FROM answers"),
                     INT64_C(9007199254740992));
    free(in);
}

/* A form's hash is the SHA-256 of its definition: a file holding another
 * definition under a real form's hash (which a target without that form
 * would take as the real one, refusing the real one after) is refused. */
static void test_refuses_form_whose_definition_is_not_its_hash(void **state)
{
    (void)state;
    char *in = valid_input("formhash.sqlite");
    spoil(in, "UPDATE forms SET definition = '<h:html>changed</h:html>'");
    expect_refusal(in, "its form f version 1 does not match its SHA-256");
    free(in);
    in = valid_input("formhash2.sqlite");
    spoil(in, "UPDATE forms SET hash = upper(hash)");
    expect_refusal(in, "does not match its SHA-256");
    free(in);
}

/* Ids are UUIDs as the program makes them: a record id that is a path or
 * holds an escape, a device or audit id that is not one, is refused. */
static void test_refuses_id_that_is_not_a_uuid(void **state)
{
    (void)state;
    static const char *const spoils[] = {
        "UPDATE records SET record_uuid = '../../etc/passwd' || char(27) || '[2J' "
        "WHERE record_uuid = (SELECT min(record_uuid) FROM records)",
        "UPDATE device_ids SET device_id = 'laptop'",
        SPOIL_ITEM(SOME_UUID, "'x'", "1"),
        SPOIL_AUDIT("'not-a-uuid'", "1"),
        SPOIL_DEVICE("'00000000-0000-0000-0000-00000000000g'", "1"),
    };
    for (size_t i = 0; i < sizeof spoils / sizeof *spoils; i++) {
        char name[32];
        snprintf(name, sizeof name, "uuid%zu.sqlite", i);
        char *in = valid_input(name);
        spoil(in, spoils[i]);
        expect_refusal(in, "an id that is not a UUID");
        free(in);
    }
    /* a device id no answer names: refused whether the input is copied
     * (its devices all read) or compared row by row with a target that
     * has its records (reading only the devices its answers name) */
    static const char unused[] = "INSERT INTO device_ids(device_id) VALUES "
                                 "('laptop')";
    char *in = valid_input("unused-device.sqlite");
    spoil(in, unused);
    expect_refusal(in, "an id that is not a UUID");
    free(in);
    in = valid_input("unused-device-known.sqlite");
    merge_ok(target(), in, NULL);
    spoil(in, unused);
    expect_refusal(in, "an id that is not a UUID");
    free(in);
}

static void test_accepts_value_of_exactly_16mb(void **state)
{
    (void)state;
    char *in = valid_input("big.sqlite");
    spoil(in, "UPDATE answer_rows SET value = printf('%.*c', 16777216, 'x') "
              "WHERE field = '/data/q0'");
    merge_ok(target(), in, NULL);
    assert_int_equal(raw_int(target(), "SELECT max(length(value)) FROM "
                                       "answers"),
                     16777216);
    free(in);
}


/* ---- conflicts after a merge (store/conflicts.h) -------------------------- */

/* base: one record with /data/a = "one"; then n copies of it, each setting
 * /data/a to values[i] at the same revision (2) on a laptop of its own. */
static void make_rivals(const char *base, char **files, const char **values,
                        int n, char rec[UUID_STR_LEN])
{
    struct error err = ERROR_INIT;
    setenv("IMAS_SURVEY_NOW_MS", "1767225600000", 1);
    struct store *s = open_store(base, STORE_CREATE);
    ok_or_fail(store_form_put(s, "f", "1", NULL, "F", "<x/>", &err) &&
                   store_record_create(s, "f", "1", rec, &err) &&
                   store_answer_set(s, rec, "", "/data/a", "one", &err),
               &err, "base");
    store_close(&s);
    for (int i = 0; i < n; i++) {
        copy_file(base, files[i]);
        new_identity(files[i]);
        s = open_store(files[i], 0);
        char when[32];
        snprintf(when, sizeof when, "%lld", (long long)(BASE_MS + 50000 + i));
        setenv("IMAS_SURVEY_NOW_MS", when, 1);
        store_set_author(s, values[i]);
        ok_or_fail(store_answer_set(s, rec, "", "/data/a", values[i], &err),
                   &err, "edit");
        store_close(&s);
    }
}

static int64_t conflict_count(const char *path)
{
    struct error err = ERROR_INIT;
    int64_t n = -1;
    struct store *s = open_store(path, 0);
    ok_or_fail(store_conflict_count(s, &n, &err), &err, "count");
    store_close(&s);
    return n;
}

static void test_conflicts_listed_with_both_sides(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *c = tpath("c.sqlite"), *t = tpath("t.sqlite");
    char *files[] = {a, b, c};
    const char *values[] = {"two", "deux", "dva"};
    char rec[UUID_STR_LEN];
    make_rivals(base, files, values, 3, rec);
    merge_ok(t, a, NULL);
    assert_int_equal(conflict_count(t), 0);
    merge_ok(t, b, NULL);
    assert_int_equal(conflict_count(t), 1);
    merge_ok(t, c, NULL);
    assert_int_equal(conflict_count(t), 1); /* one answer, two rivals */
    struct store *s = open_store(t, 0);
    struct store_conflict *list;
    size_t n;
    ok_or_fail(store_conflict_list(s, &list, &n, &err), &err, "list");
    assert_int_equal(n, 2);
    /* The winner is the same whatever the order: the highest device id
     * at revision 2 with the latest time... here the latest time wins. */
    bool seen[3] = {false, false, false};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(list[i].record_uuid, rec);
        assert_string_equal(list[i].item_uuid, "");
        assert_string_equal(list[i].field, "/data/a");
        assert_int_equal(list[i].revision, 2);
        assert_string_equal(list[i].current.value, "dva");
        assert_string_equal(list[i].current.author, "dva");
        assert_string_not_equal(list[i].other.value, "dva");
        /* each side carries the author who typed it */
        assert_string_equal(list[i].other.author, list[i].other.value);
        assert_true(list[i].other.updated_at < list[i].current.updated_at);
        for (int j = 0; j < 3; j++)
            seen[j] |= strcmp(list[i].other.value, values[j]) == 0;
    }
    assert_true(seen[0] && seen[1] && !seen[2]);
    store_conflict_list_free(&list, n);
    assert_null(list);
    store_close(&s);
    free(base), free(a), free(b), free(c), free(t);
}

static void test_resolved_conflict_is_a_new_revision_that_merges_onward(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *t = tpath("t.sqlite"), *u = tpath("u.sqlite"),
         *k = tpath("k.sqlite");
    char *files[] = {a, b};
    const char *values[] = {"two", "deux"};
    char rec[UUID_STR_LEN];
    make_rivals(base, files, values, 2, rec);
    merge_ok(t, a, NULL);
    merge_ok(t, b, NULL);
    merge_ok(u, b, NULL);
    merge_ok(u, a, NULL);
    copy_file(t, k);
    assert_int_equal(conflict_count(t), 1);
    assert_int_equal(conflict_count(u), 1);

    /* The coordinator keeps the losing value: a new revision. */
    setenv("IMAS_SURVEY_NOW_MS", "1767225700000", 1);
    struct store *s = open_store(t, 0);
    ok_or_fail(store_answer_resolve(s, rec, "", "/data/a", "two", &err), &err,
               "resolve");
    struct store_answer ans;
    bool found;
    ok_or_fail(store_answer_info(s, rec, "", "/data/a", &ans, &found, &err),
               &err, "info");
    assert_true(found);
    assert_string_equal(ans.value, "two");
    assert_int_equal(ans.revision, 3);
    store_answer_clear(&ans);
    struct store_audit *au;
    size_t nau;
    ok_or_fail(store_audit_list(s, rec, &au, &nau, &err), &err, "audit");
    assert_true(nau >= 1);
    assert_string_equal(au[nau - 1].action, "resolve");
    assert_string_equal(au[nau - 1].reason, "/data/a");
    store_audit_list_free(&au, nau);
    store_close(&s);
    assert_int_equal(conflict_count(t), 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM answers_versions WHERE "
                                "reason = 'resolve' AND value = 'deux'"),
                     1);

    /* The resolution travels: the other laptop's conflict ends too. */
    merge_ok(u, t, NULL);
    assert_int_equal(conflict_count(u), 0);
    s = open_store(u, 0);
    char *v;
    ok_or_fail(store_answer_get(s, rec, "", "/data/a", &v, &err), &err, "get");
    assert_string_equal(v, "two");
    free(v);
    store_close(&s);

    /* Keeping the current value is a resolution too, though the value does
     * not change. */
    s = open_store(k, 0);
    ok_or_fail(store_answer_get(s, rec, "", "/data/a", &v, &err), &err, "get");
    ok_or_fail(store_answer_resolve(s, rec, "", "/data/a", v, &err), &err,
               "keep");
    free(v);
    store_close(&s);
    assert_int_equal(conflict_count(k), 0);
    assert_int_equal(raw_int(k, "SELECT revision FROM answers"), 3);
    free(base), free(a), free(b), free(t), free(u), free(k);
}

/* The case that dropped an edit without a word: laptop A changes an answer
 * once, laptop B twice from the same value. B's last revision is higher,
 * but it does not descend from A's edit: a conflict, not an older value. */
static void test_one_edit_against_two_is_a_conflict(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *t = tpath("t.sqlite");
    char *files[] = {a, b};
    const char *values[] = {"two", "deux"};
    char rec[UUID_STR_LEN];
    make_rivals(base, files, values, 2, rec);
    struct store *s = open_store(b, 0);
    setenv("IMAS_SURVEY_NOW_MS", "1767225660000", 1);
    ok_or_fail(store_answer_set(s, rec, "", "/data/a", "trois", &err), &err,
               "second edit");
    store_close(&s);
    struct merge_counts k;
    merge_ok(t, a, &k);
    merge_ok(t, b, &k);
    assert_int_equal(k.conflicts, 1);
    assert_int_equal(conflict_count(t), 1);
    free(base), free(a), free(b), free(t);
}

static void test_conflicts_of_deleted_records_are_not_listed(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = tpath("base.sqlite"), *a = tpath("a.sqlite"),
         *b = tpath("b.sqlite"), *t = tpath("t.sqlite");
    char *files[] = {a, b};
    const char *values[] = {"two", "deux"};
    char rec[UUID_STR_LEN];
    make_rivals(base, files, values, 2, rec);
    merge_ok(t, a, NULL);
    merge_ok(t, b, NULL);
    assert_int_equal(conflict_count(t), 1);
    struct store *s = open_store(t, 0);
    ok_or_fail(store_record_delete(s, rec, &err), &err, "delete");
    store_close(&s);
    assert_int_equal(conflict_count(t), 0);
    free(base), free(a), free(b), free(t);
}


static void test_copies_left_by_a_killed_merge_are_removed(void **state)
{
    (void)state;
    char *tmp = tpath("sweep");
    assert_int_equal(mkdir(tmp, 0700), 0);
    const char *old = getenv("TMPDIR");
    char *saved = old ? xstrdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    char *dead = xasprintf("%s/imas-merge-%ld-AbC123", tmp, (long)child);
    char *alive = xasprintf("%s/imas-merge-%ld-XyZ789", tmp, (long)getppid());
    char *other = xasprintf("%s/imas-merge-notes", tmp);
    char *copy = xasprintf("%s/input.sqlite", dead);
    assert_int_equal(mkdir(dead, 0700), 0);
    assert_int_equal(mkdir(alive, 0700), 0);
    assert_int_equal(mkdir(other, 0700), 0);
    write_file(copy, "partner data", 12);
    /* a pid used again: a process started after the directory was made
     * (an hour ago) is not the merge that made it */
    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    assert_true(sleeper > 0);
    char *reused = xasprintf("%s/imas-merge-%ld-ReU5ed", tmp, (long)sleeper);
    assert_int_equal(mkdir(reused, 0700), 0);
    struct timespec hour_ago[2] = {{.tv_sec = time(NULL) - 3600}, {.tv_sec = time(NULL) - 3600}};
    assert_int_equal(utimensat(AT_FDCWD, reused, hour_ago, 0), 0);
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    make_survey(in, 2, 3, 7);
    merge_ok(t, in, NULL);
    kill(sleeper, SIGKILL);
    waitpid(sleeper, NULL, 0);
    assert_false(exists(dead));
    assert_false(exists(reused));
    assert_true(exists(alive)); /* its merge may still be running */
    assert_true(exists(other)); /* not a name we make */
    free(reused);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved), free(tmp), free(dead), free(alive), free(other), free(copy);
    free(t), free(in);
}

/* Names beside t that a merge creating t makes while it works. */
static int leftovers_beside(const char *d, const char *base)
{
    char *prefix = xasprintf("%s.merge-", base);
    char *list = listing(d);
    int n = 0;
    for (const char *p = list; (p = strstr(p, prefix)); p++)
        n++;
    free(list);
    free(prefix);
    return n;
}

/* A merge killed while it creates a missing target leaves its half-made
 * file (and its -wal, and the store's .new- file) beside the target; the
 * next merge into that target removes them, but never those of a merge
 * still running, nor another target's. */
static void test_killed_merge_creating_target_leaves_nothing(void **state)
{
    (void)state;
    char *t = tpath("t.sqlite"), *in = tpath("in.sqlite");
    make_survey(in, 30, 6, 5);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    const char *const suffix[] = {"", "-wal", ".new-XyZ789"};
    for (int i = 0; i < 3; i++) {
        char *name = xasprintf("t.sqlite.merge-%ld-AbC123%s", (long)child,
                               suffix[i]);
        char *p = tpath(name);
        write_file(p, "half made", 9);
        free(p), free(name);
    }
    char *running = xasprintf("%s/t.sqlite.merge-%ld-Run123", tdir,
                              (long)getppid());
    char *other = xasprintf("%s/u.sqlite.merge-%ld-AbC123", tdir,
                            (long)child);
    write_file(running, "busy", 4);
    write_file(other, "other", 5);
    /* real kills at several moments of the creation */
    for (int i = 0; i < 6; i++) {
        pid_t k = fork();
        if (k == 0) {
            struct merge_input_result r;
            struct error err = ERROR_INIT;
            const char *one = in;
            merge_run(t, &one, 1, false, &r, &err);
            _exit(0);
        }
        assert_true(k > 0);
        usleep((useconds_t)(i * 4000));
        kill(k, SIGKILL);
        waitpid(k, NULL, 0);
        if (exists(t))
            unlink(t);
    }
    merge_ok(t, in, NULL);
    assert_true(exists(t));
    assert_int_equal(leftovers_beside(tdir, "t.sqlite"), 1); /* running */
    assert_true(exists(running));
    assert_true(exists(other));
    /* what was merged is whole */
    assert_int_equal(raw_int(t, "SELECT count(*) FROM records"), 30);
    unlink(running);
    free(running), free(other), free(t), free(in);
}

/* refusal_teardown for a test that gave up root's permission override */
static int refusal_teardown_as_owner(void **state)
{
    as_owner_end(state);
    return refusal_teardown(state);
}

int main(void)
{
    setlocale(LC_ALL, "");
    dir = mkdtemp(tmpdir);
    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define R(f) cmocka_unit_test_setup_teardown(f, setup, refusal_teardown)
    const struct CMUnitTest tests[] = {
        T(test_merge_matches_brute_force_model),
        T(test_new_record_never_takes_lost_answers),
        T(test_new_records_numbered_at_both_ends),
        T(test_set_based_merge_matches_model_in_two_orders),
        T(test_conflicts_counted_like_brute_force),
        T(test_same_revision_other_value_is_a_conflict),
        T(test_conflict_in_a_kept_version_alone_is_counted),
        T(test_log_copied_into_the_file_it_leaves_open),
        T(test_search_automerge_put_back),
        T(test_conflicts_listed_with_both_sides),
        T(test_resolved_conflict_is_a_new_revision_that_merges_onward),
        T(test_one_edit_against_two_is_a_conflict),
        T(test_conflicts_of_deleted_records_are_not_listed),
        T(test_merge_is_independent_of_order),
        T(test_merge_is_independent_of_grouping),
        T(test_merge_is_idempotent),
        T(test_tombstones_win_only_by_the_rule),
        T(test_versions_keep_every_loser),
        T(test_forms_travel_with_their_records),
        T(test_form_changed_under_same_version_refused),
        T(test_record_of_another_or_missing_form_refused),
        T(test_merge_log_row_per_merged_input),
        T(test_input_rowids_and_index_never_read),
        T(test_new_target_takes_the_input_whole),
        T(test_rows_without_their_record_are_compared),
        T(test_refused_input_form_does_not_index_the_next),
        T(test_new_rows_indexed_below_a_top_rowid_of_2_63),
        T(test_emptied_target_drops_stale_entries),
        T(test_damaged_target_index_is_the_targets_fault),
        T(test_damaged_target_device_keeps_no_copy_of_its_rows),
        T(test_dry_run_changes_nothing_and_counts_like_real_run),
        T(test_dry_run_never_creates_the_target),
        T(test_refusal_never_creates_missing_target),
        T(test_refused_input_does_not_stop_the_others),
        T(test_wal_contents_are_merged_and_input_untouched),
        T(test_input_in_read_only_directory),
        T(test_kill_during_merge_leaves_target_before_or_after),
        T(test_copies_left_by_a_killed_merge_are_removed),
        T(test_killed_merge_creating_target_leaves_nothing),
        R(test_refuses_missing_file),
        cmocka_unit_test_setup_teardown(test_refuses_unreadable_file, setup,
                                        refusal_teardown_as_owner),
        R(test_refuses_directory),
        R(test_refuses_fifo_without_blocking),
        R(test_refuses_device),
        R(test_refuses_text_file),
        R(test_refuses_empty_file),
        R(test_refuses_foreign_sqlite_file),
        R(test_refuses_newer_schema),
        R(test_merges_schema_5_input_as_it_is),
        R(test_records_must_keep_their_forms),
        R(test_refuses_a_key_held_twice),
        R(test_key_index_never_hides_an_answer),
        R(test_input_record_edits_never_read),
        R(test_merge_log_sha_covers_the_wal),
        R(test_refuses_unknown_schema_version),
        R(test_refuses_newer_schema_only_in_wal),
        R(test_refuses_hot_rollback_journal),
        R(test_refuses_target_itself),
        R(test_refuses_target_through_symlink),
        R(test_refuses_target_through_hard_link),
        R(test_refuses_trigger),
        R(test_refuses_view),
        R(test_refuses_missing_and_changed_objects_each_time),
        R(test_refuses_extra_table_and_index),
        R(test_refuses_truncated_file),
        R(test_refuses_huge_sparse_file_quickly),
        R(test_refuses_corrupt_page),
        R(test_refuses_damage_in_a_table_not_merged),
        R(test_refuses_text_not_utf8),
        R(test_refuses_value_longer_than_16mb),
        R(test_refuses_long_invalid_text_that_wins),
        R(test_refuses_long_invalid_text_copied_new),
        R(test_refuses_spoiled_row_the_target_holds),
        R(test_refuses_real_equal_to_the_targets_integer),
        R(test_refuses_record_whose_target_names_no_form),
        R(test_refuses_value_of_wrong_type),
        R(test_refuses_revision_or_time_out_of_range),
        R(test_accepts_revision_and_time_at_their_limits),
        R(test_refuses_id_that_is_not_a_uuid),
        R(test_refuses_form_whose_definition_is_not_its_hash),
        R(test_accepts_value_of_exactly_16mb),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (failed == 0 && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return failed;
}
