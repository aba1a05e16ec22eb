/* Where every kernel and root-task byte goes, and the checks on it. */
#ifndef MKPAYLOAD_LAYOUT_H
#define MKPAYLOAD_LAYOUT_H

#include <stdint.h>

#include "dtb_file.h"
#include "elf_file.h"
#include "payload_format.h"

struct memory_limits {
    uint64_t kernel_phys;           /* CONFIG_KERNEL_PHYS_BASE */
    uint64_t kernel_region_size;    /* CONFIG_KERNEL_REGION_SIZE */
    uint64_t loader_link;           /* CONFIG_LOADER_LINK_ADDRESS */
    uint64_t loader_region_size;    /* CONFIG_LOADER_REGION_SIZE */
    uint64_t pptr_base;             /* kernel window: vaddr = pptr_base + paddr, or: */
#define PPTR_BASE_FROM_KERNEL UINT64_MAX    /* the kernel ELF's first segment says */
};

struct layout {
    struct payload_header header;
    struct payload_region *regions;
    const uint8_t **region_data;    /* file_size bytes for each region */
    const uint8_t *dtb_data;        /* header.dtb_size bytes, or NULL */
};

/*
 * Place the kernel at its p_paddr, the root task right after it (page
 * aligned, vaddr and paddr congruent modulo 4 KiB) and the DTB (may be NULL)
 * on the next page, then fill the header and region table. Prints
 * "mkpayload: ..." and returns -1 if anything leaves the kernel region or
 * touches the loader's region.
 */
int layout_build(struct layout *out, const struct elf_file *kernel,
                 const struct elf_file *roottask, const struct dtb_file *dtb,
                 const struct memory_limits *limits);
void layout_free(struct layout *layout);

#endif
