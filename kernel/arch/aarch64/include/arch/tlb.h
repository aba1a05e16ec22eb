/*
 * TLB maintenance for user address spaces. Every user entry is tagged (by
 * its 16-bit ASID with an EL1 kernel, by its ASID's VMID with an EL2
 * kernel), so a context switch needs no flush; only changing or removing an
 * entry, or recycling a tag, does. The inner shareable forms reach every
 * core that may hold the entry.
 */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <kernel/types.h>
#include <arch/sysreg.h>

#ifdef CONFIG_KERNEL_EL2
/* The TLBI forms below act on the current VMID: borrow VTTBR_EL2 for `vmid`
   (no user access happens in between), then put it back. */
static inline word_t tlb_enter_vmid(unsigned vmid)
{
    word_t saved = read_sysreg(vttbr_el2);
    write_sysreg(vttbr_el2, (word_t)vmid << 48);
    isb();
    return saved;
}

static inline void tlb_leave_vmid(word_t saved)
{
    write_sysreg(vttbr_el2, saved);
    isb();
}

/* Every entry of `vmid`, both stages: used when a table leaves an address
   space and when a VMID changes hands. */
static inline void tlb_invalidate_vmid(unsigned vmid)
{
    word_t saved = tlb_enter_vmid(vmid);
    dsb_ishst();
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    dsb_ish();
    tlb_leave_vmid(saved);
}

/* The stage-2 entry for `ipa` changed: its stage-2 TLB entries, then the
   combined ones (which cannot be found by IPA). */
static inline void tlb_invalidate_vmid_ipa(unsigned vmid, vaddr_t ipa)
{
    word_t saved = tlb_enter_vmid(vmid);
    dsb_ishst();
    __asm__ volatile("tlbi ipas2e1is, %0" :: "r"((ipa >> PAGE_BITS) & MASK(36)) : "memory");
    dsb_ish();
    __asm__ volatile("tlbi vmalle1is" ::: "memory");
    dsb_ish();
    tlb_leave_vmid(saved);
}

/* By ASID: through its VMID, if it has one (arch/aarch64/asid.c). */
void tlb_invalidate_leaf(unsigned asid, vaddr_t vaddr);
void tlb_invalidate_asid(unsigned asid);
#else
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

#endif
