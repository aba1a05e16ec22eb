/* Physical layout: regions with a fixed phys_addr must lie in the board's
 * RAM or in one of its devices, clear of kernel-only devices, reserved
 * RAM, the kernel and root-task images and the loader, and clear of each
 * other. Then the RAM left over is worked out (the monitor allocates from
 * it at boot), and regions whose physical address a <setvar region_paddr>
 * needs but the SDF does not fix are placed in it, from the top down. */
#include <inttypes.h>
#include <stdlib.h>

#include "compile.h"

/* A range of RAM nobody else may use, with what it is for messages. */
struct exclusion {
    struct range range;
    const char *what;
};

static size_t ram_exclusions(const struct compilation *c, struct exclusion *out)
{
    size_t count = 0;
    const struct board *board = c->board;
    for (size_t i = 0; i < board->ranges.len; i++) {
        const struct board_range *r = &board->ranges.items[i];
        if (r->kind == RANGE_RESERVED)
            out[count++] = (struct exclusion){
                { r->base, r->size },
                arena_printf(c->arena, "the reserved range '%s'", r->name),
            };
    }
    if (c->config->has_kernel_region)
        out[count++] = (struct exclusion){
            { c->config->kernel_base, c->config->kernel_size },
            "the kernel and root-task images (CONFIG_KERNEL_PHYS_BASE, "
            "CONFIG_KERNEL_REGION_SIZE)",
        };
    if (c->config->has_loader_region)
        out[count++] = (struct exclusion){
            { c->config->loader_base, c->config->loader_size },
            "the loader image (CONFIG_LOADER_LINK_ADDRESS, "
            "CONFIG_LOADER_REGION_SIZE)",
        };
    return count;
}

static const struct board_range *containing_range(const struct board *board,
                                                  struct range r)
{
    for (size_t i = 0; i < board->ranges.len; i++) {
        const struct board_range *b = &board->ranges.items[i];
        if (b->kind != RANGE_RESERVED &&
            range_contains((struct range){ b->base, b->size }, r))
            return b;
    }
    return NULL;
}

static const struct board_range *kernel_device_hit(const struct board *board,
                                                   struct range r)
{
    for (size_t i = 0; i < board->ranges.len; i++) {
        const struct board_range *b = &board->ranges.items[i];
        if (b->kernel_only && ranges_overlap((struct range){ b->base, b->size }, r))
            return b;
    }
    return NULL;
}

static void check_fixed_region(struct compilation *c, struct mr *mr,
                               const struct exclusion *exclusions,
                               size_t exclusion_count)
{
    struct range r = { mr->paddr, mr->size };
    uint64_t end = range_end(r);
    const struct board_range *device = kernel_device_hit(c->board, r);
    if (device) {
        diag_error(c->diag, mr->paddr_loc,
                   "memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                   ") overlaps device '%s', which the kernel keeps for itself",
                   mr->name, mr->paddr, end, device->name);
        mr->valid = false;
        return;
    }
    const struct board_range *home = containing_range(c->board, r);
    if (!home) {
        diag_error(c->diag, mr->paddr_loc,
                   "memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                   ") is not inside the RAM or a device of board '%s' (see %s)",
                   mr->name, mr->paddr, end, c->board->name,
                   c->board->map_file);
        mr->valid = false;
        return;
    }
    mr->in_device_memory = home->kind == RANGE_DEVICE;
    for (size_t i = 0; !mr->in_device_memory && i < exclusion_count; i++)
        if (ranges_overlap(exclusions[i].range, r)) {
            diag_error(c->diag, mr->paddr_loc,
                       "memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                       ") overlaps %s at [0x%" PRIx64 "..0x%" PRIx64 ")",
                       mr->name, mr->paddr, end, exclusions[i].what,
                       exclusions[i].range.base, range_end(exclusions[i].range));
            mr->valid = false;
            return;
        }
    if (mr->in_device_memory && mr->prefill_path) {
        diag_error(c->diag, mr->prefill_loc,
                   "memory region '%s' is device memory and cannot be "
                   "prefilled",
                   mr->name);
        mr->valid = false;
    }
}

static int compare_fixed(const void *a, const void *b)
{
    const struct mr *x = *(const struct mr *const *)a;
    const struct mr *y = *(const struct mr *const *)b;
    if (x->paddr != y->paddr)
        return (x->paddr > y->paddr) - (x->paddr < y->paddr);
    return (x > y) - (x < y);
}

/* Sort by address and sweep, as for virtual maps (layout.c). */
static void check_fixed_overlaps(struct compilation *c)
{
    struct system *sys = &c->sys;
    const struct mr **fixed = arena_alloc(c->arena, (sys->mrs.len + 1) * sizeof *fixed);
    size_t count = 0;
    for (size_t i = 0; i < sys->mrs.len; i++) {
        const struct mr *mr = &sys->mrs.items[i];
        if (mr->paddr_kind == PADDR_FIXED && mr_size_known(mr))
            fixed[count++] = mr;
    }
    qsort(fixed, count, sizeof *fixed, compare_fixed);
    const struct mr *furthest = NULL;
    for (size_t i = 0; i < count; i++) {
        const struct mr *mr = fixed[i];
        struct range r = { mr->paddr, mr->size };
        if (furthest &&
            ranges_overlap(r, (struct range){ furthest->paddr, furthest->size })) {
            const struct mr *first = furthest < mr ? furthest : mr;
            const struct mr *later = furthest < mr ? mr : furthest;
            diag_error(c->diag, later->paddr_loc,
                       "memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                       ") overlaps memory region '%s' at [0x%" PRIx64
                       "..0x%" PRIx64 ")",
                       later->name, later->paddr,
                       range_end((struct range){ later->paddr, later->size }),
                       first->name, first->paddr,
                       range_end((struct range){ first->paddr, first->size }));
            diag_note(c->diag, first->loc, "'%s' defined here", first->name);
        }
        if (!furthest || range_end(r) > range_end((struct range){
                                            furthest->paddr, furthest->size }))
            furthest = mr;
    }
}

/* ---------------------------------------------------------- free RAM */

static int compare_ranges(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return (x->base > y->base) - (x->base < y->base);
}

/* The RAM ranges minus the cuts, in ascending order. Both lists are sorted
 * first, so each RAM range takes one pass over the cuts. */
static void compute_free_ram(struct compilation *c, const struct exclusion *exclusions,
                             size_t exclusion_count)
{
    const struct board *board = c->board;
    const struct system *sys = &c->sys;
    struct range *ram = arena_alloc(c->arena, (board->ranges.len + 1) * sizeof *ram);
    struct range *cuts = arena_alloc(
        c->arena, (exclusion_count + sys->mrs.len + 1) * sizeof *cuts);
    size_t ram_count = 0, cut_count = 0;
    for (size_t i = 0; i < board->ranges.len; i++)
        if (board->ranges.items[i].kind == RANGE_RAM)
            ram[ram_count++] = (struct range){ board->ranges.items[i].base,
                                               board->ranges.items[i].size };
    for (size_t i = 0; i < exclusion_count; i++)
        cuts[cut_count++] = exclusions[i].range;
    for (size_t i = 0; i < sys->mrs.len; i++) {
        const struct mr *mr = &sys->mrs.items[i];
        if (mr->paddr_kind == PADDR_FIXED && mr_size_known(mr) &&
            !mr->in_device_memory && !range_overflows(mr->paddr, mr->size))
            cuts[cut_count++] = (struct range){ mr->paddr, mr->size };
    }
    qsort(ram, ram_count, sizeof *ram, compare_ranges);
    qsort(cuts, cut_count, sizeof *cuts, compare_ranges);
    c->free_ram.len = 0;
    for (size_t i = 0; i < ram_count; i++) {
        uint64_t pos = ram[i].base, end = range_end(ram[i]);
        for (size_t k = 0; k < cut_count && cuts[k].base < end; k++) {
            uint64_t cut_end = range_end(cuts[k]);
            if (cut_end <= pos)
                continue;
            if (cuts[k].base > pos)
                *VEC_PUSH(c->arena, &c->free_ram) =
                    (struct range){ pos, cuts[k].base - pos };
            pos = cut_end;
        }
        if (pos < end)
            *VEC_PUSH(c->arena, &c->free_ram) = (struct range){ pos, end - pos };
    }
}

void check_physical_layout(struct compilation *c)
{
    if (!c->board)
        return;
    struct exclusion *exclusions =
        arena_alloc(c->arena, (c->board->ranges.len + 2) * sizeof *exclusions);
    size_t exclusion_count = ram_exclusions(c, exclusions);
    for (size_t i = 0; i < c->sys.mrs.len; i++) {
        struct mr *mr = &c->sys.mrs.items[i];
        if (mr->paddr_kind != PADDR_FIXED || !mr_size_known(mr))
            continue;
        if (range_overflows(mr->paddr, mr->size)) {
            diag_error(c->diag, mr->paddr_loc,
                       "memory region '%s' at phys_addr 0x%" PRIx64
                       " with size 0x%" PRIx64
                       " runs past the end of the address space",
                       mr->name, mr->paddr, mr->size);
            mr->valid = false;
            continue;
        }
        check_fixed_region(c, mr, exclusions, exclusion_count);
    }
    check_fixed_overlaps(c);
    compute_free_ram(c, exclusions, exclusion_count);
}

/* ---------------------------------------------------------- placement */

/* Regions are placed top-down, in the order of the SDF, by a cursor that
 * only moves down through the free list: linear however many regions
 * there are, at the price of not going back to fill a gap left above. */
struct placer {
    size_t range; /* index into free_ram + 1; 0 = exhausted */
    uint64_t top; /* free space of the current range ends here */
};

static bool place_one(struct compilation *c, struct placer *placer,
                      uint64_t size, uint64_t alignment, uint64_t *paddr)
{
    while (placer->range > 0) {
        struct range r = c->free_ram.items[placer->range - 1];
        if (placer->top - r.base >= size) {
            uint64_t start = align_down(placer->top - size, alignment);
            if (start >= r.base) {
                *paddr = start;
                placer->top = start;
                return true;
            }
        }
        if (--placer->range > 0)
            placer->top = range_end(c->free_ram.items[placer->range - 1]);
    }
    return false;
}

static void place_region(struct compilation *c, struct placer *placer,
                         struct mr *mr, struct loc loc)
{
    struct placer before = *placer;
    if (!place_one(c, placer, mr->size, mr->page_size, &mr->paddr)) {
        *placer = before; /* smaller regions may still fit */
        diag_error(c->diag, loc,
                   "no free RAM is left to place memory region '%s' (0x%" PRIx64
                   " bytes)",
                   mr->name, mr->size);
        mr->valid = false;
        return;
    }
    mr->paddr_kind = PADDR_PLACED;
}

void place_regions(struct compilation *c)
{
    if (!c->board)
        return;
    struct system *sys = &c->sys;
    struct placer placer = { c->free_ram.len, 0 };
    if (placer.range)
        placer.top = range_end(c->free_ram.items[placer.range - 1]);
    for (size_t i = 0; i < sys->pds.len; i++) {
        const struct pd *pd = &sys->pds.items[i];
        for (size_t j = 0; j < pd->setvars.len; j++) {
            const struct setvar *setvar = &pd->setvars.items[j];
            if (setvar->mr < 0)
                continue;
            struct mr *mr = &sys->mrs.items[setvar->mr];
            if (mr->paddr_kind == PADDR_ANY && mr_size_known(mr))
                place_region(c, &placer, mr, setvar->mr_loc);
        }
    }
    /* What is left for the monitor: the ranges below the cursor, and the
     * part of the cursor's range below its top. */
    if (placer.range > 0) {
        struct range *r = &c->free_ram.items[placer.range - 1];
        r->size = placer.top - r->base;
    }
    c->free_ram.len = placer.range;
}
