#include "config.h"

#include "store/forms.h"

#include "core/clock.h"
#include "core/i18n.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/db.h"

#include <string.h>

static bool text_ok(const char *s)
{
    return s && utf8_valid(s, strlen(s));
}

void store_form_clear(struct store_form *f)
{
    xfree(&f->form_id);
    xfree(&f->form_version);
    xfree(&f->hash);
    xfree(&f->title);
    xfree(&f->definition);
}

bool store_form_get(struct store *s, const char *form_id, const char *version,
                    struct store_form *out, bool *found, struct error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    /* Rare: prepared per call, not cached. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT form_id, form_version, hash, title, "
                           "definition, added_at FROM forms "
                           "WHERE form_id = ?1 AND form_version = ?2",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fail(s->db, s->path, err);
        return false;
    }
    bool ok = db_bind(s, st, err, "tt", form_id, version);
    int rc = ok ? db_step(s, st, err) : -1;
    if (rc == SQLITE_ROW) {
        out->form_id = db_column_dup(st, 0);
        out->form_version = db_column_dup(st, 1);
        out->hash = db_column_dup(st, 2);
        out->title = db_column_dup(st, 3);
        out->definition = db_column_dup(st, 4);
        out->added_at = sqlite3_column_int64(st, 5);
        *found = true;
    }
    sqlite3_finalize(st);
    return rc >= 0;
}

static bool form_put_tx(struct store *s, const char *form_id,
                        const char *version, const char *hash,
                        const char *title, const char *definition,
                        struct error *err)
{
    struct store_form old;
    bool found;
    if (!store_form_get(s, form_id, version, &old, &found, err))
        return false;
    bool same = found && strcmp(old.hash ? old.hash : "", hash) == 0;
    store_form_clear(&old);
    if (found)
        return same || error_set_at(err, s->path, 0,
                                    _("form %s version %s is already stored "
                                      "with different content; give the "
                                      "changed form a new version"),
                                    form_id, version);
    sqlite3_stmt *st = db_stmt(
        s, DB_FORM_INSERT,
        "INSERT INTO forms(form_id, form_version, hash, title, definition, "
        "added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        err);
    return st &&
           db_bind(s, st, err, "ttttti", form_id, version, hash, title,
                   definition, (int64_t)clock_now_ms()) &&
           db_run(s, st, err);
}

bool store_form_put(struct store *s, const char *form_id, const char *version,
                    const char *hash, const char *title,
                    const char *definition, struct error *err)
{
    if (!form_id || !*form_id || !text_ok(form_id) || !text_ok(version) ||
        !text_ok(definition) || (title && !text_ok(title)) ||
        (hash && !*hash))
        return error_set_at(err, s->path, 0,
                            _("a form needs an id, a version and its "
                              "definition as UTF-8 text"));
    char computed[65];
    if (!hash) {
        sha256_hex(definition, strlen(definition), computed);
        hash = computed;
    }
    if (!db_write_begin(s, err))
        return false;
    bool ok = form_put_tx(s, form_id, version, hash, title ? title : "",
                          definition, err);
    return db_write_end(s, ok, err);
}
