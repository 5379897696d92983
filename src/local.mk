bin_PROGRAMS += src/imas-survey
src_imas_survey_SOURCES = src/main.c src/cli.c src/cli.h \
	src/cmd_merge.c src/cmd_merge.h
src_imas_survey_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
src_imas_survey_LDFLAGS = $(AM_LDFLAGS) -pthread
src_imas_survey_LDADD = src/ui/libimas_ui.a src/app/libimas_app.a src/export/libimas_export.a \
	src/merge/libimas_merge.a src/survey/libimas_survey.a src/store/libimas_store.a \
	src/form/libimas_form.a src/core/libimas_core.a \
	$(NCURSES_LIBS) $(SQLITE_LIBS) $(XML_LIBS) $(LIBINTL) -lm
