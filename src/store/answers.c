#include "config.h"

#include "store/answers.h"
