/* User address spaces: activation, walks and entry encoding. */
#include <arch/vspace.h>
#include <arch/pte.h>
#include <arch/sysreg.h>
#include <arch/mmu.h>
#include <object/cap.h>

word_t vspace_idle_ttbr0(void)
{
    return mmu_empty_user_space();
}

void vspace_activate(tcb_t *t)
{
    cap_t root = t->caps[tcb_vspace_root].cap;
    word_t ttbr0 = vspace_idle_ttbr0();
    if (cap_get_type(root) == cap_vspace && cap_is_mapped(root))
        ttbr0 = cap_table_base(root) | ((word_t)cap_mapped_asid(root) << 48);
    write_sysreg(ttbr0_el1, ttbr0);
    write_sysreg(tpidrro_el0, t->ctx.tpidrro_el0);
    isb();
}

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
    if (!attrs.executable || attrs.device)
        pte |= PTE_UXN;
    return pte;
}

unsigned vspace_lookup_slot(page_table_t *root, vaddr_t vaddr, word_t **slot)
{
    page_table_t *table = root;
    for (unsigned level = 0; level < 3; level++) {
        word_t *entry = &table->pte[pt_index(vaddr, level)];
        if (!pte_is_table(*entry, level)) {
            *slot = entry;
            return level + 1;
        }
        table = ptr_from_paddr(pte_address(*entry));
    }
    *slot = &table->pte[pt_index(vaddr, 3)];
    return 4;
}
