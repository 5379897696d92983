#include "config.h"

#include "cmd_merge.h"

#include "core/error.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "merge/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A path as it may be shown: names are the user's, but a partner's file
 * name could hold control characters. */
static char *shown(const char *path)
{
    return utf8_sanitize(path, false);
}

static void add_counts(struct merge_counts *t, const struct merge_counts *c)
{
    t->records_new += c->records_new;
    t->records_updated += c->records_updated;
    t->items_new += c->items_new;
    t->answers_new += c->answers_new;
    t->answers_updated += c->answers_updated;
    t->versions_kept += c->versions_kept;
    t->conflicts += c->conflicts;
}

static void print_counts(const struct merge_counts *c)
{
    /* TRANSLATORS: one input's (or the total) merge summary; the numbers
     * are: new records, records updated, new repeat items (roster entries,
     * notes), new answers, answers updated, older values kept in the
     * history, conflicts. */
    printf(_("records %lld new, %lld updated; items %lld new; "
             "answers %lld new, %lld updated; older values kept %lld; "
             "conflicts %lld"),
           (long long)c->records_new, (long long)c->records_updated,
           (long long)c->items_new, (long long)c->answers_new,
           (long long)c->answers_updated, (long long)c->versions_kept,
           (long long)c->conflicts);
}

static char *target_path(const struct cli *cli, struct error *err)
{
    if (cli->into)
        return xstrdup(cli->into);
    char *path = paths_default_survey_file(err);
    if (path && !paths_ensure_parent_dir(path, err))
        xfree(&path);
    return path;
}

int cmd_merge(const struct cli *cli)
{
    struct error err = ERROR_INIT;
    char *target = target_path(cli, &err);
    if (!target) {
        char *msg = error_format(&err);
        fprintf(stderr, "imas-survey: %s\n", msg);
        free(msg);
        error_clear(&err);
        return 1;
    }
    size_t n = (size_t)cli->ninputs;
    struct merge_input_result *res = xmalloc(n * sizeof *res);
    int64_t file_conflicts = 0;
    bool ok = merge_run_counted(target, (const char *const *)cli->inputs, n,
                                cli->dry_run, res, &file_conflicts, &err);
    struct merge_counts total = {0};
    size_t merged = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        char *name = shown(res[i].path);
        if (res[i].refused) {
            char *why = shown(res[i].reason ? res[i].reason : "?");
            fprintf(stderr, "imas-survey: %s: %s\n", name, why);
            free(why);
            refused++;
        } else {
            printf("%s: ", name);
            print_counts(&res[i].counts);
            putchar('\n');
            add_counts(&total, &res[i].counts);
            merged++;
        }
        free(name);
        merge_input_result_clear(&res[i]);
    }
    free(res);
    /* TRANSLATORS: the total line of a merge: "total: 3 merged, " then
     * "1 refused; " (inputs, each with its plural), then the counts as
     * on each input's line. */
    printf(NG_("total: %zu merged, ", "total: %zu merged, ", (unsigned long)merged), merged);
    printf(NG_("%zu refused; ", "%zu refused; ", (unsigned long)refused), refused);
    /* the total's conflicts are the file's, as --check and home count
     * them: one conflict touched by two inputs is one */
    total.conflicts = file_conflicts;
    print_counts(&total);
    putchar('\n');
    if (cli->dry_run) {
        char *t = shown(target);
        printf(_("dry run: %s was not changed\n"), t);
        free(t);
    }
    if (!ok) {
        char *msg = error_format(&err);
        fprintf(stderr, "imas-survey: %s\n", msg);
        free(msg);
    }
    error_clear(&err);
    free(target);
    fflush(stdout);
    return ok && refused == 0 ? 0 : 1;
}
