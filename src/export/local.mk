noinst_LIBRARIES += src/export/libimas_export.a
src_export_libimas_export_a_SOURCES = \
	src/export/export.c src/export/export.h \
	src/export/out.c src/export/out.h \
	src/export/layout.c src/export/layout.h \
	src/export/groups.c src/export/groups.h \
	src/export/tables.c src/export/tables.h \
	src/export/media.c src/export/media.h \
	src/export/codebook.c src/export/codebook.h \
	src/export/audit.c src/export/audit.h \
	src/export/transcript.c src/export/transcript.h \
	src/export/report_data.c src/export/report_data.h \
	src/export/report_out.c src/export/report_out.h \
	src/export/fg_data.c src/export/fg_data.h \
	src/export/fg_report.c src/export/fg_report.h \
	src/export/report.c src/export/report.h
src_export_libimas_export_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)

check_PROGRAMS += tests/unit/test_export
TESTS += tests/unit/test_export
tests_unit_test_export_SOURCES = tests/unit/test_export.c \
	tests/unit/export_fixture.c tests/unit/export_fixture.h
tests_unit_test_export_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
tests_unit_test_export_LDADD = src/export/libimas_export.a src/survey/libimas_survey.a \
	src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) -lm

# The same survey file for the shell tests (tests/e2e/export.sh).
check_PROGRAMS += tests/unit/make-export-fixture
tests_unit_make_export_fixture_SOURCES = tests/unit/make-export-fixture.c \
	tests/unit/export_fixture.c tests/unit/export_fixture.h
tests_unit_make_export_fixture_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_make_export_fixture_LDADD = src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS)

check_PROGRAMS += tests/unit/test_report
TESTS += tests/unit/test_report
tests_unit_test_report_SOURCES = tests/unit/test_report.c \
	tests/unit/export_fixture.c tests/unit/export_fixture.h
tests_unit_test_report_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
tests_unit_test_report_LDADD = src/export/libimas_export.a src/survey/libimas_survey.a src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) -lm

check_PROGRAMS += tests/unit/test_export_media
TESTS += tests/unit/test_export_media
tests_unit_test_export_media_SOURCES = tests/unit/test_export_media.c tests/unit/attach_fixture.h
tests_unit_test_export_media_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
tests_unit_test_export_media_LDADD = src/export/libimas_export.a src/survey/libimas_survey.a \
	src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) -lm
