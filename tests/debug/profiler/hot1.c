/* tests/debug/profiler/multicore.system: the hot PD of core 1. */
#define HOT_FUNCTION hot_one
#include "hot.h"
