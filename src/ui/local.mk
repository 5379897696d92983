noinst_LIBRARIES += src/ui/libimas_ui.a
src_ui_libimas_ui_a_SOURCES = \
	src/ui/curses.h \
	src/ui/ui.c src/ui/ui.h \
	src/ui/home.c src/ui/home.h
src_ui_libimas_ui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(SQLITE_CFLAGS) $(XML_CFLAGS)
