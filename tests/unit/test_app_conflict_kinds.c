/* The conflicts a person meets after a merge, each named as they read
 * it (issue 17) and each kind listed, counted and resolvable (issue 15):
 * a grid answer (dimension › column, choice labels, laptop names), a
 * record's state finalized on one laptop and deleted on another, a note
 * deleted on one laptop and corrected on another, and the one count that
 * the merge's total, --check, home and the screen share. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/conflicts.h"
#include "app/records.h"
#include "core/error.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "merge/merge.h"
#include "store/answers.h"
#include "store/check.h"
#include "store/conflicts.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"

static char tmpl[] = "/tmp/test_app_conflict_kinds.XXXXXX";
static char *dir;
static int seq;
static char grid[UUID_STR_LEN], fg[UUID_STR_LEN], note[UUID_STR_LEN], person[UUID_STR_LEN];

static void ok(bool b, struct error *err)
{
    if (!b)
        fail_msg("%s", err->msg ? err->msg : "?");
}

static char *path_of(const char *name)
{
    return xasprintf("%s/%d-%s", dir, seq, name);
}

static void at(long long ms)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", 1767225600000LL + ms);
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

/* Work as laptop name ("Maria's laptop") from now on. */
static void laptop(const char *name)
{
    char *state = xasprintf("%s/state-%s", dir, name);
    mkdir(state, 0700);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("IMAS_SURVEY_DEVICE_NAME", name, 1);
    setenv("IMAS_SURVEY_AUTHOR", name, 1);
    free(state);
}

static struct store *open_store(const char *path, unsigned flags)
{
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, flags, &err);
    ok(s != NULL, &err);
    return s;
}

static void put_form(struct store *s, const char *file)
{
    struct error err = ERROR_INIT;
    char *p = xasprintf("%s/forms/%s", ABS_TOP_SRCDIR, file);
    struct form *f = form_load_file(p, &err);
    ok(f != NULL, &err);
    ok(store_form_put(s, form_id(f), form_version(f), NULL, form_title(f), form_source(f), &err),
       &err);
    form_free(&f);
    free(p);
}

static void set(struct store *s, const char *rec, const char *item, const char *field,
                const char *value)
{
    struct error err = ERROR_INIT;
    ok(store_answer_set(s, rec, item, field, value, &err), &err);
}

/* base: a grid record of "Škola 7" and a focus group with P01's note. */
static char *base_file(void)
{
    struct error err = ERROR_INIT;
    seq++;
    char *base = path_of("base.sqlite");
    laptop("base");
    at(0);
    struct store *s = open_store(base, STORE_CREATE);
    put_form(s, "imas-dimension-grid.xml");
    put_form(s, "ias-focus-group.xml");
    ok(store_record_create(s, "imas-dimension-grid", "2026120401", grid, &err), &err);
    set(s, grid, "", "/data/meta/instanceName", "Škola 7 2026-11-23");
    set(s, grid, "", "/data/grid/legal_framework/gap", "2");
    ok(store_record_create(s, "ias-focus-group", "2026112401", fg, &err), &err);
    ok(store_item_add(s, fg, "", "/data/participant", person, &err), &err);
    set(s, fg, person, "/data/participant/code", "P01");
    ok(store_item_add(s, fg, "", "/data/note", note, &err), &err);
    set(s, fg, note, "/data/note/speaker", "P01");
    set(s, fg, note, "/data/note/started_at", "2026-11-23T10:42:13.120Z");
    set(s, fg, note, "/data/note/text", "first #old");
    set(s, fg, note, "/data/note/tags", "old");
    store_close(&s);
    return base;
}

static char *copy_of(const char *from, const char *name)
{
    char *to = path_of(name);
    char *cmd = xasprintf("cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return to;
}

/* Merge inputs into t; the file's count as the merge's total says it. */
static int64_t merge(const char *t, const char **in, size_t n, int64_t *sum)
{
    struct merge_input_result r[4];
    struct error err = ERROR_INIT;
    int64_t total = -1;
    ok(merge_run_counted(t, in, n, false, r, &total, &err), &err);
    /* counted beside the merge's last checkpoint, whose connection closes
     * last: the log is in the file and gone, not left by the count's */
    char *wal = xasprintf("%s-wal", t), *shm = xasprintf("%s-shm", t);
    assert_int_not_equal(access(wal, F_OK), 0);
    assert_int_not_equal(access(shm, F_OK), 0);
    free(wal);
    free(shm);
    *sum = 0;
    for (size_t i = 0; i < n; i++) {
        assert_false(r[i].refused);
        *sum += r[i].counts.conflicts;
        merge_input_result_clear(&r[i]);
    }
    return total;
}

static int64_t count(const char *path)
{
    struct error err = ERROR_INIT;
    struct store_check_report rep;
    ok(store_check(path, &rep, &err), &err);
    int64_t n = rep.conflicts;
    store_check_report_clear(&rep);
    return n;
}

static void test_grid_answer_named_by_title_dimension_column_and_choice(void **state)
{
    (void)state;
    char *base = base_file(), *a = copy_of(base, "a"), *b = copy_of(base, "b"),
         *t = path_of("t");
    laptop("Maria's laptop");
    at(1000);
    struct store *s = open_store(a, 0);
    set(s, grid, "", "/data/grid/legal_framework/gap", "3");
    store_close(&s);
    laptop("Petr's laptop");
    at(2000);
    s = open_store(b, 0);
    set(s, grid, "", "/data/grid/legal_framework/gap", "5");
    store_close(&s);
    int64_t sum;
    assert_int_equal(merge(t, (const char *[]){a, b}, 2, &sum), 1);
    s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_null(v.error);
    assert_int_equal(v.n, 1);
    struct conflict_row *r = &v.rows[0];
    assert_string_equal(r->title, "IMAS dimension grid: Škola 7 2026-11-23");
    assert_string_equal(r->label, "Legal framework › Gap");
    assert_string_equal(r->current_shown, "5 – severe");
    assert_string_equal(r->other_shown, "3 – moderate");
    assert_string_equal(r->c.current.device_name, "Petr's laptop");
    assert_string_equal(r->c.other.device_name, "Maria's laptop");
    conflicts_free(&v);
    store_close(&s);
    free(base), free(a), free(b), free(t);
}

static void test_record_state_conflict_listed_counted_and_resolved(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = base_file(), *a = copy_of(base, "a"), *b = copy_of(base, "b"),
         *t = path_of("t");
    laptop("Maria's laptop");
    at(1000);
    struct store *s = open_store(a, 0);
    ok(store_record_finalize(s, grid, &err), &err);
    store_close(&s);
    laptop("Petr's laptop");
    at(2000);
    s = open_store(b, 0);
    ok(store_record_delete(s, grid, &err), &err);
    store_close(&s);
    int64_t sum;
    assert_int_equal(merge(t, (const char *[]){a, b}, 2, &sum), 1);
    assert_int_equal(count(t), 1);
    s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 1);
    assert_int_equal(v.rows[0].c.kind, STORE_CONFLICT_RECORD);
    assert_string_equal(v.rows[0].title, "IMAS dimension grid: Škola 7 2026-11-23 (deleted)");
    assert_string_equal(v.rows[0].name, "Škola 7 2026-11-23 (deleted)"); /* the list's column */
    assert_string_equal(v.rows[0].current_shown, "deleted");
    assert_string_equal(v.rows[0].other_shown, "finalized");
    assert_false(v.rows[0].editable);
    assert_false(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "x", &err));
    error_clear(&err);
    laptop("coordinator");
    at(3000);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_OTHER, NULL, &err), &err);
    assert_int_equal(v.n, 0);
    struct store_record rec;
    ok(store_record_get(s, grid, &rec, &err), &err); /* lives again */
    assert_string_equal(rec.state, "finalized");
    store_record_clear(&rec);
    conflicts_free(&v);
    store_close(&s);
    assert_int_equal(count(t), 0);
    /* the resolution ends it where it is merged */
    assert_int_equal(merge(b, (const char *[]){t, a}, 2, &sum), 0);
    free(base), free(a), free(b), free(t);
}

static char *answer(struct store *s, const char *item, const char *field)
{
    char *v = NULL;
    assert_true(store_answer_get(s, fg, item, field, &v, NULL));
    return v;
}

/* A deletes P01's note, B corrects it: one conflict (for the text and the
 * tags), named by speaker and time. */
static char *deleted_and_corrected(char **a_out)
{
    struct error err = ERROR_INIT;
    char *base = base_file(), *a = copy_of(base, "a"), *b = copy_of(base, "b"),
         *t = path_of("t");
    laptop("Maria's laptop");
    at(1000);
    struct store *s = open_store(a, 0);
    ok(store_item_delete(s, note, &err), &err);
    store_close(&s);
    laptop("Petr's laptop");
    at(2000);
    s = open_store(b, 0);
    set(s, fg, note, "/data/note/text", "corrected #new");
    set(s, fg, note, "/data/note/tags", "new");
    store_close(&s);
    int64_t sum;
    assert_int_equal(merge(t, (const char *[]){a, b}, 2, &sum), 1);
    assert_int_equal(count(t), 1);
    free(base), free(b);
    *a_out = a;
    return t;
}

static void test_note_deleted_and_corrected_kept_with_an_edit(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *a, *t = deleted_and_corrected(&a);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 1);
    struct conflict_row *r = &v.rows[0];
    assert_int_equal(r->c.kind, STORE_CONFLICT_ITEM);
    assert_string_equal(r->c.field, "/data/note/text");
    assert_int_equal(r->more, 1);
    assert_string_equal(r->label, "note by P01 at 2026-11-23 10:42:13: What was said");
    assert_string_equal(r->current_shown, "corrected #new");
    assert_string_equal(r->other_shown, "(deleted)");
    assert_true(r->note_text);
    laptop("coordinator");
    at(3000);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_EDITED, "kept #Škola #new", &err), &err);
    assert_int_equal(v.n, 0);
    char *text = answer(s, note, "/data/note/text"), *tags = answer(s, note, "/data/note/tags");
    assert_string_equal(text, "kept #Škola #new");
    assert_string_equal(tags, "škola new"); /* re-derived from the text */
    free(text), free(tags);
    char **items;
    size_t n;
    ok(store_item_list(s, fg, "", "/data/note", &items, &n, &err), &err);
    assert_int_equal(n, 1); /* the note lives again */
    store_item_list_free(&items, n);
    conflicts_free(&v);
    store_close(&s);
    int64_t sum;
    assert_int_equal(merge(a, (const char *[]){t}, 1, &sum), 0);
    free(a), free(t);
}

static void test_note_deleted_and_corrected_kept_deleted(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *a, *t = deleted_and_corrected(&a);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 1);
    ok(conflicts_resolve(&v, s, NULL, 0, CONFLICT_KEEP_OTHER, NULL, &err), &err);
    assert_int_equal(v.n, 0);
    char **items;
    size_t n;
    ok(store_item_list(s, fg, "", "/data/note", &items, &n, &err), &err);
    assert_int_equal(n, 0);
    store_item_list_free(&items, n);
    conflicts_free(&v);
    store_close(&s);
    assert_int_equal(count(t), 0);
    free(a), free(t);
}

/* One conflict touched by two inputs, a record's and a note's: the
 * merge's total, --check, home and the screen say the same number. */
static void test_merge_total_check_home_and_screen_agree(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = base_file(), *a = copy_of(base, "a"), *b = copy_of(base, "b"),
         *c = copy_of(base, "c"), *t = path_of("t");
    const char *paths[] = {a, b, c};
    const char *gaps[] = {"1", "4", "5"};
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "laptop %d", i);
        laptop(name);
        at(1000 * (i + 1));
        struct store *s = open_store(paths[i], 0);
        set(s, grid, "", "/data/grid/legal_framework/gap", gaps[i]);
        if (i == 0) /* a deletes the note: b and c correct it */
            ok(store_item_delete(s, note, &err), &err);
        else
            set(s, fg, note, "/data/note/text", i == 1 ? "b" : "c");
        ok(store_record_finalize(s, fg, &err), &err);
        if (i == 2) /* finalized and reopened: b's finalize is another head */
            ok(store_record_reopen(s, fg, "a typo", &err), &err);
        store_close(&s);
    }
    int64_t sum;
    int64_t total = merge(t, paths, 3, &sum);
    assert_int_equal(total, 3); /* the gap, the note, the record's state */
    assert_true(sum >= 2);      /* the gap touched by two inputs */
    assert_int_equal(count(t), total);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal((int64_t)v.n, total);
    struct records r;
    records_init(&r, s, NULL, NULL);
    records_load(&r);
    assert_null(r.error);
    assert_int_equal(r.conflicts, total);
    records_clear(&r);
    conflicts_free(&v);
    store_close(&s);
    free(base), free(a), free(b), free(c), free(t);
}

/* e on a note's text (a live note corrected on two laptops) writes the
 * text and the tags that come from it, ending both conflicts. */
static void test_edited_note_text_rederives_its_tags(void **state)
{
    (void)state;
    struct error err = ERROR_INIT;
    char *base = base_file(), *a = copy_of(base, "a"), *b = copy_of(base, "b"),
         *t = path_of("t");
    const char *paths[] = {a, b};
    for (int i = 0; i < 2; i++) {
        laptop(i ? "b" : "a");
        at(1000 * (i + 1));
        struct store *s = open_store(paths[i], 0);
        set(s, fg, note, "/data/note/text", i ? "b #two" : "a #one");
        set(s, fg, note, "/data/note/tags", i ? "two" : "one");
        store_close(&s);
    }
    int64_t sum;
    assert_int_equal(merge(t, paths, 2, &sum), 2);
    struct store *s = open_store(t, 0);
    struct conflicts v = {0};
    conflicts_load(&v, s, NULL, NULL);
    assert_int_equal(v.n, 2);
    size_t i = strcmp(v.rows[0].c.field, "/data/note/text") == 0 ? 0 : 1;
    assert_true(v.rows[i].note_text);
    ok(conflicts_resolve(&v, s, NULL, i, CONFLICT_EDITED, "both #три", &err), &err);
    assert_int_equal(v.n, 0);
    char *tags = answer(s, note, "/data/note/tags");
    assert_string_equal(tags, "три");
    free(tags);
    conflicts_free(&v);
    store_close(&s);
    free(base), free(a), free(b), free(t);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8"); /* tags of any script, as the program runs */
    setenv("TZ", "UTC", 1);       /* a note's time is shown in local time */
    tzset();
    dir = mkdtemp(tmpl);
    if (!dir)
        return 1;
    setenv("TMPDIR", dir, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_answer_named_by_title_dimension_column_and_choice),
        cmocka_unit_test(test_record_state_conflict_listed_counted_and_resolved),
        cmocka_unit_test(test_note_deleted_and_corrected_kept_with_an_edit),
        cmocka_unit_test(test_note_deleted_and_corrected_kept_deleted),
        cmocka_unit_test(test_merge_total_check_home_and_screen_agree),
        cmocka_unit_test(test_edited_note_text_rederives_its_tags),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    return failed;
}
