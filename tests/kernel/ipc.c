/* placeholder */
#include "ktest.h"
