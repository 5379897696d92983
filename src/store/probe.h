/* probe.h: look at a survey file before SQLite does.
 *
 * SQLite creates -wal and -shm files beside anything it opens, and a
 * pragma can write to a file that is not ours. So the file is checked with
 * plain system calls first (kind, permissions, the 100-byte header), and a
 * file we refuse is never touched. */
#ifndef IMAS_STORE_PROBE_H
#define IMAS_STORE_PROBE_H

#include <stdbool.h>

#include "core/error.h"

struct probe {
    bool is_new;        /* missing or empty, and STORE_CREATE was given */
    bool replace_empty; /* is_new, and an empty file sits at the path */
    int user_version;   /* from the header; a checkpoint may lag behind */
};

/* Check path for store_open with its flags (STORE_CREATE, STORE_READONLY).
 * Returns false with one message naming the file when it must be refused:
 * missing (without STORE_CREATE), not a regular file, not readable, not an
 * SQLite database, not an imas-survey file, or not writable (without
 * STORE_READONLY, unless its schema is newer than ours: it will be opened
 * read-only anyway). */
bool probe_file(const char *path, unsigned flags, struct probe *p,
                struct error *err);

/* True when the directory holding path lets us create files (-wal, -shm). */
bool probe_dir_writable(const char *path);

/* True when a non-empty "<path><suffix>" exists (a -wal or -journal). */
bool probe_sidecar(const char *path, const char *suffix);

#endif
