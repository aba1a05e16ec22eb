#include <stdint.h>
#include <microkit.h>

static unsigned wakeups;

void init(void)
{
    microkit_dbg_puts("sleeper: waiting\n");
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("sleeper: woken on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts(", time ");
    microkit_dbg_put32(++wakeups);
    microkit_dbg_puts("\n");
}
