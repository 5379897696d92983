#include "config.h"

#include "store/history.h"

#include <inttypes.h>
#include <stdio.h>

void store_version_id(char out[STORE_VID_MAX], int64_t revision,
                      int64_t updated_at, const char *device_id)
{
    snprintf(out, STORE_VID_MAX, "%" PRId64 ".%" PRId64 ".%.8s", revision,
             updated_at, device_id ? device_id : "");
}
