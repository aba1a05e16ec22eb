/* ARM generic timer (registers and the inline operations: generic_timer.h). */
#include "timer.h"
#include "generic_timer.h"

static uint64_t frequency;

void timer_init(void)
{
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
    if (frequency == 0)
        frequency = 1;  /* broken firmware: avoid dividing by zero */
    __asm__ volatile("msr " TIMER_CTL ", %0; isb" :: "r"((uint64_t)TIMER_CTL_IMASK));
}

uint64_t timer_frequency(void)
{
    return frequency;
}

uint64_t timer_now(void)
{
    return timer_now_inline();
}

void timer_set_deadline(uint64_t deadline)
{
    timer_set_deadline_inline(deadline);
}

void timer_disarm(void)
{
    __asm__ volatile("msr " TIMER_CTL ", %0; isb" :: "r"((uint64_t)TIMER_CTL_IMASK));
}

uint64_t timer_us_to_ticks(uint64_t us)
{
    return (us / 1000000) * frequency + (us % 1000000) * frequency / 1000000;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
    return (ticks / frequency) * 1000000 + (ticks % frequency) * 1000000 / frequency;
}
