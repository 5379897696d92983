#include "config.h"

#include "form/catalog.h"
