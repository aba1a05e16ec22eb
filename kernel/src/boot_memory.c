/*
 * Boot-time physical memory. The kernel keeps a short list of free RAM
 * regions while it builds the root task, then hands everything left over to
 * the root task as untyped memory and never allocates again.
 */
#include <kernel/boot.h>
#include <kernel/assert.h>
#include <kernel/cdt.h>
#include <kernel/print.h>
#include <arch/cache.h>
#include <arch/machine.h>
#include <arch/mmu.h>
#include <fdt_header.h>
#include <memory_map.h>

#define MAX_FREE_REGIONS 64

static region_t free_ram[MAX_FREE_REGIONS];
static unsigned free_count;

static void add_free(paddr_t start, paddr_t end)
{
    if (start >= end)
        return;
    if (free_count == MAX_FREE_REGIONS)
        kernel_panic("boot: too many free memory regions");
    free_ram[free_count++] = (region_t){ start, end };
}

/* Remove [start, end) from every free region, splitting where needed. */
static void remove_range(paddr_t start, paddr_t end)
{
    for (unsigned i = 0; i < free_count; i++) {
        region_t r = free_ram[i];
        if (end <= r.start || r.end <= start)
            continue;
        free_ram[i] = free_ram[--free_count];
        add_free(r.start, start > r.start ? start : r.start);
        add_free(end < r.end ? end : r.end, r.end);
        i = (unsigned)-1;   /* the list changed: rescan */
    }
}

static bool regions_overlap(region_t a, region_t b)
{
    return a.start < b.end && b.start < a.end;
}

region_t boot_dtb_region(paddr_t dtb, word_t dtb_size, region_t kernel_image, region_t user_image)
{
    region_t none = { 0, 0 }, r = { dtb, dtb + dtb_size };
    if (dtb_size == 0)
        return none;
    if (r.end < r.start || !mmu_is_kernel_ram(dtb, dtb_size) ||
        regions_overlap(r, kernel_image) || regions_overlap(r, user_image)) {
        kprintf("KERNEL|WARNING: DTB [0x%lx, 0x%lx) is not in free RAM: ignored\n", r.start, r.end);
        return none;
    }
    struct fdt_header_facts facts;
    enum fdt_header_status status = fdt_header_check(ptr_from_paddr(dtb), dtb_size, &facts);
    if (status != FDT_HEADER_OK) {
        kprintf("KERNEL|WARNING: DTB at 0x%lx: %s: ignored\n", dtb, fdt_header_status_text(status));
        return none;
    }
    return r;
}

void boot_memory_release(region_t range)
{
    add_free(range.start, range.end);
}

void boot_memory_init(region_t kernel_image, region_t user_image, region_t held)
{
    static const struct { paddr_t base; word_t size; } ram[] = BOARD_RAM_RANGES;
#if BOARD_NUM_RESERVED_RANGES > 0
    static const struct { paddr_t base; word_t size; } reserved[] = BOARD_RESERVED_RANGES;
#endif
    for (unsigned i = 0; i < ARRAY_SIZE(ram); i++)
        add_free(ram[i].base, ram[i].base + ram[i].size);
#if BOARD_NUM_RESERVED_RANGES > 0
    for (unsigned i = 0; i < ARRAY_SIZE(reserved); i++)
        remove_range(reserved[i].base, reserved[i].base + reserved[i].size);
#endif
    remove_range(kernel_image.start, kernel_image.end);
    remove_range(user_image.start, user_image.end);
    remove_range(held.start, held.end);
}

/* The highest 2^size_bits-aligned block below `limit` in a free region. */
static int find_top(unsigned size_bits, paddr_t limit, paddr_t *found)
{
    int best = -1;
    for (unsigned i = 0; i < free_count; i++) {
        paddr_t end = MIN(free_ram[i].end, limit);
        if (end < BIT(size_bits) || end <= free_ram[i].start)
            continue;
        paddr_t base = ROUND_DOWN(end - BIT(size_bits), size_bits);
        if (base >= free_ram[i].start && (best < 0 || base > *found)) {
            best = (int)i;
            *found = base;
        }
    }
    return best;
}

void *boot_alloc(unsigned size_bits)
{
    /* First from the top of the RAM reserved for the kernel and root-task
       images (CONFIG_KERNEL_PHYS_BASE, CONFIG_KERNEL_REGION_SIZE): the
       system description compiler never places memory regions there, so
       every other byte it counts as free reaches the root task as untyped
       memory. Otherwise from the top of the highest region that fits: low
       memory stays in large aligned blocks for the untypeds. */
    paddr_t region_end = (paddr_t)CONFIG_KERNEL_PHYS_BASE + CONFIG_KERNEL_REGION_SIZE;
    paddr_t best_base = 0;
    int best = find_top(size_bits, region_end, &best_base);
    if (best < 0 || best_base < (paddr_t)CONFIG_KERNEL_PHYS_BASE)
        best = find_top(size_bits, ~(paddr_t)0, &best_base);
    if (best < 0)
        kernel_panic("boot: out of memory for a 2^%u-byte object", size_bits);
    remove_range(best_base, best_base + BIT(size_bits));
    void *p = ptr_from_paddr(best_base);
    clear_memory((uintptr_t)p, BIT(size_bits));
    return p;
}

/* Largest power-of-two block aligned at `start` that fits before `end`. */
static unsigned block_bits(paddr_t start, paddr_t end)
{
    unsigned bits = start ? (unsigned)__builtin_ctzll(start) : 63;
    while (bits > 0 && (bits > seL4_MaxUntypedBits || start + BIT(bits) > end || start + BIT(bits) < start))
        bits--;
    return bits;
}

struct untyped_sink {
    cte_t *cnode;
    word_t slots;
    word_t *next;
    seL4_BootInfo *bi;
    bool complete;
};

static void add_untyped(struct untyped_sink *s, paddr_t start, paddr_t end, bool device)
{
    while (start < end) {
        unsigned bits = block_bits(start, end);
        if (bits < seL4_MinUntypedBits)
            return;
        word_t n = s->bi->untyped.end - s->bi->untyped.start;
        if (n == CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS || *s->next >= s->slots) {
            s->complete = false;
            return;
        }
        cdt_insert_root(&s->cnode[*s->next], cap_untyped_new(start, bits, device, 0), true);
        s->bi->untypedList[n] = (seL4_UntypedDesc){ .paddr = start, .sizeBits = (seL4_Uint8)bits,
                                                    .isDevice = device };
        (*s->next)++;
        s->bi->untyped.end++;
        start += BIT(bits);
    }
}

static int compare_regions(const region_t *a, const region_t *b)
{
    return a->start < b->start ? -1 : a->start > b->start;
}

static void sort_regions(region_t *r, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && compare_regions(&r[j - 1], &r[j]) > 0; j--) {
            region_t tmp = r[j];
            r[j] = r[j - 1];
            r[j - 1] = tmp;
        }
}

/* Join touching free regions of a sorted list (a released range meets the
 * ones around it), so untypeds come out as large as alignment allows. */
static void merge_free_regions(void)
{
    unsigned out = 0;
    for (unsigned i = 0; i < free_count; i++) {
        if (out > 0 && free_ram[out - 1].end >= free_ram[i].start)
            free_ram[out - 1].end = MAX(free_ram[out - 1].end, free_ram[i].end);
        else
            free_ram[out++] = free_ram[i];
    }
    free_count = out;
}

/* Device untypeds: the gaps between RAM and kernel-only devices up to the PA limit. */
static void add_device_untypeds(struct untyped_sink *s)
{
    static const struct { paddr_t base; word_t size; } ram[] = BOARD_RAM_RANGES;
    static const struct { paddr_t base; word_t size; int kernel; const char *name; } dev[] = BOARD_DEVICE_RANGES;
    region_t used[ARRAY_SIZE(ram) + ARRAY_SIZE(dev)];
    unsigned n = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(ram); i++)
        used[n++] = (region_t){ ram[i].base, ram[i].base + ram[i].size };
    for (unsigned i = 0; i < ARRAY_SIZE(dev); i++)
        if (dev[i].kernel)
            used[n++] = (region_t){ ROUND_DOWN(dev[i].base, PAGE_BITS),
                                    ROUND_UP(dev[i].base + dev[i].size, PAGE_BITS) };
    sort_regions(used, n);
    paddr_t cursor = 0, limit = BIT(arch_phys_addr_bits());
    for (unsigned i = 0; i < n; i++) {
        if (used[i].start > cursor)
            add_untyped(s, cursor, used[i].start, true);
        cursor = MAX(cursor, used[i].end);
    }
    add_untyped(s, cursor, limit, true);
}

bool boot_create_untypeds(cte_t *cnode, word_t cnode_slots, word_t *next_slot, seL4_BootInfo *bi)
{
    struct untyped_sink sink = { cnode, cnode_slots, next_slot, bi, true };
    bi->untyped.start = bi->untyped.end = *next_slot;
    /* RAM first: if the list overflows, device ranges are what is lost. */
    sort_regions(free_ram, free_count);
    merge_free_regions();
    for (unsigned i = 0; i < free_count; i++)
        add_untyped(&sink, free_ram[i].start, free_ram[i].end, false);
    add_device_untypeds(&sink);
    return sink.complete;
}
