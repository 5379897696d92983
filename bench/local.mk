noinst_PROGRAMS += bench/save-latency
BENCHES += bench/save-latency
bench_save_latency_SOURCES = bench/save-latency.c
bench_save_latency_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_save_latency_LDADD = src/store/libimas_store.a src/core/libimas_core.a $(SQLITE_LIBS)
EXTRA_DIST += bench/README.md bench/figures.h bench/figures.sh bench/stats.h bench/files.h
CLEANFILES += bench/figures.tsv

# Merge (SPEC 6, 10): survey files to merge, and the merge benchmark.
noinst_PROGRAMS += bench/make-survey-file
bench_make_survey_file_SOURCES = bench/make-survey-file.c
bench_make_survey_file_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_make_survey_file_LDADD = src/store/libimas_store.a src/core/libimas_core.a $(SQLITE_LIBS)

noinst_PROGRAMS += bench/merge-bench
BENCHES += bench/merge-bench
bench_merge_bench_SOURCES = bench/merge-bench.c
bench_merge_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_merge_bench_LDADD = src/merge/libimas_merge.a src/store/libimas_store.a \
	src/core/libimas_core.a $(SQLITE_LIBS)
bench_merge_bench_LDFLAGS = $(AM_LDFLAGS) -pthread
EXTRA_bench_merge_bench_DEPENDENCIES = bench/make-survey-file

# kill -9 at random moments (SPEC 10): make crash-test, also run by make bench.
CRASH_TESTS += bench/crash-merge.sh bench/crash-typing.sh
EXTRA_DIST += $(CRASH_TESTS)
# Export (SPEC 7, 10): a 1M-answer file to CSV against sqlite3 -csv.
noinst_PROGRAMS += bench/export-bench
BENCHES += bench/export-bench
bench_export_bench_SOURCES = bench/export-bench.c
bench_export_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_export_bench_LDADD = src/export/libimas_export.a src/survey/libimas_survey.a \
	src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a $(SQLITE_LIBS) $(XML_LIBS) -lm
EXTRA_bench_export_bench_DEPENDENCIES = bench/make-survey-file

# The terminal UI (SPEC 10): start to first screen and memory with 1M
# answers, keystroke to screen on 200x60.
noinst_PROGRAMS += bench/ui-bench
BENCHES += bench/ui-bench
bench_ui_bench_SOURCES = bench/ui-bench.c
bench_ui_bench_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
bench_ui_bench_LDADD = src/ui/libimas_ui.a src/app/libimas_app.a src/survey/libimas_survey.a src/form/libimas_form.a src/store/libimas_store.a \
	src/core/libimas_core.a $(NCURSES_LIBS) $(XML_LIBS) $(SQLITE_LIBS)
bench_ui_bench_LDFLAGS = $(AM_LDFLAGS) -pthread
EXTRA_bench_ui_bench_DEPENDENCIES = bench/make-survey-file

# Search (issue 19): one keystroke on the search screen with 100,000 notes.
noinst_PROGRAMS += bench/search-latency
BENCHES += bench/search-latency
bench_search_latency_SOURCES = bench/search-latency.c
bench_search_latency_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
bench_search_latency_LDADD = src/app/libimas_app.a src/survey/libimas_survey.a \
	src/store/libimas_store.a src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS)
bench_search_latency_LDFLAGS = $(AM_LDFLAGS) -pthread

# A question page of a form with 998 questions in one group: the progress
# count and keystroke to screen on 200x60.
noinst_PROGRAMS += bench/page-bench
BENCHES += bench/page-bench
bench_page_bench_SOURCES = bench/page-bench.c
bench_page_bench_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
bench_page_bench_LDADD = src/ui/libimas_ui.a src/app/libimas_app.a src/survey/libimas_survey.a \
	src/form/libimas_form.a src/store/libimas_store.a src/core/libimas_core.a \
	$(NCURSES_LIBS) $(XML_LIBS) $(SQLITE_LIBS)
bench_page_bench_LDFLAGS = $(AM_LDFLAGS) -pthread
EXTRA_bench_page_bench_DEPENDENCIES = bench/make-survey-file
