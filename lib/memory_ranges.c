#include <memory_ranges.h>
#include <memory_map.h>

struct range {
    uint64_t base, size;
};

static const struct range ram_ranges[] = BOARD_RAM_RANGES;
#if BOARD_NUM_RESERVED_RANGES > 0
static const struct range reserved_ranges[] = BOARD_RESERVED_RANGES;
#endif

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

bool range_in_ram(uint64_t base, uint64_t size)
{
    for (unsigned i = 0; i < BOARD_NUM_RAM_RANGES; i++) {
        const struct range *r = &ram_ranges[i];
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
