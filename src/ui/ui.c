#include "config.h"

#include "ui/ui.h"
