#include "config.h"

#include "export/media.h"

#include "core/media.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/attach.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX_HEX 12

struct export_media {
    char **hex, **names;
    size_t n;
    char *dir; /* DIR/<form>-<version>/media, once made */
};

void export_media_free(struct export_media **mp)
{
    struct export_media *m = *mp;
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->hex[i]);
        free(m->names[i]);
    }
    free(m->hex);
    free(m->names);
    free(m->dir);
    free(m);
    *mp = NULL;
}

static bool is_upload(const struct export_ctx *x, const char *field)
{
    const struct form_node *n = x->form && field ? form_find(x->form, field) : NULL;
    return n && n->kind == FORM_UPLOAD;
}

static const char *known(const struct export_media *m, const char *hex)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->hex[i], hex) == 0)
            return m->names[i];
    return NULL;
}

static bool taken(const struct export_media *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return true;
    return false;
}

static bool write_file(struct export_ctx *x, const char *name, const void *data, size_t size,
                       struct error *err)
{
    struct export_media *m = x->media;
    if (!m->dir) {
        char *dir = xasprintf("%s/media", x->dir);
        if (!out_mkdir(x->set, dir, err)) {
            free(dir);
            return false;
        }
        m->dir = dir;
    }
    struct out_file *f = out_open(x->set, m->dir, name, false, err);
    if (!f)
        return false;
    if (size && fwrite(data, 1, size, f->fp) != size)
        return error_set_at(err, f->path, 0, "%s", "write failed");
    return out_close_early(f, err);
}

bool export_media_of(struct export_ctx *x, const struct store_row *r, const char **name,
                     struct error *err)
{
    *name = NULL;
    char hex[MEDIA_HASH_HEX + 1];
    const char *orig;
    if (!r->value || r->value_len <= MEDIA_HASH_HEX || r->value[MEDIA_HASH_HEX] != ' ' ||
        strlen(r->value) != r->value_len || !media_value_parse(r->value, hex, &orig) ||
        !is_upload(x, r->field))
        return true;
    if (!x->media)
        x->media = xcalloc(1, sizeof *x->media);
    struct export_media *m = x->media;
    if ((*name = known(m, hex)))
        return true;
    bool found;
    void *data;
    size_t size;
    if (!store_attach_read(x->s, hex, &found, &data, &size, err))
        return false;
    char check[MEDIA_HASH_HEX + 1];
    if (found)
        sha256_hex(data, size, check);
    if (!found || strcmp(check, hex) != 0) { /* --check reports it */
        free(data);
        return true;
    }
    char *safe = media_safe_name(orig);
    char *out = xasprintf("%.*s-%s", PREFIX_HEX, hex, safe);
    if (taken(m, out)) { /* the first 48 bits alike: the whole hash */
        free(out);
        out = xasprintf("%s-%s", hex, safe);
    }
    free(safe);
    bool ok = write_file(x, out, data, size, err);
    free(data);
    if (!ok) {
        free(out);
        return false;
    }
    m->hex = xrealloc(m->hex, (m->n + 1) * sizeof *m->hex);
    m->names = xrealloc(m->names, (m->n + 1) * sizeof *m->names);
    m->hex[m->n] = xstrdup(hex);
    m->names[m->n++] = out;
    *name = out;
    return true;
}
