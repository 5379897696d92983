#include "config.h"

#include "export/export.h"

#include "core/i18n.h"
#include "core/xalloc.h"
#include "export/audit.h"
#include "export/codebook.h"
#include "export/media.h"
#include "export/tables.h"
#include "export/transcript.h"
#include "survey/form_of.h"

#include <stdlib.h>
#include <string.h>

static void add_problem(struct export_summary *sum, struct error *e)
{
    sum->problems = xrealloc(sum->problems,
                             (sum->nproblems + 1) * sizeof *sum->problems);
    sum->problems[sum->nproblems++] = error_format(e);
    error_clear(e);
}

/* The form version's definition in the file (survey_form_of: export
 * reads only the file, so no catalog), into *sf; a problem is noted when
 * it is missing or does not load. */
static bool load_form(struct store *s, const struct store_form_use *u, struct survey_form *sf,
                      struct export_summary *sum, struct error *err)
{
    struct error e = ERROR_INIT;
    if (!survey_form_of(s, NULL, u->form_id, u->form_version, sf, &e)) {
        if (err) {
            error_clear(err);
            *err = e; /* the file could not be read: the caller's error */
        } else {
            error_clear(&e);
        }
        return false;
    }
    if (sf->state == SURVEY_FORM_MISSING) {
        error_clear(&e);
        char *name = xasprintf("%s %s", u->form_id, u->form_version);
        error_set(&e, _("%s: the form's definition is not in the file; "
                        "only its long table was exported"),
                  name);
        free(name);
    } else if (sf->state == SURVEY_FORM_BROKEN) {
        error_prefix(&e, _("the form does not load; only its long table was exported"));
    }
    if (error_isset(&e))
        add_problem(sum, &e);
    return true;
}

static bool export_form(struct export_ctx *x, const struct store_form_use *u,
                        struct export_summary *sum, struct error *err)
{
    struct survey_form sf;
    if (!load_form(x->s, u, &sf, sum, err))
        return false;
    const struct form *f = sf.form;
    struct layout *l = f ? layout_new(f) : NULL;
    x->form = f;
    x->layout = l;
    bool ok = out_mkdir(x->set, x->dir, err) && export_long(x, err) && (!f || export_codebook(x, err)) &&
              export_audit(x, err) &&
              (!l || export_participants(x, err)) &&
              (!l || export_transcripts(x, err));
    export_media_free(&x->media);
    layout_free(&l);
    survey_form_clear(&sf);
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
        /* DIR/ as typed (Tab completes it so) gives DIR/name, not DIR//name */
        size_t dlen = strlen(dir);
        while (dlen > 1 && dir[dlen - 1] == '/')
            dlen--;
        char *fdir = dlen == 1 && *dir == '/' ? xasprintf("/%s", name)
                                              : xasprintf("%.*s/%s", (int)dlen, dir, name);
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
    if (!out_mkdir(&set, dir, err) || !store_read_begin(s, err)) {
        out_abort(&set);
        return false;
    }
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
