# The terminal: the only layer that includes curses (through ui/curses.h).
# Each screen is its ops table, its keys (through the action table) and its
# drawing over one model of src/app.
noinst_LIBRARIES += src/ui/libimas_ui.a
src_ui_libimas_ui_a_SOURCES = \
	src/ui/curses.h \
	src/ui/actions.c src/ui/actions.h \
	src/ui/ui.c src/ui/ui.h \
	src/ui/widgets/list.c src/ui/widgets/list.h \
	src/ui/widgets/textedit.c src/ui/widgets/textedit.h \
	src/ui/widgets/text_keys.c src/ui/widgets/text_keys.h \
	src/ui/widgets/matrix.c src/ui/widgets/matrix.h \
	src/ui/widgets/choice.c src/ui/widgets/choice.h \
	src/ui/widgets/wrap.c src/ui/widgets/wrap.h \
	src/ui/widgets/fit.c src/ui/widgets/fit.h \
	src/ui/widgets/yesno.c src/ui/widgets/yesno.h \
	src/ui/screens/home.c src/ui/screens/home.h src/ui/screens/home_int.h \
	src/ui/screens/home_keys.c \
	src/ui/screens/conflicts.c src/ui/screens/conflicts.h \
	src/ui/screens/question.c src/ui/screens/question.h src/ui/screens/question_int.h \
	src/ui/screens/question_keys.c src/ui/screens/question_draw.c src/ui/screens/question_grid.c \
	src/ui/screens/question_upload.c \
	src/ui/screens/question_refresh.c \
	src/ui/screens/capture.c src/ui/screens/capture.h src/ui/screens/capture_int.h \
	src/ui/screens/capture_keys.c src/ui/screens/capture_draw.c \
	src/ui/screens/search.c src/ui/screens/search.h
src_ui_libimas_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)

# The widgets' state (pure functions, no drawing) from the library.
UI_TEST_LIBS = src/ui/libimas_ui.a src/core/libimas_core.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_ui_list
TESTS += tests/unit/test_ui_list
tests_unit_test_ui_list_SOURCES = tests/unit/test_ui_list.c
tests_unit_test_ui_list_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_ui_list_LDADD = $(UI_TEST_LIBS)

check_PROGRAMS += tests/unit/test_ui_textedit
TESTS += tests/unit/test_ui_textedit
tests_unit_test_ui_textedit_SOURCES = tests/unit/test_ui_textedit.c
tests_unit_test_ui_textedit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_textedit_LDADD = $(UI_TEST_LIBS)

check_PROGRAMS += tests/unit/test_ui_matrix
TESTS += tests/unit/test_ui_matrix
tests_unit_test_ui_matrix_SOURCES = tests/unit/test_ui_matrix.c
tests_unit_test_ui_matrix_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_matrix_LDADD = $(UI_TEST_LIBS)

check_PROGRAMS += tests/unit/test_ui_choice
TESTS += tests/unit/test_ui_choice
tests_unit_test_ui_choice_SOURCES = tests/unit/test_ui_choice.c
tests_unit_test_ui_choice_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_choice_LDADD = $(UI_TEST_LIBS)

check_PROGRAMS += tests/unit/test_ui_text_keys
TESTS += tests/unit/test_ui_text_keys
tests_unit_test_ui_text_keys_SOURCES = tests/unit/test_ui_text_keys.c
tests_unit_test_ui_text_keys_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_ui_text_keys_LDADD = $(UI_TEST_LIBS)

# The action table and every screen's lists of actions (the screens'
# ops tables, so the whole program below main).
check_PROGRAMS += tests/unit/test_ui_actions
TESTS += tests/unit/test_ui_actions
tests_unit_test_ui_actions_SOURCES = tests/unit/test_ui_actions.c
tests_unit_test_ui_actions_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_ui_actions_LDADD = src/ui/libimas_ui.a src/app/libimas_app.a \
	src/survey/libimas_survey.a src/store/libimas_store.a src/form/libimas_form.a \
	src/core/libimas_core.a $(NCURSES_LIBS) $(SQLITE_LIBS) $(XML_LIBS) $(LIBINTL) \
	$(CMOCKA_LIBS) -lm
tests_unit_test_ui_actions_LDFLAGS = $(AM_LDFLAGS) -pthread

check_PROGRAMS += tests/unit/test_ui_fit
TESTS += tests/unit/test_ui_fit
tests_unit_test_ui_fit_SOURCES = tests/unit/test_ui_fit.c
tests_unit_test_ui_fit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_fit_LDADD = $(UI_TEST_LIBS)
