/*
 * The Arm generic timer's counter as user level reads it (CNTPCT_EL0,
 * CNTFRQ_EL0: the kernel lets EL0 read both, on every board). For clocks
 * that need no driver: lwIP's, benchmarks'; the timer driver timer_arm
 * uses it for its time too.
 */
#ifndef DRIVERS_GENERIC_COUNTER_H
#define DRIVERS_GENERIC_COUNTER_H

#include <stdint.h>

static inline uint64_t generic_counter(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v) :: "memory");
    return v;
}

static inline uint64_t generic_counter_freq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* Ticks to units of 1/`per_second` s (1000000000: ns), without overflow. */
static inline uint64_t generic_counter_convert(uint64_t ticks, uint64_t freq, uint64_t per_second)
{
    return ticks / freq * per_second + ticks % freq * per_second / freq;
}

#endif
