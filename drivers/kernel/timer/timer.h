/*
 * The kernel's one-shot timer (ARM generic timer: the EL1 virtual timer on
 * an EL1 kernel, the EL2 physical timer on an EL2 kernel, whose guests own
 * the virtual one). Times are in ticks of the counter; the frequency comes
 * from CNTFRQ_EL0 (62.5 MHz on QEMU, 24 MHz on the Odroid-C4).
 */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include <stdint.h>

/* Its interrupt: a PPI, the same on every board (the Arm generic timer). */
#ifdef CONFIG_KERNEL_EL2
#define TIMER_IRQ 26    /* CNTHP, PPI 10 */
#else
#define TIMER_IRQ 27    /* CNTV, PPI 11 */
#endif

void timer_init(void);
uint64_t timer_frequency(void);
uint64_t timer_now(void);
/* Interrupt at absolute time `deadline` (ticks); replaces any earlier setting. */
void timer_set_deadline(uint64_t deadline);
/* No interrupt until the next timer_set_deadline. */
void timer_disarm(void);
/* Convert between microseconds and ticks without overflow for sane values. */
uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_us(uint64_t ticks);

/*
 * timer_now and timer_set_deadline for the kernel's hot paths (every
 * kernel entry reads the clock; the IPC fast path may set a deadline):
 * inline where the driver's are a few instructions, in a header named
 * after the driver (kernel/Makefile defines TIMER_INLINE_HEADER then),
 * else the calls above.
 */
#ifdef TIMER_INLINE_HEADER
#include TIMER_INLINE_HEADER
#else
static inline uint64_t timer_now_inline(void)
{
    return timer_now();
}

static inline void timer_set_deadline_inline(uint64_t deadline)
{
    timer_set_deadline(deadline);
}
#endif

#endif
