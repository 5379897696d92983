/* store/lock.h: one program at a time writes a survey file.
 *
 * The terminal interface takes an exclusive flock() on the survey file
 * while it is open; a second one finds it taken and opens the file
 * read-only, saying which process holds it and since when (read from
 * /proc/locks and /proc/PID). flock() and SQLite's own fcntl() locks do
 * not meet on Linux, so --merge and --check from another shell still work
 * through SQLite's transactions. The descriptor stays open until the
 * store has closed its connections: closing any descriptor of the file
 * would drop SQLite's fcntl() locks of this process. */
#ifndef IMAS_STORE_LOCK_H
#define IMAS_STORE_LOCK_H

#include <stdbool.h>

/* Take the lock on path: true with *fd open (close with store_lock_release)
 * or -1 when the file could not be opened; false when another process
 * holds it, with *holder a sentence naming the file and that process (free
 * it). */
bool store_lock_take(const char *path, int *fd, char **holder);
void store_lock_release(int *fd);

#endif
