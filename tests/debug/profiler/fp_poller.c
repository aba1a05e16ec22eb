/* tests/debug/profiler/fastpath.system: a PD that lives in seL4_Poll (the
   Poll fast path) on its own notification, which 'signaller' signals. */
#include <microkit.h>

void poll_here(void);      /* the name the test looks for in the samples */

__attribute__((noinline)) void poll_here(void)
{
    for (unsigned i = 0; i < 100; i++) {
        seL4_Word badge;
        seL4_Poll(MICROKIT_INPUT_CAP, &badge);
    }
}

void init(void)
{
    for (;;)
        poll_here();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
