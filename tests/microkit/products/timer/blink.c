/* Counts Timer A's interrupts on the Odroid-C4 (built by the tests, run on
 * the board). Timer A: 1 ms ticks, periodic. */
#include <stdint.h>
#include <microkit.h>

#define TIMER_MUX   (0x140 / 4)  /* register indexes from the block's base */
#define TIMER_A     (0x144 / 4)
#define MUX_A_EN    (1u << 16)
#define MUX_A_MODE  (1u << 12)   /* periodic */
#define MUX_A_1MS   3u           /* timer A's time base (bits 1:0) */

uintptr_t timer_base;
static unsigned ticks;

void init(void)
{
    volatile uint32_t *regs = (volatile uint32_t *)timer_base;
    regs[TIMER_A] = 1000;        /* 1000 ms */
    regs[TIMER_MUX] = MUX_A_EN | MUX_A_MODE | MUX_A_1MS;
    microkit_dbg_puts("blink: timer A started\n");
}

void notified(microkit_channel ch)
{
    if (ch != 0)
        return;
    ticks++;
    microkit_dbg_puts("blink: tick ");
    microkit_dbg_put32(ticks);
    microkit_dbg_puts("\n");
    microkit_irq_ack(ch);
}
