/*
 * seL4's domain scheduler (kernel/src/domain.c): threads belong to domains
 * and only the current domain's threads run; the schedule, a list of
 * {domain, duration} entries ended by an end marker (duration 0), is
 * followed in a loop from its start index. With CONFIG_NUM_DOMAINS == 1
 * (the default) all of it compiles away.
 */
#ifndef KERNEL_DOMAIN_H
#define KERNEL_DOMAIN_H

#include <kernel/types.h>

#if CONFIG_NUM_DOMAINS > 1
#define DOMAINS_ENABLED 1
extern word_t cur_domain;
/* Absolute time (timer ticks) at which the current domain's slot ends. */
extern word_t domain_end;
/* The slot has ended at `now` (or ends within the minimum budget):
   move to the next entry. Returns true if it did. */
bool domain_advance(word_t now, word_t min_budget);
#else
#define DOMAINS_ENABLED 0
#define cur_domain 0ul
#endif

#endif
