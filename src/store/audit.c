#include "config.h"

#include "store/audit.h"
