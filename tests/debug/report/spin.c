/* spin: uses all the CPU time its budget allows (tests/debug/report/report.system). */
#include <microkit.h>

static volatile seL4_Word rounds;

void init(void)
{
    for (;;)
        rounds++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
