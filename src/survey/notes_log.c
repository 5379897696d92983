/* survey/notes_log.c: the notes log's fields (see notes_log.h). */
#include "config.h"

#include "survey/notes_log.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The path of the field called name below parent when the form has it,
 * else NULL. */
static char *child_field(const struct form *f, const char *parent, const char *name)
{
    char *p = xasprintf("%s/%s", parent, name);
    size_t n = 0;
    const struct form_field *fields = form_fields(f, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].path, p) == 0)
            return p;
    free(p);
    return NULL;
}

/* The roster: the repeat the speaker's itemset lists, its value field
 * ("code"), and the fields called consent and role if it has them. */
static void find_roster(const struct form *f, struct survey_log *l)
{
    const struct form_node *sp = l->speaker ? form_find(f, l->speaker) : NULL;
    if (!sp || !sp->itemset || !sp->itemset->nodeset || !sp->itemset->value_ref)
        return;
    const struct form_node *r = form_find(f, sp->itemset->nodeset);
    if (!r || r->kind != FORM_REPEAT)
        return;
    l->code = child_field(f, r->path, sp->itemset->value_ref);
    if (!l->code)
        return;
    l->roster = r;
    l->consent = child_field(f, r->path, "consent");
    l->role = child_field(f, r->path, "role");
}

bool survey_log_find(const struct form *f, struct survey_log *out)
{
    *out = (struct survey_log){0};
    const struct form_node *log = form_log_repeat(f);
    if (!log)
        return false;
    out->repeat = log;
    static const char *const names[] = {"speaker", "topic", "phase",      "text",
                                        "tags",    "quote", "started_at", "committed_at"};
    char **slots[] = {&out->speaker, &out->topic, &out->phase,      &out->text,
                      &out->tags,    &out->quote, &out->started_at, &out->committed_at};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        *slots[i] = child_field(f, log->path, names[i]);
    find_roster(f, out);
    return out->text != NULL;
}

void survey_log_clear(struct survey_log *l)
{
    char **slots[] = {&l->speaker, &l->topic,        &l->phase, &l->text, &l->tags, &l->quote,
                      &l->started_at, &l->committed_at, &l->code, &l->consent, &l->role};
    for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
        xfree(slots[i]);
    l->repeat = l->roster = NULL;
}

bool survey_log_is_text(const struct survey_log *l, const char *path)
{
    return l->text && path && strcmp(l->text, path) == 0;
}
