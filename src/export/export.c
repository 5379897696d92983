#include "config.h"

#include "export/export.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "export/audit.h"
#include "export/codebook.h"
#include "export/tables.h"
#include "export/transcript.h"
#include "store/forms.h"

#include <stdlib.h>
#include <string.h>

static void add_problem(struct export_summary *sum, struct error *e)
{
    sum->problems = xrealloc(sum->problems,
                             (sum->nproblems + 1) * sizeof *sum->problems);
    sum->problems[sum->nproblems++] = error_format(e);
    error_clear(e);
}

/* The stored definition of the form version, loaded; NULL with a problem
 * noted when it is missing or does not load. */
static struct form *load_form(struct store *s, const struct store_form_use *u,
                              struct export_summary *sum, struct error *err)
{
    struct store_form sf;
    bool found;
    struct error e = ERROR_INIT;
    char *name = xasprintf("%s %s", u->form_id, u->form_version);
    struct form *f = NULL;
    if (!store_form_get(s, u->form_id, u->form_version, &sf, &found, err)) {
        free(name);
        return NULL;
    }
    if (!found)
        error_set(&e, _("%s: the form's definition is not in the file; "
                        "only its long table was exported"),
                  name);
    else if (!(f = form_load_memory(sf.definition, strlen(sf.definition), name, &e)))
        error_prefix(&e, _("the form does not load; only its long table was exported"));
    if (error_isset(&e))
        add_problem(sum, &e);
    store_form_clear(&sf);
    free(name);
    return f;
}

static bool export_form(struct export_ctx *x, const struct store_form_use *u,
                        struct export_summary *sum, struct error *err)
{
    struct form *f = load_form(x->s, u, sum, err);
    if (!f && error_isset(err))
        return false;
    struct layout *l = f ? layout_new(f) : NULL;
    x->form = f;
    x->layout = l;
    bool ok = out_mkdir(x->dir, err) && export_long(x, err) && (!f || export_codebook(x, err)) &&
              export_audit(x, err) &&
              (!l || export_participants(x, err)) &&
              (!l || export_transcripts(x, err));
    layout_free(&l);
    form_free(&f);
    return ok;
}

static char *form_dir_name(const struct store_form_use *u)
{
    char *raw = *u->form_version
                    ? xasprintf("%s-%s", u->form_id, u->form_version)
                    : xstrdup(u->form_id);
    char *safe = out_safe_name(raw);
    free(raw);
    return safe;
}

static bool export_all(struct store *s, const char *dir,
                       const struct export_options *o, struct out_set *set,
                       struct export_summary *sum, struct error *err)
{
    struct store_form_use *uses = NULL;
    size_t n = 0;
    if (!store_scan_forms(s, o->finalized_only, &uses, &n, err))
        return false;
    bool ok = true;
    sum->dirs = xcalloc(n + 1, sizeof *sum->dirs);
    for (size_t i = 0; ok && i < n; i++) {
        char *name = form_dir_name(&uses[i]);
        char *fdir = xasprintf("%s/%s", dir, name);
        free(name);
        struct export_ctx x = {
            .s = s, .o = o, .set = set, .dir = fdir,
            .filter = {.form_id = uses[i].form_id,
                       .form_version = uses[i].form_version,
                       .finalized_only = o->finalized_only},
        };
        ok = export_form(&x, &uses[i], sum, err);
        sum->dirs[sum->forms++] = fdir;
        sum->records += uses[i].records;
        sum->answers += x.answers;
    }
    store_form_uses_free(&uses, n);
    return ok;
}

bool export_run(struct store *s, const char *dir,
                const struct export_options *o, struct export_summary *sum,
                struct error *err)
{
    memset(sum, 0, sizeof *sum);
    struct out_set set = {.stop = o->stop};
    if (!out_mkdir(dir, err) || !store_read_begin(s, err))
        return false;
    bool ok = export_all(s, dir, o, &set, sum, err);
    size_t files = set.n;
    ok = ok && !out_stopped(&set, err) && out_commit(&set, err);
    out_abort(&set);
    store_read_end(s);
    sum->files = ok ? files : 0;
    return ok;
}

void export_summary_clear(struct export_summary *sum)
{
    for (size_t i = 0; i < sum->forms; i++)
        free(sum->dirs[i]);
    free(sum->dirs);
    for (size_t i = 0; i < sum->nproblems; i++)
        free(sum->problems[i]);
    free(sum->problems);
    memset(sum, 0, sizeof *sum);
}
