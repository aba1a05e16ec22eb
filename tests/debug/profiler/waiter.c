/* tests/debug/profiler: a PD that only waits (it should hardly be sampled). */
#include <microkit.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}
