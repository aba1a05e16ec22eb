/*
 * The device tree a Linux-style boot (U-Boot booti, QEMU -kernel) passes in
 * x0. U-Boot `go` passes argc there instead, so x0 is only trusted after it
 * checks out: aligned, in RAM, FDT magic, a sane size, and clear of every
 * range the loader is about to overwrite.
 */
#include "loader.h"

#define FDT_MAGIC           0xd00dfeedu
#define FDT_HEADER_SIZE     40u
#define FDT_MAX_SIZE        (2u << 20)  /* a flattened tree is far smaller */

static uint32_t be32(const volatile uint32_t *p)
{
    return __builtin_bswap32(*p);
}

static bool clear_of_payload(uint64_t base, uint64_t size, const struct payload_header *h)
{
    if (ranges_overlap(base, size, loader_footprint_base(), loader_footprint_size())) {
        log_warn("DTB at 0x%lx overlaps the loader; not passed to the kernel", base);
        return false;
    }
    if (ranges_overlap(base, size, h->kernel_phys_start,
                       h->roottask_phys_end - h->kernel_phys_start)) {
        log_warn("DTB at 0x%lx overlaps the kernel or root task; not passed to the kernel", base);
        return false;
    }
    return true;
}

struct dtb dtb_find(uint64_t candidate, const struct payload_header *h)
{
    struct dtb none = { 0, 0 };
    if (candidate == 0 || candidate % 8 != 0 || !range_in_ram(candidate, FDT_HEADER_SIZE)) {
        log_info("no DTB (x0 was 0x%lx)", candidate);
        return none;
    }
    if (ranges_overlap(candidate, FDT_HEADER_SIZE, loader_footprint_base(),
                       loader_footprint_size())) {
        /* Relocation or .bss zeroing has overwritten whatever was there. */
        log_warn("x0 0x%lx points into the loader's own memory; no DTB passed to the kernel",
                 candidate);
        return none;
    }
    const volatile uint32_t *header = (const volatile uint32_t *)(uintptr_t)candidate;
    if (be32(&header[0]) != FDT_MAGIC) {
        log_info("no DTB (x0 was 0x%lx: no FDT magic there)", candidate);
        return none;
    }
    uint32_t size = be32(&header[1]);
    if (size < FDT_HEADER_SIZE || size > FDT_MAX_SIZE || !range_in_ram(candidate, size)) {
        log_warn("DTB at 0x%lx has an implausible size 0x%x; ignored", candidate, size);
        return none;
    }
    if (!clear_of_payload(candidate, size, h))
        return none;
    log_info("DTB at 0x%lx, 0x%x bytes", candidate, size);
    return (struct dtb){ candidate, size };
}
