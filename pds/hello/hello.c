/* hello: the smallest Microkit program. init() runs once when the PD
 * starts; notified() would run for every notification it receives.
 *
 * A real system keeps running; this example then switches the machine off
 * (a debug-kernel call) so that `make qemu` returns with QEMU's status 0. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world (from PD '");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("')\n");
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugHalt();
#endif
}

void notified(microkit_channel ch)
{
    (void)ch;
}
