/* hello: the smallest Microkit program. init() runs once when the PD
 * starts; notified() would run for every notification it receives. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world (from PD '");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("')\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
