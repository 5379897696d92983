noinst_PROGRAMS += bench/save-latency
BENCHES += bench/save-latency
bench_save_latency_SOURCES = bench/save-latency.c
bench_save_latency_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_save_latency_LDADD = src/store/libimas_store.a src/core/libimas_core.a $(SQLITE_LIBS)
EXTRA_DIST += bench/README.md
