/* echo (sdf/console.system): echoes each line typed on the console. Also
   checks the timer: a timeout set and cancelled never fires, one of 1.5 s
   does, and a request the timer does not know is refused. */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>

#define CH_SERIAL_TX 1
#define CH_SERIAL_RX 2
#define CH_TIMER 3

static char line[128];
static unsigned len;

void init(void)
{
    serial_init(CH_SERIAL_TX, CH_SERIAL_RX);
    serial_puts("type a line and I echo it\n");
    timer_set_timeout(CH_TIMER, 10 * NS_PER_S);
    timer_cancel(CH_TIMER);
    timer_set_timeout(CH_TIMER, 1500 * NS_PER_MS);
    microkit_msginfo r = microkit_ppcall(CH_TIMER, microkit_msginfo_new(99, 0));
    if (microkit_msginfo_get_label(r) == TIMER_BAD_REQUEST)
        serial_puts("the timer refused an unknown request\n");
}

static void echo_input(void)
{
    int c;
    while ((c = serial_getchar()) >= 0) {
        if (c == '\r' || c == '\n') {
            line[len] = 0;
            serial_puts("you typed: ");
            serial_puts(line);
            serial_putchar('\n');
            len = 0;
        } else if (len < sizeof line - 1) {
            line[len++] = (char)c;
        }
    }
}

void notified(microkit_channel ch)
{
    if (ch == CH_SERIAL_RX) {
        echo_input();
    } else if (ch == CH_TIMER) {
        uint64_t now = timer_now_ns(CH_TIMER);
        serial_puts("the 1.5 s timeout fired at ");
        serial_put_dec(now / NS_PER_MS);
        serial_puts(" ms\n");
    }
}
