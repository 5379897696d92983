#include "config.h"

#include "store/meta.h"

#include "core/i18n.h"
#include "core/utf8.h"
#include "store/db.h"

#include <string.h>

static bool key_ok(struct store *s, const char *key, struct error *err)
{
    if (key && strncmp(key, "ui.", 3) == 0 && key[3] &&
        utf8_valid(key, strlen(key)))
        return true;
    return error_set_at(err, s->path, 0, _("not a setting name: %s"),
                        key ? key : "");
}

bool store_setting_get(struct store *s, const char *key, char **value,
                       struct error *err)
{
    *value = NULL;
    if (!key_ok(s, key, err))
        return false;
    sqlite3_stmt *st = db_stmt(s, DB_META_GET,
                               "SELECT value FROM meta WHERE key = ?1", err);
    if (!st || !db_bind(s, st, err, "t", key))
        return false;
    int rc = db_step(s, st, err);
    if (rc == SQLITE_ROW)
        *value = db_column_dup(st, 0);
    db_reset(st);
    return rc >= 0;
}

bool store_setting_set(struct store *s, const char *key, const char *value,
                       struct error *err)
{
    if (!key_ok(s, key, err))
        return false;
    if (value && !utf8_valid(value, strlen(value)))
        return error_set_at(err, s->path, 0,
                            _("the value of %s is not valid UTF-8"), key);
    if (!db_write_begin(s, err))
        return false;
    sqlite3_stmt *st;
    if (value)
        st = db_stmt(s, DB_META_SET,
                     "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     err);
    else
        st = db_stmt(s, DB_META_DELETE, "DELETE FROM meta WHERE key = ?1", err);
    bool ok = st && (value ? db_bind(s, st, err, "tt", key, value)
                           : db_bind(s, st, err, "t", key)) &&
              db_run(s, st, err);
    return db_write_end(s, ok, err);
}
