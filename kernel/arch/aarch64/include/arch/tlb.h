/*
 * TLB maintenance for user address spaces. Every user entry is non-global
 * and tagged with its 16-bit ASID, so a context switch needs no flush; only
 * changing or removing an entry, or recycling an ASID, does. The inner
 * shareable forms reach every core that may hold the entry.
 */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <kernel/types.h>
#include <arch/sysreg.h>

/* Operand of the TLBI by-VA forms: ASID in [63:48], VA[55:12] in [43:0]. */
static inline word_t tlbi_operand(unsigned asid, vaddr_t vaddr)
{
    return ((word_t)asid << 48) | ((vaddr >> PAGE_BITS) & MASK(44));
}

/*
 * The last-level (page or block) entry for `vaddr` in `asid` changed. The
 * dsb before makes the table write visible to the walkers; the one after
 * waits for the invalidation to complete everywhere. The return to user
 * (eret) is the context synchronisation.
 */
static inline void tlb_invalidate_leaf(unsigned asid, vaddr_t vaddr)
{
    dsb_ishst();
    __asm__ volatile("tlbi vale1is, %0" :: "r"(tlbi_operand(asid, vaddr)) : "memory");
    dsb_ish();
}

/*
 * Every entry of `asid`, including cached intermediate walk entries: used
 * when a page table leaves an address space and when an ASID is freed.
 */
static inline void tlb_invalidate_asid(unsigned asid)
{
    dsb_ishst();
    __asm__ volatile("tlbi aside1is, %0" :: "r"((word_t)asid << 48) : "memory");
    dsb_ish();
}

#endif
