noinst_LIBRARIES += src/merge/libimas_merge.a
src_merge_libimas_merge_a_SOURCES = \
	src/merge/merge.c src/merge/merge.h \
	src/merge/input.c src/merge/input.h \
	src/merge/merge_sql.c src/merge/merge_sql.h \
	src/merge/merge_attach.c src/merge/merge_attach.h \
	src/merge/merge_int.h src/merge/merge_build.c src/merge/merge_check.c \
	src/merge/merge_conn.c src/merge/merge_qc.c \
	src/merge/merge_prescan.c
src_merge_libimas_merge_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) -pthread

check_PROGRAMS += tests/unit/test_merge
TESTS += tests/unit/test_merge
tests_unit_test_merge_SOURCES = tests/unit/test_merge.c tests/unit/as_owner.h \
	tests/unit/old_schema.h tests/unit/search_check.h
tests_unit_test_merge_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_merge_LDADD = src/merge/libimas_merge.a \
	src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_merge_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_merge_history
TESTS += tests/unit/test_merge_history
tests_unit_test_merge_history_SOURCES = tests/unit/test_merge_history.c \
	tests/unit/laptop_fixture.h
tests_unit_test_merge_history_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_merge_history_LDADD = src/merge/libimas_merge.a \
	src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_merge_history_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_merge_attach
TESTS += tests/unit/test_merge_attach
tests_unit_test_merge_attach_SOURCES = tests/unit/test_merge_attach.c tests/unit/attach_fixture.h
tests_unit_test_merge_attach_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_merge_attach_LDADD = src/merge/libimas_merge.a \
	src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_merge_attach_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_merge_prescan
TESTS += tests/unit/test_merge_prescan
tests_unit_test_merge_prescan_SOURCES = tests/unit/test_merge_prescan.c \
	tests/unit/laptop_fixture.h
tests_unit_test_merge_prescan_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_merge_prescan_LDADD = src/merge/libimas_merge.a \
	src/store/libimas_store.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_merge_prescan_LDFLAGS = $(AM_LDFLAGS) -pthread
