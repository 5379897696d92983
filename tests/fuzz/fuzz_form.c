/* fuzz_form.c: the form loader (form_load_memory) on any bytes, and a
 * record of every form it accepts: defaults, preloads, calculations,
 * relevance, checks, options and texts in every language. */
#include "config.h"

#include "fuzz.h"

#include "core/error.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "form/record.h"

#include <string.h>

static void walk(struct form_record *r, const struct form_node *n, const char *lang)
{
    const struct form *f = form_record_form(r);
    FUZZ_CHECK(form_text(f, &n->label, lang) != NULL);
    free(form_record_text(r, &n->label, n, NULL, lang));
    free(form_record_text(r, &n->hint, n, NULL, lang));
    if (n->kind != FORM_GROUP && n->kind != FORM_REPEAT && !n->repeat) {
        form_record_relevant(r, n, NULL);
        form_record_required(r, n, NULL);
        form_record_readonly(r, n, NULL);
        char *msg = NULL;
        if (!form_record_check(r, n, NULL, lang, &msg))
            FUZZ_CHECK(msg != NULL);
        free(msg);
        struct form_option *o;
        size_t no = form_record_options(r, n, NULL, lang, &o);
        form_options_free(&o, no);
    }
    if (n->kind == FORM_REPEAT && !n->repeat)
        form_record_repeat_count(r, n, NULL);
    for (size_t i = 0; i < n->nchildren; i++)
        walk(r, n->children[i], lang);
}

static void use(const struct form *f)
{
    FUZZ_CHECK(form_id(f) && *form_id(f));
    FUZZ_CHECK(form_hash(f) && strlen(form_hash(f)) == 64);
    size_t nfields;
    const struct form_field *fields = form_fields(f, &nfields);
    struct form_record *r = form_record_new(f);
    struct form_env env = {.device_id = "fuzz", .username = "fuzz"};
    struct error err = ERROR_INIT;
    form_record_first_load(r, &env, NULL, &err);
    error_clear(&err);
    /* Give every top-level field a value that is wrong for most types. */
    for (size_t i = 0; i < nfields && i < 64; i++) {
        if (fields[i].repeat_path)
            continue;
        form_record_set(r, fields[i].path, NULL, i % 2 ? "1" : "x y", &err);
        error_clear(&err);
    }
    form_record_calculate(r, NULL, NULL);
    const char *const *langs = form_languages(f);
    walk(r, form_root(f), NULL);
    for (size_t i = 0; langs[i] && i < 4; i++)
        walk(r, form_root(f), langs[i]);
    form_record_problems(r, NULL, NULL, NULL);
    form_record_finalize(r, NULL);
    form_record_free(&r);
}

int fuzz_form(const uint8_t *data, size_t size)
{
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory((const char *)data, size, "fuzz.xml", &err);
    if (f) {
        use(f);
        form_free(&f);
        FUZZ_CHECK(f == NULL);
    } else {
        /* A refusal always says where and what. */
        FUZZ_CHECK(err.msg && *err.msg);
        FUZZ_CHECK(err.file && strcmp(err.file, "fuzz.xml") == 0);
    }
    error_clear(&err);
    return 0;
}
