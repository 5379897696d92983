/* bench/files.h: removing a survey file the benchmarks made. */
#ifndef IMAS_BENCH_FILES_H
#define IMAS_BENCH_FILES_H

#include <stdlib.h>
#include <unistd.h>

#include "core/xalloc.h"

/* Remove the SQLite file at path and its -wal and -shm companions. */
static inline void bench_remove_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        char *p = xasprintf("%s%s", path, sfx[i]);
        unlink(p);
        free(p);
    }
}

#endif
