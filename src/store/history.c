#include "config.h"

#include "store/history.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* n in decimal at p (at most 20 digits and a sign); past its end */
static char *put_int(char *p, int64_t n)
{
    char tmp[24];
    size_t k = 0;
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0)
        *p++ = '-';
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* "%lld.%lld.%.8s" without snprintf: the conflict count asks for it for
 * every pair of versions of an answer it compares (issue 15). */
void store_version_id(char out[STORE_VID_MAX], int64_t revision,
                      int64_t updated_at, const char *device_id)
{
    char *p = put_int(out, revision);
    *p++ = '.';
    p = put_int(p, updated_at);
    *p++ = '.';
    for (int i = 0; i < 8 && device_id && device_id[i]; i++)
        *p++ = device_id[i];
    *p = '\0';
}

bool store_names_parent(const char *parents, size_t n, const char *vid)
{
    size_t k = strlen(vid);
    for (size_t i = 0; k && i + k <= n; i++) {
        const char *hit = memchr(parents + i, vid[0], n - i - k + 1);
        if (!hit)
            return false;
        i = (size_t)(hit - parents);
        if (memcmp(hit, vid, k) == 0 && (i == 0 || parents[i - 1] == ' ') &&
            (i + k == n || parents[i + k] == ' '))
            return true;
    }
    return false;
}

/* imas_names_parent(parents, revision, updated_at, device_id): as
 * instr(' ' || parents || ' ', ' ' || <the version's id> || ' ') > 0
 * (STORE_NAMES_PARENT_SQL), without the strings SQL would build for
 * every pair of versions it compares; NULL when parents is. */
static void names_parent_fn(sqlite3_context *ctx, int argc,
                            sqlite3_value **argv)
{
    (void)argc;
    const char *parents = (const char *)sqlite3_value_text(argv[0]);
    if (!parents) {
        sqlite3_result_null(ctx);
        return;
    }
    int n = sqlite3_value_bytes(argv[0]);
    const char *dev = (const char *)sqlite3_value_text(argv[3]);
    char vid[STORE_VID_MAX];
    store_version_id(vid, sqlite3_value_int64(argv[1]),
                     sqlite3_value_int64(argv[2]), dev);
    sqlite3_result_int(ctx, store_names_parent(parents, (size_t)n, vid));
}

bool store_history_functions(sqlite3 *db)
{
    return sqlite3_create_function_v2(
               db, "imas_names_parent", 4,
               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
               names_parent_fn, NULL, NULL, NULL) == SQLITE_OK;
}
