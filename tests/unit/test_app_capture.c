/* test_app_capture.c: focus-group capture without curses (app/capture.h,
 * app/capture_writer.h) and notes search (app/search.h): roster and speaker
 * switching, topics and phases from the form, #tags in any script, note
 * timestamps, one transaction per note, corrections keeping the old
 * revision, tombstones, the roster grown from the capture screen, the
 * writer thread on a locked file, and searches with diacritics, Cyrillic
 * and prefixes. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "form/form.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"
#include "app/capture.h"
#include "app/capture_writer.h"
#include "app/search.h"
#include "search_check.h"

static const char *self; /* this test program, to start it again */
static char tmpdir[] = "/tmp/test_app_capture.XXXXXX";
static char *dir;
static int counter;

struct fixture {
    char *path;
    struct store *store;
    struct form *form;
    char record[UUID_STR_LEN];
    struct capture *c;
};

/* Jobs run at once on the test's connection. */
static void run_now(void *ctx, struct capture_job *j)
{
    struct fixture *fx = ctx;
    capture_job_run(fx->store, j);
    capture_apply(fx->c, j);
    capture_job_free(&j);
}

/* Jobs kept for the test to look at or drop. */
static struct capture_job *held[16];
static size_t nheld;
static void hold(void *ctx, struct capture_job *j)
{
    (void)ctx;
    assert_true(nheld < 16);
    held[nheld++] = j;
}

static void add_participant(struct fixture *fx, const char *code, const char *consent)
{
    char uuid[UUID_STR_LEN];
    assert_true(store_item_add(fx->store, fx->record, "", "/data/participant", uuid, NULL));
    assert_true(store_answer_set(fx->store, fx->record, uuid, "/data/participant/code", code, NULL));
    assert_true(
        store_answer_set(fx->store, fx->record, uuid, "/data/participant/consent", consent, NULL));
}

static struct capture *open_capture(struct fixture *fx)
{
    struct error err = ERROR_INIT;
    struct capture *c = capture_open(fx->store, fx->form, fx->record, NULL, &err);
    if (!c)
        fail_msg("capture_open: %s", err.msg);
    c->submit = run_now;
    c->submit_ctx = fx;
    return c;
}

static int setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    fx->path = xasprintf("%s/c%d.sqlite", dir, counter++);
    struct error err = ERROR_INIT;
    fx->store = store_open(fx->path, STORE_CREATE, &err);
    assert_non_null(fx->store);
    char *p = xasprintf("%s/forms/ias-focus-group.xml", ABS_TOP_SRCDIR);
    fx->form = form_load_file(p, &err);
    free(p);
    assert_non_null(fx->form);
    assert_true(store_form_put(fx->store, form_id(fx->form), form_version(fx->form), NULL,
                               form_title(fx->form), form_source(fx->form), &err));
    assert_true(store_record_create(fx->store, form_id(fx->form), form_version(fx->form),
                                    fx->record, &err));
    add_participant(fx, "P1", "yes");
    add_participant(fx, "P2", "yes");
    add_participant(fx, "P3", "no");
    fx->c = open_capture(fx);
    nheld = 0;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    capture_free(&fx->c);
    store_close(&fx->store);
    form_free(&fx->form);
    free(fx->path);
    free(fx);
    unsetenv("IMAS_SURVEY_NOW_MS");
    return 0;
}

static char *answer(struct fixture *fx, const char *item, const char *field)
{
    char *v = NULL;
    assert_true(store_answer_get(fx->store, fx->record, item, field, &v, NULL));
    return v;
}

static void assert_answer(struct fixture *fx, const char *item, const char *field,
                          const char *want)
{
    char *v = answer(fx, item, field);
    if (!want)
        assert_null(v);
    else
        assert_string_equal(v ? v : "(null)", want);
    free(v);
}

static size_t live_notes(struct fixture *fx)
{
    char **uuids = NULL;
    size_t n = 0;
    assert_true(store_item_list(fx->store, fx->record, "", "/data/note", &uuids, &n, NULL));
    store_item_list_free(&uuids, n);
    return n;
}

/* ---- tags ------------------------------------------------------------------- */

static void assert_tags(const char *text, const char *want)
{
    char *t = capture_tags(text);
    assert_string_equal(t, want);
    free(t);
}

static void test_tags_take_letters_of_every_script(void **state)
{
    (void)state;
    assert_tags("no tags here", "");
    assert_tags("#Dostęp is #dostęp again", "dostęp");
    assert_tags("Vrtec #šola-vrtec, #ŽUPNIJA.", "šola-vrtec župnija");
    assert_tags("Родителите #Подкрепа #детска_градина", "подкрепа детска_градина");
    assert_tags("Koulu #päiväkoti! #ÅPEN #ødegaard", "päiväkoti åpen ødegaard");
    /* a combining accent is part of the word */
    assert_tags("#cafe\xcc\x81 time", "cafe\xcc\x81");
    /* not tags: inside a word, nothing after '#', punctuation after '#' */
    assert_tags("C#sharp a#b # #, #-x #_y", "");
    /* a tag ends before a trailing '-' and at punctuation */
    assert_tags("#well-being- and #2024/25 ##double", "well-being 2024 double");
}

/* ---- speaker, topic, phase ------------------------------------------------- */

static void test_speaker_by_roster_position_and_cycling(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    assert_int_equal(c->npeople, 3);
    assert_string_equal(c->people[2].code, "P3");
    assert_string_equal(c->people[2].consent, "no");
    assert_string_equal(capture_speaker_code(c), "");
    assert_true(capture_speaker_set(c, 1));
    assert_string_equal(capture_speaker_code(c), "P2");
    assert_false(capture_speaker_set(c, 3));
    assert_string_equal(capture_speaker_code(c), "P2");
    capture_speaker_step(c, 1);
    capture_speaker_step(c, 1);
    assert_string_equal(capture_speaker_code(c), "P1");
    capture_speaker_step(c, -1);
    assert_string_equal(capture_speaker_code(c), "P3");
}

static void test_topics_and_phases_come_from_the_form(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    assert_string_equal(capture_topic_value(c), "general");
    assert_string_equal(capture_phase_value(c), "context");
    capture_topic_step(c, 1);
    assert_string_equal(capture_topic_value(c), "omp");
    assert_string_equal(capture_topic_label(c), "Open meeting places");
    capture_topic_step(c, -1);
    capture_topic_step(c, -1);
    assert_string_equal(capture_topic_value(c), "isi");
    capture_phase_step(c, 1);
    assert_string_equal(capture_phase_value(c), "state_of_play");
    assert_string_equal(capture_phase_label(c), "State of play");
    capture_phase_step(c, 1);
    capture_phase_step(c, 1);
    assert_string_equal(capture_phase_value(c), "context");
}

/* ---- notes ------------------------------------------------------------------ */

static void test_note_saved_with_start_of_typing_speaker_and_topic(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    capture_speaker_set(c, 1);
    capture_topic_step(c, 1);
    setenv("IMAS_SURVEY_NOW_MS", "1790000000000", 1);
    capture_draft_typed(c, "D");
    setenv("IMAS_SURVEY_NOW_MS", "1790000004000", 1);
    capture_draft_typed(c, "Dostęp do #żłobka");
    c->quote = true;
    setenv("IMAS_SURVEY_NOW_MS", "1790000009500", 1);
    assert_true(capture_commit(c, "  Dostęp do #żłobka jest trudny\n", &msg));
    assert_null(msg);
    assert_int_equal(c->nnotes, 1);
    const struct capture_note *n = &c->notes[0];
    assert_int_equal(n->state, CAPTURE_SAVED);
    assert_int_equal(c->saved_count, 1);
    assert_int_equal(live_notes(fx), 1);
    assert_answer(fx, n->uuid, "/data/note/text", "Dostęp do #żłobka jest trudny");
    assert_answer(fx, n->uuid, "/data/note/speaker", "P2");
    assert_answer(fx, n->uuid, "/data/note/topic", "omp");
    assert_answer(fx, n->uuid, "/data/note/phase", "context");
    assert_answer(fx, n->uuid, "/data/note/tags", "żłobka");
    assert_answer(fx, n->uuid, "/data/note/quote", "yes");
    assert_answer(fx, n->uuid, "/data/note/started_at", "2026-09-21T14:13:20.000Z");
    assert_answer(fx, n->uuid, "/data/note/committed_at", "2026-09-21T14:13:29.500Z");
    /* the next draft is a new one: not a quote, its own start */
    assert_false(c->quote);
    assert_int_equal(c->draft_started, 0);
    assert_false(capture_commit(c, " \n ", &msg));
    assert_non_null(msg);
    free(msg);
    assert_int_equal(live_notes(fx), 1);
}

/* The clock: still until the first note is begun, then time since the
 * session's first note with every F6 pause left out, this visit's and
 * those kept in the audit from earlier ones. */
static void test_clock_runs_from_first_note_without_pauses(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    struct error err = ERROR_INIT;
    const int64_t t0 = INT64_C(1790000000000);
    assert_int_equal(capture_clock_ms(c, t0 + 60000), 0); /* nothing typed */
    setenv("IMAS_SURVEY_NOW_MS", "1790000000000", 1);
    capture_draft_typed(c, "P");
    assert_int_equal(capture_clock_ms(c, t0 + 5000), 5000);
    setenv("IMAS_SURVEY_NOW_MS", "1790000010000", 1);
    assert_true(capture_commit(c, "Pierwsza", &msg));
    /* paused from 20 s to 50 s: frozen meanwhile, then 30 s left out */
    assert_true(capture_pause_toggle(c, t0 + 20000));
    assert_int_equal(capture_clock_ms(c, t0 + 40000), 20000);
    assert_false(capture_pause_toggle(c, t0 + 50000));
    assert_int_equal(capture_clock_ms(c, t0 + 60000), 30000);
    /* an earlier visit's pause, kept in the audit, counts on reopening */
    setenv("IMAS_SURVEY_NOW_MS", "1790000070000", 1);
    if (!store_audit_event(fx->store, fx->record, "pause", &err))
        fail_msg("%s", err.msg);
    setenv("IMAS_SURVEY_NOW_MS", "1790000085000", 1);
    if (!store_audit_event(fx->store, fx->record, "resume", &err))
        fail_msg("%s", err.msg);
    capture_free(&fx->c);
    fx->c = c = open_capture(fx);
    assert_int_equal(capture_clock_ms(c, t0 + 100000), 100000 - 15000);
}

static void test_reopened_capture_has_transcript_and_goes_on(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    capture_speaker_set(c, 0);
    assert_true(capture_commit(c, "Первата бележка", &msg));
    capture_speaker_set(c, 2);
    capture_topic_step(c, 1);
    capture_topic_step(c, 1);
    capture_phase_step(c, -1);
    assert_true(capture_commit(c, "Second #note", &msg));
    capture_free(&fx->c);
    fx->c = c = open_capture(fx);
    assert_int_equal(c->nnotes, 2);
    assert_string_equal(c->notes[0].text, "Первата бележка");
    assert_string_equal(c->notes[0].speaker, "P1");
    assert_string_equal(c->notes[1].tags, "note");
    assert_int_equal(c->notes[1].state, CAPTURE_SAVED);
    /* speaker, topic and phase of the last note */
    assert_string_equal(capture_speaker_code(c), "P3");
    assert_string_equal(capture_topic_value(c), "ipc");
    assert_string_equal(capture_phase_value(c), "future_plans");
}

static bool collect_old(void *ctx, const struct store_answer *v, const char *reason,
                        int64_t superseded_at)
{
    (void)reason;
    (void)superseded_at;
    char **old = ctx;
    free(*old);
    *old = xstrdup(v->value ? v->value : "");
    return true;
}

static void test_correction_is_a_new_revision_keeping_the_old(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    capture_speaker_set(c, 0);
    assert_true(capture_commit(c, "Učitelj pravi #vrtec", &msg));
    capture_speaker_set(c, 1); /* the current speaker before correcting */
    const char *text = capture_edit_begin(c, 0);
    assert_string_equal(text, "Učitelj pravi #vrtec");
    assert_string_equal(capture_speaker_code(c), "P1");
    capture_speaker_set(c, 2); /* it was P3 who said it */
    assert_true(capture_edit_commit(c, "Učiteljica pravi #šola", &msg));
    const char *uuid = c->notes[0].uuid;
    assert_answer(fx, uuid, "/data/note/text", "Učiteljica pravi #šola");
    assert_answer(fx, uuid, "/data/note/tags", "šola");
    assert_answer(fx, uuid, "/data/note/speaker", "P3");
    struct store_answer a;
    bool found = false;
    assert_true(store_answer_info(fx->store, fx->record, uuid, "/data/note/text", &a, &found,
                                  NULL));
    assert_true(found);
    assert_int_equal(a.revision, 2);
    store_answer_clear(&a);
    char *old = NULL;
    assert_true(
        store_answer_history(fx->store, fx->record, uuid, "/data/note/text", collect_old, &old, NULL));
    assert_string_equal(old, "Učitelj pravi #vrtec");
    free(old);
    /* the speaker chosen before the correction is back */
    assert_string_equal(capture_speaker_code(c), "P2");
    assert_int_equal(c->editing, SIZE_MAX);
}

static bool kept_deleted(void *ctx, const struct store_answer *v, const char *reason,
                         int64_t superseded_at)
{
    (void)superseded_at;
    if (strcmp(reason, "delete") == 0 && v->value)
        *(char **)ctx = xstrdup(v->value);
    return true;
}

static void test_removed_note_is_a_tombstone(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    assert_true(capture_commit(c, "keep me", &msg));
    assert_true(capture_commit(c, "remove me", &msg));
    char uuid[UUID_STR_LEN];
    strcpy(uuid, c->notes[1].uuid);
    assert_true(capture_remove(c, 1, &msg));
    assert_int_equal(c->nnotes, 1);
    assert_int_equal(live_notes(fx), 1);
    /* the text is still in the file, kept in the history of the answer
     * the delete tombstoned (so an edit on another laptop conflicts) */
    assert_answer(fx, uuid, "/data/note/text", NULL);
    char *kept = NULL;
    assert_true(store_answer_history(fx->store, fx->record, uuid, "/data/note/text",
                                     kept_deleted, &kept, NULL));
    assert_string_equal(kept ? kept : "(none)", "remove me");
    free(kept);
    capture_free(&fx->c);
    fx->c = c = open_capture(fx);
    assert_int_equal(c->nnotes, 1);
    assert_string_equal(c->notes[0].text, "keep me");
}

static void test_participant_added_from_capture_speaks_now(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    assert_false(capture_participant_add(c, "P 4", "yes", &msg));
    free(msg);
    assert_false(capture_participant_add(c, "P2", "yes", &msg));
    free(msg);
    assert_false(capture_participant_add(c, "", "yes", &msg));
    free(msg);
    assert_true(capture_participant_add(c, " P4 ", "no", &msg));
    assert_int_equal(c->npeople, 4);
    assert_string_equal(capture_speaker_code(c), "P4");
    assert_int_equal(c->people[3].state, CAPTURE_SAVED);
    assert_answer(fx, c->people[3].uuid, "/data/participant/code", "P4");
    assert_answer(fx, c->people[3].uuid, "/data/participant/consent", "no");
    assert_true(capture_commit(c, "new voice", &msg));
    assert_answer(fx, c->notes[0].uuid, "/data/note/speaker", "P4");
}

static void test_new_code_goes_to_the_roster_entry_without_one(void **state)
{
    struct fixture *fx = *state;
    char blank[UUID_STR_LEN], *msg = NULL;
    assert_true(store_item_add(fx->store, fx->record, "", "/data/participant", blank, NULL));
    capture_free(&fx->c);
    struct capture *c = fx->c = open_capture(fx);
    assert_int_equal(c->npeople, 3); /* no code: not a speaker */
    assert_int_equal(c->nblank, 1);
    assert_false(capture_speaker_set(c, 3));
    assert_true(capture_participant_add(c, "P9", "yes", &msg));
    assert_string_equal(c->people[3].uuid, blank);
    assert_answer(fx, blank, "/data/participant/code", "P9");
    char **uuids = NULL;
    size_t n = 0;
    assert_true(store_item_list(fx->store, fx->record, "", "/data/participant", &uuids, &n, NULL));
    store_item_list_free(&uuids, n);
    assert_int_equal(n, 4);
    assert_true(capture_participant_add(c, "P10", "", &msg));
    assert_int_equal(c->npeople, 5);
    assert_true(capture_speaker_set(c, 4));
    assert_string_equal(capture_speaker_code(c), "P10");
}

static void test_finalized_record_takes_no_notes(void **state)
{
    struct fixture *fx = *state;
    char *msg = NULL;
    assert_true(store_record_finalize(fx->store, fx->record, NULL));
    capture_free(&fx->c);
    fx->c = open_capture(fx);
    assert_false(fx->c->editable);
    assert_false(capture_commit(fx->c, "too late", &msg));
    assert_non_null(msg);
    free(msg);
    assert_int_equal(live_notes(fx), 0);
}

static void test_a_note_is_one_transaction(void **state)
{
    struct fixture *fx = *state;
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    struct capture_job *j = capture_job_new(CAPTURE_JOB_ADD, fx->record, uuid, "/data/note");
    capture_job_answer(j, "/data/note/text", "half a note");
    capture_job_answer(j, "no-slash", "refused");
    assert_false(capture_job_run(fx->store, j));
    assert_non_null(j->error);
    capture_job_free(&j);
    /* neither the item nor its first answer is there */
    assert_int_equal(live_notes(fx), 0);
    assert_answer(fx, uuid, "/data/note/text", NULL);
}

/* ---- failures, retry, the writer thread ------------------------------------ */

static void test_failed_note_stays_marked_and_retry_saves_it(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    c->submit = hold;
    assert_true(capture_commit(c, "held back", &msg));
    assert_int_equal(c->notes[0].state, CAPTURE_PENDING);
    size_t pending, failed;
    capture_counts(c, &pending, &failed);
    assert_int_equal(pending, 1);
    /* the file refused it */
    struct capture_job *j = held[--nheld];
    j->ok = false;
    j->error = xstrdup("disk full");
    capture_apply(c, j);
    capture_job_free(&j);
    assert_int_equal(c->notes[0].state, CAPTURE_FAILED);
    assert_string_equal(c->notes[0].error, "disk full");
    capture_counts(c, &pending, &failed);
    assert_int_equal(failed, 1);
    c->submit = run_now;
    assert_int_equal(capture_retry(c), 1);
    assert_int_equal(c->notes[0].state, CAPTURE_SAVED);
    assert_answer(fx, c->notes[0].uuid, "/data/note/text", "held back");
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void test_writer_never_waits_on_a_locked_file(void **state)
{
    struct fixture *fx = *state;
    struct error err = ERROR_INIT;
    struct capture_writer *w = capture_writer_start(fx->store, &err);
    assert_non_null(w);
    /* another connection holds the write lock, as a stalled disk would */
    struct store *other = store_open(fx->path, 0, &err);
    assert_non_null(other);
    assert_true(store_batch_begin(other, &err));
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    struct capture_job *j = capture_job_new(CAPTURE_JOB_ADD, fx->record, uuid, "/data/note");
    capture_job_answer(j, "/data/note/text", "typed while the file was busy");
    int64_t t0 = now_us();
    capture_writer_submit(w, j);
    assert_true(now_us() - t0 < 50000);
    usleep(300000);
    assert_int_equal(capture_writer_pending(w), 1);
    assert_null(capture_writer_take(w));
    assert_true(store_batch_end(other, true, &err));
    assert_true(capture_writer_drain(w, 5000));
    j = capture_writer_take(w);
    assert_non_null(j);
    assert_true(j->ok);
    assert_true(j->elapsed_us >= 250000);
    capture_job_free(&j);
    capture_writer_stop(&w);
    store_close(&other);
    assert_answer(fx, uuid, "/data/note/text", "typed while the file was busy");
}

/* Another program opening and closing the file while the writer runs must
 * not find it unused: the process's locks on the file are intact, so the
 * write-ahead log stays (a second store_open would drop them: its probe
 * closes a descriptor of the file). */
static void test_writer_connection_keeps_the_process_locks(void **state)
{
    struct fixture *fx = *state;
    struct error err = ERROR_INIT;
    struct capture_writer *w = capture_writer_start(fx->store, &err);
    assert_non_null(w);
    char uuid[UUID_STR_LEN];
    uuid_v7(uuid);
    struct capture_job *j = capture_job_new(CAPTURE_JOB_ADD, fx->record, uuid, "/data/note");
    capture_job_answer(j, "/data/note/text", "in the log");
    capture_writer_submit(w, j);
    assert_true(capture_writer_drain(w, 5000));
    char *wal = xasprintf("%s-wal", fx->path);
    assert_int_equal(access(wal, F_OK), 0);
    /* another program: this test binary started again (a forked child
     * would share SQLite's idea of which files this process has open) */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(self, self, "--touch", fx->path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(access(wal, F_OK), 0);
    free(wal);
    j = capture_writer_take(w);
    assert_true(j && j->ok);
    capture_job_free(&j);
    capture_writer_stop(&w);
    assert_answer(fx, uuid, "/data/note/text", "in the log");
}

static void test_writer_stop_saves_what_is_queued(void **state)
{
    struct fixture *fx = *state;
    struct error err = ERROR_INIT;
    struct capture_writer *w = capture_writer_start(fx->store, &err);
    assert_non_null(w);
    for (int i = 0; i < 20; i++) {
        char uuid[UUID_STR_LEN], text[32];
        uuid_v7(uuid);
        snprintf(text, sizeof text, "note %d", i);
        struct capture_job *j = capture_job_new(CAPTURE_JOB_ADD, fx->record, uuid, "/data/note");
        capture_job_answer(j, "/data/note/text", text);
        capture_writer_submit(w, j);
    }
    capture_writer_stop(&w);
    assert_null(w);
    assert_int_equal(live_notes(fx), 20);
}

/* ---- search ----------------------------------------------------------------- */

static size_t hits(struct fixture *fx, const char *query, struct search_results *r)
{
    struct error err = ERROR_INIT;
    struct search_scope *sc = search_scope_new(fx->store, NULL, &err);
    assert_non_null(sc);
    assert_true(search_run(fx->store, NULL, sc, NULL, query, 50, r, &err));
    search_scope_free(&sc);
    return r->n;
}

/* The search index's segments (FTS5 writes one per commit) in fx's file. */
static int index_segments(struct fixture *fx)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(DISTINCT segid) FROM search_idx", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void add_note(struct fixture *fx, int i)
{
    char uuid[UUID_STR_LEN], text[64];
    uuid_v7(uuid);
    snprintf(text, sizeof text, "nota %d: učiteľka, учителка", i);
    struct capture_job *j = capture_job_new(CAPTURE_JOB_ADD, fx->record, uuid, "/data/note");
    capture_job_answer(j, "/data/note/text", text);
    assert_true(capture_job_run(fx->store, j));
    capture_job_free(&j);
}

/* Each note's commit adds a segment to the search index; FTS5 merges
 * them inside a commit, every 64 pages written, many at once (10-30 ms
 * of one note's commit in 60: bench/capture-latency). The writer merges
 * them between notes (capture_job_idle), so no commit finds any to. */
static void test_writer_merges_the_index_between_notes(void **state)
{
    struct fixture *fx = *state;
    int piled = 0, tidy = 0;
    for (int i = 0; i < 60; i++) {
        add_note(fx, i);
        int n = index_segments(fx);
        piled = n > piled ? n : piled;
    }
    for (int i = 60; i < 120; i++) {
        add_note(fx, i);
        capture_job_idle(fx->store);
        int n = index_segments(fx);
        tidy = n > tidy ? n : tidy;
    }
    /* FTS5 left up to 15 for a commit to merge; between notes, what is
     * left is under 4 a level (FTS5's automerge), nothing to merge */
    assert_true(piled >= 8);
    assert_true(tidy <= 6);
    /* the merged index is the one a rebuild makes, and FTS5 finds it
     * sound */
    assert_search_in_step(fx->path);
    /* and search still finds the notes: the first page of all, and one */
    struct search_results r = {0};
    assert_int_equal(hits(fx, "ucitelka", &r), 50);
    search_results_free(&r);
    assert_int_equal(hits(fx, "119", &r), 1);
    search_results_free(&r);
}

static void test_search_ignores_diacritics_and_finds_prefixes(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    capture_speaker_set(c, 1);
    capture_topic_step(c, 1);
    setenv("IMAS_SURVEY_NOW_MS", "1790000000000", 1);
    assert_true(capture_commit(c, "Učiteľka hovorí o dostępności #żłobek", &msg));
    capture_speaker_set(c, 0);
    assert_true(capture_commit(c, "Родителите искат повече подкрепа", &msg));
    assert_true(store_answer_set(fx->store, fx->record, "", "/data/session/place",
                                 "Ljubljana, Škofja Loka", NULL));
    struct search_results r;
    assert_int_equal(hits(fx, "ucitelka", &r), 1);
    const struct search_hit *h = &r.hits[0];
    assert_true(h->note);
    assert_string_equal(h->where, "P2");
    assert_string_equal(h->topic, "Open meeting places");
    assert_int_equal(h->when, 1790000000000);
    assert_string_equal(h->record, fx->record);
    assert_string_equal(h->item, c->notes[0].uuid);
    assert_non_null(strstr(h->record_label, "IAS focus group"));
    search_results_free(&r);
    assert_int_equal(hits(fx, "DOSTEP", &r), 1); /* a prefix, without ę */
    search_results_free(&r);
    assert_int_equal(hits(fx, "ŻŁOB", &r), 1); /* the tag, inside the text */
    search_results_free(&r);
    assert_int_equal(hits(fx, "родит", &r), 1);
    assert_string_equal(r.hits[0].where, "P1");
    search_results_free(&r);
    assert_int_equal(hits(fx, "ПОДКРЕП искат", &r), 1);
    search_results_free(&r);
    assert_int_equal(hits(fx, "skofja", &r), 1); /* a text answer */
    assert_false(r.hits[0].note);
    assert_string_equal(r.hits[0].where, "Place");
    search_results_free(&r);
    assert_int_equal(hits(fx, "yes", &r), 0); /* choice values are not text */
    search_results_free(&r);
    assert_int_equal(hits(fx, "родит ucitelka", &r), 0);
    search_results_free(&r);
    /* a removed note is not found */
    assert_true(capture_remove(c, 1, &msg));
    assert_int_equal(hits(fx, "родит", &r), 0);
    search_results_free(&r);
}

/* Times, codes and choices match words too ("2026" is in every note's
 * times): they are not searched, so they cannot crowd out the text. */
static void test_search_finds_text_among_many_matching_times(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    setenv("IMAS_SURVEY_NOW_MS", "1790000000000", 1); /* 2026-09-21 */
    capture_speaker_set(c, 1);
    char text[64];
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof text, "note %d", i);
        assert_true(capture_commit(c, text, &msg));
    }
    assert_true(capture_commit(c, "Zákon z roku 2026 o asistentoch v materských školách "
                                  "a jeho dôsledky pre rodiny a učiteľov", &msg));
    struct search_results r;
    assert_int_equal(hits(fx, "2026", &r), 1);
    assert_non_null(strstr(r.hits[0].text, "Zákon"));
    assert_false(r.more);
    search_results_free(&r);
}

/* The screen reads a page per keystroke and the rest as the user moves
 * down: pages of 20 give 45 hits each once, the same hits as one full
 * read, and the count says "more below" until the last is read. */
static void test_search_reads_pages_on_demand(void **state)
{
    struct fixture *fx = *state;
    struct capture *c = fx->c;
    char *msg = NULL;
    capture_speaker_set(c, 1);
    char text[64];
    for (int i = 0; i < 45; i++) {
        snprintf(text, sizeof text, "rodzice %d", i);
        assert_true(capture_commit(c, text, &msg));
    }
    assert_true(capture_commit(c, "szkoła", &msg));
    struct error err = ERROR_INIT;
    struct search_scope *sc = search_scope_new(fx->store, NULL, &err);
    assert_non_null(sc);
    struct search_results all, r;
    assert_true(search_run(fx->store, NULL, sc, NULL, "rodzic", 0, &all, &err));
    assert_int_equal(all.n, 45);
    assert_false(all.more);
    assert_true(search_run(fx->store, NULL, sc, NULL, "rodzic", 20, &r, &err));
    assert_int_equal(r.n, 20);
    assert_true(r.more);
    char *count = search_count_text(&r, 500);
    assert_string_equal(count, "The first 20 results; more below");
    free(count);
    assert_true(search_more(fx->store, sc, NULL, 20, &r, &err));
    assert_int_equal(r.n, 40);
    assert_true(r.more);
    count = search_count_text(&r, 40); /* all the screen lists */
    assert_string_equal(count, "The first 40 results");
    free(count);
    assert_true(search_more(fx->store, sc, NULL, 20, &r, &err));
    assert_int_equal(r.n, 45);
    assert_false(r.more);
    assert_true(search_more(fx->store, sc, NULL, 20, &r, &err));
    assert_int_equal(r.n, 45);
    count = search_count_text(&r, 500);
    assert_string_equal(count, "45 results");
    free(count);
    for (size_t i = 0; i < r.n; i++) { /* each once, none missed */
        int in_all = 0;
        for (size_t j = 0; j < all.n; j++)
            in_all += strcmp(r.hits[i].item, all.hits[j].item) == 0;
        assert_int_equal(in_all, 1);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(r.hits[i].item, r.hits[j].item);
        assert_non_null(strstr(r.hits[i].text, "rodzice"));
        assert_string_equal(r.hits[i].where, "P2");
    }
    search_results_free(&r);
    search_results_free(&all);
    search_scope_free(&sc);
}

/* --touch FILE: open the file with SQLite, read it, close it. */
static int touch(const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "SELECT count(*) FROM items", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--touch") == 0)
        return touch(argv[2]);
    self = argv[0];
    setlocale(LC_ALL, "C.UTF-8");
    setenv("IMAS_SURVEY_AUTHOR", "tester", 1);
    setenv("TZ", "UTC", 1);
    dir = mkdtemp(tmpdir);
    assert_non_null(dir);
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        cmocka_unit_test(test_tags_take_letters_of_every_script),
        T(test_speaker_by_roster_position_and_cycling),
        T(test_topics_and_phases_come_from_the_form),
        T(test_note_saved_with_start_of_typing_speaker_and_topic),
        T(test_reopened_capture_has_transcript_and_goes_on),
        T(test_clock_runs_from_first_note_without_pauses),
        T(test_correction_is_a_new_revision_keeping_the_old),
        T(test_removed_note_is_a_tombstone),
        T(test_participant_added_from_capture_speaks_now),
        T(test_new_code_goes_to_the_roster_entry_without_one),
        T(test_finalized_record_takes_no_notes),
        T(test_a_note_is_one_transaction),
        T(test_failed_note_stays_marked_and_retry_saves_it),
        T(test_writer_never_waits_on_a_locked_file),
        T(test_writer_connection_keeps_the_process_locks),
        T(test_writer_stop_saves_what_is_queued),
        T(test_writer_merges_the_index_between_notes),
        T(test_search_ignores_diacritics_and_finds_prefixes),
        T(test_search_finds_text_among_many_matching_times),
        T(test_search_reads_pages_on_demand),
#undef T
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(rm);
    return failed;
}
