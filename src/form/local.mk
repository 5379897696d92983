noinst_LIBRARIES += src/form/libimas_form.a
src_form_libimas_form_a_SOURCES = \
	src/form/form.c src/form/form.h \
	src/form/model.c src/form/model.h \
	src/form/load.c src/form/load.h \
	src/form/bind.c src/form/bind.h \
	src/form/body.c src/form/body.h \
	src/form/fields.c src/form/fields.h \
	src/form/itext.c src/form/itext.h \
	src/form/xpath.c src/form/xpath.h \
	src/form/funcs.c src/form/funcs.h \
	src/form/dates.c src/form/dates.h \
	src/form/instance.c src/form/instance.h \
	src/form/record.c src/form/record.h \
	src/form/validate.c \
	src/form/catalog.c src/form/catalog.h \
	src/form/tree.c src/form/tree.h \
	src/form/markup.c src/form/markup.h
src_form_libimas_form_a_CFLAGS = $(AM_CFLAGS) $(XML_CFLAGS)

check_PROGRAMS += tests/unit/test_form
TESTS += tests/unit/test_form
tests_unit_test_form_SOURCES = tests/unit/test_form.c
tests_unit_test_form_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_form_catalog
TESTS += tests/unit/test_form_catalog
tests_unit_test_form_catalog_SOURCES = tests/unit/test_form_catalog.c
tests_unit_test_form_catalog_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_catalog_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_form_i18n
TESTS += tests/unit/test_form_i18n
tests_unit_test_form_i18n_SOURCES = tests/unit/test_form_i18n.c
tests_unit_test_form_i18n_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_i18n_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS) $(LIBINTL)
check_PROGRAMS += tests/unit/test_form_dates
TESTS += tests/unit/test_form_dates
tests_unit_test_form_dates_SOURCES = tests/unit/test_form_dates.c
tests_unit_test_form_dates_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_dates_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_form_hostile
TESTS += tests/unit/test_form_hostile
tests_unit_test_form_hostile_SOURCES = tests/unit/test_form_hostile.c
tests_unit_test_form_hostile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_hostile_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_form_odk
TESTS += tests/unit/test_form_odk
tests_unit_test_form_odk_SOURCES = tests/unit/test_form_odk.c
tests_unit_test_form_odk_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS)
tests_unit_test_form_odk_LDADD = src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(CMOCKA_LIBS)
