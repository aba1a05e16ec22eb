/*
 * The kernel's one-shot timer (ARM generic timer, EL1 virtual timer on an EL1
 * kernel). Times are in ticks of the counter; the frequency comes from
 * CNTFRQ_EL0 (62.5 MHz on QEMU, 24 MHz on the Odroid-C4).
 */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include <stdint.h>

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

#endif
