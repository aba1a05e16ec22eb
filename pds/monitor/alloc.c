/*
 * Capability slots and untyped memory.
 *
 * Slots come from the BootInfo's empty range, in order. Objects come from
 * the BootInfo untypeds: the monitor mirrors each untyped's watermark (the
 * kernel's free index), so it knows where the next object of a given size
 * lands. Ordinary objects go to the RAM untyped that wastes least to
 * alignment. Frames at a fixed physical address come from the untyped
 * (device or RAM) holding that address: its watermark is first advanced
 * to the address with "filler" untyped objects, and RAM fillers of a page
 * or more join the pool for ordinary allocation.
 */
#include "monitor.h"

#define MAX_UNTYPEDS (CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS + 256)
#define RETYPE_MAX 256  /* objects per Untyped_Retype (seL4's fan-out limit) */

struct untyped {
    seL4_CPtr cap;
    uint64_t paddr;
    uint64_t watermark;     /* bytes from paddr already handed out */
    uint8_t bits;
    bool device;
    bool filler;            /* carved from another untyped */
};

static struct untyped untypeds[MAX_UNTYPEDS];
static unsigned untyped_count;
static seL4_CPtr next_slot, end_slot;
static uint64_t ram_bytes;

static uint64_t align_up(uint64_t x, unsigned bits)
{
    uint64_t mask = (1ull << bits) - 1;
    return (x + mask) & ~mask;
}

static uint64_t untyped_end(const struct untyped *u)
{
    return u->paddr + (1ull << u->bits);
}

void alloc_init(void)
{
    next_slot = bootinfo->empty.start;
    end_slot = bootinfo->empty.end;
    seL4_Word count = bootinfo->untyped.end - bootinfo->untyped.start;
    for (seL4_Word i = 0; i < count && untyped_count < MAX_UNTYPEDS; i++) {
        const seL4_UntypedDesc *d = &bootinfo->untypedList[i];
        untypeds[untyped_count++] = (struct untyped){
            .cap = bootinfo->untyped.start + i,
            .paddr = d->paddr,
            .bits = d->sizeBits,
            .device = d->isDevice,
        };
        if (!d->isDevice)
            ram_bytes += 1ull << d->sizeBits;
    }
}

uint64_t ram_total(void)
{
    return ram_bytes;
}

uint64_t ram_used(void)
{
    uint64_t used = 0;
    for (unsigned i = 0; i < untyped_count; i++)
        if (!untypeds[i].device && !untypeds[i].filler)
            used += untypeds[i].watermark;
    /* RAM fillers were counted whole by their parent; give back what of
     * them is still free. */
    for (unsigned i = 0; i < untyped_count; i++)
        if (!untypeds[i].device && untypeds[i].filler)
            used -= (1ull << untypeds[i].bits) - untypeds[i].watermark;
    return used;
}

seL4_CPtr slot_alloc(unsigned count)
{
    if (count > end_slot - next_slot)
        fail("out of capability slots: the monitor's CNode has 2^%lu slots and %lu are "
             "free, %u more are needed (raise CONFIG_ROOT_CNODE_SIZE_BITS)",
             (unsigned long)bootinfo->initThreadCNodeSizeBits,
             (unsigned long)(end_slot - next_slot), count);
    seL4_CPtr first = next_slot;
    next_slot += count;
    return first;
}

seL4_Word slots_used(void)
{
    return next_slot - bootinfo->empty.start;
}

seL4_Word slots_free(void)
{
    return end_slot - next_slot;
}

static void retype(struct untyped *u, seL4_Word type, seL4_Word size_bits, seL4_CPtr slot,
                   unsigned count, uint64_t start, const char *what)
{
    seL4_Error err = seL4_Untyped_Retype(u->cap, type, size_bits, seL4_CapInitThreadCNode, 0, 0,
                                         slot, count);
    check(err, "%s (%u object%s from the untyped at 0x%lx, 2^%u bytes)", what, count,
          count == 1 ? "" : "s", (unsigned long)u->paddr, u->bits);
    unsigned bits = (unsigned)sel4_object_size_bits(type, size_bits);
    u->watermark = start + ((uint64_t)count << bits) - u->paddr;
    stats.retypes++;
    if (type < seL4_ObjectTypeCount) {
        stats.objects[type] += count;
        if (!u->device)
            stats.bytes[type] += (uint64_t)count << bits;
    }
}

/* The RAM untyped for objects of 2^bits: least padding, then the fullest
 * (big free blocks stay for big objects). */
static struct untyped *choose(unsigned bits)
{
    struct untyped *best = NULL;
    uint64_t best_waste = 0, best_free = 0;
    for (unsigned i = 0; i < untyped_count; i++) {
        struct untyped *u = &untypeds[i];
        if (u->device || u->bits < bits)
            continue;
        uint64_t cur = u->paddr + u->watermark;
        uint64_t start = align_up(cur, bits);
        if (start + (1ull << bits) > untyped_end(u))
            continue;
        uint64_t waste = start - cur, free = untyped_end(u) - start;
        if (!best || waste < best_waste || (waste == best_waste && free < best_free)) {
            best = u;
            best_waste = waste;
            best_free = free;
        }
    }
    return best;
}

seL4_CPtr alloc_objects(seL4_Word type, seL4_Word size_bits, unsigned count, const char *what)
{
    unsigned bits = (unsigned)sel4_object_size_bits(type, size_bits);
    seL4_CPtr first = slot_alloc(count);
    unsigned done = 0;
    while (done < count) {
        struct untyped *u = choose(bits);
        if (!u)
            fail("%s: out of memory (no untyped has 2^%u bytes left; %lu KiB of %lu KiB of "
                 "RAM used)",
                 what, bits, (unsigned long)(ram_used() >> 10),
                 (unsigned long)(ram_total() >> 10));
        uint64_t start = align_up(u->paddr + u->watermark, bits);
        uint64_t fit = (untyped_end(u) - start) >> bits;
        unsigned n = count - done;
        if (n > fit)
            n = (unsigned)fit;
        if (n > RETYPE_MAX)
            n = RETYPE_MAX;
        retype(u, type, size_bits, first + done, n, start, what);
        done += n;
    }
    return first;
}

static struct untyped *holding(uint64_t paddr)
{
    /* Fillers lie inside their parents: prefer the smallest that holds it. */
    struct untyped *best = NULL;
    for (unsigned i = 0; i < untyped_count; i++) {
        struct untyped *u = &untypeds[i];
        if (paddr >= u->paddr && paddr < untyped_end(u) && (!best || u->bits < best->bits))
            best = u;
    }
    return best;
}

static void add_filler(struct untyped *parent, seL4_CPtr cap, uint64_t paddr, unsigned bits)
{
    if (parent->device)
        return;
    if (bits < PAGE_BITS || untyped_count == MAX_UNTYPEDS) {
        stats.filler_bytes += 1ull << bits;     /* RAM nobody will use */
        return;
    }
    untypeds[untyped_count++] = (struct untyped){
        .cap = cap, .paddr = paddr, .bits = (uint8_t)bits, .filler = true,
    };
}

/* Advance u's watermark to exactly `target` with untyped fillers. */
static void fill_to(struct untyped *u, uint64_t target, const char *what)
{
    uint64_t cur = u->paddr + u->watermark;
    while (cur < target) {
        unsigned bits = cur ? (unsigned)__builtin_ctzll(cur) : 63;
        if (bits > u->bits)
            bits = u->bits;
        while (bits > seL4_MinUntypedBits && cur + (1ull << bits) > target)
            bits--;
        if (bits > seL4_MaxUntypedBits)
            bits = seL4_MaxUntypedBits;
        seL4_CPtr slot = slot_alloc(1);
        seL4_Error err = seL4_Untyped_Retype(u->cap, seL4_UntypedObject, bits,
                                             seL4_CapInitThreadCNode, 0, 0, slot, 1);
        check(err, "%s: skipping untyped memory at 0x%lx (2^%u bytes) to reach 0x%lx", what,
              (unsigned long)cur, bits, (unsigned long)target);
        stats.retypes++;
        add_filler(u, slot, cur, bits);
        cur += 1ull << bits;
        u->watermark = cur - u->paddr;
    }
}

seL4_CPtr alloc_frames_at(uint64_t paddr, unsigned page_bits, unsigned count, const char *what)
{
    seL4_Word type = page_bits == LARGE_PAGE_BITS ? seL4_ARM_LargePageObject
                                                  : seL4_ARM_SmallPageObject;
    seL4_CPtr first = slot_alloc(count);
    unsigned done = 0;
    while (done < count) {
        uint64_t at = paddr + ((uint64_t)done << page_bits);
        struct untyped *u = holding(at);
        if (!u)
            fail("%s: no untyped memory holds physical address 0x%lx (the kernel kept it, "
                 "or it is outside the board's memory map)",
                 what, (unsigned long)at);
        if (u->paddr + u->watermark > at)
            fail("%s: physical memory at 0x%lx is already in use (the untyped at 0x%lx is "
                 "used up to 0x%lx)",
                 what, (unsigned long)at, (unsigned long)u->paddr,
                 (unsigned long)(u->paddr + u->watermark));
        if (u->bits < page_bits)
            fail("%s: physical address 0x%lx lies in an untyped of only 2^%u bytes, too small "
                 "for its 2^%u-byte pages",
                 what, (unsigned long)at, u->bits, page_bits);
        fill_to(u, at, what);
        uint64_t fit = (untyped_end(u) - at) >> page_bits;
        unsigned n = count - done;
        if (n > fit)
            n = (unsigned)fit;
        if (n > RETYPE_MAX)
            n = RETYPE_MAX;
        retype(u, type, 0, first + done, n, at, what);
        done += n;
    }
    return first;
}
