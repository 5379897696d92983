/* fuzz.h: the fuzz entry points (tests/fuzz/README.md).
 *
 * Each fuzz_<target>.c defines fuzz_<target>(data, size), which must
 * never crash, leak, hang or break the invariant it checks, whatever the
 * bytes. Built with -DFUZZ_MAIN=fuzz_<target> (fuzz_setup.c) it is a libFuzzer target
 * (`make fuzz`, clang); the replay driver (replay.c, built by the normal
 * compiler) runs all four over the seed corpora and every crash input kept
 * in tests/data/fuzz/regressions/ in each `make check`. */
#ifndef IMAS_TESTS_FUZZ_H
#define IMAS_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int fuzz_form(const uint8_t *data, size_t size);
int fuzz_merge(const uint8_t *data, size_t size);
int fuzz_utf8(const uint8_t *data, size_t size);
int fuzz_xpath(const uint8_t *data, size_t size);

/* Once per process: a UTF-8 locale for wcwidth, a pinned clock. */
void fuzz_setup(void);

/* An invariant the code under test promises: abort (a crash the fuzzer
 * keeps) when it does not hold. */
#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)


#endif
