/* User address spaces (TTBR0 with 16-bit ASIDs). */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <object/structures.h>

/*
 * Threads switch address space through arch_switch_to_thread (arch/switch.h).
 * A thread whose VSpace cap is not assigned, or whose ASID no longer names
 * that VSpace (pool or ASID deleted), runs on the empty table instead.
 * Some thread's address space may have changed: re-check all on switch.
 */
void vspace_roots_changed(void);
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

/* Does leaf entry `pte` (one vspace_frame_pte made) let its thread read
   the frame, and is that frame normal memory (not a device)? */
bool vspace_pte_user_readable_normal(word_t pte);

/*
 * Walk the VSpace `root` towards `vaddr`: returns the level (1..3) of the first
 * missing table on the way, with *slot the entry to fill, or 4 if the walk
 * reaches a level-3 table (then *slot is the page entry).
 */
unsigned vspace_lookup_slot(page_table_t *root, vaddr_t vaddr, word_t **slot);

/*
 * seL4's lookupPTSlot: the first entry on the walk from `root` towards
 * `vaddr` that is not a table descriptor, and the address bits that entry
 * covers (39, 30, 21 or 12: its level).
 */
typedef struct pt_slot {
    word_t *pte;
    unsigned bits;
} pt_slot_t;
pt_slot_t vspace_lookup_pt_slot(page_table_t *root, vaddr_t vaddr);

/*
 * Write the leaf entry `pte` for `vaddr` of `asid` into `slot`. A valid
 * entry already there is broken first (cleared and flushed from the TLB):
 * the architecture requires break-before-make to change a live entry's
 * memory type or output address.
 */
void vspace_set_leaf(word_t *slot, word_t pte, unsigned asid, vaddr_t vaddr);

/* The VSpace a cap names if it is assigned and its ASID still maps it, else NULL. */
page_table_t *vspace_of_cap(cap_t cap);

/* Remove the mapping a frame / page-table cap records, if it still exists. */
void frame_unmap(cap_t frame);
void page_table_unmap(cap_t table);

#endif
