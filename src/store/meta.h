/* meta.h: small settings of this laptop's file, such as where the user
 * was in the questionnaire, so the next start returns there.
 *
 * They live in the meta table beside db_uuid and device_id, under keys
 * starting with "ui." (the only keys these functions touch). Merge never
 * copies meta rows: a setting stays with the file it was made in. */
#ifndef IMAS_STORE_META_H
#define IMAS_STORE_META_H

#include <stdbool.h>

#include "core/error.h"
#include "store/store.h"

/* The value of key as a fresh string in *value, NULL when unset. */
bool store_setting_get(struct store *s, const char *key, char **value,
                       struct error *err);
/* Set key to value (valid UTF-8) in its own committed transaction; NULL
 * removes it. */
bool store_setting_set(struct store *s, const char *key, const char *value,
                       struct error *err);

#endif
