/* fuzz_xpath.c: the form's XPath expressions, read (form/xpath.c) and
 * evaluated over a record (libxml2 with the ODK functions, funcs.c).
 *
 * Input: an optional digit choosing where the expression goes, the
 * expression, then lines with values for /data/a, /data/b and /data/r/x
 * (in a repeat instance). The expression is written into a small form with
 * a repeat and a secondary instance, at one of: calculate, relevant,
 * constraint, an itemset filter, jr:count, a label <output>, a calculate
 * inside the repeat, or a setvalue. */
#include "config.h"

#include "fuzz.h"

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/form.h"
#include "form/record.h"

#include <string.h>

enum { AT_CALCULATE, AT_RELEVANT, AT_CONSTRAINT, AT_FILTER, AT_COUNT, AT_OUTPUT,
       AT_REPEAT_CALC, AT_SETVALUE, AT_N };

static const char form_head[] =
    "<h:html xmlns=\"http://www.w3.org/2002/xforms\" xmlns:h=\"http://www.w3.org/1999/xhtml\""
    " xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:odk=\"http://www.opendatakit.org/xforms\">"
    "<h:head><h:title>x</h:title><model>"
    "<instance><data id=\"x\"><a/><b/><c/><d/><r jr:template=\"\"><x/><y/></r></data></instance>"
    "<instance id=\"list\"><root><item><name>1</name><label>one</label></item>"
    "<item><name>b</name><label>bee</label></item></root></instance>\n";

static void add_escaped(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            strbuf_adds(sb, "&amp;");
        else if (*s == '<')
            strbuf_adds(sb, "&lt;");
        else if (*s == '"')
            strbuf_adds(sb, "&quot;");
        else
            strbuf_add(sb, s, 1);
    }
}

static char *make_form(int at, const char *e)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, form_head);
#define ATTR(pfx, cond, sfx)                                                          \
    do {                                                                              \
        strbuf_adds(&sb, pfx);                                                        \
        if (cond)                                                                     \
            add_escaped(&sb, e);                                                      \
        else                                                                          \
            strbuf_adds(&sb, "true()");                                               \
        strbuf_adds(&sb, sfx);                                                        \
    } while (0)
    ATTR("<bind nodeset=\"/data/a\" type=\"string\" constraint=\"", at == AT_CONSTRAINT,
         "\"/>");
    ATTR("<bind nodeset=\"/data/b\" type=\"string\" relevant=\"", at == AT_RELEVANT, "\"/>");
    if (at == AT_CALCULATE)
        ATTR("<bind nodeset=\"/data/c\" type=\"string\" calculate=\"", true, "\"/>");
    if (at == AT_REPEAT_CALC)
        ATTR("<bind nodeset=\"/data/r/y\" type=\"string\" calculate=\"", true, "\"/>");
    if (at == AT_SETVALUE)
        ATTR("<setvalue event=\"odk-instance-first-load\" ref=\"/data/c\" value=\"", true,
             "\"/>");
    strbuf_adds(&sb, "</model></h:head><h:body>"
                     "<input ref=\"/data/a\"><label>A</label></input>"
                     "<input ref=\"/data/b\"><label>B</label></input>");
    if (at == AT_OUTPUT)
        ATTR("<input ref=\"/data/c\"><label>C <output value=\"", true, "\"/></label></input>");
    if (at == AT_FILTER)
        ATTR("<select1 ref=\"/data/d\"><label>D</label>"
             "<itemset nodeset=\"instance('list')/root/item[",
             true, "]\"><value ref=\"name\"/><label ref=\"label\"/></itemset></select1>");
    strbuf_adds(&sb, "<group ref=\"/data/r\"><label>R</label><repeat nodeset=\"/data/r\"");
    if (at == AT_COUNT)
        ATTR(" jr:count=\"", true, "\"");
    strbuf_adds(&sb, "><input ref=\"/data/r/x\"><label>X</label></input></repeat></group>"
                     "</h:body></h:html>");
#undef ATTR
    return strbuf_detach(&sb);
}

static void evaluate(struct form_record *r, const struct form_node *n)
{
    free(form_record_text(r, &n->label, n, NULL, NULL));
    if (n->kind == FORM_REPEAT) {
        form_record_repeat_count(r, n, NULL);
    } else if (n->kind != FORM_GROUP) {
        const char *item = n->repeat ? "i1" : NULL;
        form_record_relevant(r, n, item);
        form_record_required(r, n, item);
        char *msg = NULL;
        form_record_check(r, n, item, NULL, &msg);
        free(msg);
        struct form_option *o;
        size_t no = form_record_options(r, n, item, NULL, &o);
        form_options_free(&o, no);
    }
    for (size_t i = 0; i < n->nchildren; i++)
        evaluate(r, n->children[i]);
}

int fuzz_xpath(const uint8_t *data, size_t size)
{
    char *in = xmalloc(size + 1);
    memcpy(in, data, size);
    in[size] = '\0'; /* a NUL ends the input early: the form is text */
    char *lines[4] = {in, "", "", ""};
    for (int i = 1; i < 4; i++) {
        char *nl = strchr(lines[i - 1], '\n');
        if (!nl)
            break;
        *nl = '\0';
        lines[i] = nl + 1;
    }
    int at = AT_CALCULATE;
    if (lines[0][0] >= '0' && lines[0][0] < '0' + AT_N)
        at = *lines[0]++ - '0';
    char *xml = make_form(at, lines[0]);
    struct error err = ERROR_INIT;
    struct form *f = form_load_memory(xml, strlen(xml), "fuzz.xml", &err);
    if (f) {
        struct form_record *r = form_record_new(f);
        form_record_first_load(r, NULL, NULL, &err);
        error_clear(&err);
        form_record_set(r, "/data/a", NULL, lines[1], &err);
        error_clear(&err);
        form_record_set(r, "/data/b", NULL, lines[2], &err);
        error_clear(&err);
        form_record_new_item(r, "/data/r", NULL, "i1", NULL, &err);
        error_clear(&err);
        form_record_set(r, "/data/r/x", "i1", lines[3], &err);
        error_clear(&err);
        form_record_calculate(r, NULL, NULL);
        evaluate(r, form_root(f));
        form_record_problems(r, NULL, NULL, NULL);
        form_record_remove_item(r, "i1");
        form_record_calculate(r, NULL, NULL);
        form_record_free(&r);
        form_free(&f);
    } else {
        FUZZ_CHECK(err.msg && *err.msg);
        if (getenv("FUZZ_VERBOSE")) /* to see why an input does not reach evaluation */
            fprintf(stderr, "fuzz-xpath: %s\n", err.msg);
    }
    error_clear(&err);
    free(xml);
    free(in);
    return 0;
}
