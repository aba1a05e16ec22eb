/* tests/debug/profiler/fastpath.system: a PD that lives in protected
   procedure calls to 'server' (the Call and ReplyRecv fast paths). */
#include <microkit.h>

void call_here(void);      /* the name the test looks for in the samples */

__attribute__((noinline)) void call_here(void)
{
    for (unsigned i = 0; i < 100; i++)
        microkit_ppcall(0, microkit_msginfo_new(0, 0));
}

void init(void)
{
    for (;;)
        call_here();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
