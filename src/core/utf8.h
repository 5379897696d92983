/* utf8.h: UTF-8 decoding, validation and display width.
 *
 * Widths come from wcwidth(), so the process must run under a UTF-8
 * LC_CTYPE (main.c and the tests set one). Layout code measures text with
 * these functions, never with strlen(). */
#ifndef IMAS_CORE_UTF8_H
#define IMAS_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (at most n bytes). Returns its byte length
 * (1..4) and stores it in *cp, or 0 for an invalid or truncated sequence
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the length, 0 if invalid. */
size_t utf8_encode(uint32_t cp, char out[4]);
bool utf8_valid(const char *s, size_t n);
/* Display columns of one code point: 0 (combining), 1 or 2; control
 * characters count as -1. */
int utf8_cp_width(uint32_t cp);
/* Display columns of a valid UTF-8 string; control characters and invalid
 * bytes count one column each (they are shown as a replacement). */
size_t utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in `cols` columns,
 * never splitting a character or separating it from its combining marks. */
size_t utf8_prefix_for_width(const char *s, size_t cols);
/* Byte offset of the start of the character before offset `at`. */
size_t utf8_prev(const char *s, size_t at);
/* Byte offset just after the character at `at` (and its combining marks
 * when `cluster` is true). */
size_t utf8_next(const char *s, size_t len, size_t at, bool cluster);
/* A copy safe to show on a terminal: invalid bytes become U+FFFD, control
 * characters (C0, DEL, C1, including ESC) and the bidi embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD too
 * (and count as control characters for the widths above), except that
 * '\n' and '\t' are kept when keep_newlines is true. */
char *utf8_sanitize(const char *s, bool keep_newlines);

#endif
