/*
 * ptimer.h - the EL1 physical timer (PPI, INTID 30) as the suite's own
 * interrupt source: EL0 reads the counter and programs the timer directly
 * (the kernel keeps the virtual timer, INTID 27, for itself). Used by the
 * user-level interrupt tests (irq.c) and the preemption tests (preempt.c).
 *
 * Under the suite's -icount shift=0 one instruction takes 1 ns, so one
 * tick of the 62.5 MHz counter is 16 instructions.
 */
#ifndef KT_PTIMER_H
#define KT_PTIMER_H

#include "ktest.h"

#define IRQ_PTIMER 30

static inline seL4_Word counter_frequency(void)
{
    seL4_Word f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

/* CNTPCT_EL0, not read ahead of the instructions before it. */
static inline seL4_Word counter_now(void)
{
    seL4_Word t;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(t) :: "memory");
    return t;
}

/* Fire once, when the counter reaches `cval` (at once if it has), interrupt unmasked. */
static inline void ptimer_arm_at(seL4_Word cval)
{
    __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb"
                     :: "r"(cval), "r"(1ul) : "memory");
}

/* Fire once, `us` microseconds from now. */
static inline void ptimer_arm(seL4_Word us)
{
    ptimer_arm_at(counter_now() + counter_frequency() / 1000000 * us);
}

/* Disabled: the line drops. */
static inline void ptimer_stop(void)
{
    __asm__ volatile("msr cntp_ctl_el0, %0; isb" :: "r"(0ul) : "memory");
}

/* CNTP_CTL_EL0.ISTATUS: the timer condition is met (the line is asserted). */
static inline bool ptimer_fired(void)
{
    seL4_Word ctl;
    __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(ctl));
    return ctl & 4;
}

/* Let the virtual clock run for about `us` microseconds. */
static inline void spin_us(seL4_Word us)
{
    seL4_Word start = counter_now();
    while (counter_now() - start < counter_frequency() / 1000000 * us)
        ;
}

#endif /* KT_PTIMER_H */
