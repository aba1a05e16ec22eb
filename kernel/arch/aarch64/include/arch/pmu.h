/*
 * The performance monitor as the sampling profiler (CONFIG_PROFILER) uses
 * it: one event counter that interrupts every `period` events, and the
 * user call chain of a sampled thread. kernel/src/profiler.c is the rest.
 */
#ifndef ARCH_PMU_H
#define ARCH_PMU_H

#ifdef CONFIG_PROFILER

#include <object/structures.h>

/* Count `event` (enum profiler_event) and interrupt every `period` of them. */
void arch_pmu_start(word_t event, word_t period);
void arch_pmu_stop(void);
/* After the overflow interrupt: clear it, count the next period. */
void arch_pmu_rearm(void);
bool arch_pmu_event_supported(word_t event);

/* Up to `max` return addresses of t's user call chain from its frame
   records, innermost first; reads only pages t may read (RAM). */
unsigned arch_user_call_chain(const tcb_t *t, uint64_t *chain, unsigned max);

#endif

#endif
