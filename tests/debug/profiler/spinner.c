/* tests/debug/profiler: a PD that spends its time in one known function. */
#include <microkit.h>

volatile uint64_t spins;

void spin_here(void);      /* the name the test looks for in the samples */

__attribute__((noinline)) void spin_here(void)
{
    for (unsigned i = 0; i < 1000; i++)
        spins++;
}

__attribute__((noinline)) static void keep_spinning(void)
{
    for (;;)
        spin_here();
}

void init(void)
{
    keep_spinning();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
