/* The board's RAM ranges (generated memory_map.h) and the loader's own footprint;
   range questions are in lib/memory_ranges.c. */
#include <memory_map.h>

#include "loader.h"

static const struct mem_range ram_ranges[] = BOARD_RAM_RANGES;

const struct mem_range *board_ram_ranges(unsigned *count)
{
    *count = BOARD_NUM_RAM_RANGES;
    return ram_ranges;
}

uint64_t loader_footprint_base(void)
{
    return (uint64_t)(uintptr_t)_start;
}

uint64_t loader_footprint_size(void)
{
    return (uint64_t)(_bss_end - _start);
}
