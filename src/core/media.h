/* media.h: file attachments (an <upload> question's answer), without I/O:
 * what a file's first bytes and its name say it is, whether that fits the
 * question's mediatype, how the answer names the stored file, and a name
 * that is safe to write to disk.
 *
 * An attachment's content is stored once in the survey file, keyed by its
 * SHA-256 (store/attach.h); the answer's value is "HEX NAME": the 64
 * lower-case hex digits of that key, one space, and the file's original
 * name (its last path component, as valid UTF-8). */
#ifndef IMAS_CORE_MEDIA_H
#define IMAS_CORE_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

/* The largest file that can be attached, in bytes (25 MiB). */
#define MEDIA_MAX_BYTES (25 * 1024 * 1024)
/* How many leading bytes media_type looks at. */
#define MEDIA_HEAD_BYTES 64
/* The length of a hash in hex. */
#define MEDIA_HASH_HEX 64

/* The MIME type of a file whose first bytes are head[0..n) and whose name
 * is name (may be NULL): by its content where the bytes are a known image,
 * audio, video or PDF format (a container that holds sound or pictures,
 * MP4, 3GP, Ogg, WebM, is audio when the name's extension says so), else
 * by the name's extension; NULL when neither is known. Static string. */
const char *media_type(const unsigned char *head, size_t n, const char *name);
/* The type the content alone says, or NULL. */
const char *media_sniff(const unsigned char *head, size_t n);
/* The type the name's extension says (case-insensitive), or NULL. */
const char *media_by_name(const char *name);

enum media_fit {
    MEDIA_FITS,
    MEDIA_UNKNOWN_CONTENT, /* an image, audio or video is asked: the content is none we know */
    MEDIA_WRONG_CONTENT,   /* the content is of another kind than asked */
    MEDIA_NAME_DIFFERS,    /* the name's extension says another kind than the content */
};

/* Whether a file fits an upload's mediatype ("image/...", "audio/...",
 * "video/...", an exact type of those, or NULL / anything else: any file).
 * For image, audio and video the content must be of that kind, and an
 * extension we know must say the same kind. */
enum media_fit media_fits(const char *mediatype, const unsigned char *head, size_t n,
                          const char *name);

/* The answer's value for hash hex and a file name (fresh): "HEX NAME",
 * the name reduced to its last path component. */
char *media_value(const char hex[MEDIA_HASH_HEX + 1], const char *name);
/* Split an answer's value: true when it is "HEX NAME" with 64 lower-case
 * hex digits; hex gets them, *name points into value. */
bool media_value_parse(const char *value, char hex[MEDIA_HASH_HEX + 1], const char **name);

/* An answer's value as a person reads it (fresh): an attachment as
 * "file NAME (first 12 hex digits)", control characters replaced; NULL
 * when value does not name an attachment. */
char *media_value_label(const char *value);

/* A file name safe to create in a directory (fresh): the last path
 * component only, control characters and / \ : * ? " < > | replaced by
 * '_', no leading dots or blanks, invalid UTF-8 replaced, at most 100
 * bytes (cut on a character boundary, the extension kept); "file" when
 * nothing is left. */
char *media_safe_name(const char *name);

/* "2.4 MiB", "512 bytes", "13.0 KiB" (fresh; numbers locale-free). */
char *media_size_text(long long bytes);

#endif
