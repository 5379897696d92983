#include "config.h"

#include "store/schema.h"
