/* main.c: the command line: parse, dispatch, exit status. The only place,
 * with the UI, that talks to the user. */
#include "config.h"

#include "cli.h"
#include "core/error.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/xalloc.h"
#include "form/catalog.h"
#include "form/form.h"
#include "form/tree.h"
#include "store/check.h"
#include "store/store.h"
#include "ui/screens/home.h"
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
        char *msg = error_format(&err);
        fprintf(stderr, "%s\n", msg);
        free(msg);
        error_clear(&err);
        return EXIT_REFUSED;
    }
    char *tree = form_tree_text(f, cli->lang);
    fputs(tree, stdout);
    free(tree);
    form_free(&f);
    return EXIT_OK;
}

static int cmd_list_forms(const struct cli *cli)
{
    char **dirs = paths_form_dirs(cli->form_dir);
    struct form_catalog *cat = form_catalog_scan(dirs);
    paths_free_list(&dirs);
    size_t n = form_catalog_count(cat);
    for (size_t i = 0; i < n; i++) {
        const struct form_catalog_entry *e = form_catalog_get(cat, i);
        printf("%s\t%s\t%s\t", e->id, e->version ? e->version : "", e->title ? e->title : "");
        for (size_t j = 0; e->languages && e->languages[j]; j++)
            printf("%s%s", j ? "," : "", e->languages[j]);
        putchar('\n');
    }
    size_t nerr = form_catalog_error_count(cat);
    for (size_t i = 0; i < nerr; i++)
        fprintf(stderr, "%s\n", form_catalog_error(cat, i));
    form_catalog_free(&cat);
    return nerr ? EXIT_REFUSED : EXIT_OK;
}

static char *survey_file(const struct cli *cli, bool *is_default)
{
    *is_default = cli->file == NULL;
    return cli->file ? xstrdup(cli->file) : paths_default_survey_file(NULL);
}

static int cmd_check(const struct cli *cli)
{
    bool is_default;
    char *path = survey_file(cli, &is_default);
    struct store_check_report r;
    struct error err = ERROR_INIT;
    int rc = EXIT_OK;
    if (!store_check(path, &r, &err)) {
        report(&err);
        error_clear(&err);
        free(path);
        return EXIT_REFUSED;
    }
    bool ok = r.quick_check && strcmp(r.quick_check, "ok") == 0 && !r.schema_problem;
    printf(_("file:            %s\n"), path);
    printf(_("integrity:       %s\n"), r.quick_check ? r.quick_check : "?");
    printf(_("schema version:  %d%s\n"), r.schema_version,
           r.readonly_newer ? _(" (newer than this program: read-only)") : "");
    if (r.schema_problem)
        printf(_("schema problem:  %s\n"), r.schema_problem);
    printf(_("database id:     %s\n"), r.db_uuid);
    printf(_("device id:       %s\n"), r.device_id);
    printf(_("records:         %lld (%lld draft, %lld finalized, %lld deleted)\n"),
           (long long)r.records, (long long)r.drafts, (long long)r.finalized,
           (long long)r.deleted_records);
    printf(_("answers:         %lld\n"), (long long)r.answers);
    printf(_("repeat items:    %lld\n"), (long long)r.items);
    printf(_("forms stored:    %lld\n"), (long long)r.forms);
    printf(_("audit entries:   %lld\n"), (long long)r.audit);
    printf(_("merges:          %lld\n"), (long long)r.merges);
    if (!ok) {
        fprintf(stderr, _("imas-survey: %s: the check found problems (see above)\n"), path);
        rc = EXIT_REFUSED;
    }
    store_check_report_clear(&r);
    free(path);
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
    struct error err = ERROR_INIT;
    if (is_default && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        /* before creating the default file: nothing is created for nothing
         * (a FILE named on the command line is checked first, then this) */
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
    struct store *s = store_open(path, is_default ? STORE_CREATE : 0, &err);
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
    struct ui ui = {.store = s, .catalog = cat, .lang = lang};
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
    i18n_init(lang);
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
    case CLI_TUI:
    default:
        return cmd_tui(&cli);
    }
}
