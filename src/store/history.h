/* history.h: which version of a row replaced which (SPEC 4, 6).
 *
 * Every version of a versioned row (records, items, answers, and their
 * _versions) names the versions it replaced in `parents`: their ids,
 * sorted, separated by one space ("" for a first version). A version's id
 * within its key is "REVISION.UPDATED_AT.DEV", DEV the first 8 characters
 * of its device id. Two versions of one key where neither descends from
 * the other are in conflict until a version names both as parents; the
 * heads of a key are the versions no other version names. */
#ifndef IMAS_STORE_HISTORY_H
#define IMAS_STORE_HISTORY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest id: two 20-digit numbers, two dots, 8 characters and NUL. */
#define STORE_VID_MAX 52

/* The id of version (revision, updated_at, device_id) as SQL over the row
 * alias a (a string literal), and the same in C. */
#define STORE_VID_SQL(a)                                                   \
    "printf('%d.%d.%.8s', " a ".revision, " a ".updated_at, " a           \
    ".device_id)"
void store_version_id(char out[STORE_VID_MAX], int64_t revision,
                      int64_t updated_at, const char *device_id);

/* SQL true when the row alias p names the version alias v as a parent
 * (imas_names_parent, store_history_functions). */
#define STORE_NAMES_PARENT_SQL(p, v)                                       \
    "imas_names_parent(" p ".parents, " v ".revision, " v                 \
    ".updated_at, " v ".device_id)"

/* Whether the parents list (n bytes, ids separated by spaces) names the
 * version id vid. */
bool store_names_parent(const char *parents, size_t n, const char *vid);

/* imas_names_parent() on db (db_register_functions). */
bool store_history_functions(sqlite3 *db);

#endif
