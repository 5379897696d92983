/* sha256.h: SHA-256 (FIPS 180-4), for form hashes and merge provenance. */
#ifndef IMAS_CORE_SHA256_H
#define IMAS_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Finish and write 64 lower-case hex digits and a NUL into hex. */
void sha256_final_hex(struct sha256 *c, char hex[65]);
/* One call: the hex digest of data. */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
