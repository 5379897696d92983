# The rules export and the screens share (STYLE.md): which form a record
# uses, a record's title, the notes log's fields, a note's tags. No curses, no SQL.
noinst_LIBRARIES += src/survey/libimas_survey.a
src_survey_libimas_survey_a_SOURCES = \
	src/survey/form_of.c src/survey/form_of.h \
	src/survey/title.c src/survey/title.h \
	src/survey/notes_log.c src/survey/notes_log.h \
	src/survey/text_fields.c src/survey/text_fields.h \
	src/survey/tags.c src/survey/tags.h
src_survey_libimas_survey_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)

check_PROGRAMS += tests/unit/test_survey
TESTS += tests/unit/test_survey
tests_unit_test_survey_SOURCES = tests/unit/test_survey.c
tests_unit_test_survey_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
tests_unit_test_survey_LDADD = src/survey/libimas_survey.a src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS)
