/* sampler: counts its wake-ups for the stream's notifications. In its own
 * scheduling domain it runs only in its slots, however high its priority,
 * so the notifications arrive coalesced. tests/system/domains.system. */
#include <microkit.h>

static unsigned wakeups;

void init(void)
{
    microkit_dbg_puts("sampler: waiting\n");
}

void notified(microkit_channel ch)
{
    if (ch == 0)
        wakeups++;
    if (ch == 1) {
        microkit_dbg_puts("sampler: stream done after ");
        microkit_dbg_put32(wakeups);
        microkit_dbg_puts(" wake-ups\n");
    }
}
