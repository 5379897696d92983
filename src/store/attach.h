/* attach.h: the files attached to <upload> questions.
 *
 * A file's bytes are stored once in the attachments table, keyed by their
 * SHA-256 in lower-case hex; attaching the same content twice (to two
 * questions, two records, or on two laptops merged later) stores it once.
 * The answer names the attachment ("HEX NAME", core/media.h) and is set
 * like any answer; an attachment is never deleted, so every version of an
 * answer in its history still names its file. */
#ifndef IMAS_STORE_ATTACH_H
#define IMAS_STORE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/media.h"
#include "store/store.h"

/* Store size bytes of data (at most MEDIA_MAX_BYTES) unless an attachment
 * with the same hash is there; its hash into hex. Its own transaction, or
 * part of the batch around it (store_batch_begin), so attaching a file
 * and setting the answer that names it can be one change. */
bool store_attach_put(struct store *s, const void *data, size_t size,
                      char hex[MEDIA_HASH_HEX + 1], struct error *err);

/* What is stored under hex: *found, its size and its first bytes (at
 * most MEDIA_HEAD_BYTES into head, *nhead of them), read without loading
 * the whole file. */
bool store_attach_info(struct store *s, const char *hex, bool *found, int64_t *size,
                       unsigned char head[MEDIA_HEAD_BYTES], size_t *nhead,
                       struct error *err);

/* The whole content under hex (fresh, *data; NULL and *found false when
 * missing). */
bool store_attach_read(struct store *s, const char *hex, bool *found, void **data,
                       size_t *size, struct error *err);

/* Every attachment checked: cb(ctx, hex, problem) for each whose bytes
 * do not hash to its key, whose size column is wrong, or that is larger
 * than MEDIA_MAX_BYTES; *count the attachments, *bad the ones reported. */
bool store_attach_check(struct store *s, int64_t *count, int64_t *bad,
                        void (*cb)(void *ctx, const char *hex, const char *problem),
                        void *ctx, struct error *err);

#endif
