/* Resources the system needs: kernel objects, frames, page tables, and
 * capability slots in the monitor, checked against the RAM the board has
 * left after the kernel, the loader, reserved and fixed ranges, and
 * against the size of the monitor's root CNode.
 *
 * Object sizes come from the user API (kernel/uapi), the PD layout from
 * pds/include/pd_layout.h: the same definitions the kernel and the monitor
 * use. Allocation padding is not counted, so the RAM figure is a lower
 * bound. */
#include <inttypes.h>
#include <stdlib.h>
#include <sel4/abi.h>

#include "compile.h"
#include "numbers.h"

#define OBJECT_BYTES(type) (UINT64_C(1) << sel4_object_size_bits(type, 0))
#define TCB_BYTES OBJECT_BYTES(seL4_TCBObject)
/* The monitor gives each PD the smallest scheduling context. */
#define SCHED_CONTEXT_BYTES (UINT64_C(1) << seL4_MinSchedContextBits)
#define ENDPOINT_BYTES OBJECT_BYTES(seL4_EndpointObject)
#define NOTIFICATION_BYTES OBJECT_BYTES(seL4_NotificationObject)
#define REPLY_BYTES OBJECT_BYTES(seL4_ReplyObject)
#define SLOT_BYTES (UINT64_C(1) << seL4_SlotBits)
#define TABLE_BYTES OBJECT_BYTES(seL4_ARM_PageTableObject)
#define VSPACE_BYTES OBJECT_BYTES(seL4_ARM_VSpaceObject)
#define VCPU_BYTES (UINT64_C(1) << seL4_VCPUBits)
#define VCPU_CNODE_BYTES (SLOT_BYTES << PD_VCPU_CNODE_BITS)
#define PD_CNODE_SLOTS (UINT64_C(1) << PD_CNODE_BITS)
#define PD_ROOT_CNODE_SLOTS (UINT64_C(1) << PD_ROOT_CNODE_BITS)
/* The monitor's root CNode also holds seL4's initial capabilities and the
 * BootInfo's untyped capabilities. */
#define MONITOR_INITIAL_SLOTS (seL4_NumInitialCaps + CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS)

/* A set of virtual pages by level: how many distinct blocks of 2^shift
 * bytes the mappings touch, computed from merged intervals so that a huge
 * mapping costs no more than a small one. */
struct block_span {
    uint64_t first, last; /* block numbers, inclusive */
};

static int compare_block_spans(const void *a, const void *b)
{
    const struct block_span *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static uint64_t count_blocks(struct block_span *spans, size_t count)
{
    qsort(spans, count, sizeof *spans, compare_block_spans);
    uint64_t total = 0;
    bool open = false;
    struct block_span current = { 0, 0 };
    for (size_t i = 0; i < count; i++) {
        if (open && spans[i].first <= current.last) {
            if (spans[i].last > current.last)
                current.last = spans[i].last;
            continue;
        }
        if (open)
            total += current.last - current.first + 1;
        current = spans[i];
        open = true;
    }
    if (open)
        total += current.last - current.first + 1;
    return total;
}

/* A mapping of the address space: [vaddr, vaddr + size) with pages of
 * page_size. */
struct vspan {
    uint64_t vaddr, size, page_size;
};

/* Page tables of a 4-level AArch64 VSpace: level-1 tables cover 512 GiB
 * (shift 39), level-2 tables 1 GiB (30), level-3 tables 2 MiB (21) and are
 * needed only where 4 KiB pages are mapped. */
static uint64_t page_tables(struct compilation *c, const struct vspan *spans,
                            size_t count)
{
    static const unsigned shifts[] = { 39, 30, 21 };
    struct block_span *blocks =
        arena_alloc(c->arena, (count + 1) * sizeof *blocks);
    uint64_t tables = 0;
    for (size_t level = 0; level < 3; level++) {
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            if (spans[i].size == 0 || (level == 2 && spans[i].page_size != SMALL_PAGE))
                continue;
            blocks[n++] = (struct block_span){
                spans[i].vaddr >> shifts[level],
                (spans[i].vaddr + spans[i].size - 1) >> shifts[level],
            };
        }
        tables += count_blocks(blocks, n);
    }
    return tables;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return a && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

static void count_map_spans(struct compilation *c, const struct map *maps,
                            size_t count, struct vspan *spans, size_t *n)
{
    struct totals *t = &c->totals;
    for (size_t i = 0; i < count; i++) {
        const struct map *map = &maps[i];
        if (!map->valid || map->mr < 0)
            continue;
        const struct mr *mr = &c->sys.mrs.items[map->mr];
        if (!mr_size_known(mr) || mr->size > UINT64_MAX - map->vaddr)
            continue;
        spans[(*n)++] = (struct vspan){ map->vaddr, mr->size, mr->page_size };
        t->mapping_caps = add_sat(t->mapping_caps, mr->size / mr->page_size);
    }
}

/* A debugger's windows on its children: more mappings in its VSpace, each
 * through a copy of the child's frame capability. */
static size_t debug_window_count(const struct compilation *c, const struct pd *pd)
{
    size_t count = 0;
    for (size_t k = 0; pd->debugger && k < c->sys.pds.len; k++)
        if (c->sys.pds.items[k].parent == pd->index)
            count += c->sys.pds.items[k].debug_windows.len;
    return count;
}

static void count_debug_window_spans(struct compilation *c, const struct pd *pd,
                                     struct vspan *spans, size_t *n)
{
    for (size_t k = 0; pd->debugger && k < c->sys.pds.len; k++) {
        const struct pd *child = &c->sys.pds.items[k];
        if (child->parent != pd->index)
            continue;
        for (size_t i = 0; i < child->debug_windows.len; i++) {
            const struct debug_window *w = &child->debug_windows.items[i];
            spans[(*n)++] = (struct vspan){ w->window, w->size, w->page_size };
            c->totals.mapping_caps = add_sat(c->totals.mapping_caps, w->size / w->page_size);
        }
    }
}

static void count_pd(struct compilation *c, const struct pd *pd)
{
    struct totals *t = &c->totals;
    bool needs_endpoint = pd_has_endpoint(pd);
    t->tcbs++;
    t->scheds++;
    t->replies++;
    t->notifications++;
    t->endpoints += needs_endpoint;
    t->cnodes += 2;
    t->vspaces++;
    t->object_bytes += TCB_BYTES + SCHED_CONTEXT_BYTES + REPLY_BYTES +
                       NOTIFICATION_BYTES + (needs_endpoint ? ENDPOINT_BYTES : 0) +
                       (PD_CNODE_SLOTS + PD_ROOT_CNODE_SLOTS) * SLOT_BYTES +
                       VSPACE_BYTES;
    t->irq_handlers += pd->irqs.len;

    struct vspan *spans = arena_alloc(
        c->arena, (pd->maps.len + pd->image_regions.len + debug_window_count(c, pd) + 2) *
                      sizeof *spans);
    size_t n = 0;
    uint64_t private_bytes = pd->stack_size + SMALL_PAGE; /* + IPC buffer */
    spans[n++] = (struct vspan){ pd->layout.stack_bottom, pd->stack_size, SMALL_PAGE };
    spans[n++] = (struct vspan){ pd->layout.ipc_buffer, SMALL_PAGE, SMALL_PAGE };
    for (size_t i = 0; pd->image && i < pd->image_regions.len; i++) {
        const struct image_region *r = &pd->image_regions.items[i];
        spans[n++] = (struct vspan){ r->vaddr, r->size, SMALL_PAGE };
        private_bytes = add_sat(private_bytes, r->size);
    }
    t->frames = add_sat(t->frames, private_bytes / SMALL_PAGE);
    t->frame_bytes = add_sat(t->frame_bytes, private_bytes);
    count_map_spans(c, pd->maps.items, pd->maps.len, spans, &n);
    count_debug_window_spans(c, pd, spans, &n);
    uint64_t tables = page_tables(c, spans, n);
    t->page_tables = add_sat(t->page_tables, tables);
    t->object_bytes = add_sat(t->object_bytes, mul_sat(tables, TABLE_BYTES));
}

static void count_vm(struct compilation *c, const struct vm *vm)
{
    struct totals *t = &c->totals;
    uint64_t vcpus = vm->vcpus.len;
    t->vcpus += vcpus;
    t->tcbs += vcpus;
    t->scheds += vcpus;
    t->cnodes += vcpus;
    t->vspaces++;
    t->object_bytes = add_sat(t->object_bytes,
                              mul_sat(vcpus, TCB_BYTES + SCHED_CONTEXT_BYTES + VCPU_BYTES +
                                                 VCPU_CNODE_BYTES) + VSPACE_BYTES);
    struct vspan *spans = arena_alloc(c->arena, (vm->maps.len + 1) * sizeof *spans);
    size_t n = 0;
    count_map_spans(c, vm->maps.items, vm->maps.len, spans, &n);
    uint64_t tables = page_tables(c, spans, n);
    t->page_tables = add_sat(t->page_tables, tables);
    t->object_bytes = add_sat(t->object_bytes, mul_sat(tables, TABLE_BYTES));
}

static void count_regions(struct compilation *c)
{
    struct totals *t = &c->totals;
    for (size_t i = 0; i < c->sys.mrs.len; i++) {
        const struct mr *mr = &c->sys.mrs.items[i];
        if (!mr_size_known(mr))
            continue;
        t->frames = add_sat(t->frames, mr->size / mr->page_size);
        /* Fixed and placed regions are not allocated from free RAM. */
        if (mr->paddr_kind == PADDR_ANY)
            t->frame_bytes = add_sat(t->frame_bytes, mr->size);
    }
}

static void count_channels(struct compilation *c)
{
    for (size_t i = 0; i < c->sys.channels.len; i++) {
        const struct channel *channel = &c->sys.channels.items[i];
        if (!channel->valid)
            continue;
        for (int e = 0; e < 2; e++)
            c->totals.channel_caps += channel->ends[e].notify + channel->ends[e].pp;
    }
}

static void check_ram(struct compilation *c)
{
    struct totals *t = &c->totals;
    for (size_t i = 0; i < c->free_ram.len; i++)
        t->ram_available = add_sat(t->ram_available, c->free_ram.items[i].size);
    if (!c->board || t->ram_needed <= t->ram_available)
        return;
    char needed[32], available[32];
    format_size_approx(needed, sizeof needed, t->ram_needed);
    format_size_approx(available, sizeof available, t->ram_available);
    diag_error(c->diag, c->sys.loc,
               "the system needs %s (0x%" PRIx64 " bytes) of RAM, but board "
               "'%s' has only %s (0x%" PRIx64 " bytes) left after the kernel, "
               "loader, reserved and fixed ranges",
               needed, t->ram_needed, c->board->name, available,
               t->ram_available);
}

static void check_monitor_slots(struct compilation *c)
{
    struct totals *t = &c->totals;
    uint64_t objects = t->tcbs + t->scheds + t->endpoints + t->notifications +
                       t->replies + t->cnodes + t->vspaces + t->page_tables +
                       t->vcpus + t->irq_handlers;
    uint64_t image_pages = t->image_bytes / SMALL_PAGE + 1;
    t->monitor_slots = add_sat(add_sat(MONITOR_INITIAL_SLOTS + objects, t->frames),
                               add_sat(t->mapping_caps, image_pages));
    t->monitor_slots_available = UINT64_C(1) << c->config->root_cnode_size_bits;
    if (t->monitor_slots <= t->monitor_slots_available)
        return;
    diag_error(c->diag, c->sys.loc,
               "the monitor needs about %" PRIu64 " capability slots, but "
               "CONFIG_ROOT_CNODE_SIZE_BITS=%" PRIu64 " gives its CNode %" PRIu64
               " slots",
               t->monitor_slots, c->config->root_cnode_size_bits,
               t->monitor_slots_available);
}

void count_resources(struct compilation *c)
{
    struct totals *t = &c->totals;
    t->pds = c->sys.pds.len;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        count_pd(c, &c->sys.pds.items[i]);
    for (size_t i = 0; i < c->sys.vms.len; i++)
        count_vm(c, &c->sys.vms.items[i]);
    count_regions(c);
    count_channels(c);
    for (size_t i = 0; i < c->embedded.len; i++)
        t->image_bytes = add_sat(t->image_bytes, c->embedded.items[i].size);
    uint64_t monitor_cnode = mul_sat(UINT64_C(1) << c->config->root_cnode_size_bits,
                                     SLOT_BYTES);
    t->ram_needed = add_sat(add_sat(t->object_bytes, t->frame_bytes), monitor_cnode);
    check_ram(c);
    check_monitor_slots(c);
}
