/* ticker (sdf/vm_linux.system): a native PD beside the virtual machines
 * that prints the timer driver's time every PERIOD and says how late each
 * tick is, so a test sees that the guests never hold it up. It prints
 * through the serial virtualiser on CH_SERIAL_TX, or, in a system without
 * one (a guest owns the UART: sdf/vm_linux_passthrough.system), through
 * the kernel's debug output. */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>

#define CH_SERIAL_TX 1
#define CH_TIMER 3
#define PERIOD (200 * NS_PER_MS)

static uint64_t start, ticks;
static bool has_serial;

static void print(const char *line)
{
    if (has_serial)
        serial_puts(line);
    else
        microkit_dbg_puts(line);
}

static void print_dec(uint64_t n)
{
    if (has_serial)
        serial_put_dec(n);
    else
        microkit_dbg_put32((seL4_Uint32)n);     /* decimal, as Microkit's */
}

void init(void)
{
    has_serial = microkit_channel_valid(microkit_notifications, CH_SERIAL_TX);
    if (has_serial)
        serial_init(CH_SERIAL_TX, SERIAL_NO_CHANNEL);
    start = timer_now_ns(CH_TIMER);
    print("ticker: a tick every 200 ms\n");
    timer_set_timeout(CH_TIMER, PERIOD);
}

void notified(microkit_channel ch)
{
    if (ch != CH_TIMER)
        return;
    ticks++;
    uint64_t now = timer_now_ns(CH_TIMER);
    uint64_t due = start + ticks * PERIOD;
    print("ticker: tick ");
    print_dec(ticks);
    print(" late by ");
    print_dec(now > due ? (now - due) / NS_PER_US : 0);
    print(" us\n");
    /* The next tick is due on the grid, not PERIOD after this one. */
    uint64_t next = start + (ticks + 1) * PERIOD;
    timer_set_timeout(CH_TIMER, next > now ? next - now : 0);
}
