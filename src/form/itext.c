#include "config.h"

#include "form/itext.h"
