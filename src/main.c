/* main.c: the command line: parse, dispatch, exit status. The only place,
 * with the UI, that talks to the user. */
#include "config.h"

#include "cli.h"
#include "cmd_merge.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "export/export.h"
#include "export/report.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/tree.h"
#include "store/check.h"
#include "store/search_index.h"
#include "store/store.h"
#include "survey/text_fields.h"
#include "ui/screens/home.h"
#include "ui/ui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2 };

/* "imas-survey: FILE: what is wrong" on stderr. */
static void report(const struct error *err)
{
    char *msg = error_format(err);
    fprintf(stderr, "imas-survey: %s\n", msg);
    free(msg);
}

static int cmd_check_form(const struct cli *cli)
{
    struct error err = ERROR_INIT;
    struct form *f = form_load_file(cli->form_file, &err);
    if (!f) {
        report(&err);
        error_clear(&err);
        return EXIT_REFUSED;
    }
    /* --lang all: every language's texts, to review a translation */
    char *tree = cli->lang && strcmp(cli->lang, "all") == 0 ? form_tree_text_all(f)
                                                             : form_tree_text(f, cli->lang);
    /* the form's own text (labels, ids, expressions) never reaches the
     * terminal raw: no escape sequence, C1 control or bidi override */
    char *safe = utf8_sanitize(tree, true);
    fputs(safe, stdout);
    free(safe);
    free(tree);
    form_free(&f);
    return EXIT_OK;
}

/* Text read from a form file, then `after`, with no control character. */
static void print_safe(FILE *to, const char *text, const char *after)
{
    char *safe = utf8_sanitize(text ? text : "", false);
    fprintf(to, "%s%s", safe, after);
    free(safe);
}

static int cmd_list_forms(const struct cli *cli)
{
    char **dirs = paths_form_dirs(cli->form_dir);
    struct form_catalog *cat = form_catalog_scan(dirs);
    paths_free_list(&dirs);
    size_t n = form_catalog_count(cat);
    for (size_t i = 0; i < n; i++) {
        const struct form_catalog_entry *e = form_catalog_get(cat, i);
        const char *field[] = {e->id, e->version ? e->version : "", e->title ? e->title : ""};
        for (size_t k = 0; k < 3; k++)
            print_safe(stdout, field[k], "\t");
        for (size_t j = 0; e->languages && e->languages[j]; j++)
            print_safe(stdout, e->languages[j], e->languages[j + 1] ? "," : "");
        putchar('\n');
    }
    size_t nerr = form_catalog_error_count(cat);
    for (size_t i = 0; i < nerr; i++)
        print_safe(stderr, form_catalog_error(cat, i), "\n");
    form_catalog_free(&cat);
    return nerr ? EXIT_REFUSED : EXIT_OK;
}

/* The survey file's path; NULL after saying why (no home directory). */
static char *survey_file(const struct cli *cli, bool *is_default)
{
    *is_default = cli->file == NULL;
    if (cli->file)
        return xstrdup(cli->file);
    struct error err = ERROR_INIT;
    char *path = paths_default_survey_file(&err);
    if (!path) {
        report(&err);
        error_clear(&err);
    }
    return path;
}

static void print_merge_entry(const struct store_merge_entry *e)
{
    char when[32];
    time_t t = (time_t)(e->merged_at / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", &tm))
        snprintf(when, sizeof when, "?");
    char *path = utf8_sanitize(e->source_path ? e->source_path : "", false);
    char *author = utf8_sanitize(e->author ? e->author : "", false);
    /* TRANSLATORS: one merge in --check: when, the file merged, by whom,
     * then the file's SHA-256 and database id on the next line. */
    printf(_("  merged %s: %s (by %s)\n"), when, path, author);
    printf(_("    sha256 %s, database %s\n"), e->source_sha256 ? e->source_sha256 : "",
           e->source_db_uuid ? e->source_db_uuid : "");
    printf(_("    records %lld new, %lld updated; answers %lld new, %lld updated; "
             "conflicts %lld\n"),
           (long long)e->records_new, (long long)e->records_updated,
           (long long)e->answers_new, (long long)e->answers_updated,
           (long long)e->conflicts);
    free(path);
    free(author);
}

static int cmd_check(const struct cli *cli)
{
    bool is_default;
    char *path = survey_file(cli, &is_default);
    if (!path)
        return EXIT_REFUSED;
    struct store_check_report r;
    struct error err = ERROR_INIT;
    int rc = EXIT_OK;
    if (!store_check(path, &r, &err)) {
        report(&err);
        error_clear(&err);
        free(path);
        return EXIT_REFUSED;
    }
    bool ok = r.quick_check && strcmp(r.quick_check, "ok") == 0 && !r.schema_problem &&
              !r.nbad_attachments && !r.lost_answers;
    printf(_("file:            %s\n"), path);
    printf(_("integrity:       %s\n"), r.quick_check ? r.quick_check : "?");
    printf(_("schema version:  %d%s\n"), r.schema_version,
           r.readonly_newer ? _(" (newer than this program: read-only)")
           : r.older        ? _(" (older: upgraded when next opened for writing)")
                            : "");
    if (r.schema_problem)
        printf(_("schema problem:  %s\n"), r.schema_problem);
    printf(_("database id:     %s\n"), r.db_uuid);
    printf(_("device id:       %s\n"), r.device_id);
    char *me = utf8_sanitize(r.device_name ? r.device_name : "", false);
    printf(_("device name:     %s\n"), me);
    free(me);
    printf(_("records:         %lld (%lld draft, %lld finalized, %lld deleted)\n"),
           (long long)r.records, (long long)r.drafts, (long long)r.finalized,
           (long long)r.deleted_records);
    printf(_("answers:         %lld\n"), (long long)r.answers);
    if (r.lost_answers)
        printf(_("  damaged: %lld answers name a record or device the file "
                 "does not hold\n"),
               (long long)r.lost_answers);
    printf(_("repeat items:    %lld\n"), (long long)r.items);
    printf(_("forms stored:    %lld\n"), (long long)r.forms);
    printf(_("audit entries:   %lld\n"), (long long)r.audit);
    printf(_("merges:          %lld\n"), (long long)r.merges);
    if (r.schema_version >= 2) { /* version 1 had no parents, no devices */
        printf(_("conflicts:       %lld\n"), (long long)r.conflicts);
        printf(_("devices:         %lld\n"), (long long)r.ndevices);
    }
    for (size_t i = 0; i < r.ndevices; i++) {
        char *name = utf8_sanitize(r.devices[i].name ? r.devices[i].name : "", false);
        char *id = utf8_sanitize(r.devices[i].id ? r.devices[i].id : "", false);
        printf("  %s  %s\n", id, name);
        free(name);
        free(id);
    }
    if (!r.older) {
        printf(_("attachments:     %lld\n"), (long long)r.attachments);
        for (size_t i = 0; i < r.nbad_attachments; i++)
            /* TRANSLATORS: HASH: what is wrong with the attached file */
            printf(_("  damaged attachment %s\n"), r.bad_attachments[i]);
    }
    for (size_t i = 0; i < r.nmerge_log; i++)
        print_merge_entry(&r.merge_log[i]);
    if (!ok) {
        fprintf(stderr, _("imas-survey: %s: the check found problems (see above)\n"), path);
        rc = EXIT_REFUSED;
    }
    store_check_report_clear(&r);
    free(path);
    return rc;
}

/* ---- --export and --report ---------------------------------------------- */

static volatile sig_atomic_t export_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    export_stop = 1;
}

/* Ctrl-C or a kill ends the export cleanly: its files are not renamed
 * into place and its temporary files are removed. */
static void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The survey file, read-only; NULL after reporting why. */
static struct store *open_for_reading(const struct cli *cli)
{
    bool is_default;
    char *path = survey_file(cli, &is_default);
    if (!path)
        return NULL;
    struct error err = ERROR_INIT;
    struct store *s = store_open(path, STORE_READONLY, &err);
    if (!s) {
        report(&err);
        error_clear(&err);
    }
    free(path);
    return s;
}

static int cmd_export(const struct cli *cli)
{
    struct store *s = open_for_reading(cli);
    if (!s)
        return EXIT_REFUSED;
    struct export_options o = {
        .format = cli->exp.format && strcmp(cli->exp.format, "json") == 0 ? EXPORT_JSON
                                                                          : EXPORT_CSV,
        .finalized_only = cli->exp.finalized,
        .bom = cli->exp.bom,
        .raw = cli->exp.raw,
        .stop = &export_stop,
    };
    struct export_summary sum;
    struct error err = ERROR_INIT;
    catch_stop_signals();
    int rc = EXIT_OK;
    if (!export_run(s, cli->exp.dir, &o, &sum, &err)) {
        report(&err);
        error_clear(&err);
        rc = EXIT_REFUSED;
    } else {
        for (size_t i = 0; i < sum.forms; i++)
            printf("%s\n", sum.dirs[i]);
        char *recs = xasprintf(NG_("%lld record", "%lld records", (unsigned long)sum.records),
                               (long long)sum.records);
        char *answers = xasprintf(NG_("%lld answer", "%lld answers", (unsigned long)sum.answers),
                                  (long long)sum.answers);
        char *files = xasprintf(NG_("in %zu file", "in %zu files", (unsigned long)sum.files),
                                sum.files);
        /* TRANSLATORS: the export's summary, "3 records, 31 answers
         * exported in 3 files": the three counts, each translated with
         * its plural, are the %s */
        printf(_("%s, %s exported %s\n"), recs, answers, files);
        free(recs);
        free(answers);
        free(files);
        for (size_t i = 0; i < sum.nproblems; i++)
            fprintf(stderr, "imas-survey: %s: %s\n", store_path(s), sum.problems[i]);
        if (sum.nproblems)
            rc = EXIT_REFUSED;
    }
    export_summary_clear(&sum);
    store_close(&s);
    return rc;
}

static enum report_format report_format(const char *name)
{
    if (name && strcmp(name, "md") == 0)
        return REPORT_MD;
    if (name && strcmp(name, "html") == 0)
        return REPORT_HTML;
    return REPORT_TEXT;
}

static int cmd_report(const struct cli *cli)
{
    struct store *s = open_for_reading(cli);
    if (!s)
        return EXIT_REFUSED;
    /* the forms' language follows the interface's, however it was chosen
     * (--lang, LANGUAGE, or a locale that is not generated: i18n_init) */
    char *lang = cli->lang ? xstrdup(cli->lang) : i18n_language();
    struct report_options o = {.format = report_format(cli->exp.format), .lang = lang,
                               .form_id = cli->exp.form};
    struct error err = ERROR_INIT;
    int rc = EXIT_OK;
    bool ok = cli->exp.output ? report_write_file(s, &o, cli->exp.output, &err)
                              : report_write(s, &o, stdout, &err);
    if (!ok) {
        report(&err);
        error_clear(&err);
        rc = EXIT_REFUSED;
    }
    store_close(&s);
    free(lang);
    return rc;
}

static const char *author_name(void)
{
    const char *a = getenv("IMAS_SURVEY_AUTHOR");
    return a && *a ? a : NULL;
}

static int cmd_tui(const struct cli *cli)
{
    bool is_default;
    char *path = survey_file(cli, &is_default);
    if (!path)
        return EXIT_REFUSED;
    struct error err = ERROR_INIT;
    /* A FILE named on the command line is created when missing, as the
     * default file is, but only in a directory that exists: a mistyped
     * directory is an error, not a new tree of folders. */
    struct stat st;
    bool absent = lstat(path, &st) != 0 && errno == ENOENT;
    bool missing = !is_default && absent;
    if ((is_default || missing) && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        /* before creating a file: nothing is created for nothing (an
         * existing FILE is checked first, then this) */
        fprintf(stderr, "imas-survey: %s\n",
                _("the terminal interface needs a terminal (stdin and stdout); see --help"));
        free(path);
        return EXIT_REFUSED;
    }
    if (is_default && !paths_ensure_parent_dir(path, &err)) {
        report(&err);
        error_clear(&err);
        free(path);
        return EXIT_REFUSED;
    }
    struct store *s =
        store_open(path, (is_default || missing ? STORE_CREATE : 0) | STORE_EXCLUSIVE, &err);
    if (!s) {
        report(&err);
        error_clear(&err);
        free(path);
        return EXIT_REFUSED;
    }
    if (author_name())
        store_set_author(s, author_name());
    char **dirs = paths_form_dirs(cli->form_dir);
    struct form_catalog *cat = form_catalog_scan(dirs);
    paths_free_list(&dirs);

    /* the form language follows --lang, else the locale (form_language_match) */
    char *lang = cli->lang ? xstrdup(cli->lang) : i18n_language();
    struct ui ui = {.store = s, .catalog = cat, .lang = lang, .file_created = absent};
    int rc = EXIT_OK;
    if (!ui_run(&ui, &home_screen_ops, &err)) {
        report(&err);
        error_clear(&err);
        rc = EXIT_REFUSED;
    }
    form_catalog_free(&cat);
    store_close(&s);
    free(lang);
    free(path);
    return rc;
}

/* An upgrade of a large file takes a while (6.5 s for 1M answers): say
 * so before the screen is taken, and it stays in the terminal after. */
static void say_upgrade(const char *path, int from, int to)
{
    char *p = utf8_sanitize(path, false);
    fprintf(stderr,
            _("imas-survey: %s: upgrading the file from schema version %d to "
              "%d; a copy of it as it is is kept beside it first "
              "(.bak-v%d)\n"),
            p, from, to, from);
    free(p);
}

int main(int argc, char **argv)
{
    struct cli cli;
    const char *lang = NULL;
    /* --lang must take effect before the first message, even a usage error */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            lang = argv[i] + 7;
    }
    /* an unknown language is refused by cli_parse, in the locale's language */
    char lang_buf[24];
    if (lang && !i18n_lang_normalize(lang, lang_buf, sizeof lang_buf))
        lang = NULL;
    else if (lang)
        lang = lang_buf;
    i18n_init(lang);
    /* the store's search index holds only what the forms call text */
    store_set_text_fields(survey_text_fields);
    store_set_upgrade_notice(say_upgrade);
    /* Over a file size limit (ulimit -f), a write fails with EFBIG and is
     * reported like a full disk, instead of the signal killing us. */
    signal(SIGXFSZ, SIG_IGN);
    if (!cli_parse(argc, argv, &cli))
        return EXIT_USAGE;
    switch (cli.command) {
    case CLI_HELP:
        cli_print_help();
        return EXIT_OK;
    case CLI_VERSION:
        cli_print_version();
        return EXIT_OK;
    case CLI_CHECK_FORM:
        return cmd_check_form(&cli);
    case CLI_LIST_FORMS:
        return cmd_list_forms(&cli);
    case CLI_CHECK:
        return cmd_check(&cli);
    case CLI_MERGE:
        return cmd_merge(&cli);
    case CLI_EXPORT:
        return cmd_export(&cli);
    case CLI_REPORT:
        return cmd_report(&cli);
    case CLI_TUI:
    default:
        return cmd_tui(&cli);
    }
}
