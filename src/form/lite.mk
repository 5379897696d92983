src_form_libimas_form_a_SOURCES += src/form/lite.c src/form/lite_catalog.c src/form/lite.h

check_PROGRAMS += tests/unit/test_form_lite
TESTS += tests/unit/test_form_lite
tests_unit_test_form_lite_SOURCES = tests/unit/test_form_lite.c
tests_unit_test_form_lite_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_lite_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)
