#include "config.h"

#include "store/schema_v6.h"

#include "store/db.h"

/* A record's last edit (home's "changed" column and sort) is the MAX of
 * its answers' updated_at: a range of the primary key (record_uuid comes
 * first), a few dozen rows for a questionnaire, a few thousand for a long
 * focus group (bench/README.md: ui-bench). */
bool schema_v5_to_v6(sqlite3 *db, const char *path, struct error *err)
{
    return db_exec(db, path, "DROP INDEX IF EXISTS answers_by_time;\n", err);
}
