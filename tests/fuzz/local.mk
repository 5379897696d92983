# Fuzzing (issue 9): four entry points (tests/fuzz/fuzz_*.c, README.md).
# `make check` replays the kept crash inputs and seeds through them with
# the normal compiler; `make fuzz` builds libFuzzer targets with clang and
# runs each in turn.

check_PROGRAMS += tests/fuzz/replay
TESTS += tests/fuzz/replay
tests_fuzz_replay_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/fuzz_setup.c \
	tests/fuzz/fuzz_form.c tests/fuzz/fuzz_merge.c tests/fuzz/fuzz_utf8.c \
	tests/fuzz/fuzz_xpath.c
tests_fuzz_replay_CFLAGS = $(AM_CFLAGS) $(XML_CFLAGS) $(SQLITE_CFLAGS)
tests_fuzz_replay_LDADD = src/ui/libimas_ui.a src/merge/libimas_merge.a src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(XML_LIBS) $(SQLITE_LIBS)
tests_fuzz_replay_LDFLAGS = $(AM_LDFLAGS) -pthread
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/form.dict tests/fuzz/xpath.dict \
	tests/fuzz/run-fuzzers

# ---- make fuzz -----------------------------------------------------------
# Every source is compiled again by clang with libFuzzer's coverage
# instrumentation, ASan and UBSan (any UBSan report is a crash).
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_CPPFLAGS = $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(XML_CFLAGS) $(SQLITE_CFLAGS)
FUZZ_TARGETS = form xpath utf8 merge
# Seconds each fuzzer runs in `make fuzz` (one at a time, under nice).
FUZZ_SECONDS = 60
fuzz_core = $(src_core_libimas_core_a_SOURCES)
fuzz_form_src = tests/fuzz/fuzz_setup.c $(src_form_libimas_form_a_SOURCES) $(fuzz_core)
fuzz_merge_src = tests/fuzz/fuzz_setup.c $(src_merge_libimas_merge_a_SOURCES) \
	$(src_store_libimas_store_a_SOURCES) $(fuzz_core)
fuzz_utf8_src = tests/fuzz/fuzz_setup.c src/ui/widgets/textedit.c $(fuzz_core)
fuzz_need_clang = if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
	  echo "make fuzz needs clang with libFuzzer: apt-get install clang libclang-rt-dev" >&2; \
	  exit 1; fi
# The .c files of a list of sources, from the source tree.
fuzz_sources = srcs=; for f in $$list; do case $$f in *.c) srcs="$$srcs $(srcdir)/$$f";; esac; done

tests/fuzz/fuzz-form: tests/fuzz/fuzz_form.c tests/fuzz/fuzz.h $(fuzz_form_src) config.h
	@$(fuzz_need_clang); echo "  FUZZCC   $@"; \
	list='tests/fuzz/fuzz_form.c $(fuzz_form_src)'; $(fuzz_sources); \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_MAIN=fuzz_form -o $@ $$srcs \
	  $(XML_LIBS) -pthread
tests/fuzz/fuzz-xpath: tests/fuzz/fuzz_xpath.c tests/fuzz/fuzz.h $(fuzz_form_src) config.h
	@$(fuzz_need_clang); echo "  FUZZCC   $@"; \
	list='tests/fuzz/fuzz_xpath.c $(fuzz_form_src)'; $(fuzz_sources); \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_MAIN=fuzz_xpath -o $@ $$srcs \
	  $(XML_LIBS) -pthread
tests/fuzz/fuzz-utf8: tests/fuzz/fuzz_utf8.c tests/fuzz/fuzz.h $(fuzz_utf8_src) config.h
	@$(fuzz_need_clang); echo "  FUZZCC   $@"; \
	list='tests/fuzz/fuzz_utf8.c $(fuzz_utf8_src)'; $(fuzz_sources); \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_MAIN=fuzz_utf8 -o $@ $$srcs
tests/fuzz/fuzz-merge: tests/fuzz/fuzz_merge.c tests/fuzz/fuzz.h $(fuzz_merge_src) config.h
	@$(fuzz_need_clang); echo "  FUZZCC   $@"; \
	list='tests/fuzz/fuzz_merge.c $(fuzz_merge_src)'; $(fuzz_sources); \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_MAIN=fuzz_merge -o $@ $$srcs \
	  $(SQLITE_LIBS) -pthread

CLEANFILES += tests/fuzz/fuzz-form tests/fuzz/fuzz-xpath tests/fuzz/fuzz-utf8 \
	tests/fuzz/fuzz-merge

.PHONY: fuzz fuzz-build
fuzz-build:
	@$(fuzz_need_clang)
	@$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/fuzz-form tests/fuzz/fuzz-xpath \
	  tests/fuzz/fuzz-utf8 tests/fuzz/fuzz-merge bench/make-survey-file
fuzz: fuzz-build
	@srcdir='$(srcdir)' FUZZ_SECONDS='$(FUZZ_SECONDS)' \
	  $(SHELL) $(srcdir)/tests/fuzz/run-fuzzers $(FUZZ_TARGETS)
