# End-to-end tests: the real binary in tmux (tests/e2e/lib.sh).
E2E_TESTS = tests/e2e/home.sh tests/e2e/cli.sh tests/e2e/merge.sh tests/e2e/question.sh \
	tests/e2e/grid.sh
E2E_TESTS += tests/e2e/capture.sh
if HAVE_TMUX
TESTS += $(E2E_TESTS)
endif
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/data
