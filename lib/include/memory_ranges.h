/*
 * Questions about the board's physical memory map (memory_map.h, generated
 * from board/<board>/memory.map), shared by the loader and the kernel.
 */
#ifndef LIB_MEMORY_RANGES_H
#define LIB_MEMORY_RANGES_H

#include <stdbool.h>
#include <stdint.h>

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size);
/* Does [base, base + size) lie inside one RAM range? */
bool range_in_ram(uint64_t base, uint64_t size);
/* Does it touch firmware-reserved RAM (nobody may use or even map it)? */
bool range_hits_reserved(uint64_t base, uint64_t size);

#endif
