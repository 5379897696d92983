#include "config.h"

#include "cli.h"

#include "core/i18n.h"
#include "core/utf8.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    OPT_LIST_FORMS = 256,
    OPT_CHECK_FORM,
    OPT_CHECK,
    OPT_LANG,
    OPT_FORM_DIR,
    OPT_MERGE,
    OPT_INTO,
    OPT_DRY_RUN,
};
/* --export and --report */
enum { OPT_EXPORT = 512, OPT_REPORT, OPT_FORMAT, OPT_FINALIZED, OPT_BOM, OPT_RAW, OPT_OUTPUT,
       OPT_FORM };

static const struct option options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"list-forms", no_argument, NULL, OPT_LIST_FORMS},
    {"check-form", required_argument, NULL, OPT_CHECK_FORM},
    {"check", no_argument, NULL, OPT_CHECK},
    {"lang", required_argument, NULL, OPT_LANG},
    {"form-dir", required_argument, NULL, OPT_FORM_DIR},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"into", required_argument, NULL, OPT_INTO},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    /* --export and --report: see export_option() */
    {"export", required_argument, NULL, OPT_EXPORT},
    {"report", no_argument, NULL, OPT_REPORT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"finalized", no_argument, NULL, OPT_FINALIZED},
    {"bom", no_argument, NULL, OPT_BOM},
    {"raw", no_argument, NULL, OPT_RAW},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"form", required_argument, NULL, OPT_FORM},
    {NULL, 0, NULL, 0},
};

static bool usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* the message quotes what was typed: a name may hold an escape */
    char *safe = utf8_sanitize(msg, false);
    fprintf(stderr, "imas-survey: %s\n", safe);
    free(safe);
    fprintf(stderr, _("Try 'imas-survey --help' for more information.\n"));
    return false;
}

static bool set_command(struct cli *out, enum cli_command c, const char *opt)
{
    if (out->command != CLI_TUI && out->command != c)
        return usage_error(_("%s cannot be combined with another command"), opt);
    out->command = c;
    return true;
}

static bool check_rest(int argc, char **argv, struct cli *out);
/* ---- --export and --report ---------------------------------------------- */

/* One option of --export or --report: 1 taken, 0 not one of theirs, -1 a
 * usage error (printed). */
static int export_option(int c, const char *opt, struct cli *out)
{
    struct cli_export *e = &out->exp;
    switch (c) {
    case OPT_EXPORT:
        if (!set_command(out, CLI_EXPORT, "--export"))
            return -1;
        e->dir = optarg;
        return 1;
    case OPT_REPORT:
        return set_command(out, CLI_REPORT, opt) ? 1 : -1;
    case OPT_FORMAT:
        e->format = optarg;
        return 1;
    case OPT_OUTPUT:
        e->output = optarg;
        return 1;
    case OPT_FORM:
        e->form = optarg;
        return 1;
    case OPT_FINALIZED:
        e->finalized = true;
        return 1;
    case OPT_BOM:
        e->bom = true;
        return 1;
    case OPT_RAW:
        e->raw = true;
        return 1;
    default:
        return 0;
    }
}

static bool one_of(const char *v, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0)
            return true;
    return false;
}

/* The options of --export and --report make sense only with them. */
static bool export_options_valid(const struct cli *out)
{
    static const char *const export_formats[] = {"csv", "json", NULL};
    static const char *const report_formats[] = {"text", "md", "html", NULL};
    const struct cli_export *e = &out->exp;
    bool is_export = out->command == CLI_EXPORT, is_report = out->command == CLI_REPORT;
    if (e->format && !is_export && !is_report)
        return usage_error(_("%s needs --export or --report"), "--format");
    if ((e->finalized || e->bom || e->raw) && !is_export)
        return usage_error(_("%s needs --export"),
                           e->finalized ? "--finalized" : e->bom ? "--bom" : "--raw");
    if (e->output && !is_report)
        return usage_error(_("%s needs --report"), "--output");
    if (e->form && !is_report)
        return usage_error(_("%s needs --report"), "--form");
    if (is_report && e->form && !*e->form)
        return usage_error(_("option '%s' needs an argument"), "--form");
    if (is_export && !*e->dir)
        return usage_error(_("option '%s' needs an argument"), "--export");
    if (is_export && e->format && !one_of(e->format, export_formats))
        return usage_error(_("unknown format '%s' (csv or json)"), e->format);
    if (is_report && e->format && !one_of(e->format, report_formats))
        return usage_error(_("unknown format '%s' (text, md or html)"), e->format);
    if (is_report && e->output && !*e->output)
        return usage_error(_("option '%s' needs an argument"), "--output");
    return true;
}

/* --lang's value: a language there are messages for, in any spelling
 * i18n_lang_normalize takes, or "all" (for --check-form). */
static bool set_lang(struct cli *out, const char *v)
{
    if (strcmp(v, "all") == 0) {
        out->lang = "all";
        return true;
    }
    if (!i18n_lang_normalize(v, out->lang_buf, sizeof out->lang_buf))
        /* TRANSLATORS: the language given to --lang, then the list of
         * codes there are ("en, bg, de, ...") */
        return usage_error(_("unknown language '%s' (the languages: %s)"), v,
                           i18n_language_list());
    out->lang = out->lang_buf;
    return true;
}

/* An unknown option: -dash.sqlite (taken as -d) or --x.sqlite is more
 * likely a file name than a mistyped option, so say how to name it; a
 * plain --bogus is not. */
static bool unknown_option(const char *opt)
{
    if (optopt && optopt < 256) {
        char shortopt[3] = {'-', (char)optopt, '\0'};
        return usage_error(_("unknown option '%s' (a file name starting with '-': "
                             "put -- before it)"),
                           shortopt);
    }
    if (strpbrk(opt, "./"))
        return usage_error(_("unknown option '%s' (a file name starting with '-': "
                             "put -- before it)"),
                           opt);
    return usage_error(_("unknown option '%s'"), opt);
}

bool cli_parse(int argc, char **argv, struct cli *out)
{
    memset(out, 0, sizeof *out);
    out->command = CLI_TUI;
    opterr = 0;
    optind = 1;
    int c;
    int li = -1;
    while ((c = getopt_long(argc, argv, "+:hV", options, &li)) != -1) {
        const char *opt = argv[optind - 1];
        /* "--lang --report": a value taken from the next word must not
         * look like an option (--lang=-x still may) */
        if (li >= 0 && options[li].has_arg && optarg && optarg == opt && optarg[0] == '-') {
            char name[32];
            snprintf(name, sizeof name, "--%s", options[li].name);
            return usage_error(_("option '%s' needs an argument"), name);
        }
        li = -1;
        int taken = export_option(c, opt, out);
        if (taken < 0)
            return false;
        if (taken)
            continue;
        switch (c) {
        case 'h':
            out->command = CLI_HELP;
            return true;
        case 'V':
            out->command = CLI_VERSION;
            return true;
        case OPT_LIST_FORMS:
            if (!set_command(out, CLI_LIST_FORMS, opt))
                return false;
            break;
        case OPT_CHECK_FORM:
            if (!set_command(out, CLI_CHECK_FORM, "--check-form"))
                return false;
            out->form_file = optarg;
            break;
        case OPT_CHECK:
            if (!set_command(out, CLI_CHECK, opt))
                return false;
            break;
        case OPT_LANG:
            if (!set_lang(out, optarg))
                return false;
            break;
        case OPT_FORM_DIR:
            out->form_dir = optarg;
            break;
        case OPT_MERGE:
            if (!set_command(out, CLI_MERGE, opt))
                return false;
            break;
        case OPT_INTO:
            out->into = optarg;
            break;
        case OPT_DRY_RUN:
            out->dry_run = true;
            break;
        case ':':
            return usage_error(_("option '%s' needs an argument"), opt);
        default:
            return unknown_option(opt);
        }
    }
    return check_rest(argc, argv, out);
}

/* The arguments after the options, and options that need --merge. */
static bool check_rest(int argc, char **argv, struct cli *out)
{
    int rest = argc - optind;
    struct stat st;
    /* Options stop at the first file ("+"): "--merge a.sqlite --into
     * t.sqlite" would merge a file named --into, and t.sqlite, into the
     * local file. An option after the files is refused, unless "--"
     * said the rest are files. */
    bool dashdash = optind > 1 && strcmp(argv[optind - 1], "--") == 0;
    for (int i = optind; i < argc && !dashdash; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return usage_error(_("'%s' after a file: options come before "
                                 "the files (a file whose name starts with "
                                 "- goes after --)"),
                               argv[i]);
    if (out->form_dir && (stat(out->form_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        return usage_error(_("option '%s': '%s' is not a directory"), "--form-dir",
                           out->form_dir);
    if (out->lang && strcmp(out->lang, "all") == 0 && out->command != CLI_CHECK_FORM)
        return usage_error(_("unknown language '%s' (the languages: %s)"), "all",
                           i18n_language_list());
    if (out->command == CLI_MERGE) {
        if (rest == 0)
            return usage_error(_("%s needs at least one file to merge"), "--merge");
        out->inputs = argv + optind;
        out->ninputs = rest;
        return export_options_valid(out);
    }
    if (out->into)
        return usage_error(_("%s is only used with --merge"), "--into");
    if (out->dry_run)
        return usage_error(_("%s is only used with --merge"), "--dry-run");
    if (rest > 1)
        return usage_error(_("too many arguments, starting at '%s'"), argv[optind + 1]);
    if (rest == 1) {
        if (out->command == CLI_LIST_FORMS || out->command == CLI_CHECK_FORM)
            return usage_error(_("unexpected argument '%s'"), argv[optind]);
        out->file = argv[optind];
    }
    return export_options_valid(out);
}

void cli_print_help(void)
{
    printf(_("Usage: imas-survey [OPTION]... [FILE]\n"
             "  or:  imas-survey --merge [--into FILE] [--dry-run] INPUT...\n"
             "Fill IMAS dimension-grid questionnaires and capture focus-group notes\n"
             "in the terminal, saving every answer at once to a local SQLite file.\n"
             "\n"
             "FILE is the survey file; without it, $IMAS_SURVEY_FILE, else\n"
             "$XDG_DATA_HOME/imas-survey/survey.sqlite (created when missing).\n"
             "\n"));
    printf(_("Commands:\n"
             "      --check [FILE]          check the file's integrity and schema, print\n"
             "                                a summary\n"
             "      --merge INPUT...        merge partners' survey files into FILE given\n"
             "                                with --into (default: the local file, created\n"
             "                                when missing); one summary line per input\n"
             "      --list-forms            list the forms found (id, version, title,\n"
             "                                languages)\n"
             "      --check-form FORM.xml   load a form; print its questions or what is wrong\n"
             "      --export DIR [FILE]     export every form's records into DIR for analysis\n"
             "      --report [FILE]         compare the countries' dimension grids\n"
             "  -h, --help                  show this help and exit\n"
             "  -V, --version               show the version and exit\n"
             "\n"));
    printf(_("Options:\n"
             "      --lang LL               language of the interface (e.g. bg, de, sk)\n"
             "      --form-dir DIR          look for forms in DIR first\n"
             "      --into FILE             with --merge: the file to merge into\n"
             "      --dry-run               with --merge: say what would change, change\n"
             "                                nothing\n"
             "\n"));
    /* TRANSLATORS: keep the language codes, DE, de-AT, pt_BR, no, nb and
     * the options as they are */
    printf(_("      --                      end the options: a FILE or INPUT after it\n"
             "                                may start with - (--merge -- -a.sqlite)\n"
             "  LL is en, bg, de, fi, nb, nl, pl, pt, sk or sl in any case, with or\n"
             "  without a region (DE, de-AT, pt_BR); no means nb. Another LL, or a\n"
             "  DIR that is not a directory, is a usage error.\n"
             "\n"));
    printf(_("Form check options:\n"
             "      --lang all              with --check-form: below each question its\n"
             "                                label, hint, choices and messages in every\n"
             "                                language of the form\n"
             "\n"));
    printf(_("Export and report options:\n"
             "      --format FMT            --export: csv (default) or json;\n"
             "                              --report: text (default), md or html\n"
             "      --finalized             export finalized records only\n"
             "      --bom                   start CSV and text files with a byte order mark\n"
             "                              (for Excel)\n"
             "      --raw                   do not put ' before CSV cells that start with\n"
             "                              = + - @ (which spreadsheets run as formulas)\n"
             "      --output PATH           write the report to PATH instead of stdout\n"
             "\n"));
    printf(_("      --form ID               --report: the records of form ID only; the\n"
             "                              focus-group report for a form with a notes\n"
             "                              log (default: the dimension grids, else the\n"
             "                              focus groups)\n"
             "\n"));
    printf(_("Keys on the home screen: Up/Down move, F1 help, F10 or q quit.\n"
             "\n"
             "Exit status: 0 success, 1 something was refused or failed, 2 usage error.\n"));
}

void cli_print_version(void)
{
    printf("imas-survey %s\n", PACKAGE_VERSION);
    printf(_("Copyright (C) 2026 The imas-survey authors.\n"
             "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
             "This is free software: you are free to change and redistribute it.\n"
             "There is NO WARRANTY, to the extent permitted by law.\n"));
}
