#include "config.h"

#include "form/xpath.h"
