/*
 * Page-table caps: Map and Unmap. One PageTable type serves every level
 * below the VSpace root: Map installs the table in the first empty slot on
 * the walk towards the address, so user level builds a VSpace top down.
 */
#include <arch/vspace_decode.h>
#include <arch/asid.h>
#include <arch/pte.h>
#include <arch/tlb.h>
#include <kernel/objects.h>
#include <string.h>

void page_table_unmap(cap_t cap)
{
    if (!cap_is_mapped(cap))
        return;
    unsigned asid = cap_mapped_asid(cap);
    vaddr_t vaddr = cap_mapped_vaddr(cap);
    page_table_t *target = ptr_from_paddr(cap_table_base(cap));
    page_table_t *table = asid_find_vspace(asid);
    /* Walk the recorded path; the table may already be cut off above. */
    for (unsigned level = VSPACE_ROOT_LEVEL; table && level < 3; level++) {
        word_t *entry = &pt_entries(table)[pt_index(vaddr, level)];
        if (!pte_is_table(*entry, level))
            return;
        table = ptr_from_paddr(pte_address(*entry));
        if (table == target) {
            *entry = 0;
            /* Everything below the entry, walk caches included. */
            tlb_invalidate_asid(asid);
            return;
        }
    }
}

/* Unmap needs the last cap: copies would otherwise keep claiming the mapping. */
static seL4_Error decode_page_table_unmap(invocation_t *inv)
{
    if (!is_final_cap(inv->slot))
        return inv_error(inv, seL4_RevokeFirst);
    cap_t cap = inv->cap;
    if (cap_is_mapped(cap)) {
        page_table_unmap(cap);
        /* As seL4: the table comes back empty, its mappings forgotten
           (their frame caps find nothing to unmap later). */
        memset(ptr_from_paddr(cap_table_base(cap)), 0, BIT(seL4_PageTableBits));
    }
    inv->slot->cap = cap_set_mapping(cap, false, 0, 0);
    return seL4_NoError;
}

static seL4_Error decode_page_table_map(invocation_t *inv)
{
    if (inv->length < 2 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cap = inv->cap;
    if (cap_is_mapped(cap))
        return inv_invalid_cap(inv, 0);
    vaddr_t vaddr = inv_mr(inv, 0);     /* MR1, the attributes, has no effect */
    cap_t vspace = inv->extra[0]->cap;
    if (!vspace_cap_assigned(vspace))
        return inv_invalid_cap(inv, 1);
    if (vaddr > seL4_UserTop)
        return inv_invalid_argument(inv, 0);
    page_table_t *root;
    seL4_Error err = vspace_find_root(inv, vspace, 1, &root);
    if (err)
        return err;
    pt_slot_t s = vspace_lookup_pt_slot(root, vaddr);
    /* Something is mapped there, or the walk already reached page level. */
    if (s.bits == PAGE_BITS || (*s.pte & PTE_VALID))
        return inv_error(inv, seL4_DeleteFirst);

    unsigned asid = cap_mapped_asid(vspace);
    inv->slot->cap = cap_set_mapping(cap, true, asid, ROUND_DOWN(vaddr, s.bits));
    /* An empty slot has no TLB entries: publishing the table is enough. */
    *s.pte = cap_table_base(cap) | PTE_TABLE;
    dsb_ishst();
    return seL4_NoError;
}

seL4_Error decode_page_table(invocation_t *inv)
{
    switch (inv->label) {
    case ARMPageTableMap:
        return decode_page_table_map(inv);
    case ARMPageTableUnmap:
        return decode_page_table_unmap(inv);
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
