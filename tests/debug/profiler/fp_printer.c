/* tests/debug/profiler/fastpath.system: a PD that lives in DebugPutChar
   (its fast path), printing empty lines, which the log readers skip. */
#include <microkit.h>

void print_here(void);      /* the name the test looks for in the samples */

__attribute__((noinline)) void print_here(void)
{
    for (unsigned i = 0; i < 100; i++)
        microkit_dbg_putc('\n');
}

void init(void)
{
    for (;;)
        print_here();
}

void notified(microkit_channel ch)
{
    (void)ch;
}
