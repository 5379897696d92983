/* store.h: the survey file (one SQLite database per laptop, SPEC 4).
 *
 * Every write is one transaction, durable when the function returns (WAL,
 * synchronous=FULL). Functions return false and fill err with a message
 * naming the file when something is refused or fails; they never print.
 * A store is used from one thread at a time. */
#ifndef IMAS_STORE_STORE_H
#define IMAS_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

struct store;

#define STORE_CREATE 1u   /* create the file (mode 0600) when it is missing */
#define STORE_READONLY 2u /* never write to the file (for --check) */
/* the terminal interface: hold the file while open; when another program
 * holds it, open it read-only saying which (store/lock.h) */
#define STORE_EXCLUSIVE 4u
/* open a file whose schema objects are not exactly ours (an extra trigger,
 * view or table): --check, which reports them; refused otherwise */
#define STORE_ANY_OBJECTS 8u

/* Open the survey file at path. With STORE_CREATE a missing or empty file
 * becomes a new one (the parent directory must exist); it is built beside
 * the path and moved into place when complete, so it is never seen half
 * made. A file that is missing (without STORE_CREATE), not a regular file,
 * not readable, not an SQLite database, not an imas-survey file (its
 * tables, indexes, triggers and views not exactly those of its schema
 * version, without STORE_ANY_OBJECTS), or not writable (without
 * STORE_READONLY) is refused, and left exactly as it was:
 * SQLite never opens it. A file from a newer version of the program opens
 * read-only (see store_readonly_reason); an older one is upgraded after a
 * backup copy. Returns NULL with err set on refusal. */
struct store *store_open(const char *path, unsigned flags, struct error *err);

/* What store_open calls just before it upgrades a file (path) from schema
 * version from to to, which takes a while for a large one; NULL (the
 * default): nothing. For the program's one line on standard error. */
typedef void store_upgrade_notice_fn(const char *path, int from, int to);
void store_set_upgrade_notice(store_upgrade_notice_fn *fn);

/* A second connection to the file s has open, for another thread of this
 * process (the capture screen's note writer): same author, durable and
 * hardened like s. It does not probe the file again: opening and closing
 * the file outside SQLite would drop the locks this process holds on it
 * (POSIX fcntl locks belong to the process), and another program could
 * then think it was alone and remove the write-ahead log. NULL with err
 * when s is read-only or the connection fails. */
struct store *store_open_peer(const struct store *s, struct error *err);

/* Close the file (finishing the write-ahead log) and free *s; sets *s to
 * NULL. Harmless on NULL. */
void store_close(struct store **s);

/* Copy the write-ahead log into the file now, without waiting for other
 * readers (a passive checkpoint), so the next saves do not pay for it.
 * For the UI to call when the user is idle; never needed for safety. */
bool store_checkpoint(struct store *s, struct error *err);
/* Commits on s no longer checkpoint by themselves (SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold, a few ms
 * late); the owner calls store_checkpoint when store_checkpoint_due says
 * the log has grown, between its writes. For the capture writer thread. */
void store_defer_checkpoints(struct store *s);
bool store_checkpoint_due(const struct store *s);

/* Group several changes into one transaction: every store_* write made
 * between store_batch_begin and store_batch_end is on disk together, or
 * none is (a note is its repeat item and all its answers). Each write
 * still checks what it would check alone; when one fails, store_batch_end
 * rolls the whole batch back. Batches do not nest. */
bool store_batch_begin(struct store *s, struct error *err);
/* Commit when ok and no write in the batch failed, else roll back.
 * True when the batch is on disk. */
bool store_batch_end(struct store *s, bool ok, struct error *err);

/* True when writes are refused: STORE_READONLY, or a newer schema. */
bool store_readonly(const struct store *s);

/* Why the store is read-only, as a sentence for the user ("FILE was
 * written by a newer version of imas-survey (schema N); opened
 * read-only"), or NULL when it is writable. */
const char *store_readonly_reason(const struct store *s);

/* The path the store was opened with. */
const char *store_path(const struct store *s);

/* Whether another connection (another program's merge, say) committed to
 * the file since the last call with this *seen (SQLite's PRAGMA
 * data_version); *seen becomes the current version. Start *seen at 0: the
 * first call says true. False too when the version cannot be read. */
bool store_changed_since(struct store *s, int64_t *seen);

/* The file's identity (meta db_uuid), and the id and name of this laptop
 * that its rows are written under (core/device.h: kept in the user's XDG
 * state, never in the file, so a copied file writes the new laptop's id
 * from its first change, and that change also notes the laptop's name
 * in the file's devices table). */
const char *store_db_uuid(const struct store *s);
const char *store_device_id(const struct store *s);
const char *store_device_name(const struct store *s);

/* The file's user_version (SCHEMA_VERSION after a successful open of a
 * writable file; higher for a newer file opened read-only). */
int store_schema_version(const struct store *s);

/* The author written on every row from now on. NULL or "" restores the
 * default: $IMAS_SURVEY_AUTHOR, else the login name, else "unknown".
 * Invalid UTF-8 is replaced, never stored. */
void store_set_author(struct store *s, const char *author);
const char *store_author(const struct store *s);

#endif
