/* Address range arithmetic. Ends are computed in a form that cannot wrap:
 * "a ends after b starts" is written as b.base - a.base < a.size. */
#include "ranges.h"

bool range_overflows(uint64_t base, uint64_t size)
{
    /* base + size <= 2^64  <=>  size <= 2^64 - base. For base 0 any size
     * fits, and (0 - base) wraps to the right bound otherwise. */
    return base != 0 && size > (uint64_t)0 - base;
}

uint64_t range_end(struct range r)
{
    return r.size > UINT64_MAX - r.base ? UINT64_MAX : r.base + r.size;
}

static bool starts_inside(struct range r, uint64_t address)
{
    return address >= r.base && address - r.base < r.size;
}

bool ranges_overlap(struct range a, struct range b)
{
    if (a.size == 0 || b.size == 0)
        return false;
    return starts_inside(a, b.base) || starts_inside(b, a.base);
}

bool range_contains(struct range outer, struct range inner)
{
    if (inner.base < outer.base)
        return false;
    uint64_t offset = inner.base - outer.base;
    if (offset > outer.size)
        return false;
    return inner.size <= outer.size - offset;
}

uint64_t align_down(uint64_t value, uint64_t alignment)
{
    return value - value % alignment;
}

uint64_t align_up(uint64_t value, uint64_t alignment, bool *overflow)
{
    uint64_t remainder = value % alignment;
    if (remainder == 0)
        return value;
    uint64_t step = alignment - remainder;
    if (value > UINT64_MAX - step) {
        *overflow = true;
        return 0;
    }
    return value + step;
}

bool is_aligned(uint64_t value, uint64_t alignment)
{
    return value % alignment == 0;
}
