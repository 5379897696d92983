/* search_check.h: the search index of a survey file against the rule
 * every writer follows (store/sql.h, STORE_SEARCH_INDEXED_SQL): it holds
 * exactly the answers the rule names, each under its rowid, with the
 * terms of its folded text. Include after cmocka.h. */
#ifndef IMAS_TESTS_SEARCH_CHECK_H
#define IMAS_TESTS_SEARCH_CHECK_H

#include <sqlite3.h>

#include "store/sql.h"

/* The terms of the index as (record, item, field, term, offset) rows of
 * temp.search_terms on db, made with store_sql_functions registered. */
static inline int search_terms_table(sqlite3 *db)
{
    return sqlite3_exec(
        db,
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING "
        "fts5vocab(main, search, instance);"
        "CREATE TEMP VIEW IF NOT EXISTS search_terms AS SELECT "
        "a.record_uuid, a.item_uuid, a.field, v.term, v.offset FROM "
        "temp.search_vocab AS v LEFT JOIN main.answers AS a ON a.rowid = "
        "v.doc",
        NULL, NULL, NULL);
}

/* Fail unless the index of the file at path is exactly an index built
 * afresh from its answers by the rule, and FTS5 finds it consistent.
 * Returns the number of entries (answers indexed). */
static inline long long assert_search_in_step(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    assert_true(store_sql_functions(db));
    static const char rebuilt[] =
        "CREATE VIRTUAL TABLE temp.fresh USING fts5(text, content = '', "
        "columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');"
        "INSERT INTO temp.fresh(rowid, text) SELECT a.rowid, "
        "imas_fold(a.value) FROM main.answers AS a LEFT JOIN main.records "
        "AS r ON r.record_uuid = a.record_uuid WHERE "
        STORE_SEARCH_INDEXED_SQL("a", "r") ";"
        "CREATE VIRTUAL TABLE temp.v_got USING fts5vocab(main, search, "
        "instance);"
        "CREATE VIRTUAL TABLE temp.v_want USING fts5vocab(temp, fresh, "
        "instance);"
        "INSERT INTO main.search(search) VALUES ('integrity-check');";
    char *msg = NULL;
    if (sqlite3_exec(db, rebuilt, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM (SELECT * FROM "
                               "temp.v_got EXCEPT SELECT * FROM temp.v_want)), "
                               "(SELECT count(*) FROM (SELECT * FROM "
                               "temp.v_want EXCEPT SELECT * FROM temp.v_got)), "
                               "(SELECT count(DISTINCT doc) FROM temp.v_got)",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 0);
    assert_int_equal(sqlite3_column_int64(st, 1), 0);
    long long n = sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return n;
}

#endif
