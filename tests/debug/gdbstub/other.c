/* The second PD of tests/debug/gdbstub: gdb's thread 2.1. */
#include <microkit.h>

volatile uint64_t other_counter;

void init(void)
{
    for (;;)
        other_counter++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
