/* Data and instruction cache maintenance by virtual address. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <kernel/types.h>

void cache_clean_range(uintptr_t start, word_t size);
void cache_invalidate_range(uintptr_t start, word_t size);
void cache_clean_invalidate_range(uintptr_t start, word_t size);
/* Zero [start, start + size) through the data cache (DC ZVA, a line per
   instruction, where start and size allow it): for memory only reached
   through cacheable mappings, such as the kernel's boot-time objects. */
void clear_memory(uintptr_t start, word_t size);
/* Zero [start, start + size) and write it back to RAM, so that uncached
   mappings see zeros too (word-aligned; fastest 64-byte aligned). */
void clear_memory_to_ram(uintptr_t start, word_t size);
/* Make instructions written as data visible to instruction fetch. */
void cache_unify_instruction_range(uintptr_t start, word_t size);

#endif
