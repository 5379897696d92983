/* survey/title.c: a record's title (see title.h). */
#include "config.h"

#include "survey/title.h"

#include "core/xalloc.h"
#include "store/answers.h"

#include <stdlib.h>
#include <string.h>

char *survey_record_name(struct store *s, const struct form *f, const char *uuid)
{
    size_t n = 0;
    const struct form_field *fields = f ? form_fields(f, &n) : NULL;
    char *name = NULL;
    for (size_t i = 0; i < n && !name; i++)
        if (!fields[i].repeat_path && strcmp(fields[i].name, "instanceName") == 0)
            store_answer_get(s, uuid, "", fields[i].path, &name, NULL);
    if (name && strspn(name, " ") == strlen(name))
        xfree(&name);
    return name;
}

char *survey_record_title(struct store *s, const struct form *f, const char *uuid)
{
    char *name = survey_record_name(s, f, uuid);
    char *t = name ? xasprintf("%s: %s", form_title(f), name)
                   : xasprintf("%s %.8s", form_title(f), uuid);
    free(name);
    return t;
}
