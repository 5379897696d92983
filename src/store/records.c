#include "config.h"

#include "store/records.h"
