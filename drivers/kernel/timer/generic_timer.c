/* ARM generic timer: the EL1 virtual timer (CNTV), or on an EL2 kernel the
   EL2 physical timer (CNTHP) and the physical count. */
#include "timer.h"

#ifdef CONFIG_KERNEL_EL2
#define TIMER_CTL   "cnthp_ctl_el2"
#define TIMER_CVAL  "cnthp_cval_el2"
#define TIMER_COUNT "cntpct_el0"
#else
#define TIMER_CTL   "cntv_ctl_el0"
#define TIMER_CVAL  "cntv_cval_el0"
#define TIMER_COUNT "cntvct_el0"
#endif

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)

static uint64_t frequency;

void timer_init(void)
{
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
    if (frequency == 0)
        frequency = 1;  /* broken firmware: avoid dividing by zero */
    __asm__ volatile("msr " TIMER_CTL ", %0; isb" :: "r"((uint64_t)CTL_IMASK));
}

uint64_t timer_frequency(void)
{
    return frequency;
}

uint64_t timer_now(void)
{
    uint64_t now;
    __asm__ volatile("isb; mrs %0, " TIMER_COUNT : "=r"(now));
    return now;
}

void timer_set_deadline(uint64_t deadline)
{
    __asm__ volatile("msr " TIMER_CVAL ", %0; msr " TIMER_CTL ", %1; isb"
                     :: "r"(deadline), "r"((uint64_t)CTL_ENABLE));
}

void timer_disarm(void)
{
    __asm__ volatile("msr " TIMER_CTL ", %0; isb" :: "r"((uint64_t)CTL_IMASK));
}

uint64_t timer_us_to_ticks(uint64_t us)
{
    return (us / 1000000) * frequency + (us % 1000000) * frequency / 1000000;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
    return (ticks / frequency) * 1000000 + (ticks % frequency) * 1000000 / frequency;
}
