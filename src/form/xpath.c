#include "config.h"

#include "form/xpath.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "form/funcs.h"

#include <libxml/xpathInternals.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XP_MAX_NESTING 128

enum tok {
    T_END, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_DOT, T_DOTDOT, T_AT, T_COMMA,
    T_COLCOL, T_SLASH, T_SLASH2, T_PIPE, T_PLUS, T_MINUS, T_EQ, T_NEQ, T_LT, T_LE,
    T_GT, T_GE, T_MUL, T_AND, T_OR, T_MOD, T_DIV, T_NAMETEST, T_NODETYPE, T_FUNC,
    T_AXIS, T_LITERAL, T_NUMBER, T_VAR,
};

struct token {
    enum tok t;
    size_t ws, start, end; /* leading whitespace from ws, the token from start */
    char *prefix, *local;  /* names */
};

struct xp {
    const char *src;
    struct token *tok;
    size_t n, i;
    const struct xp_opts *o;
    char *err;   /* first problem found (message without file:line) */
    bool syntax; /* err is a syntax error */
    int depth;
    int no_ctx;  /* inside indexed-repeat(): leave absolute paths alone */
    int in_pred; /* inside a predicate: relative paths have another context */
    int after_primary; /* the location follows a primary: 1 any, 2 current() */
    char **refs; /* plain instance paths read, for the calculate graph */
    size_t nrefs;
};

/* ---- lexer ------------------------------------------------------------ */

static bool name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_operator(enum tok t)
{
    switch (t) {
    case T_AND: case T_OR: case T_MOD: case T_DIV: case T_MUL: case T_SLASH: case T_SLASH2:
    case T_PIPE: case T_PLUS: case T_MINUS: case T_EQ: case T_NEQ: case T_LT: case T_LE:
    case T_GT: case T_GE:
        return true;
    default:
        return false;
    }
}

/* XPath 1.0 3.7: after a token that ends an operand, '*' and NCNames are operators. */
static bool operator_expected(const struct xp *p)
{
    if (p->n == 0)
        return false;
    enum tok t = p->tok[p->n - 1].t;
    return !(t == T_AT || t == T_COLCOL || t == T_LPAREN || t == T_LBRACK || t == T_COMMA ||
             is_operator(t));
}

static size_t read_ncname(const char *s, size_t i)
{
    while (s[i] && name_char((unsigned char)s[i]))
        i++;
    return i;
}

static void push(struct xp *p, enum tok t, size_t ws, size_t start, size_t end)
{
    p->tok = xrealloc(p->tok, (p->n + 1) * sizeof *p->tok);
    p->tok[p->n++] = (struct token){t, ws, start, end, NULL, NULL};
}

static bool lex_fail(struct xp *p)
{
    p->syntax = true;
    return false;
}

static bool is_node_type(const char *s, size_t n)
{
    static const char *const types[] = {"comment", "text", "processing-instruction", "node", NULL};
    for (int i = 0; types[i]; i++)
        if (strlen(types[i]) == n && strncmp(types[i], s, n) == 0)
            return true;
    return false;
}

static bool lex_name(struct xp *p, size_t ws, size_t i, size_t *next)
{
    const char *s = p->src;
    size_t e = read_ncname(s, i);
    if (operator_expected(p)) {
        static const struct { const char *w; enum tok t; } ops[] = {
            {"and", T_AND}, {"or", T_OR}, {"mod", T_MOD}, {"div", T_DIV}};
        for (size_t k = 0; k < 4; k++)
            if (e - i == strlen(ops[k].w) && strncmp(s + i, ops[k].w, e - i) == 0) {
                push(p, ops[k].t, ws, i, e);
                *next = e;
                return true;
            }
        return lex_fail(p);
    }
    char *prefix = NULL, *local;
    size_t end = e;
    if (s[e] == ':' && s[e + 1] != ':') {
        prefix = xstrndup(s + i, e - i);
        if (s[e + 1] == '*') {
            end = e + 2;
            local = xstrdup("*");
        } else if (name_start((unsigned char)s[e + 1])) {
            end = read_ncname(s, e + 1);
            local = xstrndup(s + e + 1, end - e - 1);
        } else {
            free(prefix);
            return lex_fail(p);
        }
    } else {
        local = xstrndup(s + i, e - i);
    }
    size_t k = end;
    while (is_ws(s[k]))
        k++;
    enum tok t = T_NAMETEST;
    if (s[k] == '(' && strcmp(local, "*") != 0)
        t = !prefix && is_node_type(s + i, e - i) ? T_NODETYPE : T_FUNC;
    else if (s[k] == ':' && s[k + 1] == ':' && !prefix)
        t = T_AXIS;
    push(p, t, ws, i, end);
    p->tok[p->n - 1].prefix = prefix;
    p->tok[p->n - 1].local = local;
    *next = end;
    return true;
}

static bool lex(struct xp *p)
{
    const char *s = p->src;
    size_t i = 0;
    for (;;) {
        size_t ws = i;
        while (is_ws(s[i]))
            i++;
        char c = s[i];
        if (!c) {
            push(p, T_END, ws, i, i);
            return true;
        }
        size_t st = i;
        if (c == '"' || c == '\'') {
            const char *q = strchr(s + i + 1, c);
            if (!q)
                return lex_fail(p);
            i = (size_t)(q - s) + 1;
            push(p, T_LITERAL, ws, st, i);
        } else if ((c >= '0' && c <= '9') || (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
            while (s[i] >= '0' && s[i] <= '9')
                i++;
            if (s[i] == '.')
                for (i++; s[i] >= '0' && s[i] <= '9'; i++)
                    ;
            push(p, T_NUMBER, ws, st, i);
        } else if (c == '.') {
            bool two = s[i + 1] == '.';
            i += two ? 2 : 1;
            push(p, two ? T_DOTDOT : T_DOT, ws, st, i);
        } else if (c == '/') {
            bool two = s[i + 1] == '/';
            i += two ? 2 : 1;
            push(p, two ? T_SLASH2 : T_SLASH, ws, st, i);
        } else if (c == '!' || c == '<' || c == '>') {
            bool eq = s[i + 1] == '=';
            if (c == '!' && !eq)
                return lex_fail(p);
            i += eq ? 2 : 1;
            push(p, c == '!' ? T_NEQ : c == '<' ? (eq ? T_LE : T_LT) : (eq ? T_GE : T_GT), ws,
                 st, i);
        } else if (c == ':') {
            if (s[i + 1] != ':')
                return lex_fail(p);
            i += 2;
            push(p, T_COLCOL, ws, st, i);
        } else if (c == '*') {
            i++;
            push(p, operator_expected(p) ? T_MUL : T_NAMETEST, ws, st, i);
            if (p->tok[p->n - 1].t == T_NAMETEST)
                p->tok[p->n - 1].local = xstrdup("*");
        } else if (c == '$') {
            i = read_ncname(s, i + 1);
            if (i == st + 1)
                return lex_fail(p);
            push(p, T_VAR, ws, st, i);
        } else if (name_start((unsigned char)c)) {
            if (!lex_name(p, ws, i, &i))
                return false;
        } else {
            static const char single[] = "()[]@,|+-=";
            static const enum tok types[] = {T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_AT,
                                             T_COMMA, T_PIPE, T_PLUS, T_MINUS, T_EQ};
            const char *k = strchr(single, c);
            if (!k)
                return lex_fail(p);
            i++;
            push(p, types[k - single], ws, st, i);
        }
    }
}

/* ---- parser: each rule returns its rewritten text, or NULL ------------ */

static enum tok peek(const struct xp *p)
{
    return p->tok[p->i].t;
}

static char *text(const struct xp *p, size_t i)
{
    return xstrndup(p->src + p->tok[i].ws, p->tok[i].end - p->tok[i].ws);
}

static char *syntax(struct xp *p)
{
    p->syntax = true;
    return NULL;
}

__attribute__((format(printf, 2, 3)))
static char *problem(struct xp *p, const char *fmt, ...)
{
    if (!p->err) {
        va_list ap;
        va_start(ap, fmt);
        char *m = NULL;
        if (vasprintf(&m, fmt, ap) < 0)
            m = NULL;
        va_end(ap);
        p->err = m ? m : xstrdup(fmt);
    }
    return NULL;
}

static bool expect(struct xp *p, enum tok t, struct strbuf *out)
{
    if (peek(p) != t)
        return false;
    char *s = text(p, p->i++);
    strbuf_adds(out, s);
    free(s);
    return true;
}

static char *parse_expr(struct xp *p);

static char *parse_list(struct xp *p, char *(*sub)(struct xp *), const enum tok *ops, size_t nops,
                        const char *wrap)
{
    char *a = sub(p);
    if (!a)
        return NULL;
    bool any = false;
    for (size_t k = 0; k < nops; k++)
        any = any || peek(p) == ops[k];
    if (!any)
        return a;
    struct strbuf sb;
    strbuf_init(&sb);
    for (;;) {
        if (wrap)
            strbuf_addf(&sb, " %s(%s)", wrap, a); /* the space: never "andimas:num(" */
        else
            strbuf_adds(&sb, a);
        free(a);
        bool more = false;
        for (size_t k = 0; k < nops; k++)
            more = more || peek(p) == ops[k];
        if (!more)
            return strbuf_detach(&sb);
        expect(p, peek(p), &sb);
        a = sub(p);
        if (!a) {
            strbuf_free(&sb);
            return NULL;
        }
    }
}

static char *parse_location(struct xp *p);
static char *parse_primary(struct xp *p);

static bool step_start(enum tok t)
{
    return t == T_NAMETEST || t == T_AXIS || t == T_AT || t == T_DOT || t == T_DOTDOT ||
           t == T_NODETYPE;
}

static char *parse_predicates(struct xp *p, struct strbuf *out)
{
    while (peek(p) == T_LBRACK) {
        expect(p, T_LBRACK, out);
        p->in_pred++;
        char *e = parse_expr(p);
        p->in_pred--;
        if (!e)
            return NULL;
        strbuf_adds(out, e);
        free(e);
        if (!expect(p, T_RBRACK, out))
            return syntax(p);
    }
    return out->buf;
}

struct step {
    enum tok sep; /* T_END for the first step of a relative path */
    char *sep_text, *text;
    const char *local; /* for a simple child name test */
};

static bool parse_step(struct xp *p, struct step *s)
{
    struct strbuf sb;
    strbuf_init(&sb);
    s->local = NULL;
    enum tok t = peek(p);
    if (t == T_DOT || t == T_DOTDOT) {
        expect(p, t, &sb);
        s->text = strbuf_detach(&sb);
        return true;
    }
    bool axis = false;
    if (t == T_AXIS) {
        axis = strcmp(p->tok[p->i].local, "child") != 0;
        expect(p, T_AXIS, &sb);
        if (!expect(p, T_COLCOL, &sb))
            goto fail;
    } else if (t == T_AT) {
        axis = true;
        expect(p, T_AT, &sb);
    }
    const struct token *k = &p->tok[p->i];
    if (k->t == T_NAMETEST) {
        strbuf_add(&sb, p->src + k->ws, k->start - k->ws);
        strbuf_adds(&sb, k->local); /* the record's instance has no namespaces */
        if (!axis && strcmp(k->local, "*") != 0)
            s->local = k->local;
        p->i++;
    } else if (k->t == T_NODETYPE) {
        expect(p, T_NODETYPE, &sb);
        if (!expect(p, T_LPAREN, &sb))
            goto fail;
        expect(p, T_LITERAL, &sb);
        if (!expect(p, T_RPAREN, &sb))
            goto fail;
    } else {
        goto fail;
    }
    size_t before = sb.len;
    if (!parse_predicates(p, &sb)) {
        strbuf_free(&sb);
        return false;
    }
    if (sb.len != before)
        s->local = NULL;
    s->text = strbuf_detach(&sb);
    return true;
fail:
    strbuf_free(&sb);
    p->syntax = true;
    return false;
}

/* The repeat the context sits in whose path starts this absolute path
 * (with a step after it): how many steps it has; 0 for none. */
static size_t same_repeat_prefix(const struct xp *p, const struct step *st, size_t n)
{
    const struct form *f = p->o->f;
    const char *ctx = p->o->ctx_path;
    if (!f || !ctx || p->no_ctx)
        return 0;
    size_t best = 0;
    for (size_t r = 0; r < f->nrepeats; r++) {
        const char *rp = f->repeats[r]->path;
        size_t len = strlen(rp);
        if (strncmp(ctx, rp, len) != 0 || (ctx[len] != '/' && ctx[len] != '\0'))
            continue;
        size_t k = 0;
        const char *q = rp;
        bool match = true;
        while (match && *q == '/') {
            const char *seg = q + 1;
            const char *end = strchr(seg, '/');
            size_t sl = end ? (size_t)(end - seg) : strlen(seg);
            match = k < n && st[k].local && (k == 0 || st[k].sep == T_SLASH) &&
                    strlen(st[k].local) == sl && strncmp(st[k].local, seg, sl) == 0;
            k++;
            q = seg + sl;
        }
        if (match && k < n && k > best)
            best = k;
    }
    return best;
}

/* Note the instance path a location names, when it is a plain one (name
 * tests, "." and "..", no predicates or axes) that the context decides. */
static void note_ref(struct xp *p, enum tok first, const struct step *st, size_t n, size_t k0)
{
    bool relative = first != T_SLASH;
    if (first == T_SLASH2 || p->no_ctx || (relative && (p->in_pred || !p->o->ctx_path)) ||
        (relative && p->after_primary == 1))
        return;
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = k0; i < n; i++) {
        bool dots = strcmp(st[i].text, ".") == 0 || strcmp(st[i].text, "..") == 0;
        if ((!st[i].local && !dots) || (i > k0 && st[i].sep != T_SLASH)) {
            strbuf_free(&sb);
            return;
        }
        strbuf_addf(&sb, "/%s", dots ? st[i].text : st[i].local);
    }
    char *path = relative ? model_path_join(p->o->ctx_path, sb.buf + 1) : model_path_normalize(sb.buf);
    strbuf_free(&sb);
    if (!path)
        return;
    p->refs = xrealloc(p->refs, (p->nrefs + 1) * sizeof *p->refs);
    p->refs[p->nrefs++] = path;
}

static bool names_main_root(const struct xp *p, const struct step *first)
{
    const struct form *f = p->o->f;
    return f && f->instance_root && first->local &&
           strcmp(first->local, (const char *)f->instance_root->name) == 0;
}

static char *parse_location(struct xp *p)
{
    struct step *st = NULL;
    size_t n = 0;
    enum tok first = peek(p);
    char *lead = NULL;
    if (first == T_SLASH || first == T_SLASH2) {
        lead = text(p, p->i++);
        if (first == T_SLASH && !step_start(peek(p)))
            return lead; /* "/" alone: the root */
    }
    struct strbuf sb;
    strbuf_init(&sb);
    enum tok sep = first == T_SLASH || first == T_SLASH2 ? first : T_END;
    char *sep_text = lead;
    bool ok = true;
    for (;;) {
        st = xrealloc(st, (n + 1) * sizeof *st);
        st[n].sep = sep;
        st[n].sep_text = sep_text;
        if (!parse_step(p, &st[n])) {
            free(sep_text);
            ok = false;
            break;
        }
        n++;
        sep = peek(p);
        if (sep != T_SLASH && sep != T_SLASH2)
            break;
        sep_text = text(p, p->i++);
    }
    size_t k = ok && first == T_SLASH ? same_repeat_prefix(p, st, n) : 0;
    if (ok)
        note_ref(p, first, st, n, 0);
    if (k) {
        strbuf_adds(&sb, " current()");
        for (size_t up = model_path_depth(p->o->ctx_path) - k; up > 0; up--)
            strbuf_adds(&sb, "/..");
    } else if (ok && first == T_SLASH && names_main_root(p, &st[0])) {
        /* "/" is the root of the context node's document, which inside a
         * predicate over a secondary instance is that instance: ODK means
         * the main instance (item[name = /data/fruit]) */
        strbuf_adds(&sb, " imas:main()");
    }
    for (size_t i = 0; i < n; i++) {
        if (i >= k) {
            strbuf_adds(&sb, st[i].sep_text ? st[i].sep_text : "");
            strbuf_adds(&sb, st[i].text);
        }
        free(st[i].sep_text);
        free(st[i].text);
    }
    free(st);
    if (!ok) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_detach(&sb);
}

static bool literal_arg(const struct xp *p, size_t from, size_t to, char **out)
{
    if (to != from + 1 || p->tok[from].t != T_LITERAL)
        return false;
    const struct token *t = &p->tok[from];
    *out = xstrndup(p->src + t->start + 1, t->end - t->start - 2);
    return true;
}

static bool instance_known(const struct form *f, const char *id)
{
    if (!f || (f->id && strcmp(f->id, id) == 0))
        return true;
    for (size_t i = 0; i < f->nsecondary; i++)
        if (strcmp(f->secondary_ids[i], id) == 0)
            return true;
    return false;
}

/* The namespace a function prefix stands for, from the element's scope,
 * else our usual prefixes. */
static const char *prefix_uri(const struct xp *p, const char *prefix)
{
    if (!prefix)
        return NULL;
    if (p->o->el) {
        xmlNsPtr ns = xmlSearchNs(p->o->el->doc, p->o->el, (const xmlChar *)prefix);
        if (ns)
            return (const char *)ns->href;
    }
    if (strcmp(prefix, "jr") == 0)
        return FORM_NS_JR;
    if (strcmp(prefix, "odk") == 0)
        return FORM_NS_ODK;
    if (strcmp(prefix, "orx") == 0)
        return FORM_NS_ORX;
    return NULL;
}

static char *check_call(struct xp *p, const struct token *t, int nargs, size_t arg0, size_t end)
{
    const char *uri = prefix_uri(p, t->prefix);
    if (t->prefix && !uri)
        return problem(p, _("undeclared namespace prefix %s: in %s of %s"), t->prefix,
                       p->o->what, p->o->where);
    int min, max;
    char *shown = t->prefix ? xasprintf("%s:%s", t->prefix, t->local) : xstrdup(t->local);
    char *r = shown;
    if (!funcs_lookup(uri, t->local, &min, &max))
        r = problem(p, _("unknown XPath function %s() in %s of %s"), shown, p->o->what,
                    p->o->where);
    else if (nargs < min || (max >= 0 && nargs > max))
        r = problem(p, _("wrong number of arguments to %s() in %s of %s"), shown, p->o->what,
                    p->o->where);
    char *id = NULL;
    if (r && !t->prefix && strcmp(t->local, "instance") == 0 && literal_arg(p, arg0, end, &id) &&
        !instance_known(p->o->f, id))
        r = problem(p, _("instance('%s') names no instance of the form, in %s of %s"), id,
                    p->o->what, p->o->where);
    free(id);
    if (r != shown)
        free(shown);
    return r;
}

static char *parse_call(struct xp *p)
{
    size_t fi = p->i++;
    const struct token *t = &p->tok[fi];
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_add(&sb, p->src + t->ws, t->start - t->ws);
    const char *uri = prefix_uri(p, t->prefix);
    const char *canon = uri ? funcs_prefix(uri) : NULL;
    if (t->prefix)
        strbuf_addf(&sb, "%s:", canon ? canon : t->prefix);
    strbuf_adds(&sb, t->local);
    bool indexed = !t->prefix && strcmp(t->local, "indexed-repeat") == 0;
    if (!expect(p, T_LPAREN, &sb)) {
        strbuf_free(&sb);
        return syntax(p);
    }
    int nargs = 0;
    size_t arg0 = p->i;
    p->no_ctx += indexed;
    while (peek(p) != T_RPAREN) {
        char *a = parse_expr(p);
        if (!a) {
            p->no_ctx -= indexed;
            strbuf_free(&sb);
            return NULL;
        }
        strbuf_adds(&sb, a);
        free(a);
        nargs++;
        if (!expect(p, T_COMMA, &sb))
            break;
    }
    p->no_ctx -= indexed;
    size_t end = p->i;
    if (!expect(p, T_RPAREN, &sb)) {
        strbuf_free(&sb);
        return syntax(p);
    }
    char *shown = check_call(p, t, nargs, arg0, end);
    if (!shown) {
        strbuf_free(&sb);
        return NULL;
    }
    free(shown);
    return strbuf_detach(&sb);
}

static char *parse_primary(struct xp *p)
{
    struct strbuf sb;
    switch (peek(p)) {
    case T_VAR: {
        const struct token *t = &p->tok[p->i];
        char *name = xstrndup(p->src + t->start, t->end - t->start);
        problem(p, _("XPath variables (%s) are not supported, in %s of %s"), name, p->o->what,
                p->o->where);
        free(name);
        return NULL;
    }
    case T_LPAREN: {
        strbuf_init(&sb);
        expect(p, T_LPAREN, &sb);
        char *e = parse_expr(p);
        if (!e) {
            strbuf_free(&sb);
            return NULL;
        }
        strbuf_adds(&sb, e);
        free(e);
        if (!expect(p, T_RPAREN, &sb)) {
            strbuf_free(&sb);
            return syntax(p);
        }
        return strbuf_detach(&sb);
    }
    case T_LITERAL:
    case T_NUMBER:
        strbuf_init(&sb);
        expect(p, peek(p), &sb);
        return strbuf_detach(&sb);
    case T_FUNC:
        return parse_call(p);
    default:
        return syntax(p);
    }
}

static char *parse_path(struct xp *p)
{
    if (peek(p) == T_SLASH || peek(p) == T_SLASH2 || step_start(peek(p)))
        return parse_location(p);
    char *prim = parse_primary(p);
    if (!prim)
        return NULL;
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, prim);
    bool plain_current = strcmp(prim + strspn(prim, " \t\r\n"), "current()") == 0;
    free(prim);
    size_t before = sb.len;
    if (!parse_predicates(p, &sb)) {
        strbuf_free(&sb);
        return NULL;
    }
    if (peek(p) == T_SLASH || peek(p) == T_SLASH2) {
        expect(p, peek(p), &sb);
        if (!step_start(peek(p))) {
            strbuf_free(&sb);
            return syntax(p);
        }
        int was = p->after_primary;
        p->after_primary = plain_current && sb.len == before + 1 ? 2 : 1;
        char *rel = parse_location(p); /* relative: never contextualised */
        p->after_primary = was;
        if (!rel) {
            strbuf_free(&sb);
            return NULL;
        }
        strbuf_adds(&sb, rel);
        free(rel);
    }
    return strbuf_detach(&sb);
}

static char *parse_union(struct xp *p)
{
    static const enum tok ops[] = {T_PIPE};
    return parse_list(p, parse_path, ops, 1, NULL);
}

static char *parse_unary(struct xp *p)
{
    struct strbuf sb;
    strbuf_init(&sb);
    while (peek(p) == T_MINUS)
        expect(p, T_MINUS, &sb);
    char *u = parse_union(p);
    if (!u) {
        strbuf_free(&sb);
        return NULL;
    }
    strbuf_adds(&sb, u);
    free(u);
    return strbuf_detach(&sb);
}

static char *parse_mul(struct xp *p)
{
    static const enum tok ops[] = {T_MUL, T_DIV, T_MOD};
    return parse_list(p, parse_unary, ops, 3, NULL);
}

static char *parse_add(struct xp *p)
{
    static const enum tok ops[] = {T_PLUS, T_MINUS};
    return parse_list(p, parse_mul, ops, 2, "imas:num");
}

static char *parse_rel(struct xp *p)
{
    static const enum tok ops[] = {T_LT, T_LE, T_GT, T_GE};
    return parse_list(p, parse_add, ops, 4, "imas:num");
}

static char *parse_eq(struct xp *p)
{
    static const enum tok ops[] = {T_EQ, T_NEQ};
    return parse_list(p, parse_rel, ops, 2, NULL);
}

static char *parse_and(struct xp *p)
{
    static const enum tok ops[] = {T_AND};
    return parse_list(p, parse_eq, ops, 1, NULL);
}

static char *parse_expr(struct xp *p)
{
    static const enum tok ops[] = {T_OR};
    if (++p->depth > XP_MAX_NESTING) {
        p->depth--;
        return syntax(p);
    }
    char *r = parse_list(p, parse_and, ops, 1, NULL);
    p->depth--;
    return r;
}

/* ---- compiling -------------------------------------------------------- */

static void quiet(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static xmlXPathCompExprPtr compile(const char *s)
{
    xmlXPathContextPtr c = xmlXPathNewContext(NULL);
    c->error = quiet;
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(c, (const xmlChar *)s);
    xmlXPathFreeContext(c);
    return comp;
}

static void xp_free(struct xp *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->tok[i].prefix);
        free(p->tok[i].local);
    }
    free(p->tok);
    free(p->err);
    for (size_t i = 0; i < p->nrefs; i++)
        free(p->refs[i]);
    free(p->refs);
}

struct form_expr *xpath_compile(const char *src, const struct xp_opts *o, struct error *err)
{
    const char *file = o->f ? o->f->path : NULL;
    long line = o->el ? xmlGetLineNo(o->el) : 0;
    struct xp p = {.src = src, .o = o};
    char *out = NULL;
    xmlXPathCompExprPtr check = compile(src);
    if (check) {
        xmlXPathFreeCompExpr(check);
        if (lex(&p)) {
            out = parse_expr(&p);
            if (out && peek(&p) != T_END) {
                free(out);
                out = syntax(&p);
            }
        }
    } else {
        p.syntax = true;
    }
    xmlXPathCompExprPtr comp = out ? compile(out) : NULL;
    if (!comp) {
        if (p.err && !p.syntax)
            error_set_at(err, file, line, "%s", p.err);
        else
            error_set_at(err, file, line, _("XPath syntax error in %s of %s: %s"), o->what,
                         o->where, src);
        free(out);
        xp_free(&p);
        return NULL;
    }
    struct form_expr *e = xcalloc(1, sizeof *e);
    e->refs = p.refs, e->nrefs = p.nrefs;
    p.refs = NULL, p.nrefs = 0;
    xp_free(&p);
    e->src = xstrdup(src);
    e->xpath = out;
    e->comp = comp;
    return e;
}
