#include "config.h"

#include "ui/home.h"
