/* test_app_progress.c: the progress count of a record (session_progress)
 * and the question states behind it (session_field_state,
 * form_record_qstates), on a generated form with a group of 600 questions,
 * a field-list group, a group that is not asked, and a repeat of 40
 * questions with three entries: relevance, required, read-only notes,
 * answers the form no longer accepts.
 *
 * The counts are checked three ways: against the rules the form was made
 * with (model_state below, which knows nothing of the program), against
 * the five form functions asked one by one (what session_progress did
 * before it asked the form about every question at once), and as
 * numbers. */
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

#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "form/record.h"
#include "store/store.h"
#include "app/session.h"

#define BIG 600   /* /data/big/q000..: one page each */
#define LIST 40   /* /data/fl/f00..: one field-list page */
#define PERSON 40 /* /data/person/p00.. in each entry */

static char tmpdir[] = "/tmp/test_app_progress.XXXXXX";
static char *dir;
static int counter;

/* The form. q: every 5th asked only when gate is yes, every 7th required,
 * every 11th a read-only note, every 13th a number at most /data/limit.
 * f: every 4th asked only when f01 is "on", every 3rd required. The group
 * off (o0 required, o1) is asked when gate is yes. p: the even ones asked
 * only when the entry's p01 is "yes", every 9th required. */
static char *form_xml(void)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "<h:html xmlns=\"http://www.w3.org/2002/xforms\" "
                     "xmlns:h=\"http://www.w3.org/1999/xhtml\" "
                     "xmlns:jr=\"http://openrosa.org/javarosa\"><h:head>"
                     "<h:title>Progress</h:title><model><instance>"
                     "<data id=\"progress\" version=\"1\"><gate/><limit/><big>");
    for (int i = 0; i < BIG; i++)
        strbuf_addf(&sb, "<q%03d/>", i);
    strbuf_adds(&sb, "</big><fl>");
    for (int j = 0; j < LIST; j++)
        strbuf_addf(&sb, "<f%02d/>", j);
    strbuf_adds(&sb, "</fl><off><o0/><o1/></off><person jr:template=\"\">");
    for (int k = 0; k < PERSON; k++)
        strbuf_addf(&sb, "<p%02d/>", k);
    strbuf_adds(&sb, "</person></data></instance>"
                     "<bind nodeset=\"/data/gate\" type=\"string\"/>"
                     "<bind nodeset=\"/data/limit\" type=\"int\"/>"
                     "<bind nodeset=\"/data/off\" relevant=\"/data/gate = 'yes'\"/>"
                     "<bind nodeset=\"/data/off/o0\" type=\"string\" required=\"true()\"/>"
                     "<bind nodeset=\"/data/off/o1\" type=\"string\"/>");
    for (int i = 0; i < BIG; i++) {
        strbuf_addf(&sb, "<bind nodeset=\"/data/big/q%03d\" type=\"%s\"", i,
                    i % 13 == 0 ? "int" : "string");
        if (i % 5 == 0)
            strbuf_adds(&sb, " relevant=\"/data/gate = 'yes'\"");
        if (i % 7 == 0)
            strbuf_adds(&sb, " required=\"true()\"");
        if (i % 11 == 0)
            strbuf_adds(&sb, " readonly=\"true()\"");
        if (i % 13 == 0)
            strbuf_adds(&sb, " constraint=\". &lt;= /data/limit\"");
        strbuf_adds(&sb, "/>");
    }
    for (int j = 0; j < LIST; j++)
        strbuf_addf(&sb, "<bind nodeset=\"/data/fl/f%02d\" type=\"string\"%s%s/>", j,
                    j % 4 == 0 ? " relevant=\"../f01 = 'on'\"" : "",
                    j % 3 == 0 ? " required=\"true()\"" : "");
    for (int k = 0; k < PERSON; k++)
        strbuf_addf(&sb, "<bind nodeset=\"/data/person/p%02d\" type=\"string\"%s%s/>", k,
                    k % 2 == 0 ? " relevant=\"../p01 = 'yes'\"" : "",
                    k % 9 == 0 ? " required=\"true()\"" : "");
    strbuf_adds(&sb, "</model></h:head><h:body>"
                     "<input ref=\"/data/gate\"><label>Gate</label></input>"
                     "<input ref=\"/data/limit\"><label>Limit</label></input>"
                     "<group ref=\"/data/big\"><label>Big</label>");
    for (int i = 0; i < BIG; i++)
        strbuf_addf(&sb, "<input ref=\"/data/big/q%03d\"><label>Q%d</label></input>", i, i);
    strbuf_adds(&sb, "</group><group ref=\"/data/fl\" appearance=\"field-list\">"
                     "<label>List</label>");
    for (int j = 0; j < LIST; j++)
        strbuf_addf(&sb, "<input ref=\"/data/fl/f%02d\"><label>F%d</label></input>", j, j);
    strbuf_adds(&sb, "</group><group ref=\"/data/off\" appearance=\"field-list\">"
                     "<label>Off</label>"
                     "<input ref=\"/data/off/o0\"><label>O0</label></input>"
                     "<input ref=\"/data/off/o1\"><label>O1</label></input></group>"
                     "<group ref=\"/data/person\"><label>Person</label>"
                     "<repeat nodeset=\"/data/person\">");
    for (int k = 0; k < PERSON; k++)
        strbuf_addf(&sb, "<input ref=\"/data/person/p%02d\"><label>P%d</label></input>", k, k);
    strbuf_adds(&sb, "</repeat></group></h:body></h:html>");
    return strbuf_detach(&sb);
}

struct fixture {
    char *path;
    struct store *store;
    struct form *form;
    struct session *s;
};

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->path = xasprintf("%s/s%d.sqlite", dir, counter++);
    struct error err = ERROR_INIT;
    fx->store = store_open(fx->path, STORE_CREATE, &err);
    assert_non_null(fx->store);
    char *xml = form_xml();
    fx->form = form_load_memory(xml, strlen(xml), "progress.xml", &err);
    free(xml);
    if (!fx->form)
        fail_msg("form: %s", err.msg);
    fx->s = session_create(fx->store, fx->form, NULL, &err);
    if (!fx->s)
        fail_msg("session_create: %s", err.msg);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    session_free(&fx->s);
    store_close(&fx->store);
    form_free(&fx->form);
    free(fx->path);
    free(fx);
    return 0;
}

static void set(struct session *s, const char *path, const char *item, const char *value)
{
    char *msg = NULL;
    const struct form_node *n = form_find(session_form(s), path);
    assert_non_null(n);
    if (session_set(s, n, item, value, &msg) != SESSION_SET_OK)
        fail_msg("set %s: %s", path, msg ? msg : "?");
}

static const char *get(struct session *s, const char *path, const char *item)
{
    return session_get(s, form_find(session_form(s), path), item);
}

/* ---- what the form's rules say -------------------------------------------- */

static enum session_qstate model_state(struct session *s, const struct session_field *f)
{
    const char *name = f->node->name, *v = session_get(s, f->node, f->item);
    int i = atoi(name + 1);
    bool gate = strcmp(get(s, "/data/gate", ""), "yes") == 0;
    bool relevant = true, note = false, required = false, accepted = true;
    switch (name[0]) {
    case 'q':
        relevant = i % 5 != 0 || gate;
        note = i % 11 == 0;
        required = i % 7 == 0;
        accepted = i % 13 != 0 || atol(v) <= atol(get(s, "/data/limit", ""));
        break;
    case 'f':
        relevant = i % 4 != 0 || strcmp(get(s, "/data/fl/f01", ""), "on") == 0;
        required = i % 3 == 0;
        break;
    case 'o':
        relevant = gate;
        required = i == 0;
        break;
    case 'p':
        relevant = i % 2 != 0 || strcmp(get(s, "/data/person/p01", f->item), "yes") == 0;
        required = i % 9 == 0;
        break;
    default: /* gate, limit */
        break;
    }
    if (!relevant)
        return SESSION_Q_IRRELEVANT;
    if (note)
        return SESSION_Q_NOTE;
    if (!*v)
        return required ? SESSION_Q_MISSING : SESSION_Q_EMPTY;
    return accepted ? SESSION_Q_ANSWERED : SESSION_Q_INVALID;
}

/* ---- what the five functions say, one by one -------------------------------- */

static enum session_qstate one_by_one(struct session *s, const struct session_field *f)
{
    struct form_record *r = session_record(s);
    if (!f->node || !form_record_relevant(r, f->node, f->item))
        return SESSION_Q_IRRELEVANT;
    if (f->node->kind == FORM_NOTE || form_record_readonly(r, f->node, f->item))
        return SESSION_Q_NOTE;
    const char *v = form_record_get(r, f->node->path, f->item);
    if (!v || !*v)
        return form_record_required(r, f->node, f->item) ? SESSION_Q_MISSING : SESSION_Q_EMPTY;
    return form_record_check(r, f->node, f->item, NULL, NULL) ? SESSION_Q_ANSWERED
                                                              : SESSION_Q_INVALID;
}

static bool page_on_one_by_one(struct session *s, const struct session_page *p)
{
    struct form_record *r = session_record(s);
    if (!form_record_relevant(r, p->node, p->item))
        return false;
    for (size_t k = 0; p->kind == SESSION_PAGE_GROUP && k < p->nfields; k++)
        if (one_by_one(s, &p->fields[k]) != SESSION_Q_IRRELEVANT)
            return true;
    return p->kind != SESSION_PAGE_GROUP;
}

/* session_progress() against the rules and the one-by-one count, every
 * question's state against both; the counts. */
static void check(struct session *s, size_t *answered, size_t *asked)
{
    size_t model_answered = 0, model_asked = 0, old_answered = 0, old_asked = 0;
    for (size_t i = 0; i < session_page_count(s); i++) {
        const struct session_page *p = session_page(s, i);
        bool on = page_on_one_by_one(s, p);
        assert_int_equal(on, session_page_relevant(s, i));
        for (size_t k = 0; k < p->nfields; k++) {
            const struct session_field *f = &p->fields[k];
            enum session_qstate want = model_state(s, f), st = session_field_state(s, f);
            if (st != want || one_by_one(s, f) != want)
                fail_msg("%s in \"%s\": %d, one by one %d, the form's rules say %d",
                         f->node->path, f->item, st, one_by_one(s, f), want);
            if (want != SESSION_Q_IRRELEVANT && want != SESSION_Q_NOTE) {
                model_asked++;
                model_answered += want == SESSION_Q_ANSWERED;
            }
            if (on && want != SESSION_Q_IRRELEVANT && want != SESSION_Q_NOTE) {
                old_asked++;
                old_answered += want == SESSION_Q_ANSWERED;
            }
        }
    }
    session_progress(s, answered, asked);
    assert_int_equal(*asked, model_asked);
    assert_int_equal(*answered, model_answered);
    assert_int_equal(*asked, old_asked);
    assert_int_equal(*answered, old_answered);
}

/* Questions of the big group: how many of i < BIG pass keep(i). */
static size_t big_count(bool (*keep)(int i, bool gate), bool gate)
{
    size_t n = 0;
    for (int i = 0; i < BIG; i++)
        n += keep(i, gate);
    return n;
}

static bool big_asked(int i, bool gate)
{
    return (i % 5 != 0 || gate) && i % 11 != 0;
}

static void test_new_record(void **state)
{
    struct fixture *fx = *state;
    size_t answered, asked;
    check(fx->s, &answered, &asked);
    /* gate, limit, the big group's asked ones, fl without its every 4th */
    assert_int_equal(asked, 2 + big_count(big_asked, false) + LIST - LIST / 4);
    assert_int_equal(asked, 2 + 436 + 30);
    assert_int_equal(answered, 0);
}

/* What the test answers in the big group: every 4th that can be. */
static bool big_typed(int i, bool gate)
{
    (void)gate;
    return i % 4 == 0 && i % 11 != 0;
}

static void test_answers_relevance_repeats_and_refused_values(void **state)
{
    struct fixture *fx = *state;
    struct session *s = fx->s;
    set(s, "/data/limit", "", "10");
    set(s, "/data/gate", "", "yes");
    char path[64];
    for (int i = 0; i < BIG; i++)
        if (big_typed(i, true)) {
            snprintf(path, sizeof path, "/data/big/q%03d", i);
            set(s, path, "", i % 13 == 0 ? "5" : "x");
        }
    set(s, "/data/fl/f01", "", "on");
    set(s, "/data/fl/f02", "", "y");
    set(s, "/data/fl/f08", "", "y"); /* asked now f01 is on */
    set(s, "/data/off/o1", "", "y");
    const struct form_node *person = form_find(session_form(s), "/data/person");
    char items[3][UUID_STR_LEN];
    struct error err = ERROR_INIT;
    for (int e = 0; e < 3; e++) {
        assert_true(session_add_item(s, person, "", items[e], &err));
        set(s, "/data/person/p03", items[e], "x");
        set(s, "/data/person/p04", items[e], "x");
    }
    set(s, "/data/person/p01", items[0], "yes");
    set(s, "/data/person/p01", items[1], "no");

    size_t answered, asked;
    check(s, &answered, &asked);
    /* gate, limit; the big group; fl all asked; off's two; each entry's
     * odd ones, and the even ones in the entry whose p01 is yes */
    size_t big = big_count(big_asked, true);
    assert_int_equal(asked, 2 + big + LIST + 2 + 3 * PERSON / 2 + PERSON / 2);
    assert_int_equal(asked, 2 + 545 + 40 + 2 + 60 + 20);
    /* gate, limit; every 4th of big; f01 f02 f08; o1; p03 in each entry,
     * p04 in the first; p01 in the first two */
    size_t typed = big_count(big_typed, true);
    assert_int_equal(answered, 2 + typed + 3 + 1 + 3 + 1 + 2);
    assert_int_equal(answered, 2 + 136 + 3 + 1 + 3 + 1 + 2);

    /* a limit of 3 refuses the 5s typed before: asked, not answered */
    set(s, "/data/limit", "", "3");
    size_t refused = 0;
    for (int i = 0; i < BIG; i += 13)
        refused += big_typed(i, true);
    size_t answered2, asked2;
    check(s, &answered2, &asked2);
    assert_int_equal(asked2, asked);
    assert_int_equal(answered2, answered - refused);
    assert_int_equal(refused, 10);

    /* gate no: every 5th of big and the group off are not asked any more,
     * their answers kept but not counted */
    set(s, "/data/gate", "", "no");
    check(s, &answered2, &asked2);
    assert_int_equal(asked2, asked - (big - big_count(big_asked, false)) - 2);
    assert_int_equal(asked2, 669 - 109 - 2);
    /* of the 136 typed in big, 10 refused, 27 not asked (2 of them refused);
     * o1 not asked */
    assert_int_equal(answered2, 2 + 136 - 10 - 25 + 3 + 0 + 3 + 1 + 2);
    /* an entry deleted */
    assert_true(session_remove_item(s, items[0], &err));
    size_t answered3, asked3;
    check(s, &answered3, &asked3);
    assert_int_equal(asked3, asked2 - PERSON);
    assert_int_equal(answered3, answered2 - 3); /* its p01, p03, p04 */
}

/* The form's states of all questions at once are those of one at a time,
 * and an element that has a sibling of the same name further on is the
 * first: the walk indexes a group of more than 32 children. */
static void test_states_at_once_are_those_one_by_one(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "<h:html xmlns=\"http://www.w3.org/2002/xforms\" "
                     "xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:head><h:title>Twins</h:title>"
                     "<model><instance><data id=\"twins\"><g>");
    for (int i = 0; i < 50; i++)
        strbuf_addf(&sb, "<c%02d/>", i);
    strbuf_adds(&sb, "<c40>not this one</c40></g></data></instance>");
    for (int i = 0; i < 50; i++)
        strbuf_addf(&sb, "<bind nodeset=\"/data/g/c%02d\" type=\"string\"%s/>", i,
                    i % 2 ? " required=\"true()\"" : "");
    strbuf_adds(&sb, "</model></h:head><h:body>");
    for (int i = 0; i < 50; i++)
        strbuf_addf(&sb, "<input ref=\"/data/g/c%02d\"><label>C</label></input>", i);
    strbuf_adds(&sb, "</h:body></h:html>");
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory(sb.buf, strlen(sb.buf), "twins.xml", &err);
    strbuf_free(&sb);
    if (!f)
        fail_msg("form: %s", err.msg);
    struct form_record *r = form_record_new(f);
    assert_true(form_record_set(r, "/data/g/c45", NULL, "y", &err));
    struct form_qref q[51];
    enum form_qstate st[51];
    for (int i = 0; i < 50; i++) {
        char path[32];
        snprintf(path, sizeof path, "/data/g/c%02d", i);
        q[i] = (struct form_qref){form_find(f, path), "", false};
        assert_non_null(q[i].node);
    }
    q[50] = (struct form_qref){NULL, "", false};
    form_record_qstates(r, q, 51, NULL, st);
    for (int i = 0; i < 50; i++) {
        enum form_qstate want = i == 45 ? FORM_Q_ANSWERED
                                : i % 2 ? FORM_Q_MISSING
                                        : FORM_Q_EMPTY;
        assert_int_equal(st[i], want);
        assert_int_equal(form_record_qstate(r, q[i].node, "", NULL), want);
    }
    assert_int_equal(st[50], FORM_Q_IRRELEVANT);
    form_record_free(&r);
    form_free(&f);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("IMAS_SURVEY_AUTHOR", "test", 1);
    dir = mkdtemp(tmpdir);
    if (!dir)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_relevance_repeats_and_refused_values, setup,
                                        teardown),
        cmocka_unit_test(test_states_at_once_are_those_one_by_one),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    return rc;
}
