/* pong: answers every notification from ping with one of its own, sent
 * when notified() returns (a deferred notify, folded into the next
 * receive). */
#include <microkit.h>

#define PING 1      /* channel id of pong's end (sdf/notify.system) */

static unsigned count;

void init(void)
{
    microkit_dbg_puts("pong: waiting for ping\n");
}

void notified(microkit_channel ch)
{
    if (ch != PING)
        return;
    count++;
    microkit_dbg_puts("pong: notification ");
    microkit_dbg_put32(count);
    microkit_dbg_puts(" from ping\n");
    microkit_deferred_notify(PING);
}
