/*
 * timer_meson: the timer driver PD on the Odroid-C4's Amlogic timer block
 * (register facts: ../shared/reference/boards.md): timer E counts
 * microseconds in 64 bits and gives the time; timer A, a 16-bit one-shot
 * down-counter at 1 us, gives the alarm (a deadline further away is
 * reached in steps of at most 65 ms). Experimental until run on the board.
 */
#include <timer/timer.h>

uintptr_t timer_regs;   /* the page at 0xffd0f000; registers from +0x140 */

#define REG_BASE        0x140
#define MUX             0x00
#define TIMER_A         0x04
#define TIMER_E         0x48
#define TIMER_E_HI      0x4c
#define MUX_A_EN        (1u << 16)
#define MUX_A_PERIODIC  (1u << 12)
#define MUX_A_CLK_MASK  3u          /* 0: 1 us */
#define MUX_E_CLK_SHIFT 8
#define MUX_E_CLK_MASK  (7u << MUX_E_CLK_SHIFT)
#define MUX_E_CLK_1US   (1u << MUX_E_CLK_SHIFT)
#define TIMER_A_MAX     0xffffu

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(timer_regs + REG_BASE + offset);
}

static uint64_t now_ns(void)
{
    uint32_t hi = *reg(TIMER_E_HI), lo = *reg(TIMER_E), hi2 = *reg(TIMER_E_HI);
    if (hi2 != hi)
        lo = *reg(TIMER_E);     /* the low word wrapped between the reads */
    return (((uint64_t)hi2 << 32) | lo) * NS_PER_US;
}

static void set_alarm(uint64_t deadline_ns)
{
    uint64_t now = now_ns();
    uint64_t us = deadline_ns > now ? (deadline_ns - now + NS_PER_US - 1) / NS_PER_US : 1;
    if (us > TIMER_A_MAX)
        us = TIMER_A_MAX;       /* fire_due() finds nothing due and re-arms */
    *reg(MUX) &= ~MUX_A_EN;
    *reg(TIMER_A) = (uint32_t)us;
    *reg(MUX) = (*reg(MUX) & ~(MUX_A_PERIODIC | MUX_A_CLK_MASK)) | MUX_A_EN;
}

static void stop_alarm(void)
{
    *reg(MUX) &= ~MUX_A_EN;
}

static void irq_clear(void)
{
}

static const struct timer_hw meson_timer = {
    .now_ns = now_ns, .set_alarm = set_alarm, .stop_alarm = stop_alarm, .irq_clear = irq_clear,
};

void init(void)
{
    *reg(MUX) = (*reg(MUX) & ~MUX_E_CLK_MASK) | MUX_E_CLK_1US;
    timer_driver_init(&meson_timer);
}

void notified(microkit_channel ch)
{
    timer_driver_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    return timer_driver_protected(ch, msg);
}
