/* tests/debug/profiler/multicore.system: the hot PD of core 0. */
#define HOT_FUNCTION hot_zero
#include "hot.h"
