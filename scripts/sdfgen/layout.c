/* Virtual layout: page sizes of memory regions, and per PD (and per
 * virtual machine) the checks that maps are aligned, stay clear of the
 * stack, guard pages and IPC buffer, and overlap neither each other nor the
 * PD's own program image.
 *
 * PD layout (docs/architecture.md): the IPC buffer is the top user page,
 * below it an unmapped guard page, below that the stack, and below the
 * stack another unmapped guard page; maps must end at or below the bottom
 * of that lower guard page. */
#include <inttypes.h>
#include <stdlib.h>

#include "compile.h"

/* The end of a PD's address space (pds/include/pd_layout.h) depends on
 * the kernel's EL. */
static uint64_t user_top(const struct compilation *c)
{
    return c->config->kernel_el2 ? PD_USER_TOP_EL2 : PD_USER_TOP_EL1;
}
#define GUEST_TOP 0x10000000000ull /* 40-bit guest physical addresses */

/* ------------------------------------------------------------ page sizes */

/* A region gets 2 MiB pages when nothing prevents it: its size, its
 * physical address and every vaddr it is mapped at are 2 MiB aligned. */
static void mark_small_only(const struct map *map, bool *small_only)
{
    if (map->valid && map->mr >= 0 && !is_aligned(map->vaddr, LARGE_PAGE))
        small_only[map->mr] = true;
}

void choose_page_sizes(struct compilation *c)
{
    struct system *sys = &c->sys;
    bool *small_only = arena_alloc(c->arena, (sys->mrs.len + 1) * sizeof(bool));
    for (size_t i = 0; i < sys->pds.len; i++)
        for (size_t j = 0; j < sys->pds.items[i].maps.len; j++)
            mark_small_only(&sys->pds.items[i].maps.items[j], small_only);
    for (size_t i = 0; i < sys->vms.len; i++)
        for (size_t j = 0; j < sys->vms.items[i].maps.len; j++)
            mark_small_only(&sys->vms.items[i].maps.items[j], small_only);
    for (size_t i = 0; i < sys->mrs.len; i++) {
        struct mr *mr = &sys->mrs.items[i];
        if (mr->page_size_given || !mr_size_known(mr) || small_only[i] ||
            !is_aligned(mr->size, LARGE_PAGE) ||
            (mr->paddr_kind == PADDR_FIXED && !is_aligned(mr->paddr, LARGE_PAGE)))
            continue;
        mr->page_size = LARGE_PAGE;
    }
}

/* --------------------------------------------------------------- spans */

enum span_kind { SPAN_MAP, SPAN_IMAGE };

/* A range of virtual addresses taken by a map or by program image pages.
 * `end` of 0 means the range reaches the top of the 64-bit space. */
struct span {
    uint64_t start, end;
    enum span_kind kind;
    size_t index; /* into the owner's maps or image regions */
};

static int compare_spans(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return (x->index > y->index) - (x->index < y->index);
}

/* The reserved top of a PD's address space, lowest first. */
struct area {
    uint64_t start, end;
    const char *what;
};

static size_t pd_reserved_areas(const struct pd_layout *layout, uint64_t top, struct area *areas)
{
    areas[0] = (struct area){ layout->map_limit, layout->stack_bottom,
                              "the guard page below the stack" };
    areas[1] = (struct area){ layout->stack_bottom, layout->stack_top,
                              "the stack" };
    areas[2] = (struct area){ layout->stack_top, layout->ipc_buffer,
                              "the guard page above the stack" };
    areas[3] = (struct area){ layout->ipc_buffer, top, "the IPC buffer" };
    areas[4] = (struct area){ top, UINT64_MAX,
                              "the kernel half of the address space" };
    return 5;
}

static const struct area *first_area_hit(const struct area *areas, size_t count,
                                         uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < count; i++)
        if (start < areas[i].end && end > areas[i].start)
            return &areas[i];
    return &areas[count - 1];
}

/* --------------------------------------------------------------- PD maps */

struct owner {
    const char *kind; /* "protection domain" or "virtual machine" */
    const char *name;
    struct map *maps;
    size_t map_count;
    uint64_t limit; /* maps must end at or below */
    const struct area *areas;
    size_t area_count;
    const struct pd *pd; /* for program image spans, or NULL */
};

static bool check_map_alignment(struct compilation *c, const struct map *map,
                                const struct mr *mr)
{
    if (is_aligned(map->vaddr, mr->page_size))
        return true;
    diag_error(c->diag, map->vaddr_loc,
               "vaddr 0x%" PRIx64 " is not aligned to the page size 0x%" PRIx64
               " of memory region '%s'",
               map->vaddr, mr->page_size, mr->name);
    return false;
}

static bool check_map_bounds(struct compilation *c, const struct owner *owner,
                             const struct map *map, const struct mr *mr)
{
    if (mr->size > UINT64_MAX - map->vaddr) {
        diag_error(c->diag, map->vaddr_loc,
                   "map of memory region '%s' at vaddr 0x%" PRIx64
                   " with size 0x%" PRIx64
                   " runs past the end of the address space",
                   mr->name, map->vaddr, mr->size);
        return false;
    }
    uint64_t end = map->vaddr + mr->size;
    if (end <= owner->limit)
        return true;
    if (!owner->areas) {
        diag_error(c->diag, map->vaddr_loc,
                   "map of memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                   ") ends above 0x%" PRIx64 ", the top of the %s's address "
                   "space",
                   mr->name, map->vaddr, end, owner->limit, owner->kind);
        return false;
    }
    const struct area *area = first_area_hit(owner->areas, owner->area_count,
                                             map->vaddr, end);
    diag_error(c->diag, map->vaddr_loc,
               "map of memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
               ") overlaps %s of %s '%s' at [0x%" PRIx64 "..0x%" PRIx64
               "); maps must end at or below 0x%" PRIx64,
               mr->name, map->vaddr, end, area->what, owner->kind, owner->name,
               area->start, area->end, owner->limit);
    return false;
}

static void report_overlap(struct compilation *c, const struct owner *owner,
                           const struct span *x, const struct span *y)
{
    if (x->kind == SPAN_IMAGE && y->kind == SPAN_IMAGE)
        return; /* cannot happen: image regions are merged */
    if (x->kind == SPAN_IMAGE || y->kind == SPAN_IMAGE) {
        const struct span *map_span = x->kind == SPAN_MAP ? x : y;
        const struct span *image_span = x->kind == SPAN_MAP ? y : x;
        const struct map *map = &owner->maps[map_span->index];
        diag_error(c->diag, map->vaddr_loc,
                   "map of memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
                   ") overlaps the program image of protection domain '%s' at "
                   "[0x%" PRIx64 "..0x%" PRIx64 ")",
                   c->sys.mrs.items[map->mr].name, map_span->start,
                   map_span->end, owner->name, image_span->start,
                   image_span->end);
        diag_note(c->diag, owner->pd->image_loc, "program image '%s' given here",
                  owner->pd->image_path);
        return;
    }
    /* Report at the map that comes later in the document. */
    const struct span *first = x->index < y->index ? x : y;
    const struct span *later = x->index < y->index ? y : x;
    const struct map *first_map = &owner->maps[first->index];
    const struct map *later_map = &owner->maps[later->index];
    diag_error(c->diag, later_map->vaddr_loc,
               "map of memory region '%s' at [0x%" PRIx64 "..0x%" PRIx64
               ") overlaps the map of memory region '%s' at [0x%" PRIx64
               "..0x%" PRIx64 ") in %s '%s'",
               c->sys.mrs.items[later_map->mr].name, later->start, later->end,
               c->sys.mrs.items[first_map->mr].name, first->start, first->end,
               owner->kind, owner->name);
    diag_note(c->diag, first_map->loc, "the other map is here");
}

/* Sorts the spans by start and sweeps them, keeping the span that reaches
 * furthest: any span starting before that end overlaps it. */
static void check_overlaps(struct compilation *c, const struct owner *owner,
                           struct span *spans, size_t count)
{
    qsort(spans, count, sizeof *spans, compare_spans);
    const struct span *furthest = NULL;
    for (size_t i = 0; i < count; i++) {
        const struct span *span = &spans[i];
        if (furthest && span->start < furthest->end)
            report_overlap(c, owner, furthest, span);
        if (!furthest || span->end > furthest->end)
            furthest = span;
    }
}

static size_t collect_map_spans(struct compilation *c, const struct owner *owner,
                                struct span *spans)
{
    size_t count = 0;
    for (size_t i = 0; i < owner->map_count; i++) {
        const struct map *map = &owner->maps[i];
        if (!map->valid || map->mr < 0)
            continue;
        const struct mr *mr = &c->sys.mrs.items[map->mr];
        if (!mr_size_known(mr) || !check_map_alignment(c, map, mr) ||
            !check_map_bounds(c, owner, map, mr))
            continue;
        spans[count++] = (struct span){ map->vaddr, map->vaddr + mr->size,
                                        SPAN_MAP, i };
    }
    return count;
}

static size_t collect_image_spans(struct compilation *c, const struct owner *owner,
                                  struct span *spans)
{
    const struct pd *pd = owner->pd;
    size_t count = 0;
    for (size_t i = 0; pd->image && i < pd->image_regions.len; i++) {
        const struct image_region *region = &pd->image_regions.items[i];
        uint64_t end = region->vaddr + region->size;
        if (end > owner->limit) {
            const struct area *area = first_area_hit(
                owner->areas, owner->area_count, region->vaddr, end);
            diag_error(c->diag, pd->image_path_loc,
                       "program image '%s' has a segment at [0x%" PRIx64
                       "..0x%" PRIx64 ") that overlaps %s of protection "
                       "domain '%s' at [0x%" PRIx64 "..0x%" PRIx64 ")",
                       pd->image_path, region->vaddr, end, area->what,
                       pd_label(pd), area->start, area->end);
            continue;
        }
        spans[count++] = (struct span){ region->vaddr, end, SPAN_IMAGE, i };
    }
    return count;
}

static void check_owner(struct compilation *c, const struct owner *owner)
{
    size_t image_regions = owner->pd ? owner->pd->image_regions.len : 0;
    struct span *spans = arena_alloc(
        c->arena, (owner->map_count + image_regions + 1) * sizeof *spans);
    size_t count = collect_map_spans(c, owner, spans);
    if (owner->pd)
        count += collect_image_spans(c, owner, spans + count);
    check_overlaps(c, owner, spans, count);
}

static void set_pd_layout(const struct compilation *c, struct pd *pd)
{
    pd->layout.ipc_buffer = user_top(c) - PD_IPC_BUFFER_FROM_TOP;
    pd->layout.stack_top = user_top(c) - PD_STACK_TOP_FROM_TOP;
    pd->layout.stack_bottom = pd->layout.stack_top - pd->stack_size;
    pd->layout.map_limit = pd->layout.stack_bottom - SMALL_PAGE;
}

void check_virtual_layout(struct compilation *c)
{
    struct system *sys = &c->sys;
    for (size_t i = 0; i < sys->pds.len; i++) {
        struct pd *pd = &sys->pds.items[i];
        set_pd_layout(c, pd);
        struct area areas[5];
        size_t area_count = pd_reserved_areas(&pd->layout, user_top(c), areas);
        struct owner owner = {
            "protection domain", pd_label(pd), pd->maps.items, pd->maps.len,
            pd->layout.map_limit, areas, area_count, pd,
        };
        check_owner(c, &owner);
    }
    for (size_t i = 0; i < sys->vms.len; i++) {
        struct vm *vm = &sys->vms.items[i];
        struct owner owner = {
            "virtual machine", vm->name ? vm->name : "(unnamed)",
            vm->maps.items, vm->maps.len, GUEST_TOP, NULL, 0, NULL,
        };
        check_owner(c, &owner);
    }
}
