/* tests/debug/profiler/fastpath.system: a PD that lives in seL4_Signal (the
   Signal fast path) to 'poller', which never waits. */
#include <microkit.h>

void signal_here(void);      /* the name the test looks for in the samples */

__attribute__((noinline)) void signal_here(void)
{
    for (unsigned i = 0; i < 100; i++)
        microkit_notify(0);
}

void init(void)
{
    for (;;)
        signal_here();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
