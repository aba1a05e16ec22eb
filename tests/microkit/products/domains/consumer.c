#include <stdint.h>
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("consumer: waiting in its domain\n");
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("consumer: woken\n");
}
