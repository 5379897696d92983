#include "config.h"

#include "form/form.h"
