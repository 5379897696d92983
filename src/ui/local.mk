noinst_LIBRARIES += src/ui/libimas_ui.a
src_ui_libimas_ui_a_SOURCES = \
	src/ui/curses.h \
	src/ui/actions.c src/ui/actions.h \
	src/ui/ui.c src/ui/ui.h \
	src/ui/session.c src/ui/session.h src/ui/session_int.h \
	src/ui/session_edit.c src/ui/pages.c \
	src/ui/widgets/list.c src/ui/widgets/list.h \
	src/ui/widgets/textedit.c src/ui/widgets/textedit.h \
	src/ui/widgets/text_keys.c src/ui/widgets/text_keys.h \
	src/ui/widgets/matrix.c src/ui/widgets/matrix.h \
	src/ui/conflict_view.c src/ui/conflict_view.h \
	src/ui/widgets/choice.c src/ui/widgets/choice.h \
	src/ui/screens/home.c src/ui/screens/home.h src/ui/screens/home_int.h \
	src/ui/screens/home_keys.c \
	src/ui/screens/conflicts.c src/ui/screens/conflicts.h \
	src/ui/screens/question.c src/ui/screens/question.h src/ui/screens/question_int.h \
	src/ui/screens/question_keys.c src/ui/screens/question_draw.c src/ui/screens/grid.c
src_ui_libimas_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)

check_PROGRAMS += tests/unit/test_ui_list
TESTS += tests/unit/test_ui_list
tests_unit_test_ui_list_SOURCES = tests/unit/test_ui_list.c src/ui/widgets/list.c
tests_unit_test_ui_list_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_list_LDADD = $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_textedit
TESTS += tests/unit/test_ui_textedit
tests_unit_test_ui_textedit_SOURCES = tests/unit/test_ui_textedit.c src/ui/widgets/textedit.c
tests_unit_test_ui_textedit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_textedit_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_matrix
TESTS += tests/unit/test_ui_matrix
tests_unit_test_ui_matrix_SOURCES = tests/unit/test_ui_matrix.c src/ui/widgets/matrix.c
tests_unit_test_ui_matrix_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_matrix_LDADD = $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_conflicts
TESTS += tests/unit/test_ui_conflicts
tests_unit_test_ui_conflicts_SOURCES = tests/unit/test_ui_conflicts.c src/ui/conflict_view.c
tests_unit_test_ui_conflicts_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
tests_unit_test_ui_conflicts_LDADD = src/merge/libimas_merge.a src/survey/libimas_survey.a \
	src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(SQLITE_LIBS) $(XML_LIBS) $(CMOCKA_LIBS)
tests_unit_test_ui_conflicts_LDFLAGS = $(AM_LDFLAGS) -pthread
check_PROGRAMS += tests/unit/test_ui_session
TESTS += tests/unit/test_ui_session
tests_unit_test_ui_session_SOURCES = tests/unit/test_ui_session.c src/ui/session.c \
	src/ui/session_edit.c src/ui/pages.c
tests_unit_test_ui_session_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_ui_session_LDADD = src/survey/libimas_survey.a src/form/libimas_form.a src/store/libimas_store.a \
	src/core/libimas_core.a $(XML_LIBS) $(SQLITE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_choice
TESTS += tests/unit/test_ui_choice
tests_unit_test_ui_choice_SOURCES = tests/unit/test_ui_choice.c src/ui/widgets/choice.c
tests_unit_test_ui_choice_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_choice_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_text_keys
TESTS += tests/unit/test_ui_text_keys
tests_unit_test_ui_text_keys_SOURCES = tests/unit/test_ui_text_keys.c \
	src/ui/widgets/text_keys.c src/ui/widgets/textedit.c
tests_unit_test_ui_text_keys_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_ui_text_keys_LDADD = src/core/libimas_core.a $(CMOCKA_LIBS)
