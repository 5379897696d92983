/* db.h: what the store files share and nobody else sees: the store object,
 * the prepared-statement cache, binding and stepping with every result
 * checked, write transactions, and SQLite errors as user-facing messages.
 * Not installed and not included outside src/store. */
#ifndef IMAS_STORE_DB_H
#define IMAS_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/uuid.h"

/* One prepared statement per id and store, prepared on first use and reset
 * on every later use. */
enum db_stmt_id {
    DB_BEGIN,
    DB_COMMIT,
    DB_ROLLBACK,
    DB_RECORD_INSERT,
    DB_RECORD_GET,
    DB_RECORD_UPDATE,
    DB_RECORD_VERSION,
    DB_RECORD_LIST,
    DB_ITEM_INSERT,
    DB_ITEM_GET,
    DB_ITEM_UPDATE,
    DB_ITEM_VERSION,
    DB_ITEM_LIST,
    DB_ITEM_LAST,
    DB_ANSWER_GET,
    DB_ANSWER_UPSERT,
    DB_DEVICE_NUMBER,
    DB_RECORD_EDIT,
    DB_ANSWER_VERSION,
    DB_ANSWER_FOREACH,
    DB_ANSWER_ITEM,
    DB_ANSWER_HISTORY,
    DB_ANSWER_HEADS,
    DB_ANSWER_ROWID,
    DB_SEARCH_TEXT,
    DB_SEARCH_DELETE,
    DB_SEARCH_INSERT,
    DB_SEARCH_LEGACY,
    DB_SEARCH,
    DB_SEARCH_FAST,
    DB_SEARCH_MAPPED,
    DB_SEARCH_MAPPED_FAST,
    DB_RECORD_FORMS,
    DB_AUDIT_INSERT,
    DB_AUDIT_LIST,
    DB_AUDIT_LAST,
    DB_FORM_GET,
    DB_FORM_INSERT,
    DB_CONFLICT_COUNT,
    DB_CONFLICT_LIST,
    DB_META_GET,
    DB_META_SET,
    DB_META_DELETE,
    DB_AUDIT_FORM,
    DB_DEVICE_NOTE,
    DB_CONFLICT_RECORD_HEADS,
    DB_CONFLICT_RECORD_KEEP,
    DB_CONFLICT_RECORD_SET,
    DB_CONFLICT_ITEM_HEADS,
    DB_CONFLICT_ITEM_KEEP,
    DB_CONFLICT_ITEM_SET,
    DB_CONFLICT_ITEM_FIELDS,
    DB_CONFLICT_ITEM_VALUE,
    DB_ITEM_ANSWERS,
    DB_STMT_COUNT
};

struct store {
    sqlite3 *db;
    char *path;
    bool readonly;
    char *readonly_reason; /* NULL when writable */
    int schema_version;
    char db_uuid[UUID_STR_LEN];
    char device_id[UUID_STR_LEN]; /* this laptop's (core/device.h) */
    char *device_name;
    bool device_noted; /* the devices table has this laptop's row and name */
    char *author;
    bool in_tx;
    bool batch;        /* in store_batch_begin: writes join its transaction */
    bool batch_failed; /* a write in the batch failed: roll it back */
    int wal_pages;     /* pages in the log after the last commit (deferred checkpoints) */
    int lock_fd;       /* STORE_EXCLUSIVE's flock, or -1 */
    sqlite3_stmt *stmt[DB_STMT_COUNT];
};

/* The statement for id (preparing sql the first time), reset and with its
 * bindings cleared; NULL with err set on failure. */
sqlite3_stmt *db_stmt(struct store *s, enum db_stmt_id id, const char *sql,
                      struct error *err);
/* Bind parameters 1.. from the va_list as described by types, one letter
 * each: 't' text (NULL binds NULL), 'i' int64_t. */
bool db_bind(struct store *s, sqlite3_stmt *st, struct error *err,
             const char *types, ...);
/* Step once: SQLITE_ROW or SQLITE_DONE, or -1 with err set. */
int db_step(struct store *s, sqlite3_stmt *st, struct error *err);
/* Step a statement that returns no rows. */
bool db_run(struct store *s, sqlite3_stmt *st, struct error *err);
/* The first column of a one-row query as an integer (0 when NULL), or
 * false with err set. */
bool db_int(struct store *s, sqlite3_stmt *st, int64_t *out,
            struct error *err);
/* Reset after use, so no statement keeps a read open. The reset's result
 * only repeats the last step's, which the caller has already checked. */
void db_reset(sqlite3_stmt *st);
/* A fresh copy of a text column, or NULL when it is NULL. */
char *db_column_dup(sqlite3_stmt *st, int col);
/* Run SQL without results (schema, pragmas); err names the file. */
bool db_exec(sqlite3 *db, const char *path, const char *sql,
             struct error *err);
/* err = the connection's last error, in words a user can act on. */
bool db_fail(sqlite3 *db, const char *path, struct error *err);

/* Our SQL functions, on every connection: imas_fold(text) = fold_text(),
 * imas_text_field (store/search_index.h), for
 * set-based merges and re-indexing. */
bool db_register_functions(sqlite3 *db);

/* BEGIN IMMEDIATE on a writable store, or false with a clear message. */
bool db_write_begin(struct store *s, struct error *err);
/* COMMIT when ok, else (or when COMMIT fails) ROLLBACK; returns whether
 * the change is on disk. */
bool db_write_end(struct store *s, bool ok, struct error *err);

#endif
