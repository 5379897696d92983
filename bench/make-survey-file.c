/* make-survey-file.c: a valid survey file for merge tests and benchmarks,
 * built with the store API only (so it is what the program would write).
 *
 *   make-survey-file --out F [--records N] [--answers-per-record K]
 *                    [--device NAME] [--seed S] [--time MS]
 *   make-survey-file --out F --from BASE [--edit-fraction X]
 *                    [--device NAME] [--seed S] [--time MS]
 *
 * The first form makes N records of a small synthetic form, K answers each
 * (the last two in a roster item when K >= 4), a fifth of them finalized.
 * The second copies BASE and edits it as another laptop would: a new
 * device id and db_uuid, then about X of the answers changed (half of
 * those drawn from a pool that is the same for every copy of BASE, so two
 * copies edit some answers alike and a merge finds conflicts), a few
 * cleared, records reopened, deleted and added.
 *
 * Deterministic: the clock is fixed through IMAS_SURVEY_NOW_MS and moves
 * on by a seeded amount before every save, and the random bytes behind the
 * UUIDs come from the seed (getrandom below). Each answer is its own
 * committed transaction, as in the program, so the file is built in a
 * scratch directory on /dev/shm when there is one (fsync costs nothing
 * there) and copied to F when complete. */
#include "config.h"

#include "core/error.h"
#include "core/strbuf.h"
#include "core/uuid.h"
#include "bench/files.h"
#include "core/xalloc.h"
#include "store/answers.h"
#include "store/forms.h"
#include "store/items.h"
#include "store/records.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FORM_ID "imas-bench"
#define FORM_VERSION "2"
#define DEFAULT_TIME_MS INT64_C(1767225600000) /* 2026-01-01T00:00Z */

/* The synthetic form: top-level fields q000.. and a roster repeat holding
 * m0 and m1, each with a control, so that every answer the generator
 * writes is a field of the form and a record opens in the program. A
 * record of K answers fills K - 2 top-level fields and the roster (all top
 * level when K < 4). The form has MIN_TOP questions whatever K up to
 * MIN_TOP + 2 (version "2"), so files made with such K merge; a larger K
 * makes a form of its own (version "2-<questions>"). A copy (--from) keeps
 * its base's form. */
#define MIN_TOP 16
static long form_top = MIN_TOP;
static char form_version[32] = FORM_VERSION;

static void form_for(long per_record)
{
    long top = per_record >= 4 ? per_record - 2 : per_record;
    form_top = top > MIN_TOP ? top : MIN_TOP;
    if (form_top == MIN_TOP)
        snprintf(form_version, sizeof form_version, "%s", FORM_VERSION);
    else
        snprintf(form_version, sizeof form_version, "%s-%ld", FORM_VERSION, form_top);
}

/* The form of a copy: the one its base's records have. */
static void form_of_base(const char *version)
{
    long top;
    if (strcmp(version, FORM_VERSION) == 0)
        form_top = MIN_TOP;
    else if (sscanf(version, FORM_VERSION "-%ld", &top) == 1 && top > MIN_TOP)
        form_top = top;
    else
        return;
    snprintf(form_version, sizeof form_version, "%s", version);
}

static char *form_xml(void)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "<h:html xmlns=\"http://www.w3.org/2002/xforms\" "
                     "xmlns:h=\"http://www.w3.org/1999/xhtml\" "
                     "xmlns:jr=\"http://openrosa.org/javarosa\"><h:head>"
                     "<h:title>Benchmark form</h:title><model><instance>"
                     "<data id=\"imas-bench\" version=\"");
    strbuf_adds(&sb, form_version);
    strbuf_adds(&sb, "\">");
    for (long j = 0; j < form_top; j++)
        strbuf_addf(&sb, "<q%03ld/>", j);
    strbuf_adds(&sb, "<roster jr:template=\"\"><m0/><m1/></roster>");
    strbuf_adds(&sb, "</data></instance>");
    for (long j = 0; j < form_top; j++)
        strbuf_addf(&sb, "<bind nodeset=\"/data/q%03ld\" type=\"string\"/>", j);
    strbuf_adds(&sb, "<bind nodeset=\"/data/roster/m0\" type=\"string\"/>"
                     "<bind nodeset=\"/data/roster/m1\" type=\"string\"/>"
                     "</model></h:head><h:body>");
    for (long j = 0; j < form_top; j++)
        strbuf_addf(&sb, "<input ref=\"/data/q%03ld\"><label>Question %ld</label></input>", j,
                    j + 1);
    strbuf_adds(&sb, "<group ref=\"/data/roster\"><label>Roster</label>"
                     "<repeat nodeset=\"/data/roster\">"
                     "<input ref=\"/data/roster/m0\"><label>Member name</label></input>"
                     "<input ref=\"/data/roster/m1\"><label>Member role</label></input>"
                     "</repeat></group></h:body></h:html>");
    return strbuf_detach(&sb);
}

static const char *const words[] = {
    "assistant", "teacher",  "pupil",   "school",  "Асистентът", "учителя",
    "класната",  "стая",     "učiteľa", "pomáha",  "žiakom",     "zmluva",
    "national",  "regional", "Assistenz", "Kollegium", "3",      "12",
};

struct options {
    const char *out, *from, *device;
    long records, per_record;
    double edit_fraction;
    uint64_t seed;
    int64_t time_ms;
};

/* ---- determinism: seeded random bytes, fixed clock -------------------- */

static uint64_t rng_state = 1;

static uint64_t rng_next(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

/* The store's UUIDs come from getrandom(); this definition takes the
 * place of the C library's in this program only. */
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
    clock_ms += 1 + (int64_t)(rng_next() % 2000);
    snprintf(buf, sizeof buf, "%" PRId64, clock_ms);
    setenv("IMAS_SURVEY_NOW_MS", buf, 1);
}

/* A stable number in [0, 1) for a key and a seed (FNV-1a). */
static double key_unit(const char *a, const char *b, const char *c,
                       uint64_t seed)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;
    const char *parts[] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i];
             *p; p++)
            h = (h ^ *p) * UINT64_C(0x100000001b3);
    h ^= h >> 29;
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    h ^= h >> 32;
    return (double)(h >> 11) / 9007199254740992.0;
}

static char *random_text(const char *device)
{
    size_t nw = sizeof words / sizeof words[0];
    int n = 1 + (int)(rng_next() % 8);
    char *s = xstrdup(words[rng_next() % nw]);
    for (int i = 1; i < n; i++) {
        char *t = xasprintf("%s %s", s, words[rng_next() % nw]);
        free(s);
        s = t;
    }
    char *t = xasprintf("%s (%s %04u)", s, device,
                        (unsigned)(rng_next() % 10000));
    free(s);
    return t;
}

/* ---- building ----------------------------------------------------------- */

static bool set_answer(struct store *s, const char *rec, const char *item,
                       const char *field, const char *device,
                       struct error *err)
{
    char *v = random_text(device);
    tick();
    bool ok = store_answer_set(s, rec, item, field, v, err);
    free(v);
    return ok;
}

static bool add_record(struct store *s, const struct options *o,
                       struct error *err)
{
    char rec[UUID_STR_LEN], item[UUID_STR_LEN] = "";
    tick();
    if (!store_record_create(s, FORM_ID, form_version, rec, err))
        return false;
    long k = o->per_record > form_top + 2 ? form_top + 2 : o->per_record;
    for (long j = 0; j < k; j++) {
        char field[64];
        bool in_roster = k >= 4 && j >= k - 2;
        if (in_roster && !*item) {
            tick();
            if (!store_item_add(s, rec, "", "/data/roster", item, err))
                return false;
        }
        if (in_roster)
            snprintf(field, sizeof field, "/data/roster/m%ld", j - (k - 2));
        else
            snprintf(field, sizeof field, "/data/q%03ld", j);
        if (!set_answer(s, rec, in_roster ? item : "", field, o->device,
                        err))
            return false;
    }
    if (rng_unit() < 0.2) {
        tick();
        return store_record_finalize(s, rec, err);
    }
    return true;
}

static bool build_new(struct store *s, const struct options *o,
                      struct error *err)
{
    tick();
    form_for(o->per_record);
    char *xml = form_xml();
    bool put = store_form_put(s, FORM_ID, form_version, NULL, "Benchmark form",
                              xml, err);
    free(xml);
    if (!put)
        return false;
    for (long r = 0; r < o->records; r++)
        if (!add_record(s, o, err))
            return false;
    return true;
}

struct key {
    char *rec, *item, *field;
};

struct keys {
    struct key *v;
    size_t n, cap;
    const char *rec;
};

static bool collect(void *ctx, const char *item, const char *field,
                    const char *value)
{
    (void)value;
    struct keys *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 1024;
        k->v = xrealloc(k->v, k->cap * sizeof *k->v);
    }
    k->v[k->n++] = (struct key){xstrdup(k->rec), xstrdup(item),
                                xstrdup(field)};
    return true;
}

static void keys_free(struct keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->v[i].rec);
        free(k->v[i].item);
        free(k->v[i].field);
    }
    free(k->v);
}

/* Make the record a draft again when it was finalized. */
static bool editable(struct store *s, const char *rec, struct error *err)
{
    struct store_record r;
    if (!store_record_get(s, rec, &r, err))
        return false;
    bool final = strcmp(r.state, "finalized") == 0;
    store_record_clear(&r);
    if (!final)
        return true;
    tick();
    return store_record_reopen(s, rec, "correction after a call", err);
}

static bool edit_answers(struct store *s, const struct options *o,
                         const struct keys *k, struct error *err)
{
    double half = o->edit_fraction / 2;
    for (size_t i = 0; i < k->n; i++) {
        const struct key *a = &k->v[i];
        bool shared = key_unit(a->rec, a->item, a->field, 0) < half;
        bool own = key_unit(a->rec, a->item, a->field, o->seed) < half;
        if (!shared && !own)
            continue;
        if (!editable(s, a->rec, err))
            return false;
        bool clear = rng_unit() < 0.1;
        if (clear) {
            tick();
            if (!store_answer_set(s, a->rec, a->item, a->field, NULL, err))
                return false;
        } else if (!set_answer(s, a->rec, a->item, a->field, o->device,
                               err)) {
            return false;
        }
    }
    return true;
}

static bool edit_records(struct store *s, const struct options *o,
                         struct error *err)
{
    struct store_record *list;
    size_t n;
    if (!store_record_list(s, &list, &n, err))
        return false;
    bool ok = true;
    if (n > 0)
        form_of_base(list[0].form_version);
    for (size_t i = 0; ok && i < n; i++) {
        double u = key_unit(list[i].uuid, "", "", o->seed + 1);
        tick();
        if (u < o->edit_fraction / 20)
            ok = store_record_delete(s, list[i].uuid, err);
        else if (u < o->edit_fraction / 4 &&
                 strcmp(list[i].state, "draft") == 0)
            ok = store_record_finalize(s, list[i].uuid, err);
    }
    store_record_list_free(&list, n);
    long fresh = (long)((double)o->records * o->edit_fraction / 4) + 1;
    for (long r = 0; ok && r < fresh; r++)
        ok = add_record(s, o, err);
    return ok;
}

static bool build_from(struct store *s, const struct options *o,
                       struct error *err)
{
    struct store_record *list;
    size_t n;
    struct keys k = {0};
    if (!store_record_list(s, &list, &n, err))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        k.rec = list[i].uuid;
        ok = store_answer_foreach(s, list[i].uuid, collect, &k, err);
    }
    store_record_list_free(&list, n);
    ok = ok && edit_answers(s, o, &k, err) && edit_records(s, o, err);
    keys_free(&k);
    return ok;
}

/* ---- files -------------------------------------------------------------- */

static bool copy_file(const char *from, const char *to, bool sync,
                      struct error *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1
                     : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                            0644);
    bool ok = in >= 0 && out >= 0;
    char buf[1 << 16];
    ssize_t n = 0;
    while (ok && (n = read(in, buf, sizeof buf)) > 0)
        ok = write(out, buf, (size_t)n) == n;
    ok = ok && n == 0 && (!sync || fsync(out) == 0);
    if (!ok)
        error_set(err, "cannot copy %s to %s: %s", from, to,
                  strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && ok)
        ok = error_set(err, "cannot write %s: %s", to, strerror(errno));
    return ok;
}

/* A copy is another laptop: a new db_uuid in meta (its device identity
 * is the one this run makes in its own state directory). */
static bool new_identity(const char *path, struct error *err)
{
    char db[UUID_STR_LEN];
    uuid_v4(db);
    sqlite3 *h = NULL;
    char *sql = sqlite3_mprintf(
        "UPDATE meta SET value = %Q WHERE key = 'db_uuid';", db);
    bool ok = sql && sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE,
                                     NULL) == SQLITE_OK &&
              sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
    if (!ok)
        error_set(err, "%s: %s", path, h ? sqlite3_errmsg(h) : "no memory");
    sqlite3_free(sql);
    if (sqlite3_close(h) != SQLITE_OK && ok)
        ok = error_set(err, "%s: cannot close", path);
    return ok;
}

static char *scratch_dir(const char *out)
{
    struct stat st;
    char *tmpl;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
        access("/dev/shm", W_OK) == 0)
        tmpl = xstrdup("/dev/shm/make-survey-file.XXXXXX");
    else
        tmpl = xasprintf("%s.scratch.XXXXXX", out);
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

static void remove_scratch(char *dir, const char *file)
{
    bench_remove_db(file);
    static const char *const state[] = {"state/imas-survey/device",
                                        "state/imas-survey", "state"};
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%s/%s", dir, state[i]);
        if (i == 0)
            unlink(p);
        else
            rmdir(p);
        free(p);
    }
    rmdir(dir);
}

static bool make(const struct options *o, struct error *err)
{
    char *dir = scratch_dir(o->out);
    if (!dir)
        return error_set(err, "cannot make a scratch directory: %s",
                         strerror(errno));
    char *file = xasprintf("%s/survey.sqlite", dir);
    /* This run is one laptop, named --device, with an id of its own drawn
     * from the seeded stream (so the output stays the same). */
    char *state = xasprintf("%s/state", dir);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("IMAS_SURVEY_DEVICE_NAME", o->device, 1);
    free(state);
    struct store *s = NULL;
    bool ok = !o->from || (copy_file(o->from, file, false, err) &&
                           new_identity(file, err));
    if (ok) {
        tick();
        s = store_open(file, o->from ? 0 : STORE_CREATE, err);
        ok = s != NULL;
    }
    if (ok) {
        store_set_author(s, o->device);
        ok = o->from ? build_from(s, o, err) : build_new(s, o, err);
    }
    store_close(&s);
    ok = ok && copy_file(file, o->out, true, err);
    remove_scratch(dir, file);
    free(file);
    free(dir);
    return ok;
}

/* ---- command line ------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs("usage: make-survey-file --out FILE [--records N] "
          "[--answers-per-record K]\n"
          "                        [--device NAME] [--seed S] [--time MS]\n"
          "       make-survey-file --out FILE --from BASE "
          "[--edit-fraction X] [--device NAME]\n"
          "                        [--seed S] [--time MS]\n",
          f);
}

static bool parse(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"records", required_argument, NULL, 'r'},
        {"answers-per-record", required_argument, NULL, 'k'},
        {"device", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 's'},
        {"time", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'f'},
        {"edit-fraction", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    *o = (struct options){.records = 100, .per_record = 10,
                          .device = "laptop", .seed = 1,
                          .edit_fraction = 0.1, .time_ms = -1};
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'r': o->records = strtol(optarg, NULL, 10); break;
        case 'k': o->per_record = strtol(optarg, NULL, 10); break;
        case 'd': o->device = optarg; break;
        case 's': o->seed = strtoull(optarg, NULL, 10); break;
        case 't': o->time_ms = strtoll(optarg, NULL, 10); break;
        case 'f': o->from = optarg; break;
        case 'x': o->edit_fraction = strtod(optarg, NULL); break;
        case 'h': usage(stdout); exit(0);
        default: return false;
        }
    }
    return optind == argc && o->out && o->records >= 0 &&
           o->per_record >= 0 && o->edit_fraction >= 0 &&
           o->edit_fraction <= 1;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    /* The device name and the seed pick the random stream; a copy starts
     * its clock a day after the default so its edits come later. */
    rng_state = o.seed * UINT64_C(0x9E3779B97F4A7C15);
    for (const unsigned char *p = (const unsigned char *)o.device; *p; p++)
        rng_state = (rng_state ^ *p) * UINT64_C(0x100000001b3);
    clock_ms = o.time_ms >= 0 ? o.time_ms
                              : DEFAULT_TIME_MS + (o.from ? 86400000 : 0);
    setenv("IMAS_SURVEY_AUTHOR", o.device, 1);
    struct error err = ERROR_INIT;
    if (!make(&o, &err)) {
        char *msg = error_format(&err);
        fprintf(stderr, "make-survey-file: %s\n", msg);
        free(msg);
        error_clear(&err);
        return 1;
    }
    return 0;
}
