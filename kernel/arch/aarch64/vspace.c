/* User address spaces: activation, walks and entry encoding. */
#include <kernel/smp.h>
#include <arch/vspace.h>
#include <arch/switch.h>
#include <arch/asid.h>
#include <arch/pte.h>
#include <arch/tlb.h>
#include <arch/sysreg.h>
#include <arch/mmu.h>
#include <object/cap.h>

word_t vspace_idle_ttbr0(void)
{
    return mmu_empty_user_space();
}

page_table_t *vspace_of_cap(cap_t cap)
{
    if (cap_get_type(cap) != cap_vspace || !cap_is_mapped(cap))
        return NULL;
    page_table_t *root = ptr_from_paddr(cap_table_base(cap));
    return asid_find_vspace(cap_mapped_asid(cap)) == root ? root : NULL;
}

/*
 * Each thread keeps the TTBR0 value it last ran with, valid while the
 * generation below is unchanged. Anything that can invalidate a thread's
 * address space (a VSpace or ASID-pool cap deleted, an ASID freed, a TCB
 * given a new VSpace) starts a new generation, and every thread checks its
 * VSpace again on its next switch. Those events are rare; switches are not.
 */
word_t vspace_generation = 1;

void vspace_roots_changed(void)
{
    vspace_generation++;
    /* A thread running on another core keeps its TTBR0 until it enters
       the kernel: make every core take its thread's VSpace again. */
    smp_stall_others();
}

word_t vspace_thread_ttbr0(tcb_t *t)
{
    cap_t cap = t->caps[tcb_vspace_root].cap;
    word_t ttbr0 = vspace_idle_ttbr0();
    /* The ASID check keeps a thread out of a VSpace whose ASID was freed
       (and maybe reused): its cap still says "assigned". */
    if (vspace_of_cap(cap))
        ttbr0 = cap_table_base(cap) | ((word_t)asid_hw_tag(cap_mapped_asid(cap)) << 48);
    t->arch.ttbr0 = ttbr0;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    /* A guest's TTBR0 is never cached, which keeps it off the IPC fast
       path: that path switches no VCPU state (arch/switch.h). */
    if (t->arch.vcpu)
        return ttbr0;
#endif
    /* After asid_hw_tag, which may start a new generation. */
    t->arch.ttbr0_generation = vspace_generation;
    return ttbr0;
}

#ifdef CONFIG_KERNEL_EL2
/* A stage-2 entry: the thread's accesses get these attributes directly
   (its stage 1 is off, HCR_EL2.DC makes it Normal write-back). */
word_t vspace_frame_pte(paddr_t frame, unsigned size_bits, enum vm_rights rights,
                        struct vm_attributes attrs)
{
    word_t pte = frame | PTE_AF;
    pte |= size_bits == PAGE_BITS ? PTE_PAGE : PTE_BLOCK;
    if (attrs.device)
        pte |= S2_MEMATTR(S2_DEVICE_NGNRNE);
    else
        pte |= PTE_SH_INNER | S2_MEMATTR(attrs.cacheable ? S2_NORMAL_WB : S2_NORMAL_NC);
    if (rights == vm_read_only)
        pte |= S2_AP_RO;
    else if (rights == vm_read_write)
        pte |= S2_AP_RW;
    if (!attrs.executable || attrs.device || rights == vm_kernel_only)
        pte |= S2_XN;
    return pte;
}

bool vspace_pte_user_readable_normal(word_t pte)
{
    word_t memattr = (pte >> 2) & 0xf;
    return (pte & S2_AP_RO) && (memattr == S2_NORMAL_WB || memattr == S2_NORMAL_NC);
}
#else
word_t vspace_frame_pte(paddr_t frame, unsigned size_bits, enum vm_rights rights,
                        struct vm_attributes attrs)
{
    word_t pte = frame | PTE_AF | PTE_NG | PTE_PXN;
    pte |= size_bits == PAGE_BITS ? PTE_PAGE : PTE_BLOCK;
    if (attrs.device)
        pte |= PTE_ATTR(MAIR_DEVICE_NGNRNE);
    else
        pte |= PTE_SH_INNER | PTE_ATTR(attrs.cacheable ? MAIR_NORMAL_WB : MAIR_NORMAL_NC);
    if (rights == vm_read_only)
        pte |= PTE_AP_EL0 | PTE_AP_RO;
    else if (rights == vm_read_write)
        pte |= PTE_AP_EL0;
    else
        pte |= PTE_AP_RO;   /* kernel only: no user access */
    /* Never execute from device memory (instruction fetches may be
       speculative), nor from a mapping EL0 may not read: without UXN that
       would be execute-only memory. */
    if (!attrs.executable || attrs.device || rights == vm_kernel_only)
        pte |= PTE_UXN;
    return pte;
}

bool vspace_pte_user_readable_normal(word_t pte)
{
    unsigned attr = (pte >> 2) & 7;
    return (pte & PTE_AP_EL0) && (attr == MAIR_NORMAL_WB || attr == MAIR_NORMAL_NC);
}
#endif

pt_slot_t vspace_lookup_pt_slot(page_table_t *root, vaddr_t vaddr)
{
    unsigned level = VSPACE_ROOT_LEVEL;
    word_t *entry = &pt_entries(root)[pt_index(vaddr, level)];
    while (level < 3 && pte_is_table(*entry, level)) {
        word_t *next = pt_entries(ptr_from_paddr(pte_address(*entry)));
        level++;
        entry = &next[pt_index(vaddr, level)];
    }
    return (pt_slot_t){ entry, pt_level_bits(level) };
}

unsigned vspace_lookup_slot(page_table_t *root, vaddr_t vaddr, word_t **slot)
{
    pt_slot_t s = vspace_lookup_pt_slot(root, vaddr);
    *slot = s.pte;
    return (pt_level_bits(0) - s.bits) / 9 + 1;    /* level + 1: 4 = a page slot */
}

void vspace_set_leaf(word_t *slot, word_t pte, unsigned asid, vaddr_t vaddr)
{
    if (*slot & PTE_VALID) {
        *slot = 0;
        tlb_invalidate_leaf(asid, vaddr);
    }
    *slot = pte;
    /* The walkers must see the entry before the thread returns to it. */
    dsb_ishst();
}
