/* User address spaces (TTBR0 with 16-bit ASIDs). */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <object/structures.h>

/* Switch to the address space of thread t (no TLB flush: ASID tagged). */
void vspace_activate(tcb_t *t);
/* TTBR0 value while idle: an empty table, ASID 0. */
word_t vspace_idle_ttbr0(void);

/* User mapping attributes. */
struct vm_attributes {
    bool cacheable;
    bool device;
    bool executable;
};

/* Page-table entry for a user frame. */
word_t vspace_frame_pte(paddr_t frame, unsigned size_bits, enum vm_rights rights,
                        struct vm_attributes attrs);

/*
 * Walk the VSpace `root` towards `vaddr`: returns the level (1..3) of the first
 * missing table on the way, with *slot the entry to fill, or 4 if the walk
 * reaches a level-3 table (then *slot is the page entry).
 */
unsigned vspace_lookup_slot(page_table_t *root, vaddr_t vaddr, word_t **slot);

#endif
