#include "config.h"

#include "form/tree.h"
