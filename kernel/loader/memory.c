/* The board's physical memory map (generated memory_map.h) and the loader's own footprint. */
#include <memory_map.h>

#include "loader.h"

static const struct mem_range ram_ranges[] = BOARD_RAM_RANGES;
#if BOARD_NUM_RESERVED_RANGES > 0
static const struct mem_range reserved_ranges[] = BOARD_RESERVED_RANGES;
#endif

const struct mem_range *board_ram_ranges(unsigned *count)
{
    *count = BOARD_NUM_RAM_RANGES;
    return ram_ranges;
}

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

bool range_in_ram(uint64_t base, uint64_t size)
{
    for (unsigned i = 0; i < BOARD_NUM_RAM_RANGES; i++) {
        const struct mem_range *r = &ram_ranges[i];
        if (base >= r->base && size <= r->size && base - r->base <= r->size - size)
            return true;
    }
    return false;
}

bool range_hits_reserved(uint64_t base, uint64_t size)
{
#if BOARD_NUM_RESERVED_RANGES > 0
    for (unsigned i = 0; i < BOARD_NUM_RESERVED_RANGES; i++)
        if (ranges_overlap(base, size, reserved_ranges[i].base, reserved_ranges[i].size))
            return true;
#else
    (void)base;
    (void)size;
#endif
    return false;
}

uint64_t loader_footprint_base(void)
{
    return (uint64_t)(uintptr_t)_start;
}

uint64_t loader_footprint_size(void)
{
    return (uint64_t)(_bss_end - _start);
}
