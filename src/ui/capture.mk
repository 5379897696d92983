# Focus-group capture and notes search (SPEC 5.4, 5.6): the logic without
# curses (capture, writer thread, search) and its screens.
CAPTURE_LOGIC = \
	src/ui/capture.c src/ui/capture.h src/ui/capture_notes.c \
	src/ui/capture_writer.c src/ui/capture_writer.h \
	src/ui/search.c src/ui/search.h
src_ui_libimas_ui_a_SOURCES += $(CAPTURE_LOGIC) \
	src/ui/screens/capture.c src/ui/screens/capture.h src/ui/screens/capture_int.h \
	src/ui/screens/capture_keys.c src/ui/screens/capture_draw.c \
	src/ui/screens/search.c src/ui/screens/search.h

check_PROGRAMS += tests/unit/test_ui_capture
TESTS += tests/unit/test_ui_capture
tests_unit_test_ui_capture_SOURCES = tests/unit/test_ui_capture.c $(CAPTURE_LOGIC)
tests_unit_test_ui_capture_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) $(SQLITE_CFLAGS) \
	-pthread
tests_unit_test_ui_capture_LDADD = src/survey/libimas_survey.a src/form/libimas_form.a src/store/libimas_store.a \
	src/core/libimas_core.a $(XML_LIBS) $(SQLITE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ui_capture_LDFLAGS = $(AM_LDFLAGS) -pthread

# make bench: per-note commit time with 10,000 notes already in the file.
noinst_PROGRAMS += bench/capture-latency
BENCHES += bench/capture-latency
bench_capture_latency_SOURCES = bench/capture-latency.c src/ui/capture_writer.c
bench_capture_latency_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) -pthread
bench_capture_latency_LDADD = src/store/libimas_store.a src/core/libimas_core.a $(SQLITE_LIBS)
bench_capture_latency_LDFLAGS = $(AM_LDFLAGS) -pthread
