#include <stdint.h>
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("producer: 100000 notifications\n");
    for (int i = 0; i < 100000; i++)
        microkit_notify(0);
    microkit_dbg_puts("producer: done\n");
}

void notified(microkit_channel ch)
{
}
