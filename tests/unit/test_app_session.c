/* test_app_session.c: a record open for filling (app/session.h): creating
 * and reopening, answers checked and saved, pages and their states,
 * repeats, finalize with its problems, reopen, the remembered position. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"
#include "app/session.h"

static char tmpdir[] = "/tmp/test_app_session.XXXXXX";
static char *dir;
static int counter;

struct fixture {
    char *path;
    struct store *store;
    struct form *form;
};

static struct form *load(const char *rel)
{
    char *p = xasprintf("%s/%s", ABS_TOP_SRCDIR, rel);
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(p, &err);
    if (!f)
        fail_msg("%s: %s", p, err.msg);
    free(p);
    return f;
}

static int setup_with(void **state, const char *form)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->path = xasprintf("%s/s%d.sqlite", dir, counter++);
    struct error err = ERROR_INIT;
    fx->store = store_open(fx->path, STORE_CREATE, &err);
    assert_non_null(fx->store);
    fx->form = load(form);
    *state = fx;
    return 0;
}

static int setup_grid(void **state)
{
    return setup_with(state, "forms/imas-dimension-grid.xml");
}

static int setup_repeats(void **state)
{
    return setup_with(state, "tests/data/forms/good-repeats.xml");
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    store_close(&fx->store);
    form_free(&fx->form);
    free(fx->path);
    free(fx);
    return 0;
}

static struct session *create(struct fixture *fx)
{
    struct error err = ERROR_INIT;
    struct session *s = session_create(fx->store, fx->form, NULL, &err);
    if (!s)
        fail_msg("session_create: %s", err.msg);
    return s;
}

static struct session *reopen(struct fixture *fx, const char *uuid)
{
    struct error err = ERROR_INIT;
    char *u = xstrdup(uuid);
    struct session *s = session_open(fx->store, NULL, u, NULL, &err);
    if (!s)
        fail_msg("session_open: %s", err.msg);
    free(u);
    return s;
}

static char *stored(struct fixture *fx, const char *rec, const char *item, const char *field)
{
    char *v = NULL;
    assert_true(store_answer_get(fx->store, rec, item, field, &v, NULL));
    return v;
}

static void set_ok(struct session *s, const char *path, const char *value)
{
    char *msg = NULL;
    const struct form_node *n = form_find(session_form(s), path);
    assert_non_null(n);
    enum session_set_result r = session_set(s, n, "", value, &msg);
    if (r != SESSION_SET_OK)
        fail_msg("set %s: %s", path, msg ? msg : "?");
}

static size_t page_of(struct session *s, const char *path)
{
    size_t page, field;
    assert_true(session_find(s, path, "", &page, &field));
    return page;
}

static void test_new_grid_record_saves_defaults_and_has_grid_page(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    const char *tpath = "/data/grid/funding/target_state";
    char *v = stored(fx, session_uuid(s), "", tpath);
    assert_non_null(v);
    assert_non_null(strstr(v, "funded reliably"));
    free(v);
    /* visit (field-list), the intro note, the grid, the closing questions */
    assert_int_equal(session_page_count(s), 4);
    const struct session_page *p = session_page(s, 0);
    assert_int_equal(p->kind, SESSION_PAGE_GROUP);
    assert_int_equal(p->nfields, 10);
    p = session_page(s, 2);
    assert_int_equal(p->kind, SESSION_PAGE_GRID);
    assert_int_equal(p->nrows, 12);
    assert_int_equal(p->ncols, 6);
    assert_string_equal(p->fields[1 * 6 + 1].node->path, tpath);
    char *label = session_field_label(s, p, 6 + 2);
    assert_string_equal(label, "Funding \u203a Gap");
    free(label);
    session_free(&s);
    assert_null(s);
}

static void test_relevance_follows_answers_live(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    size_t grid = page_of(s, "/data/grid/legal_framework/status_quo");
    assert_false(session_page_relevant(s, grid));
    assert_int_equal(session_page_step(s, 0, 1), SIZE_MAX);
    set_ok(s, "/data/visit/consent", "yes");
    assert_true(session_page_relevant(s, grid));
    assert_int_equal(session_page_step(s, 0, 1), 1);
    assert_int_equal(session_page_step(s, 1, 1), grid);
    assert_int_equal(session_page_step(s, grid, -1), 1);
    size_t page, field;
    assert_true(session_find(s, "/data/visit/country_other", "", &page, &field));
    struct session_field f = session_page(s, page)->fields[field];
    assert_int_equal(session_field_state(s, &f), SESSION_Q_IRRELEVANT);
    set_ok(s, "/data/visit/country", "other");
    assert_int_equal(session_field_state(s, &f), SESSION_Q_MISSING);
    session_free(&s);
}

static void test_constraint_violation_stores_nothing_and_gives_message(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    const struct form_node *n = form_find(session_form(s), "/data/visit/n_respondents");
    char *msg = NULL;
    assert_int_equal(session_set(s, n, "", "99", &msg), SESSION_SET_INVALID);
    assert_string_equal(msg, "Enter a number from 1 to 50.");
    free(msg);
    assert_string_equal(session_get(s, n, ""), "");
    assert_null(stored(fx, session_uuid(s), "", n->path));
    assert_int_equal(session_set(s, n, "", "abc", &msg), SESSION_SET_INVALID);
    free(msg);
    assert_int_equal(session_set(s, n, "", "12", &msg), SESSION_SET_OK);
    assert_null(msg);
    char *v = stored(fx, session_uuid(s), "", n->path);
    assert_string_equal(v, "12");
    free(v);
    session_free(&s);
}

static void test_answers_and_cleared_default_survive_reopen(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    char uuid[UUID_STR_LEN];
    memcpy(uuid, session_uuid(s), UUID_STR_LEN);
    set_ok(s, "/data/visit/school", "Училище А");
    set_ok(s, "/data/grid/funding/target_state", "");
    set_ok(s, "/data/grid/career/status_quo", "Keine Aufstiegsmöglichkeiten.\nŽiadne.");
    /* the calculation is saved too */
    char *name = stored(fx, uuid, "", "/data/meta/instanceName");
    assert_string_equal(name, "Училище А ");
    free(name);
    session_free(&s);

    s = reopen(fx, uuid);
    const struct form *f = session_form(s);
    assert_string_equal(session_get(s, form_find(f, "/data/visit/school"), ""), "Училище А");
    assert_string_equal(session_get(s, form_find(f, "/data/grid/funding/target_state"), ""), "");
    assert_non_null(strstr(session_get(s, form_find(f, "/data/grid/career/target_state"), ""),
                           "career path"));
    assert_string_equal(session_get(s, form_find(f, "/data/grid/career/status_quo"), ""),
                        "Keine Aufstiegsmöglichkeiten.\nŽiadne.");
    size_t answered, asked;
    session_progress(s, &answered, &asked);
    assert_int_equal(answered, 1); /* the school; the grid is not asked yet */
    session_free(&s);
}

/* A finalized record in a file another program holds: the reason given is
 * the file's (r cannot reopen the record there), and nothing is saved. */
static void test_read_only_file_reason_comes_before_finalized(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    struct session_problem *p = NULL;
    size_t n = 0;
    struct error err = ERROR_INIT;
    set_ok(s, "/data/visit/country", "BG");
    set_ok(s, "/data/visit/school", "School A");
    set_ok(s, "/data/visit/visit_date", "2025-03-01");
    set_ok(s, "/data/visit/roles", "assistant teacher");
    set_ok(s, "/data/visit/consent", "no");
    assert_true(session_finalize(s, &p, &n, &err));
    char uuid[UUID_STR_LEN];
    snprintf(uuid, sizeof uuid, "%s", session_uuid(s));
    session_free(&s);
    store_close(&fx->store);
    struct store *first = store_open(fx->path, STORE_EXCLUSIVE, &err);
    assert_non_null(first);
    fx->store = store_open(fx->path, STORE_EXCLUSIVE, &err);
    assert_non_null(fx->store);
    assert_true(store_readonly(fx->store));
    s = reopen(fx, uuid);
    assert_true(session_finalized(s));
    assert_false(session_editable(s));
    char *pid = xasprintf("process %ld", (long)getpid());
    assert_non_null(strstr(session_readonly_reason(s), pid));
    assert_null(strstr(session_readonly_reason(s), "reopen it on home with r"));
    char *msg = NULL;
    const struct form_node *school = form_find(session_form(s), "/data/visit/school");
    assert_int_equal(session_set(s, school, "", "B", &msg), SESSION_SET_FAILED);
    assert_non_null(strstr(msg, pid));
    free(msg);
    free(pid);
    session_free(&s);
    store_close(&first);
    char *v = stored(fx, uuid, "", "/data/visit/school");
    assert_string_equal(v, "School A");
    free(v);
}

static void test_trailing_line_breaks_are_not_stored(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    set_ok(s, "/data/visit/school", "School A\n\n  \n");
    const struct form_node *n = form_find(session_form(s), "/data/visit/school");
    assert_string_equal(session_get(s, n, ""), "School A");
    char *v = stored(fx, session_uuid(s), "", "/data/visit/school");
    assert_string_equal(v, "School A");
    free(v);
    set_ok(s, "/data/visit/school", "School  A "); /* blanks inside a line stay */
    assert_string_equal(session_get(s, n, ""), "School  A ");
    session_free(&s);
}

static int setup_controls(void **state)
{
    return setup_with(state, "tests/data/forms/good-all-controls.xml");
}

/* A date typed as ODK would take it, 1990-3-4, is saved as 1990-03-04. */
static void test_unpadded_date_is_saved_padded(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    set_ok(s, "/data/birth_date", "1990-3-4");
    set_ok(s, "/data/seen_at", "2024-1-2T7:05");
    const struct form_node *n = form_find(session_form(s), "/data/birth_date");
    assert_string_equal(session_get(s, n, ""), "1990-03-04");
    char *v = stored(fx, session_uuid(s), "", "/data/birth_date");
    assert_string_equal(v, "1990-03-04");
    free(v);
    v = stored(fx, session_uuid(s), "", "/data/seen_at");
    assert_string_equal(v, "2024-01-02T07:05");
    free(v);
    char *msg = NULL;
    assert_int_equal(session_set(s, n, "", "1990-2-30", &msg), SESSION_SET_INVALID);
    free(msg);
    v = stored(fx, session_uuid(s), "", "/data/birth_date");
    assert_string_equal(v, "1990-03-04");
    free(v);
    session_free(&s);
}

static void test_finalize_lists_problems_then_finalizes_and_reopens(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    struct session_problem *p = NULL;
    size_t n = 0;
    struct error err = ERROR_INIT;
    assert_false(session_check(s, &p, &n)); /* what finalize would refuse */
    assert_int_equal(n, 5);
    session_problems_free(&p, n);
    assert_null(session_readonly_reason(s));
    assert_false(session_finalize(s, &p, &n, &err));
    assert_null(err.msg);
    assert_int_equal(n, 5); /* country, school, date, roles, consent */
    assert_string_equal(p[0].label, "Country");
    assert_string_equal(p[0].msg, "Choose the country of the visit.");
    assert_int_equal(p[0].page, 0);
    assert_int_equal(p[1].field, 3); /* the school, fourth on the visit page */
    session_problems_free(&p, n);
    assert_null(p);

    set_ok(s, "/data/visit/country", "BG");
    set_ok(s, "/data/visit/school", "School A");
    set_ok(s, "/data/visit/visit_date", "2025-03-01");
    set_ok(s, "/data/visit/roles", "assistant teacher");
    set_ok(s, "/data/visit/consent", "no");
    assert_true(session_check(s, &p, &n));
    assert_int_equal(n, 0);
    assert_string_equal(session_get(s, form_find(session_form(s), "/data/visit/school"), ""),
                        "School A"); /* checking finalized nothing */
    assert_false(session_finalized(s));
    assert_true(session_finalize(s, &p, &n, &err));
    assert_int_equal(n, 0);
    assert_true(session_finalized(s));
    assert_false(session_editable(s));
    assert_non_null(strstr(session_readonly_reason(s), "reopen it on home with r"));
    char *msg = NULL;
    const struct form_node *school = form_find(session_form(s), "/data/visit/school");
    assert_int_equal(session_set(s, school, "", "B", &msg), SESSION_SET_FAILED);
    assert_non_null(strstr(msg, "Finalized"));
    free(msg);
    assert_false(session_reopen(s, "  ", &err));
    error_clear(&err);
    assert_true(session_reopen(s, "school name was wrong", &err));
    assert_true(session_editable(s));
    assert_int_equal(session_set(s, school, "", "School B", &msg), SESSION_SET_OK);
    session_free(&s);
}

static void test_prefilled_and_added_items_are_stored_with_their_ids(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    char uuid[UUID_STR_LEN];
    memcpy(uuid, session_uuid(s), UUID_STR_LEN);
    char **items = NULL;
    size_t n = 0;
    assert_true(store_item_list(fx->store, uuid, "", "/data/roster", &items, &n, NULL));
    assert_int_equal(n, 1);
    char *code = stored(fx, uuid, items[0], "/data/roster/code");
    assert_string_equal(code, "P01");
    free(code);
    size_t page, field;
    assert_true(session_find(s, "/data/roster/code", items[0], &page, &field));
    assert_int_equal(session_page(s, page)->kind, SESSION_PAGE_CONTROL);

    const struct form_node *roster = form_find(session_form(s), "/data/roster");
    char added[UUID_STR_LEN];
    struct error err = ERROR_INIT;
    assert_true(session_add_item(s, roster, "", added, &err));
    const struct form_node *codef = form_find(session_form(s), "/data/roster/code");
    char *msg = NULL;
    assert_int_equal(session_set(s, codef, added, "X1", &msg), SESSION_SET_INVALID);
    free(msg);
    assert_int_equal(session_set(s, codef, added, "P02", &msg), SESSION_SET_OK);
    assert_true(session_find(s, "/data/roster/code", added, &page, &field));
    /* a one-question page inside an instance says which one it is */
    char *ctx = session_page_context(s, page);
    assert_string_equal(ctx, "Roster \u00b7 2/2");
    free(ctx);
    size_t first;
    assert_true(session_find(s, "/data/roster/role", items[0], &first, &field));
    ctx = session_page_context(s, first);
    assert_string_equal(ctx, "Roster \u00b7 1/2");
    free(ctx);
    /* the repeat's own page comes after its instances */
    size_t end;
    assert_true(session_find(s, "/data/roster", "", &end, &field));
    assert_true(end > page);
    assert_int_equal(session_page(s, end)->kind, SESSION_PAGE_REPEAT);
    ctx = session_page_label(s, end); /* the group's label, not "roster" */
    assert_string_equal(ctx, "Roster");
    free(ctx);

    assert_true(session_remove_item(s, items[0], &err));
    assert_false(session_find(s, "/data/roster/code", items[0], &page, &field));
    store_item_list_free(&items, n);
    session_free(&s);

    s = reopen(fx, uuid);
    assert_true(store_item_list(fx->store, uuid, "", "/data/roster", &items, &n, NULL));
    assert_int_equal(n, 1);
    assert_string_equal(items[0], added);
    assert_string_equal(session_get(s, codef, added), "P02");
    store_item_list_free(&items, n);
    session_free(&s);
}

static size_t kids(struct fixture *fx, const char *uuid)
{
    char **items = NULL;
    size_t n = 0;
    assert_true(store_item_list(fx->store, uuid, "", "/data/kid", &items, &n, NULL));
    store_item_list_free(&items, n);
    return n;
}

static void test_counted_repeat_follows_its_count_and_keeps_entries(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    char uuid[UUID_STR_LEN];
    memcpy(uuid, session_uuid(s), UUID_STR_LEN);
    assert_int_equal(kids(fx, uuid), 0);
    set_ok(s, "/data/n_kids", "2");
    assert_int_equal(kids(fx, uuid), 2); /* saved, not only shown */
    char **items = NULL;
    size_t n = 0, page, field;
    assert_true(store_item_list(fx->store, uuid, "", "/data/kid", &items, &n, NULL));
    assert_true(session_find(s, "/data/kid/kid_name", items[1], &page, &field)); /* its page */
    store_item_list_free(&items, n);
    set_ok(s, "/data/n_kids", "3");
    assert_int_equal(kids(fx, uuid), 3);
    /* fewer: nothing typed is dropped */
    set_ok(s, "/data/n_kids", "1");
    assert_int_equal(kids(fx, uuid), 3);
    /* the count, not the user, adds entries */
    char added[UUID_STR_LEN];
    struct error err = ERROR_INIT;
    assert_false(session_add_item(s, form_find(session_form(s), "/data/kid"), "", added, &err));
    assert_non_null(err.msg);
    error_clear(&err);
    session_free(&s);
    s = reopen(fx, uuid);
    assert_int_equal(kids(fx, uuid), 3);
    session_free(&s);
}

static int setup_counted(void **state)
{
    return setup_with(state, "tests/data/forms/good-counted.xml");
}

/* A count mistyped as 5000 makes at most 200 saved entries, at once. */
static void test_counted_repeat_is_capped(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    set_ok(s, "/data/n", "5000");
    char **items = NULL;
    size_t n = 0;
    assert_true(store_item_list(fx->store, session_uuid(s), "", "/data/entry", &items, &n, NULL));
    assert_int_equal(n, 200);
    size_t page, field;
    assert_true(session_find(s, "/data/entry/name", items[199], &page, &field));
    store_item_list_free(&items, n);
    session_free(&s);
}

static void test_draft_is_kept_apart_from_the_answers(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    struct session *other = create(fx);
    struct error err = ERROR_INIT;
    char *path, *item, *text;
    assert_true(session_draft_take(s, &path, &item, &text, &err));
    assert_null(text);
    const char *typed = "Half typed\twith a tab\nand a line";
    assert_true(session_draft_save(s, "/data/visit/school", "", typed, &err));
    assert_true(session_draft_take(s, &path, &item, &text, &err));
    assert_string_equal(path, "/data/visit/school");
    assert_string_equal(item, "");
    assert_string_equal(text, typed);
    free(path);
    free(item);
    free(text);
    /* not an answer */
    const struct form_node *n = form_find(session_form(s), "/data/visit/school");
    assert_string_equal(session_get(s, n, ""), "");
    char *v = stored(fx, session_uuid(s), "", "/data/visit/school");
    assert_true(v == NULL || *v == '\0');
    free(v);
    /* another record does not get it */
    assert_true(session_draft_take(other, &path, &item, &text, &err));
    assert_null(text);
    assert_true(session_draft_clear(s, &err));
    assert_true(session_draft_take(s, &path, &item, &text, &err));
    assert_null(text);
    session_free(&other);
    session_free(&s);
}

static void test_position_is_remembered_and_forgotten(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    struct error err = ERROR_INIT;
    char *rec, *path, *item;
    assert_true(session_last_position(fx->store, &rec, &path, &item, &err));
    assert_null(rec);
    assert_true(session_save_position(s, "/data/grid/pay_recognition/gap", "", &err));
    assert_true(session_last_position(fx->store, &rec, &path, &item, &err));
    assert_string_equal(rec, session_uuid(s));
    assert_string_equal(path, "/data/grid/pay_recognition/gap");
    assert_string_equal(item, "");
    free(rec);
    free(path);
    free(item);
    assert_true(session_forget_position(fx->store, &err));
    assert_true(session_last_position(fx->store, &rec, &path, &item, &err));
    assert_null(rec);
    session_free(&s);
}

static void test_missing_record_or_form_is_refused(void **state)
{
    struct fixture *fx = *state;
    struct error err = ERROR_INIT;
    assert_null(session_open(fx->store, NULL, "00000000-0000-4000-8000-000000000000", NULL,
                             &err));
    assert_non_null(err.msg);
    error_clear(&err);
}

/* A new record's default target states are in the session's language
 * (the form's "<path>:default" texts); each counts as the default in any
 * language, an edited one does not. */
static void test_new_record_defaults_in_the_session_language(void **state)
{
    struct fixture *fx = *state;
    static const char *const path = "/data/grid/legal_framework/target_state";
    struct error err = ERROR_INIT;
    struct session *bg = session_create(fx->store, fx->form, "bg_BG.UTF-8", &err);
    assert_non_null(bg);
    struct session *en = create(fx);
    char *v = stored(fx, session_uuid(bg), "", path);
    assert_string_equal(v, "Приобщаващото образование е право по закон; законът посочва "
                           "асистентската подкрепа като подкрепа, която всеки ученик, който се "
                           "нуждае от нея, може да получи във всяко училище.");
    const struct form_node *n = form_find(fx->form, path);
    assert_string_equal(session_get(bg, n, ""), v);
    assert_true(session_is_default(bg, n, v));
    assert_true(session_is_default(en, n, v));
    free(v);
    v = stored(fx, session_uuid(en), "", path);
    assert_string_equal(v, n->default_value);
    assert_true(session_is_default(bg, n, v));
    free(v);
    set_ok(bg, path, "Законът урежда асистента.");
    assert_false(session_is_default(bg, n, session_get(bg, n, "")));
    session_free(&bg);
    session_free(&en);
}

static void test_stale_after_another_program_wrote(void **state)
{
    struct fixture *fx = *state;
    struct session *s = create(fx);
    set_ok(s, "/data/visit/school", "School A");
    assert_false(session_stale(s)); /* its own writes do not count */
    struct error err = ERROR_INIT;
    struct store *other = store_open(store_path(fx->store), 0, &err);
    if (!other)
        fail_msg("store_open: %s", err.msg);
    assert_true(store_answer_set(other, session_uuid(s), "", "/data/visit/school", "School B",
                                 &err));
    assert_true(session_stale(s));
    assert_false(session_stale(s)); /* said once */
    struct session *again = reopen(fx, session_uuid(s));
    assert_false(session_stale(again)); /* read after the write */
    assert_string_equal(session_get(again, form_find(session_form(again), "/data/visit/school"),
                                    ""),
                        "School B");
    assert_true(session_differs(s, again, "/data/visit/school", ""));
    assert_false(session_differs(s, again, "/data/visit/region", ""));
    store_close(&other);
    session_free(&again);
    session_free(&s);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    dir = mkdtemp(tmpdir);
    assert_non_null(dir);
    const struct CMUnitTest tests[] = {
#define G(f) cmocka_unit_test_setup_teardown(f, setup_grid, teardown)
#define R(f) cmocka_unit_test_setup_teardown(f, setup_repeats, teardown)
        G(test_new_grid_record_saves_defaults_and_has_grid_page),
        G(test_new_record_defaults_in_the_session_language),
        G(test_relevance_follows_answers_live),
        G(test_constraint_violation_stores_nothing_and_gives_message),
        G(test_answers_and_cleared_default_survive_reopen),
        G(test_finalize_lists_problems_then_finalizes_and_reopens),
        G(test_read_only_file_reason_comes_before_finalized),
        G(test_trailing_line_breaks_are_not_stored),
        cmocka_unit_test_setup_teardown(test_unpadded_date_is_saved_padded, setup_controls,
                                        teardown),
        R(test_prefilled_and_added_items_are_stored_with_their_ids),
        R(test_counted_repeat_follows_its_count_and_keeps_entries),
        cmocka_unit_test_setup_teardown(test_counted_repeat_is_capped, setup_counted, teardown),
        G(test_position_is_remembered_and_forgotten),
        G(test_draft_is_kept_apart_from_the_answers),
        G(test_missing_record_or_form_is_refused),
        G(test_stale_after_another_program_wrote),
#undef G
#undef R
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(rm);
    return failed;
}
