noinst_LIBRARIES += src/form/libimas_form.a
src_form_libimas_form_a_SOURCES = \
	src/form/form.c src/form/form.h \
	src/form/load.c src/form/load.h \
	src/form/xpath.c src/form/xpath.h \
	src/form/itext.c src/form/itext.h \
	src/form/catalog.c src/form/catalog.h \
	src/form/tree.c src/form/tree.h
src_form_libimas_form_a_CFLAGS = $(AM_CFLAGS) $(XML_CFLAGS)

check_PROGRAMS += tests/unit/test_form
TESTS += tests/unit/test_form
tests_unit_test_form_SOURCES = tests/unit/test_form.c
tests_unit_test_form_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)
