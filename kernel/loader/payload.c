/*
 * The embedded payload (kernel and root-task segments and the built-in DTB,
 * packed by scripts/mkpayload): validate it, then copy every region to its
 * physical destination with the MMU off and zero the rest of each region
 * (.bss). dtb.c places the DTB.
 *
 * Zeroing: most of a region's zero tail is whole DC ZVA blocks, which are
 * zeroed once the MMU and caches are on (payload_zero_cached), one
 * instruction a block through the kernel window; only its partial blocks
 * are written with the MMU off. Such blocks need no cache invalidation
 * before the caches go on (payload_invalidate_written): DC ZVA replaces a
 * block's whole line, stale or not. The boot time is counted in
 * instructions, and a byte store loop with the caches off was the largest
 * part of the loader's.
 */
#include <dc_zva.h>
#include <string.h>

#include "loader.h"

static const struct payload_region *regions(const struct payload_header *h)
{
    return (const struct payload_region *)((const char *)h + h->header_size);
}

static void check_header(const struct payload_header *h, uint64_t embedded_size)
{
    if (embedded_size < sizeof(*h))
        fatal("payload too small (%lu bytes)", embedded_size);
    if (h->magic != PAYLOAD_MAGIC)
        fatal("bad payload magic 0x%lx (expected 0x%llx): image corrupt or truncated",
              h->magic, PAYLOAD_MAGIC);
    if (h->version != PAYLOAD_VERSION || h->header_size != sizeof(*h) ||
        h->region_size != sizeof(struct payload_region))
        fatal("payload version %u (header %u, region %u bytes) does not match this loader "
              "(version %u): rebuild with the same tree", h->version, h->header_size,
              h->region_size, PAYLOAD_VERSION);
    if (h->total_size != embedded_size)
        fatal("payload size 0x%lx does not match the 0x%lx bytes embedded", h->total_size,
              embedded_size);
    if (h->num_regions == 0 ||
        h->num_regions > (embedded_size - sizeof(*h)) / sizeof(struct payload_region))
        fatal("payload region count %u does not fit the payload", h->num_regions);
}

static uint64_t data_start(const struct payload_header *h)
{
    return h->header_size + (uint64_t)h->num_regions * h->region_size;
}

static void check_checksum(const struct payload_header *h)
{
    uint64_t start = data_start(h);
    const uint64_t *words = (const uint64_t *)((const char *)h + start);
    uint64_t sum = payload_checksum(words, (h->total_size - start) / 8);
    if (sum != h->checksum)
        fatal("payload checksum 0x%lx, expected 0x%lx: image corrupt (incomplete transfer?)",
              sum, h->checksum);
}

static void check_region(const struct payload_header *h, unsigned i)
{
    const struct payload_region *r = &regions(h)[i];
    if (r->file_size > r->mem_size || r->offset % PAYLOAD_ALIGN != 0 ||
        r->offset < data_start(h) || r->offset > h->total_size ||
        r->file_size > h->total_size - r->offset)
        fatal("payload region %u is malformed (offset 0x%lx, file 0x%lx, mem 0x%lx)", i,
              r->offset, r->file_size, r->mem_size);
    if (!range_in_ram(r->paddr, r->mem_size))
        fatal("region %u [0x%lx, +0x%lx) is not inside RAM", i, r->paddr, r->mem_size);
    if (range_hits_reserved(r->paddr, r->mem_size))
        fatal("region %u [0x%lx, +0x%lx) overlaps reserved memory", i, r->paddr, r->mem_size);
    if (ranges_overlap(r->paddr, r->mem_size, loader_footprint_base(), loader_footprint_size()))
        fatal("region %u [0x%lx, +0x%lx) overlaps the loader [0x%lx, +0x%lx)", i, r->paddr,
              r->mem_size, loader_footprint_base(), loader_footprint_size());
    if (r->paddr < h->kernel_phys_start || r->paddr + r->mem_size > h->roottask_phys_end)
        fatal("region %u [0x%lx, +0x%lx) is outside the kernel and root-task range", i,
              r->paddr, r->mem_size);
}

/* The DTB's destination [dtb_phys, dtb_phys_limit) and the built-in bytes. */
static void check_dtb(const struct payload_header *h)
{
    uint64_t room = h->dtb_phys_limit - h->dtb_phys;
    if (h->dtb_phys % PAYLOAD_PAGE != 0 || h->dtb_phys < h->roottask_phys_end ||
        h->dtb_phys > h->dtb_phys_limit || h->dtb_size > room)
        fatal("payload DTB space [0x%lx, 0x%lx) is malformed (built-in DTB 0x%lx bytes)",
              h->dtb_phys, h->dtb_phys_limit, h->dtb_size);
    if (!range_in_ram(h->dtb_phys, room) || range_hits_reserved(h->dtb_phys, room) ||
        ranges_overlap(h->dtb_phys, room, loader_footprint_base(), loader_footprint_size()))
        fatal("payload DTB space [0x%lx, 0x%lx) is not free RAM", h->dtb_phys, h->dtb_phys_limit);
    if (h->dtb_size && (h->dtb_offset % PAYLOAD_ALIGN != 0 || h->dtb_offset < data_start(h) ||
                        h->dtb_offset > h->total_size ||
                        h->dtb_size > h->total_size - h->dtb_offset))
        fatal("payload DTB (offset 0x%lx, 0x%lx bytes) lies outside the payload", h->dtb_offset,
              h->dtb_size);
}

const struct payload_header *payload_check(void)
{
    const struct payload_header *h = (const struct payload_header *)_payload_start;
    check_header(h, (uint64_t)(_payload_end - _payload_start));
    check_checksum(h);
    for (unsigned i = 0; i < h->num_regions; i++)
        check_region(h, i);
    check_dtb(h);
    log_info("kernel: phys [0x%lx, 0x%lx), entry 0x%lx", h->kernel_phys_start,
             h->kernel_phys_end, h->kernel_entry);
    log_info("root task: phys [0x%lx, 0x%lx), pv_offset 0x%lx, entry 0x%lx",
             h->roottask_phys_start, h->roottask_phys_end, h->roottask_pv_offset,
             h->roottask_entry);
    return h;
}

/* Set by payload_copy: the DC ZVA block size the zeroing is split by (0: none). */
static uint64_t zva_block;

/* The part of region r's zero tail left to payload_zero_cached(): its whole
   DC ZVA blocks, [*lo, *hi) (empty: *lo == *hi). */
static void deferred_zero_range(const struct payload_region *r, uint64_t *lo, uint64_t *hi)
{
    uint64_t start = r->paddr + r->file_size, end = r->paddr + r->mem_size;
    *lo = *hi = end;
    if (!zva_block)
        return;
    uint64_t first = (start + zva_block - 1) & ~(zva_block - 1);
    uint64_t last = end & ~(zva_block - 1);
    if (first < last) {
        *lo = first;
        *hi = last;
    }
}

void payload_copy(const struct payload_header *h)
{
    zva_block = dc_zva_block_size();
    for (unsigned i = 0; i < h->num_regions; i++) {
        const struct payload_region *r = &regions(h)[i];
        log_info("region %u: 0x%lx bytes to 0x%lx (0x%lx zeroed)", i, r->file_size, r->paddr,
                 r->mem_size - r->file_size);
        char *dst = (char *)(uintptr_t)r->paddr;
        memcpy(dst, (const char *)h + r->offset, r->file_size);
        uint64_t lo, hi, end = r->paddr + r->mem_size;
        deferred_zero_range(r, &lo, &hi);
        memset(dst + r->file_size, 0, lo - (r->paddr + r->file_size));
        memset((char *)(uintptr_t)hi, 0, end - hi);
    }
    /* The caches are off, so the data is in RAM; the kernel's code must not
     * meet stale instruction-cache lines. */
    icache_invalidate_all();
}

void payload_invalidate_written(const struct payload_header *h)
{
    for (unsigned i = 0; i < h->num_regions; i++) {
        const struct payload_region *r = &regions(h)[i];
        uint64_t lo, hi;
        deferred_zero_range(r, &lo, &hi);
        if (lo > r->paddr)
            dcache_invalidate_range(r->paddr, lo);
        if (hi < r->paddr + r->mem_size)
            dcache_invalidate_range(hi, r->paddr + r->mem_size);
    }
}

void payload_zero_cached(const struct payload_header *h)
{
    for (unsigned i = 0; i < h->num_regions; i++) {
        uint64_t lo, hi;
        deferred_zero_range(&regions(h)[i], &lo, &hi);
        if (lo < hi)
            dc_zva_range(PPTR_BASE + lo, PPTR_BASE + hi, zva_block);
    }
    /* Done before another core (a secondary, the kernel's) may look. */
    __asm__ volatile("dsb ish" ::: "memory");
}
