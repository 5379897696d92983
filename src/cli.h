/* cli.h: the command line, parsed into what main() dispatches on. */
#ifndef IMAS_CLI_H
#define IMAS_CLI_H

#include <stdbool.h>

enum cli_command {
    CLI_TUI,        /* open the terminal UI on the file */
    CLI_HELP,
    CLI_VERSION,
    CLI_LIST_FORMS,
    CLI_CHECK_FORM,
    CLI_CHECK,
    CLI_MERGE,
    CLI_EXPORT,     /* --export DIR */
    CLI_REPORT,     /* --report */
};

/* --export and --report (cli_export_option). */
struct cli_export {
    const char *dir;    /* --export DIR */
    const char *format; /* --format: csv|json (export), text|md|html (report) */
    const char *output; /* --report --output PATH, or NULL for stdout */
    const char *form;   /* --report --form ID, or NULL: see report_write */
    bool finalized, bom, raw;
};

struct cli {
    enum cli_command command;
    const char *file;       /* FILE argument, or NULL for the default file */
    const char *form_file;  /* --check-form argument */
    const char *form_dir;   /* --form-dir */
    const char *lang;       /* --lang, normalized (i18n_lang_normalize), or "all" */
    char lang_buf[24];
    const char *into;       /* --merge: --into FILE, or NULL for the default */
    bool dry_run;           /* --merge --dry-run */
    char *const *inputs;    /* --merge: the files to merge */
    int ninputs;
    struct cli_export exp;  /* --export, --report */
};

/* Parse argv. On a usage error print one line and a hint to --help on
 * stderr and return false (the caller exits 2). */
bool cli_parse(int argc, char **argv, struct cli *out);
/* The --help text, translated. */
void cli_print_help(void);
void cli_print_version(void);

#endif
