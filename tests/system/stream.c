/* stream: notifies the sampler (channel 0) 200000 times as fast as it can,
 * then says it is done (channel 1). tests/system/domains.system. */
#include <microkit.h>

#define EVENTS 200000

void init(void)
{
    microkit_dbg_puts("stream: notifying the sampler 200000 times\n");
    for (unsigned i = 1; i <= EVENTS; i++) {
        microkit_notify(0);
        if (i % 50000 == 0) {
            microkit_dbg_puts("stream: ");
            microkit_dbg_put32(i);
            microkit_dbg_puts(" sent\n");
        }
    }
    microkit_notify(1);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
