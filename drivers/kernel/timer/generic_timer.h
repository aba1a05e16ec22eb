/*
 * ARM generic timer: the registers the kernel uses (the EL1 virtual timer
 * CNTV, or on an EL2 kernel the EL2 physical timer CNTHP and the physical
 * count), and the two operations its hot paths take inline (timer.h).
 */
#ifndef DRIVERS_GENERIC_TIMER_H
#define DRIVERS_GENERIC_TIMER_H

#include <stdint.h>

#ifdef CONFIG_KERNEL_EL2
#define TIMER_CTL   "cnthp_ctl_el2"
#define TIMER_CVAL  "cnthp_cval_el2"
#define TIMER_COUNT "cntpct_el0"
#else
#define TIMER_CTL   "cntv_ctl_el0"
#define TIMER_CVAL  "cntv_cval_el0"
#define TIMER_COUNT "cntvct_el0"
#endif

#define TIMER_CTL_ENABLE  (1u << 0)
#define TIMER_CTL_IMASK   (1u << 1)

/* No ISB before the read: the kernel reads the clock once per entry, and
   the exception entry is context synchronising, so the count can never be
   from before the entry; a read a few instructions early inside the
   kernel changes nothing MCS charges. */
static inline uint64_t timer_now_inline(void)
{
    uint64_t now;
    __asm__ volatile("mrs %0, " TIMER_COUNT : "=r"(now));
    return now;
}

static inline void timer_set_deadline_inline(uint64_t deadline)
{
    __asm__ volatile("msr " TIMER_CVAL ", %0; msr " TIMER_CTL ", %1; isb"
                     :: "r"(deadline), "r"((uint64_t)TIMER_CTL_ENABLE));
}

#endif
