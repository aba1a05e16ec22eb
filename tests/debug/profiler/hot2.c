/* tests/debug/profiler/multicore.system: the hot PD of core 2. */
#define HOT_FUNCTION hot_two
#include "hot.h"
