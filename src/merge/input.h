/* input.h: look at a merge input before SQLite does, and take a private
 * copy of it to read.
 *
 * An input is hostile until checked: it is looked at with plain system
 * calls only (never opened in a way that blocks: a FIFO or a device is
 * refused from its stat), and SQLite only ever sees a copy in a private
 * directory. Reading a WAL database needs a -shm file beside it; on the
 * copy SQLite makes it there, so nothing is ever created beside the input
 * (which may also sit in a read-only directory), and the input's -wal is
 * copied with it so its latest writes are merged too. */
#ifndef IMAS_MERGE_INPUT_H
#define IMAS_MERGE_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/error.h"

struct input {
    char *dir;  /* the private directory, NULL when none */
    char *copy; /* dir/input.sqlite */
    int64_t size;
    /* The SHA-256 of the copy (the input's bytes): see input_hash. */
    bool hash_tried, hashed;
    char sha256[65];
};

/* Check the file at path and copy it (with its -wal) into a fresh private
 * directory under $TMPDIR (or /tmp). Refused, with *reason set to one
 * line without the path: missing or unreadable, not a regular file, the
 * file `target` (same device and inode; NULL when there is no target yet),
 * not an SQLite database, not an imas-survey file, another schema
 * version, a hot rollback journal beside it, a size that does not match
 * its header, or a file that changes while it is copied. deadline_ms
 * (CLOCK_MONOTONIC, 0 for none) bounds the copy. */
bool input_open(struct input *in, const char *path, const struct stat *target,
                int64_t deadline_ms, char **reason);

/* Work out the SHA-256 of the input now, once: the merge asks its
 * checking thread to, in its time to spare (merge_source.hash). One
 * thread at a time: input_sha256 is asked for only once that thread has
 * ended. */
void input_hash(struct input *in);

/* The SHA-256 of the input (lower-case hex), worked out now when it is
 * not yet; NULL when the copy could not be read. */
const char *input_sha256(struct input *in);

/* Remove the private copy and free what in holds. Harmless twice. */
void input_close(struct input *in);

/* Copy the database at path with its -wal to dest (and dest-wal), for a
 * private copy of the target (a dry run). */
bool input_copy_db(const char *path, const char *dest, int64_t deadline_ms,
                   struct error *err);

/* A fresh private directory under $TMPDIR (or /tmp), or NULL with err. */
char *input_private_dir(struct error *err);

/* Remove the private directories that merges killed before they could
 * clean up left under $TMPDIR (made by this user, by a process that is
 * gone). Called at the start of every merge. */
void input_sweep_stale(void);

/* Whether the process pid that made the file or directory st describes
 * is gone: no process has that pid, or the one that has it started after
 * st was last changed (the pid was used again). */
bool input_owner_gone(long pid, const struct stat *st);

/* Remove a private directory made by input_private_dir and the SQLite
 * files in it. */
void input_remove_dir(const char *dir);

/* CLOCK_MONOTONIC in ms, for deadlines. */
int64_t input_now_ms(void);

#endif
