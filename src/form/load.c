#include "config.h"

#include "form/load.h"
