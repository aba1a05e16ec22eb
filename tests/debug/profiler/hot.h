/* tests/debug/profiler/multicore.system: a PD that spends its time in one
   function of its own name, HOT_FUNCTION, which the test looks for as its
   top frame in its core's samples. */
#include <microkit.h>

volatile uint64_t hot_work;

void HOT_FUNCTION(void);

__attribute__((noinline)) void HOT_FUNCTION(void)
{
    for (unsigned i = 0; i < 1000; i++)
        hot_work++;
}

void init(void)
{
    for (;;)
        HOT_FUNCTION();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
