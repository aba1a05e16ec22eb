/* Boot-time memory and root-task construction (used only during init). */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <object/structures.h>
#include <sel4/abi.h>

typedef struct region {
    paddr_t start;
    paddr_t end;        /* exclusive */
} region_t;

/* Free RAM: the memory map's RAM less reserved ranges, the given images and
 * `held` (the DTB, until boot_memory_release() after it is copied). */
void boot_memory_init(region_t kernel_image, region_t user_image, region_t held);
/* Give back a range boot_memory_init() held or boot_alloc() returned. */
void boot_memory_release(region_t range);
/*
 * The DTB the loader passed (x4, x5) as a region, or an empty one if there is
 * none or it is unusable (not in the kernel window's RAM, over an image, or
 * not a flattened device tree): the kernel then boots without it.
 */
region_t boot_dtb_region(paddr_t dtb, word_t dtb_size, region_t kernel_image, region_t user_image);
/* Zeroed, naturally aligned memory for a boot object (panics if none). */
void *boot_alloc(unsigned size_bits);
/*
 * Turn all remaining free RAM, and every physical range that is neither RAM
 * nor a kernel device, into untyped caps in `cnode` from slot `*next_slot`
 * on, described in `bi`. Returns false if some did not fit.
 */
bool boot_create_untypeds(cte_t *cnode, word_t cnode_slots, word_t *next_slot, seL4_BootInfo *bi);

/* Build the root task from its image and make it the current thread; the
 * DTB (may be empty) becomes its extra BootInfo, then free memory. */
void boot_create_root_task(region_t user_image_phys, word_t pv_offset, vaddr_t entry,
                           region_t dtb);

#endif
