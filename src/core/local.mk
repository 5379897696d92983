noinst_LIBRARIES += src/core/libimas_core.a
src_core_libimas_core_a_SOURCES = \
	src/core/xalloc.c src/core/xalloc.h \
	src/core/error.c src/core/error.h \
	src/core/strbuf.c src/core/strbuf.h \
	src/core/utf8.c src/core/utf8.h \
	src/core/uuid.c src/core/uuid.h \
	src/core/clock.c src/core/clock.h \
	src/core/paths.c src/core/paths.h \
	src/core/device.c src/core/device.h \
	src/core/sha256.c src/core/sha256.h \
	src/core/i18n.c src/core/i18n.h \
	src/core/fold.c src/core/fold.h \
	src/core/media.c src/core/media.h

check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_core_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_fold
TESTS += tests/unit/test_fold
tests_unit_test_fold_SOURCES = tests/unit/test_fold.c
tests_unit_test_fold_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fold_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_media
TESTS += tests/unit/test_media
tests_unit_test_media_SOURCES = tests/unit/test_media.c
tests_unit_test_media_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_media_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)
