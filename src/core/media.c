#include "config.h"

#include "core/media.h"

#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- what the content says ------------------------------------------------ */

struct magic {
    size_t at;
    const char *bytes;
    size_t len;
    const char *type;
};

#define M(at, s, type) {at, s, sizeof s - 1, type}

static const struct magic magics[] = {
    M(0, "\xFF\xD8\xFF", "image/jpeg"),
    M(0, "\x89PNG\r\n\x1A\n", "image/png"),
    M(0, "GIF87a", "image/gif"),
    M(0, "GIF89a", "image/gif"),
    M(0, "II*\0", "image/tiff"),
    M(0, "MM\0*", "image/tiff"),
    M(0, "BM", "image/bmp"),
    M(0, "ID3", "audio/mpeg"),
    M(0, "fLaC", "audio/flac"),
    M(0, "#!AMR", "audio/amr"),
    M(0, "OggS", "audio/ogg"),
    M(0, "\x1A\x45\xDF\xA3", "video/webm"),
    M(0, "\0\0\1\xBA", "video/mpeg"),
    M(0, "\0\0\1\xB3", "video/mpeg"),
    M(0, "%PDF-", "application/pdf"),
};

/* ISO base media (MP4, QuickTime, 3GP, HEIF): "ftyp" at 4, the brand at 8. */
struct brand {
    const char *brand, *type;
};

static const struct brand brands[] = {
    {"heic", "image/heic"}, {"heix", "image/heic"}, {"mif1", "image/heif"},
    {"msf1", "image/heif"}, {"avif", "image/avif"}, {"M4A ", "audio/mp4"},
    {"M4B ", "audio/mp4"},  {"qt  ", "video/quicktime"}, {"3gp", "video/3gpp"},
    {"3g2", "video/3gpp2"}, {"", "video/mp4"}, /* isom, mp41, mp42, avc1, ... */
};

static const char *sniff_riff(const unsigned char *h, size_t n)
{
    if (n < 12 || memcmp(h, "RIFF", 4) != 0)
        return NULL;
    if (memcmp(h + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (memcmp(h + 8, "WAVE", 4) == 0)
        return "audio/wav";
    if (memcmp(h + 8, "AVI ", 4) == 0)
        return "video/x-msvideo";
    return NULL;
}

static const char *sniff_ftyp(const unsigned char *h, size_t n)
{
    if (n < 12 || memcmp(h + 4, "ftyp", 4) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++)
        if (memcmp(h + 8, brands[i].brand, strlen(brands[i].brand)) == 0)
            return brands[i].type;
    return NULL;
}

const char *media_sniff(const unsigned char *h, size_t n)
{
    const char *t = sniff_riff(h, n);
    if (!t)
        t = sniff_ftyp(h, n);
    for (size_t i = 0; !t && i < sizeof magics / sizeof magics[0]; i++)
        if (n >= magics[i].at + magics[i].len &&
            memcmp(h + magics[i].at, magics[i].bytes, magics[i].len) == 0)
            t = magics[i].type;
    /* an MPEG audio frame (MP3) or an ADTS AAC frame, without ID3 tag */
    if (!t && n >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0)
        t = (h[1] & 0x06) == 0 ? "audio/aac" : "audio/mpeg";
    return t;
}

/* ---- what the name says ---------------------------------------------------- */

static const char *const by_ext[][2] = {
    {"jpg", "image/jpeg"},  {"jpeg", "image/jpeg"},  {"png", "image/png"},
    {"gif", "image/gif"},   {"webp", "image/webp"},  {"bmp", "image/bmp"},
    {"tif", "image/tiff"},  {"tiff", "image/tiff"},  {"heic", "image/heic"},
    {"heif", "image/heif"}, {"avif", "image/avif"},  {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},   {"mov", "video/quicktime"}, {"3gp", "video/3gpp"},
    {"3gpp", "video/3gpp"}, {"webm", "video/webm"},  {"mkv", "video/webm"},
    {"avi", "video/x-msvideo"}, {"mpg", "video/mpeg"}, {"mpeg", "video/mpeg"},
    {"ogv", "video/ogg"},   {"wav", "audio/wav"},    {"mp3", "audio/mpeg"},
    {"m4a", "audio/mp4"},   {"aac", "audio/aac"},    {"ogg", "audio/ogg"},
    {"oga", "audio/ogg"},   {"opus", "audio/ogg"},   {"flac", "audio/flac"},
    {"amr", "audio/amr"},   {"weba", "audio/webm"},  {"3ga", "audio/3gpp"},
    {"pdf", "application/pdf"},
};

const char *media_by_name(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (strcasecmp(dot + 1, by_ext[i][0]) == 0)
            return by_ext[i][1];
    return NULL;
}

/* "image", "audio", "video" or another kind, as the first letters of a
 * type up to its '/' */
static bool same_kind(const char *a, const char *b)
{
    const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
    return sa && sb && sa - a == sb - b && strncmp(a, b, (size_t)(sa - a)) == 0;
}

static bool is_kind(const char *type, const char *kind)
{
    size_t n = strlen(kind);
    return type && strncmp(type, kind, n) == 0 && type[n] == '/';
}

/* Containers that carry sound alone as well as pictures. */
static const char *audio_variant(const char *t)
{
    static const char *const pairs[][2] = {
        {"video/mp4", "audio/mp4"},   {"video/3gpp", "audio/3gpp"},
        {"video/webm", "audio/webm"}, {"video/ogg", "audio/ogg"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(t, pairs[i][0]) == 0)
            return pairs[i][1];
    return NULL;
}

const char *media_type(const unsigned char *head, size_t n, const char *name)
{
    const char *t = media_sniff(head, n), *e = media_by_name(name);
    if (!t)
        return e;
    if (strcmp(t, "audio/ogg") == 0 && e && strcmp(e, "video/ogg") == 0)
        return e;
    const char *a = audio_variant(t);
    if (a && is_kind(e, "audio"))
        return a;
    return t;
}

enum media_fit media_fits(const char *mediatype, const unsigned char *head, size_t n,
                          const char *name)
{
    static const char *const kinds[] = {"image", "audio", "video"};
    const char *kind = NULL;
    for (size_t i = 0; i < 3 && mediatype; i++)
        if (is_kind(mediatype, kinds[i]))
            kind = kinds[i];
    if (!kind)
        return MEDIA_FITS;
    const char *t = media_sniff(head, n);
    if (!t)
        return MEDIA_UNKNOWN_CONTENT;
    t = media_type(head, n, name);
    /* a video container holding sound only, asked for as audio */
    if (strcmp(kind, "audio") == 0 && audio_variant(t))
        t = audio_variant(t);
    if (!is_kind(t, kind))
        return MEDIA_WRONG_CONTENT;
    const char *e = media_by_name(name);
    if (e && !same_kind(e, t) && !(audio_variant(e) && is_kind(t, "audio")))
        return MEDIA_NAME_DIFFERS;
    return MEDIA_FITS;
}

/* ---- the answer's value ------------------------------------------------------ */

static const char *base_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? slash + 1 : name;
}

char *media_value(const char hex[MEDIA_HASH_HEX + 1], const char *name)
{
    char *safe = utf8_sanitize(base_name(name ? name : ""), false);
    char *v = xasprintf("%.64s %s", hex, safe);
    free(safe);
    return v;
}

bool media_value_parse(const char *value, char hex[MEDIA_HASH_HEX + 1], const char **name)
{
    if (!value || strlen(value) < MEDIA_HASH_HEX + 1 || value[MEDIA_HASH_HEX] != ' ')
        return false;
    for (size_t i = 0; i < MEDIA_HASH_HEX; i++)
        if (!strchr("0123456789abcdef", value[i]) || !value[i])
            return false;
    memcpy(hex, value, MEDIA_HASH_HEX);
    hex[MEDIA_HASH_HEX] = '\0';
    if (name)
        *name = value + MEDIA_HASH_HEX + 1;
    return true;
}

char *media_value_label(const char *value)
{
    char hex[MEDIA_HASH_HEX + 1];
    const char *name;
    if (!media_value_parse(value, hex, &name))
        return NULL;
    char *safe = utf8_sanitize(name, false);
    /* TRANSLATORS: an attached file: its name, then the start of its SHA-256 */
    char *s = xasprintf(_("file %s (%.12s)"), safe, hex);
    free(safe);
    return s;
}

/* ---- a name safe on disk ------------------------------------------------------ */

#define SAFE_MAX 100

char *media_safe_name(const char *name)
{
    char *clean = utf8_sanitize(base_name(name ? name : ""), false);
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = clean; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!sb.len && (c == '.' || c == ' ' || c == '-'))
            continue; /* no hidden files, no option-like names */
        strbuf_addc(&sb, strchr("\\:*?\"<>|", c) ? '_' : (char)c);
    }
    free(clean);
    char *s = strbuf_detach(&sb);
    /* U+FFFD stands for what was a control character or invalid byte */
    for (char *r; (r = strstr(s, "\xEF\xBF\xBD"));) {
        *r = '_';
        memmove(r + 1, r + 3, strlen(r + 3) + 1);
    }
    size_t len = strlen(s);
    if (len > SAFE_MAX) {
        const char *dot = strrchr(s, '.');
        size_t ext = dot && strlen(dot) <= 10 ? strlen(dot) : 0;
        size_t keep = SAFE_MAX - ext;
        while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
            keep--;
        memmove(s + keep, s + len - ext, ext + 1);
    }
    while (*s && s[strlen(s) - 1] == ' ')
        s[strlen(s) - 1] = '\0';
    if (!*s) {
        free(s);
        s = xstrdup("file");
    }
    return s;
}

char *media_size_text(long long bytes)
{
    if (bytes < 1024)
        return xasprintf(NG_("%lld byte", "%lld bytes", (unsigned long)bytes), bytes);
    double v = (double)bytes / 1024.0;
    const char *unit = "KiB";
    if (v >= 1024.0) {
        v /= 1024.0;
        unit = "MiB";
    }
    return xasprintf("%.1f %s", v, unit);
}
