/* watchdog: the lowest priority in the system. When it gets to run and
 * its calls to 'echo' are answered, every fault has been contained and the
 * spinner has not starved the system. */
#include <microkit.h>

#define ECHO 0

void init(void)
{
    for (seL4_Word round = 1; round <= 3; round++) {
        microkit_mr_set(0, round);
        microkit_ppcall(ECHO, microkit_msginfo_new(0, 1));
        microkit_dbg_puts("watchdog: round ");
        microkit_dbg_put32((seL4_Uint32)round);
        microkit_dbg_puts(": echo answered ");
        microkit_dbg_put32((seL4_Uint32)microkit_mr_get(0));
        microkit_dbg_puts("\n");
    }
    microkit_dbg_puts("watchdog: the system runs on\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
