# End-to-end tests: the real binary in tmux (tests/e2e/lib.sh).
E2E_TESTS = tests/e2e/home.sh tests/e2e/cli.sh tests/e2e/merge.sh tests/e2e/conflicts.sh \
	tests/e2e/question.sh tests/e2e/grid.sh tests/e2e/export.sh tests/e2e/report-html.sh \
	tests/e2e/crash.sh tests/e2e/diskfull.sh tests/e2e/i18n.sh
if HAVE_TMUX
TESTS += $(E2E_TESTS)
endif
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/data

# Translations: every po/LL.po compiles and is at least 95% translated
# against the strings the sources hold now.
TESTS += tests/po-check.sh
EXTRA_DIST += tests/po-check.sh
