# End-to-end tests: the real binary in tmux (tests/e2e/lib.sh).
E2E_TESTS = tests/e2e/home.sh tests/e2e/cli.sh tests/e2e/merge.sh tests/e2e/conflicts.sh \
	tests/e2e/question.sh tests/e2e/grid.sh tests/e2e/grid-safety.sh tests/e2e/finalized.sh tests/e2e/draft.sh tests/e2e/export.sh tests/e2e/report-html.sh \
	tests/e2e/crash.sh tests/e2e/diskfull.sh tests/e2e/i18n.sh
E2E_TESTS += tests/e2e/counted.sh
E2E_TESTS += tests/e2e/capture.sh tests/e2e/hostile-text.sh tests/e2e/hostile-files.sh tests/e2e/readonly.sh \
	tests/e2e/merge-diskfull.sh tests/e2e/numeric-locale.sh tests/e2e/term-keys.sh \
	tests/e2e/pause.sh tests/e2e/home-filter.sh tests/e2e/home-merge.sh tests/e2e/capture-leave.sh \
	tests/e2e/odk-forms.sh tests/e2e/attach.sh tests/e2e/upload-keys.sh tests/e2e/consent-keys.sh \
	tests/e2e/keys.sh \
	tests/e2e/history.sh tests/e2e/home-record.sh tests/e2e/home-new.sh tests/e2e/home-search-left.sh tests/e2e/conflict-names.sh \
	tests/e2e/conflict-state.sh tests/e2e/upgrade.sh \
	tests/e2e/second.sh \
	tests/e2e/search.sh \
	tests/e2e/position.sh tests/e2e/record-merge.sh tests/e2e/roster-scroll.sh tests/e2e/grid-tall.sh tests/e2e/help.sh \
	tests/e2e/fit.sh tests/e2e/real-forms.sh tests/e2e/dates.sh tests/e2e/grid-headings.sh
if HAVE_TMUX
TESTS += $(E2E_TESTS)
endif

# Real public forms load with the question lists recorded for them.
TESTS += tests/forms-corpus.sh
EXTRA_DIST += tests/forms-corpus.sh tests/odk/reference.py

# ODK's own engine loads the shipped forms with our question lists (skipped
# where ./bootstrap could not install node and the npm packages).
TESTS += tests/odk/engine.sh
EXTRA_DIST += tests/odk/engine.sh tests/odk/engine-questions.mjs tests/odk/questions.awk \
	tests/odk/package.json tests/odk/engine-differences

# Translations: every po/LL.po compiles and is at least 95% translated
# against the strings the sources hold now.
TESTS += tests/po-check.sh
EXTRA_DIST += tests/po-check.sh
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/data tests/valgrind.supp

# make check-valgrind: every compiled test (unit tests and the fuzz replay;
# helper programs such as make-export-fixture are not tests)
# under valgrind; any error or definite/indirect leak fails. Not in a
# --enable-debug build (ASan and valgrind do not mix). The exit status
# decides: children a test forks and kills log into the same file.
VALGRIND = valgrind
VALGRIND_FLAGS = --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --track-origins=yes --quiet \
	--suppressions=$(abs_top_srcdir)/tests/valgrind.supp
.PHONY: check-valgrind
check-valgrind: $(check_PROGRAMS)
	@if ! command -v $(VALGRIND) >/dev/null 2>&1; then \
	  echo "make check-valgrind needs valgrind: apt-get install valgrind" >&2; exit 1; fi
	@case '$(CFLAGS)' in *sanitize*) \
	  echo "make check-valgrind: this build has sanitizers; configure without --enable-debug" >&2; \
	  exit 1;; esac
	@failed=0; for t in $(check_PROGRAMS); do \
	  case " $(TESTS) " in *" $$t "*) ;; *) continue ;; esac; \
	  log=$$t.valgrind.log; \
	  if env LC_ALL=C.UTF-8 top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	      $(VALGRIND) $(VALGRIND_FLAGS) --log-file=$$log.vg ./$$t >$$log 2>&1; then \
	    echo "PASS: $$t"; \
	  else \
	    echo "FAIL: $$t (see $$log and $$log.vg)"; cat $$log.vg; failed=$$((failed + 1)); \
	  fi; \
	done; \
	echo "check-valgrind: $$failed failed"; test $$failed -eq 0
CLEANFILES += tests/unit/*.valgrind.log tests/unit/*.valgrind.log.vg \
	tests/fuzz/*.valgrind.log tests/fuzz/*.valgrind.log.vg
