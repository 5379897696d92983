#include "config.h"

#include "store/check.h"
