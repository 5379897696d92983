/* export_fixture.h: a small survey file for the export and report tests:
 * both shipped forms, records in three countries with Cyrillic, Slovak
 * and Portuguese text, commas, quotes, newlines and formula-like answers,
 * a focus-group session with a roster and notes, and things that must
 * never be exported (a deleted record, a deleted roster entry and note,
 * cleared answers). Deterministic: fixed clock and seeded UUIDs, so the
 * exports can be compared with golden files. */
#ifndef IMAS_TESTS_EXPORT_FIXTURE_H
#define IMAS_TESTS_EXPORT_FIXTURE_H

#include <stdbool.h>

#include "core/error.h"

/* Build the fixture at path (which must not exist). Records the UUIDs of
 * what was deleted, for the tests to look for. */
struct export_fixture {
    char deleted_record[37], deleted_item[37], deleted_note[37];
};

bool export_fixture_build(const char *path, const char *forms_dir,
                          struct export_fixture *fx, struct error *err);

/* A second, smaller file at path: one focus-group session whose notes
 * hold their tags as typed (with capitals, and a note of two lines), one
 * of them a recommendation tagged for two levels. */
bool export_fixture_build_tags(const char *path, const char *forms_dir, struct error *err);

#endif
