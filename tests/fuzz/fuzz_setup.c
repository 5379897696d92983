/* fuzz_setup.c: what every fuzz target needs once per process. */
#include "config.h"

#include "fuzz.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>

void fuzz_setup(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    setlocale(LC_ALL, "C.UTF-8");
    /* Preloads and today() read the clock: pin it so a crash replays. */
    setenv("IMAS_SURVEY_NOW_MS", "1700000000000", 1);
}

#ifdef FUZZ_MAIN
/* The libFuzzer entry point of a `make fuzz` build (-DFUZZ_MAIN=fuzz_X). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup();
    return FUZZ_MAIN(data, size);
}
#endif
