# What each screen means, without curses (STYLE.md): the records list, the
# open record (session), capture and its writer thread, search, conflicts.
noinst_LIBRARIES += src/app/libimas_app.a
src_app_libimas_app_a_SOURCES = \
	src/app/records.c src/app/records.h \
	src/app/session.c src/app/session.h src/app/session_int.h \
	src/app/session_edit.c src/app/session_pages.c \
	src/app/capture.c src/app/capture.h src/app/capture_notes.c \
	src/app/capture_writer.c src/app/capture_writer.h \
	src/app/search.c src/app/search.h \
	src/app/conflicts.c src/app/conflicts.h \
	src/app/attach.c src/app/attach.h \
	src/app/path_complete.c src/app/path_complete.h
src_app_libimas_app_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS) -pthread

# Everything a test of the models links, bottom layer last.
APP_TEST_LIBS = src/app/libimas_app.a src/merge/libimas_merge.a src/survey/libimas_survey.a \
	src/store/libimas_store.a src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS)
APP_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_records
TESTS += tests/unit/test_app_records
tests_unit_test_app_records_SOURCES = tests/unit/test_app_records.c
tests_unit_test_app_records_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_records_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_records_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_session
TESTS += tests/unit/test_app_session
tests_unit_test_app_session_SOURCES = tests/unit/test_app_session.c
tests_unit_test_app_session_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_session_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_session_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_progress
TESTS += tests/unit/test_app_progress
tests_unit_test_app_progress_SOURCES = tests/unit/test_app_progress.c
tests_unit_test_app_progress_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_progress_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_progress_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_capture
TESTS += tests/unit/test_app_capture
tests_unit_test_app_capture_SOURCES = tests/unit/test_app_capture.c
tests_unit_test_app_capture_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_capture_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_capture_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_conflicts
TESTS += tests/unit/test_app_conflicts
tests_unit_test_app_conflicts_SOURCES = tests/unit/test_app_conflicts.c
tests_unit_test_app_conflicts_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_conflicts_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_conflicts_LDFLAGS = $(AM_LDFLAGS) -pthread

# make bench: per-note commit time with 10,000 notes already in the file.
noinst_PROGRAMS += bench/capture-latency
BENCHES += bench/capture-latency
bench_capture_latency_SOURCES = bench/capture-latency.c
bench_capture_latency_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS) -pthread
bench_capture_latency_LDADD = src/app/libimas_app.a src/survey/libimas_survey.a \
	src/store/libimas_store.a src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS)
bench_capture_latency_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_conflict_kinds
TESTS += tests/unit/test_app_conflict_kinds
tests_unit_test_app_conflict_kinds_SOURCES = tests/unit/test_app_conflict_kinds.c
tests_unit_test_app_conflict_kinds_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_conflict_kinds_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_conflict_kinds_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_app_attach
TESTS += tests/unit/test_app_attach
tests_unit_test_app_attach_SOURCES = tests/unit/test_app_attach.c
tests_unit_test_app_attach_CFLAGS = $(APP_TEST_CFLAGS)
tests_unit_test_app_attach_LDADD = $(APP_TEST_LIBS)
tests_unit_test_app_attach_LDFLAGS = $(AM_LDFLAGS) -pthread
