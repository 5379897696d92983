/* fold_index.h: the search index holds folded text (core/fold.h). A file
 * whose index was written before folding (schema 2 files of earlier
 * builds, upgraded version 1 files) is re-indexed once, in one
 * transaction, when it is first opened for writing; the meta key
 * `search_fold` says it was done. Store-internal. */
#ifndef IMAS_STORE_FOLD_INDEX_H
#define IMAS_STORE_FOLD_INDEX_H

#include <stdbool.h>

#include "core/error.h"
#include "store/db.h"

/* Re-index a writable store whose index is not folded yet; nothing for
 * a read-only one or one already folded. */
bool fold_index_ensure(struct store *s, struct error *err);

#endif
