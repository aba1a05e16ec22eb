/* uptime (sdf/console.system): prints the time since the timer driver
   started, once a second, three times; reports input sent to it. */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>

#define CH_SERIAL_TX 1
#define CH_SERIAL_RX 2
#define CH_TIMER 3
#define REPORTS 3

static unsigned reports;

static void put_time(uint64_t ns)
{
    serial_put_dec(ns / NS_PER_S);
    serial_putchar('.');
    uint64_t ms = ns / NS_PER_MS % 1000;
    serial_putchar((char)('0' + ms / 100));
    serial_putchar((char)('0' + ms / 10 % 10));
    serial_putchar((char)('0' + ms % 10));
    serial_puts(" s");
}

void init(void)
{
    serial_init(CH_SERIAL_TX, CH_SERIAL_RX);
    serial_puts("up, reporting the uptime every second\n");
    timer_set_timeout(CH_TIMER, NS_PER_S);
}

void notified(microkit_channel ch)
{
    if (ch == CH_TIMER) {
        reports++;
        serial_puts("uptime ");
        put_time(timer_now_ns(CH_TIMER));
        serial_putchar('\n');
        if (reports < REPORTS)
            timer_set_timeout(CH_TIMER, NS_PER_S);
    } else if (ch == CH_SERIAL_RX) {
        int c;
        while ((c = serial_getchar()) >= 0) {
            if (c == '\r' || c == '\n')
                continue;
            serial_puts("input for me: '");
            serial_putchar(c);
            serial_puts("'\n");
        }
    }
}
