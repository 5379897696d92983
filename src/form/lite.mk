src_form_libimas_form_a_SOURCES += src/form/lite.c src/form/lite_catalog.c src/form/lite.h
