/*
 * The device tree the kernel gets (docs/boot.md, "Device tree"): a compact
 * copy of the one a Linux-style boot (U-Boot booti, QEMU -kernel) passes in
 * x0, or else the board's own, built into the payload. Either goes to the
 * page after the root task (payload dtb_phys), inside the kernel region.
 *
 * U-Boot `go` passes argc in x0, so x0 is only trusted after it checks out:
 * aligned, in RAM, clear of the loader (whose relocation and .bss may have
 * overwritten it), FDT magic, a sane size and a header whose blocks lie
 * inside it. Its copy is made before payload_copy() writes anything, so
 * the kernel and root task may land on top of the original; the copy itself
 * may overlap it (memmove). QEMU's tree claims 1 MiB of which a few KiB are
 * used: only the used part is copied, and the copy's totalsize says so.
 */
#include <string.h>
#include <fdt_header.h>

#include "loader.h"

#define FDT_MAX_SIZE        (2u << 20)  /* a flattened tree is far smaller */

static bool boot_loader_dtb(uint64_t candidate, struct fdt_header_facts *facts)
{
    if (candidate == 0 || candidate % 8 != 0 || !range_in_ram(candidate, FDT_HEADER_SIZE)) {
        log_info("no DTB from the boot loader (x0 was 0x%lx)", candidate);
        return false;
    }
    if (ranges_overlap(candidate, FDT_HEADER_SIZE, loader_footprint_base(),
                       loader_footprint_size())) {
        log_warn("x0 0x%lx points into the loader's own memory; its DTB is lost", candidate);
        return false;
    }
    const void *blob = (const void *)(uintptr_t)candidate;
    uint32_t size = fdt_header_totalsize(blob);
    if (size == 0) {
        log_info("no DTB from the boot loader (x0 was 0x%lx: no FDT magic there)", candidate);
        return false;
    }
    if (size > FDT_MAX_SIZE || !range_in_ram(candidate, size)) {
        log_warn("DTB at 0x%lx has an implausible size 0x%x; ignored", candidate, size);
        return false;
    }
    if (ranges_overlap(candidate, size, loader_footprint_base(), loader_footprint_size())) {
        log_warn("DTB at 0x%lx overlaps the loader, which has overwritten part of it; ignored",
                 candidate);
        return false;
    }
    enum fdt_header_status status = fdt_header_check(blob, size, facts);
    if (status != FDT_HEADER_OK) {
        log_warn("DTB at 0x%lx is malformed (%s); ignored", candidate,
                 fdt_header_status_text(status));
        return false;
    }
    log_info("DTB from the boot loader at 0x%lx: totalsize 0x%x, 0x%x bytes used", candidate,
             facts->totalsize, facts->used);
    return true;
}

static struct dtb built_in_dtb(const struct payload_header *h)
{
    if (h->dtb_size == 0) {
        log_info("DTB for the kernel: none (no DTB built in)");
        return (struct dtb){ 0, 0 };
    }
    memcpy((void *)(uintptr_t)h->dtb_phys, (const char *)h + h->dtb_offset, h->dtb_size);
    log_info("DTB for the kernel: the built-in one, 0x%lx bytes at 0x%lx", h->dtb_size,
             h->dtb_phys);
    return (struct dtb){ h->dtb_phys, h->dtb_size };
}

struct dtb dtb_place(uint64_t candidate, const struct payload_header *h)
{
    struct fdt_header_facts facts;
    if (!boot_loader_dtb(candidate, &facts))
        return built_in_dtb(h);
    uint64_t room = h->dtb_phys_limit - h->dtb_phys;
    if (facts.used > room) {
        log_warn("DTB from the boot loader (0x%x bytes used) does not fit the 0x%lx bytes after "
                 "the root task (CONFIG_KERNEL_REGION_SIZE); the built-in one is used instead",
                 facts.used, room);
        return built_in_dtb(h);
    }
    void *copy = (void *)(uintptr_t)h->dtb_phys;
    memmove(copy, (const void *)(uintptr_t)candidate, facts.used);
    fdt_header_set_totalsize(copy, facts.used);
    log_info("DTB for the kernel: compact copy of the boot loader's, 0x%x bytes at 0x%lx",
             facts.used, h->dtb_phys);
    return (struct dtb){ h->dtb_phys, facts.used };
}
