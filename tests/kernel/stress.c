/* placeholder */
#include "ktest.h"
#include "kt_config.h"
