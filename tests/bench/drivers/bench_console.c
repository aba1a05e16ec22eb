/*
 * bench_console (serial_timer.system): round trips through the serial
 * transmit virtualiser and the timer driver.
 *   serial_line: a 2-byte line from this client's buffer through
 *                serial_virt_tx and the UART driver, until the buffer is
 *                back on the client's free queue (one at a time);
 *   timer_now:   a protected call of the timer driver for the time;
 *   timer_timeout: a 1 us timeout set until its notification arrives.
 */
#include <microkit.h>
#include <serial/serial.h>
#include <timer/timer.h>
#include "drvbench.h"

#define CH_SERIAL 1
#define CH_TIMER 3
#define N 200

uintptr_t serial_tx_queue, serial_tx_data;
static struct connection tx;
static unsigned phase, done;
static uint64_t i0, t0, sum_i, sum_t;
static struct buf_desc returned;    /* the buffer that came back, reused */
static bool have_returned;

static void line(void)
{
    struct buf_desc d;
    if (have_returned) {
        d = returned;
        have_returned = false;
    } else if (!connection_get_buffer(&tx, &d)) {
        return;
    }
    char *p = connection_buffer(&tx, &d);
    p[0] = '.';
    p[1] = '\n';
    d.len = 2;
    queue_request_signal(&tx.free);
    i0 = insns();
    t0 = ticks();
    queue_enqueue(&tx.active, &d);
    if (queue_signal_needed(&tx.active))
        microkit_notify(CH_SERIAL);
}

static void next_timeout(void)
{
    i0 = insns();
    t0 = ticks();
    timer_set_timeout(CH_TIMER, 1000);
}

void init(void)
{
    insns_start();
    connection_attach(&tx, serial_tx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY,
                      serial_tx_data, SERIAL_DATA_REGION, SERIAL_BUF_SIZE);
    /* timer_now: synchronous */
    uint64_t a = insns(), b = ticks();
    for (unsigned k = 0; k < N; k++)
        timer_now_ns(CH_TIMER);
    report("timer_now", N, insns() - a, ticks() - b);
    line();
}

void notified(microkit_channel ch)
{
    uint64_t i1 = insns(), t1 = ticks();
    if (phase == 0 && ch == CH_SERIAL) {
        if (!queue_dequeue(&tx.free, &returned))
            return;
        have_returned = true;
        sum_i += i1 - i0;
        sum_t += t1 - t0;
        if (++done < N) {
            line();
        } else {
            report("serial_line", N, sum_i, sum_t);
            phase = 1;
            done = 0;
            sum_i = sum_t = 0;
            next_timeout();
        }
    } else if (phase == 1 && ch == CH_TIMER) {
        sum_i += i1 - i0;
        sum_t += t1 - t0;
        if (++done < N) {
            next_timeout();
        } else {
            report("timer_timeout", N, sum_i, sum_t);
            microkit_dbg_puts("BENCH|DRV done\n");
        }
    }
}
