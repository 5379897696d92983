/* uuid.h: random identifiers for every row (RFC 9562 versions 4 and 7). */
#ifndef IMAS_CORE_UUID_H
#define IMAS_CORE_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Fill out with a lower-case UUID v4 (random). */
void uuid_v4(char out[UUID_STR_LEN]);
/* Fill out with a UUID v7: ms timestamp first, so keys sort by creation. */
void uuid_v7(char out[UUID_STR_LEN]);
/* True when s is a canonical lower- or upper-case UUID string. */
bool uuid_valid(const char *s);

#endif
