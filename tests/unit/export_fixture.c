#include "config.h"

#include "export_fixture.h"

#include "core/xalloc.h"
#include "store/answers.h"
#include "store/audit.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- determinism: seeded random bytes, a clock that moves 1 s a save ---- */

static uint64_t rng_state = 42;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* The store's UUIDs come from getrandom(); this one is seeded. */
ssize_t getrandom(void *buf, size_t n, unsigned int flags);
ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    (void)flags;
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(rng_next() >> 56);
    return (ssize_t)n;
}

static int64_t clock_ms;

static void tick(void)
{
    char buf[32];
    clock_ms += 1000;
    snprintf(buf, sizeof buf, "%" PRId64, clock_ms);
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

/* ---- building ------------------------------------------------------------ */

struct b {
    struct store *s;
    struct error *err;
    bool ok;
};

static void put_form(struct b *b, const char *forms_dir, const char *file,
                     const char *id, const char *version, const char *title)
{
    char *path = xasprintf("%s/%s", forms_dir, file);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp) {
        b->ok = error_set(b->err, "cannot read %s", file);
        return;
    }
    char *xml = xmalloc(1 << 20);
    size_t n = fread(xml, 1, (1 << 20) - 1, fp);
    xml[n] = '\0';
    fclose(fp);
    tick();
    b->ok = b->ok && store_form_put(b->s, id, version, NULL, title, xml, b->err);
    free(xml);
}

static void rec(struct b *b, const char *form, const char *version, char uuid[37])
{
    tick();
    b->ok = b->ok && store_record_create(b->s, form, version, uuid, b->err);
}

static void item(struct b *b, const char *record, const char *repeat, char uuid[37])
{
    tick();
    b->ok = b->ok && store_item_add(b->s, record, "", repeat, uuid, b->err);
}

static void set(struct b *b, const char *record, const char *item_uuid,
                const char *field, const char *value)
{
    tick();
    b->ok = b->ok && store_answer_set(b->s, record, item_uuid, field, value, b->err);
}

#define GRID "imas-dimension-grid"
#define GRID_V "2026112301"

static void grid_visit(struct b *b, char r[37], const char *country,
                       const char *school, const char *date, const char *roles)
{
    rec(b, GRID, GRID_V, r);
    set(b, r, "", "/data/visit/country", country);
    set(b, r, "", "/data/visit/school", school);
    set(b, r, "", "/data/visit/visit_date", date);
    set(b, r, "", "/data/visit/roles", roles);
    set(b, r, "", "/data/visit/consent", "yes");
}

static char bg_record[37], pt_record[37], sk_record[37], fg_record[37];

/* Target states, set last so that the rest keeps its UUIDs and times:
 * Bulgaria's own, and Portugal's the form's Portuguese default (so the
 * default, not Portugal's own). */
static void grid_targets(struct b *b)
{
    set(b, bg_record, "", "/data/grid/legal_framework/target_state",
        "Законът урежда асистента като педагогически специалист във всяко училище.");
    set(b, pt_record, "", "/data/grid/legal_framework/target_state",
        "A educação inclusiva é um direito consagrado na lei; a lei prevê a assistência como "
        "um apoio que todos os alunos que dela precisam podem receber, em qualquer escola.");
}

static void at_time(int64_t ms)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, ms);
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

/* The audit, set last too: Slovakia's record reopened (with a reason)
 * and finalized again, a conflict resolution, and the focus group's
 * clock paused twice (F6): from 09:05 to 09:10 UTC, between notes, and
 * from 09:20 to 10:05, while the last note was typed (10:02:03). */
static void audit_entries(struct b *b)
{
    tick();
    b->ok = b->ok && store_record_reopen(b->s, sk_record, "Fehler im Datum; \"korrigiert\"", b->err);
    tick();
    b->ok = b->ok && store_record_finalize(b->s, sk_record, b->err);
    tick();
    b->ok = b->ok && store_answer_resolve(b->s, pt_record, "", "/data/grid/funding/gap", "1", b->err);
    static const struct { int64_t ms; const char *action; } clock[] = {
        {INT64_C(1772442300000), "pause"},  /* 2026-03-02T09:05:00Z */
        {INT64_C(1772442600000), "resume"}, /* 09:10:00 */
        {INT64_C(1772443200000), "pause"},  /* 09:20:00 */
        {INT64_C(1772445900000), "resume"}, /* 10:05:00 */
    };
    for (size_t i = 0; i < sizeof clock / sizeof clock[0]; i++) {
        at_time(clock[i].ms);
        b->ok = b->ok && store_audit_event(b->s, fg_record, clock[i].action, b->err);
    }
}

static void grid_records(struct b *b, struct export_fixture *fx)
{
    char r[37];
    grid_visit(b, r, "BG", "Училище \"Изгрев\", София", "2026-02-10", "assistant teacher");
    set(b, r, "", "/data/grid/legal_framework/status_quo",
        "Законът не споменава асистентите;\nсамо наредба, 2019 г.");
    set(b, r, "", "/data/grid/legal_framework/gap", "4");
    set(b, r, "", "/data/grid/legal_framework/recommendation",
        "Да се впише в закона \"Асистент на учителя\".");
    set(b, r, "", "/data/grid/legal_framework/rec_level", "national");
    set(b, r, "", "/data/grid/funding/gap", "5");
    set(b, r, "", "/data/grid/funding/status_quo", "=HYPERLINK(\"http://x\")");
    snprintf(bg_record, sizeof bg_record, "%s", r);
    set(b, r, "", "/data/visit/n_respondents", "-3");
    set(b, r, "", "/data/closing/strengths", "@SUM(A1:A2), +1 and -minus");
    set(b, r, "", "/data/visit/region", "cleared later");
    set(b, r, "", "/data/visit/region", NULL);

    grid_visit(b, r, "BG", "Училище \"Изгрев\", София", "2026-02-10", "head_teacher");
    set(b, r, "", "/data/grid/legal_framework/gap", "dk");
    set(b, r, "", "/data/grid/legal_framework/status_quo", "Не знам.");
    set(b, r, "", "/data/grid/funding/gap", "4");

    grid_visit(b, r, "SK", "ZŠ Ľudovíta Štúra", "2026-02-12", "assistant parent pupil");
    set(b, r, "", "/data/grid/legal_framework/status_quo",
        "Asistent učiteľa je v zákone č. 138/2019 Z. z., \"pedagogický zamestnanec\".");
    set(b, r, "", "/data/grid/legal_framework/gap", "2");
    set(b, r, "", "/data/grid/legal_framework/recommendation", "Zachovať.");
    set(b, r, "", "/data/grid/legal_framework/rec_level", "school");
    set(b, r, "", "/data/grid/funding/gap", "3");
    tick();
    b->ok = b->ok && store_record_finalize(b->s, r, b->err);
    snprintf(sk_record, sizeof sk_record, "%s", r);

    grid_visit(b, r, "PT", "Escola Básica nº 1, Évora", "2026-02-14", "teacher");
    snprintf(pt_record, sizeof pt_record, "%s", r);
    set(b, r, "", "/data/grid/funding/gap", "1");
    set(b, r, "", "/data/grid/funding/status_quo", "Financiamento estável\tpelo município");

    grid_visit(b, r, "AT", "DELETED SCHOOL", "2026-02-15", "teacher");
    set(b, r, "", "/data/grid/funding/status_quo", "DELETED RECORD TEXT");
    snprintf(fx->deleted_record, sizeof fx->deleted_record, "%s", r);
    tick();
    b->ok = b->ok && store_record_delete(b->s, r, b->err);
}

#define FG "ias-focus-group"
#define FG_V "2026112301"

struct note {
    const char *speaker, *topic, *phase, *text, *tags, *quote, *started;
};

static void focus_group(struct b *b, struct export_fixture *fx)
{
    char r[37], p[37];
    rec(b, FG, FG_V, r);
    snprintf(fg_record, sizeof fg_record, "%s", r);
    set(b, r, "", "/data/session/country", "PL");
    set(b, r, "", "/data/session/date", "2026-03-02");
    set(b, r, "", "/data/session/place", "Kraków, Dom Kultury \"Żółć\"");
    set(b, r, "", "/data/session/moderator", "Anna");
    set(b, r, "", "/data/session/theme", "omp");
    static const char *const roster[][3] = {
        {"P01", "practitioner", "ngo"}, {"P02", "policy_maker", "government"},
        {"GONE", "researcher", "research"}};
    for (size_t i = 0; i < 3; i++) {
        item(b, r, "/data/participant", p);
        set(b, r, p, "/data/participant/code", roster[i][0]);
        set(b, r, p, "/data/participant/role", roster[i][1]);
        set(b, r, p, "/data/participant/org_type", roster[i][2]);
        set(b, r, p, "/data/participant/consent", "yes");
    }
    snprintf(fx->deleted_item, sizeof fx->deleted_item, "%s", p);
    tick();
    b->ok = b->ok && store_item_delete(b->s, p, b->err);
    static const struct note notes[] = {
        {"P01", "general", "context", "Rodziny nie wiedzą, gdzie szukać pomocy.", "access", NULL,
         "2026-03-02T10:00:05.000+01:00"},
        {"P02", "general", "context", "We fund it, \"but\" only for a year,\nthen it stops.",
         "funding short_term", "yes", "2026-03-02T10:01:17.250+01:00"},
        {"P01", "omp", "state_of_play", "Świetlica działa #outreach", "outreach trust", NULL,
         "2026-03-02T10:12:40.000+01:00"},
        {"GONE", "omp", "state_of_play", "DELETED NOTE TEXT", NULL, NULL,
         "2026-03-02T10:13:00.000+01:00"},
        {"P02", "omp", "future_plans", "=1+1 is not a formula here", NULL, NULL,
         "2026-03-02T11:02:03.900+01:00"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        const struct note *n = &notes[i];
        item(b, r, "/data/note", p);
        set(b, r, p, "/data/note/started_at", n->started);
        set(b, r, p, "/data/note/speaker", n->speaker);
        set(b, r, p, "/data/note/topic", n->topic);
        set(b, r, p, "/data/note/phase", n->phase);
        set(b, r, p, "/data/note/text", n->text);
        if (n->tags)
            set(b, r, p, "/data/note/tags", n->tags);
        if (n->quote)
            set(b, r, p, "/data/note/quote", n->quote);
        if (strcmp(n->speaker, "GONE") == 0) {
            snprintf(fx->deleted_note, sizeof fx->deleted_note, "%s", p);
            tick();
            b->ok = b->ok && store_item_delete(b->s, p, b->err);
        }
    }
}

/* A second session, in Slovenia, made last: recommendations marked by
 * tags at every level, quotes with and without tags, a note without a
 * known speaker. */
static void second_session(struct b *b)
{
    char r[37], p[37];
    rec(b, FG, FG_V, r);
    set(b, r, "", "/data/session/country", "SI");
    set(b, r, "", "/data/session/date", "2026-03-09");
    set(b, r, "", "/data/session/place", "Ljubljana, Družinski center");
    set(b, r, "", "/data/session/theme", "ipc");
    static const char *const roster[][2] = {{"S1", "researcher"}, {"S2", "parent"},
                                            {"S3", "practitioner"}};
    for (size_t i = 0; i < 3; i++) {
        item(b, r, "/data/participant", p);
        set(b, r, p, "/data/participant/code", roster[i][0]);
        set(b, r, p, "/data/participant/role", roster[i][1]);
    }
    static const struct note notes[] = {
        {"S1", "ipc", "context", "Vrtec in zdravstveni dom ne delita podatkov.", "access data",
         NULL, "2026-03-09T09:00:00.000+01:00"},
        {"S2", "ipc", "state_of_play", "Nihče mi ni povedal, kam naj grem. #access", "access",
         "yes", "2026-03-09T09:04:30.000+01:00"},
        {"S3", "ipc", "future_plans", "Skupni sestanki vsak mesec.", "rec practice", NULL,
         "2026-03-09T09:10:00.000+01:00"},
        {"S1", "ipc", "future_plans", "Zakon naj določi enotno točko vstopa.", "rec-policy access",
         "yes", "2026-03-09T09:12:00.000+01:00"},
        {"S1", "general", "future_plans", "Evaluate the pilots before scaling them.",
         "Recommendation research", NULL, "2026-03-09T09:15:00.000+01:00"},
        {"S2", "general", "context", "Več denarja.", "rec", "yes",
         "2026-03-09T09:20:00.000+01:00"},
        {"S3", "general", "context", "Brez oznake, a citat.", NULL, "yes",
         "2026-03-09T09:21:00.000+01:00"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        const struct note *n = &notes[i];
        item(b, r, "/data/note", p);
        set(b, r, p, "/data/note/started_at", n->started);
        set(b, r, p, "/data/note/speaker", n->speaker);
        set(b, r, p, "/data/note/topic", n->topic);
        set(b, r, p, "/data/note/phase", n->phase);
        set(b, r, p, "/data/note/text", n->text);
        if (n->tags)
            set(b, r, p, "/data/note/tags", n->tags);
        if (n->quote)
            set(b, r, p, "/data/note/quote", n->quote);
    }
}

bool export_fixture_build(const char *path, const char *forms_dir,
                          struct export_fixture *fx, struct error *err)
{
    rng_state = 42;
    clock_ms = INT64_C(1772438400000); /* 2026-03-02T08:00:00Z */
    tick();
    struct b b = {.err = err, .ok = true};
    /* a laptop of its own, made now from the seeded stream */
    char *state = xasprintf("%s.state", path);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("IMAS_SURVEY_DEVICE_NAME", "Fixture laptop", 1);
    free(state);
    b.s = store_open(path, STORE_CREATE, err);
    if (!b.s)
        return false;
    store_set_author(b.s, "Мария Петрова");
    put_form(&b, forms_dir, "imas-dimension-grid.xml", GRID, GRID_V, "IMAS dimension grid");
    put_form(&b, forms_dir, "ias-focus-group.xml", FG, FG_V, "IAS focus group");
    grid_records(&b, fx);
    store_set_author(b.s, "Jan Kowalski");
    focus_group(&b, fx);
    store_set_author(b.s, "Мария Петрова");
    grid_targets(&b);
    audit_entries(&b);
    second_session(&b);
    store_close(&b.s);
    unsetenv("IMAS_SURVEY_NOW_MS");
    return b.ok;
}

/* Notes whose text holds their tags as typed, capitals and all (the tags
 * field holds them lower-cased, as the capture screen stores them), and a
 * recommendation tagged for two levels. */
bool export_fixture_build_tags(const char *path, const char *forms_dir, struct error *err)
{
    rng_state = 4242;
    clock_ms = INT64_C(1772438400000);
    tick();
    struct b b = {.err = err, .ok = true};
    b.s = store_open(path, STORE_CREATE, err);
    if (!b.s)
        return false;
    put_form(&b, forms_dir, "ias-focus-group.xml", FG, FG_V, "IAS focus group");
    char r[37], p[37];
    rec(&b, FG, FG_V, r);
    set(&b, r, "", "/data/session/country", "PL");
    set(&b, r, "", "/data/session/date", "2026-03-16");
    item(&b, r, "/data/participant", p);
    set(&b, r, p, "/data/participant/code", "P01");
    set(&b, r, p, "/data/participant/role", "parent");
    static const struct note notes[] = {
        {"P01", "general", "context", "Rodzice i #Żłobek: #współpraca", "żłobek współpraca", NULL,
         "2026-03-16T10:00:00.000+01:00"},
        {"P01", "general", "context", "line one\nline two #Multi", "multi", "yes",
         "2026-03-16T10:01:00.000+01:00"},
        {"P01", "general", "future_plans", "We need more time #rec-policy and money #rec-research",
         "rec-policy rec-research", NULL, "2026-03-16T10:02:00.000+01:00"},
    };
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        const struct note *n = &notes[i];
        item(&b, r, "/data/note", p);
        set(&b, r, p, "/data/note/started_at", n->started);
        set(&b, r, p, "/data/note/speaker", n->speaker);
        set(&b, r, p, "/data/note/topic", n->topic);
        set(&b, r, p, "/data/note/phase", n->phase);
        set(&b, r, p, "/data/note/text", n->text);
        set(&b, r, p, "/data/note/tags", n->tags);
        if (n->quote)
            set(&b, r, p, "/data/note/quote", n->quote);
    }
    store_close(&b.s);
    unsetenv("IMAS_SURVEY_NOW_MS");
    return b.ok;
}
