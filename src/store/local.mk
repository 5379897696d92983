noinst_LIBRARIES += src/store/libimas_store.a
src_store_libimas_store_a_SOURCES = \
	src/store/store.c src/store/store.h \
	src/store/probe.c src/store/probe.h \
	src/store/lock.c src/store/lock.h \
	src/store/db.c src/store/db.h \
	src/store/schema.c src/store/schema.h \
	src/store/schema_v2.c src/store/schema_v2.h \
	src/store/schema_v3.c src/store/schema_v3.h \
	src/store/schema_v4.c src/store/schema_v4.h \
	src/store/schema_v5.c src/store/schema_v5.h \
	src/store/schema_v6.c src/store/schema_v6.h \
	src/store/schema_v7.c src/store/schema_v7.h \
	src/store/schema_v8.c src/store/schema_v8.h \
	src/store/schema_v9.c src/store/schema_v9.h \
	src/store/attach.c src/store/attach.h \
	src/store/search_index.c src/store/search_index.h \
	src/store/history.c src/store/history.h \
	src/store/sql.h \
	src/store/records.c src/store/records.h \
	src/store/items.c src/store/items.h \
	src/store/answers.c src/store/answers.h \
	src/store/search.c \
	src/store/forms.c src/store/forms.h \
	src/store/audit.c src/store/audit.h \
	src/store/check.c src/store/check.h \
	src/store/conflicts.c src/store/conflicts.h \
	src/store/conflicts_resolve.c \
	src/store/meta.c src/store/meta.h \
	src/store/scan.c src/store/scan.h
src_store_libimas_store_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/as_owner.h \
	tests/unit/old_schema.h tests/unit/search_check.h
tests_unit_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_LDADD = src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_store_batch
TESTS += tests/unit/test_store_batch
tests_unit_test_store_batch_SOURCES = tests/unit/test_store_batch.c
tests_unit_test_store_batch_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_batch_LDADD = src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_store_search
TESTS += tests/unit/test_store_search
tests_unit_test_store_search_SOURCES = tests/unit/test_store_search.c \
	tests/unit/old_schema.h tests/unit/search_check.h
tests_unit_test_store_search_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) \
	$(XML_CFLAGS)
tests_unit_test_store_search_LDADD = src/merge/libimas_merge.a src/survey/libimas_survey.a \
	src/store/libimas_store.a src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) -lm
tests_unit_test_store_search_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_store_attach
TESTS += tests/unit/test_store_attach
tests_unit_test_store_attach_SOURCES = tests/unit/test_store_attach.c
tests_unit_test_store_attach_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_attach_LDADD = src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)
