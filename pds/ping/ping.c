/* ping: sends the first notification to pong and one more each time pong
 * answers, for ROUNDS rounds. */
#include <microkit.h>

#define PONG 0      /* channel id of ping's end (sdf/notify.system) */
#define ROUNDS 5

static unsigned round;

void init(void)
{
    microkit_dbg_puts("ping: starting, notifying pong\n");
    microkit_notify(PONG);
}

void notified(microkit_channel ch)
{
    if (ch != PONG)
        return;
    round++;
    microkit_dbg_puts("ping: pong answered round ");
    microkit_dbg_put32(round);
    microkit_dbg_puts("\n");
    if (round < ROUNDS)
        microkit_notify(PONG);
    else
        microkit_dbg_puts("ping: done after 5 rounds\n");
}
