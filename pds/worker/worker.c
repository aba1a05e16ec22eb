/* worker: works through six ticks in init(), telling the controller after
 * each one. It does not know that it gets suspended along the way. */
#include <microkit.h>

#define CONTROLLER 0

static void work(void)
{
    for (volatile unsigned i = 0; i < 200000; i++)
        continue;
}

void init(void)
{
    for (unsigned tick = 1; tick <= 6; tick++) {
        work();
        microkit_dbg_puts("worker: tick ");
        microkit_dbg_put32(tick);
        microkit_dbg_puts("\n");
        microkit_notify(CONTROLLER);
    }
    microkit_dbg_puts("worker: done\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
