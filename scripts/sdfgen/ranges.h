/* Half-open address ranges [base, base + size) over the whole 64-bit space.
 * Every helper is overflow-safe: a range whose end does not fit in 64 bits
 * is "unbounded" and callers reject it where they parse it. */
#ifndef SDFGEN_RANGES_H
#define SDFGEN_RANGES_H

#include <stdbool.h>
#include <stdint.h>

struct range {
    uint64_t base, size;
};

/* True when base + size does not fit in 64 bits (the end 2^64 itself is
 * allowed: a range may end exactly at the top of the address space). */
bool range_overflows(uint64_t base, uint64_t size);

/* The end address base + size, saturated at UINT64_MAX. */
uint64_t range_end(struct range r);

/* Empty ranges overlap nothing. */
bool ranges_overlap(struct range a, struct range b);

/* True when inner lies entirely within outer (an empty inner range is
 * contained where its base is). */
bool range_contains(struct range outer, struct range inner);

uint64_t align_down(uint64_t value, uint64_t alignment);
/* Rounds up; *overflow set when the result would not fit. */
uint64_t align_up(uint64_t value, uint64_t alignment, bool *overflow);
bool is_aligned(uint64_t value, uint64_t alignment);

#endif
