/* Boot-time memory and root-task construction (used only during init). */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <object/structures.h>
#include <sel4/abi.h>

typedef struct region {
    paddr_t start;
    paddr_t end;        /* exclusive */
} region_t;

/* Free RAM: the memory map's RAM less reserved ranges and the given images. */
void boot_memory_init(region_t kernel_image, region_t user_image);
/* Zeroed, naturally aligned memory for a boot object (panics if none). */
void *boot_alloc(unsigned size_bits);
/*
 * Turn all remaining free RAM, and every physical range that is neither RAM
 * nor a kernel device, into untyped caps in `cnode` from slot `*next_slot`
 * on, described in `bi`. Returns false if some did not fit.
 */
bool boot_create_untypeds(cte_t *cnode, word_t cnode_slots, word_t *next_slot, seL4_BootInfo *bi);

/* Build the root task from its image and make it the current thread. */
void boot_create_root_task(region_t user_image_phys, word_t pv_offset, vaddr_t entry,
                           paddr_t dtb, word_t dtb_size);

#endif
