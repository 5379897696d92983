#include "config.h"

#include "survey/text_fields.h"

#include "core/error.h"
#include "core/xalloc.h"

bool survey_text_field(const struct survey_log *log, const struct form_node *n)
{
    if (!n || n->kind != FORM_INPUT || n->type != FORM_TYPE_STRING)
        return false;
    const struct form_node *rep = n->repeat;
    return !(rep && (rep->flags & FORM_LOG)) || survey_log_is_text(log, n->path);
}

char **survey_text_fields(const char *definition, size_t len, size_t *n)
{
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory(definition, len, "stored form", &err);
    error_clear(&err);
    *n = 0;
    if (!f)
        return NULL;
    struct survey_log log = {0};
    survey_log_find(f, &log);
    size_t nf = 0;
    const struct form_field *fields = form_fields(f, &nf);
    char **paths = xcalloc(nf + 1, sizeof *paths);
    for (size_t i = 0; i < nf; i++)
        if (survey_text_field(&log, form_find(f, fields[i].path)))
            paths[(*n)++] = xstrdup(fields[i].path);
    survey_log_clear(&log);
    form_free(&f);
    return paths;
}
