/* fold.h: text folded the way people type it on any keyboard, for search.
 *
 * Lower case, Latin accents removed, and the Latin letters that carry a
 * stroke or are ligatures (which Unicode does not decompose, so SQLite's
 * remove_diacritics keeps them) written as the letters people type for
 * them: ł→l, ø→o, đ→d, ħ→h, ß→ss, æ→ae, œ→oe, þ→th, ı→i and their
 * capitals. So `zlob` and `żłobek`, `wspolprac` and `Współpraca` fold to
 * the same letters. The search index holds folded text and the query is
 * folded before it is matched. */
#ifndef IMAS_CORE_FOLD_H
#define IMAS_CORE_FOLD_H

#include <stdint.h>

/* The folded form of the UTF-8 text s as a fresh UTF-8 string (NULL gives
 * NULL). Combining marks (U+0300..U+036F) are dropped, Greek and Cyrillic
 * capitals lowered; other characters are kept; an invalid byte becomes
 * U+FFFD. */
char *fold_text(const char *s);

/* The folding of one code point: its replacement (ASCII, 1..2 letters)
 * or NULL when the code point folds to itself or another code point,
 * which is then in *cp. */
const char *fold_cp(uint32_t *cp);

#endif
