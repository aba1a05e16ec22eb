/* tests/debug/profiler/multicore.system: the hot PD of core 3. */
#define HOT_FUNCTION hot_three
#include "hot.h"
