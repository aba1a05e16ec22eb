/* ticker (sdf/vm_linux.system): a native PD beside the virtual machines
 * that prints the timer driver's time every PERIOD and says how late each
 * tick is, so a test sees that the guests never hold it up. */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>

#define CH_SERIAL_TX 1
#define CH_TIMER 3
#define PERIOD (200 * NS_PER_MS)

static uint64_t start, ticks;

void init(void)
{
    serial_init(CH_SERIAL_TX, SERIAL_NO_CHANNEL);
    start = timer_now_ns(CH_TIMER);
    serial_puts("ticker: a tick every 200 ms\n");
    timer_set_timeout(CH_TIMER, PERIOD);
}

void notified(microkit_channel ch)
{
    if (ch != CH_TIMER)
        return;
    ticks++;
    uint64_t now = timer_now_ns(CH_TIMER);
    uint64_t due = start + ticks * PERIOD;
    serial_puts("ticker: tick ");
    serial_put_dec(ticks);
    serial_puts(" late by ");
    serial_put_dec(now > due ? (now - due) / NS_PER_US : 0);
    serial_puts(" us\n");
    /* The next tick is due on the grid, not PERIOD after this one. */
    uint64_t next = start + (ticks + 1) * PERIOD;
    timer_set_timeout(CH_TIMER, next > now ? next - now : 0);
}
