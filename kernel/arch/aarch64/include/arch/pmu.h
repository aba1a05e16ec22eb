/*
 * The performance monitor as the sampling profiler (CONFIG_PROFILER) uses
 * it: one event counter per core that interrupts after a given number of
 * events, and the user call chain of a sampled thread.
 * kernel/src/profiler.c is the rest. Every function works on the PMU of
 * the core it runs on.
 */
#ifndef ARCH_PMU_H
#define ARCH_PMU_H

#ifdef CONFIG_PROFILER

#include <object/structures.h>

/* Count `event` (enum profiler_event); interrupt after `first` of them
   (1 <= first < 2^32). */
void arch_pmu_start(word_t event, word_t first);
void arch_pmu_stop(void);
/* After the overflow interrupt: clear it, and interrupt again `interval`
   events after this one was due. */
void arch_pmu_rearm(word_t interval);
bool arch_pmu_event_supported(word_t event);

/* Up to `max` return addresses of t's user call chain from its frame
   records, innermost first; reads only pages t may read (RAM). */
unsigned arch_user_call_chain(const tcb_t *t, uint64_t *chain, unsigned max);

#endif

#endif
