/*
 * Frame caps (4 KiB pages, 2 MiB and 1 GiB blocks): Map, Unmap, GetAddress
 * and cache maintenance, with seL4's checks and errors. A frame cap holds at
 * most one mapping and records it (ASID, vaddr); copies are unmapped, so
 * sharing a frame means mapping copies of its cap.
 */
#include <arch/vspace_decode.h>
#include <arch/asid.h>
#include <arch/pte.h>
#include <arch/tlb.h>

static unsigned frame_bits(cap_t cap)
{
    return frame_size_bits(cap_frame_size(cap));
}

/*
 * seL4's maskVMRights: the mapping gets at most the cap's rights; without
 * read there is no user access at all (write-only is not supported).
 */
static enum vm_rights mask_vm_rights(enum vm_rights vm, word_t rights)
{
    if (!(rights & RIGHT_READ))
        return vm_kernel_only;
    if (vm == vm_read_write)
        return (rights & RIGHT_WRITE) ? vm_read_write : vm_read_only;
    return vm == vm_read_only ? vm_read_only : vm_kernel_only;
}

/*
 * seL4_ARM_VMAttributes: cacheable -> Normal write-back, otherwise Normal
 * non-cacheable; ExecuteNever -> UXN. Device frames are always
 * Device-nGnRnE, whatever the attributes say: caching or speculatively
 * reading device registers is never what a driver wants.
 */
static struct vm_attributes frame_attributes(cap_t cap, word_t attr)
{
    return (struct vm_attributes){
        .cacheable = attr & seL4_ARM_PageCacheable,
        .device = cap_frame_is_device(cap),
        .executable = !(attr & seL4_ARM_ExecuteNever),
    };
}

void frame_unmap(cap_t cap)
{
    if (!cap_is_mapped(cap))
        return;
    unsigned asid = cap_mapped_asid(cap);
    vaddr_t vaddr = cap_mapped_vaddr(cap);
    page_table_t *root = asid_find_vspace(asid);
    if (!root)
        return;     /* the address space is gone, and its TLB entries with it */
    pt_slot_t s = vspace_lookup_pt_slot(root, vaddr);
    /* The slot may have been cleared (its table unmapped) or reused. */
    if (s.bits != frame_bits(cap) || !pte_is_page(*s.pte, s.bits) ||
        pte_address(*s.pte) != cap_frame_base(cap))
        return;
    *s.pte = 0;
    tlb_invalidate_leaf(asid, vaddr);
}

/* The frame's own mapping checks (seL4 order): alignment, remap, range. */
static seL4_Error check_frame_vaddr(invocation_t *inv, vaddr_t vaddr, unsigned asid)
{
    cap_t cap = inv->cap;
    unsigned bits = frame_bits(cap);
    if (!IS_ALIGNED(vaddr, bits))
        return inv_error(inv, seL4_AlignmentError);
    if (cap_is_mapped(cap)) {
        /* A remap may only change rights and attributes. */
        if (cap_mapped_asid(cap) != asid)
            return inv_invalid_cap(inv, 1);
        if (cap_mapped_vaddr(cap) != vaddr)
            return inv_invalid_argument(inv, 0);
    } else if (vaddr + MASK(bits) > seL4_UserTop) {
        return inv_invalid_argument(inv, 0);
    }
    return seL4_NoError;
}

/* The entry the frame goes in: a table must exist down to the frame's level. */
static seL4_Error find_frame_slot(invocation_t *inv, page_table_t *root, vaddr_t vaddr,
                                  word_t **slot)
{
    cap_t cap = inv->cap;
    pt_slot_t s = vspace_lookup_pt_slot(root, vaddr);
    if (s.bits != frame_bits(cap)) {
        lookup_fault_t f = { .type = seL4_MissingCapability, .bits_left = s.bits };
        return inv_lookup_failed(inv, false, f);
    }
    /* Never silently replace another mapping; a remap finds its own. */
    bool own = cap_is_mapped(cap) && pte_is_page(*s.pte, s.bits) &&
               pte_address(*s.pte) == cap_frame_base(cap);
    if ((*s.pte & PTE_VALID) && !own)
        return inv_error(inv, seL4_DeleteFirst);
    *slot = s.pte;
    return seL4_NoError;
}

static seL4_Error decode_frame_map(invocation_t *inv)
{
    if (inv->length < 3 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    vaddr_t vaddr = inv_mr(inv, 0);
    word_t rights = inv_mr(inv, 1), attr = inv_mr(inv, 2);
    cap_t vspace = inv->extra[0]->cap;
    if (!vspace_cap_assigned(vspace))
        return inv_invalid_cap(inv, 1);
    page_table_t *root = NULL;
    word_t *slot = NULL;
    unsigned asid = cap_mapped_asid(vspace);
    seL4_Error err = vspace_find_root(inv, vspace, 1, &root);
    if (!err)
        err = check_frame_vaddr(inv, vaddr, asid);
    if (!err)
        err = find_frame_slot(inv, root, vaddr, &slot);
    if (err)
        return err;

    cap_t cap = inv->cap;
    word_t pte = vspace_frame_pte(cap_frame_base(cap), frame_bits(cap),
                                  mask_vm_rights(cap_frame_rights(cap), rights),
                                  frame_attributes(cap, attr));
    inv->slot->cap = cap_set_mapping(cap, true, asid, vaddr);
    vspace_set_leaf(slot, pte, asid, vaddr);
    return seL4_NoError;
}

static seL4_Error decode_frame_unmap(invocation_t *inv)
{
    frame_unmap(inv->cap);
    inv->slot->cap = cap_set_mapping(inv->cap, false, 0, 0);
    return seL4_NoError;
}

static enum cache_op frame_cache_op(word_t label)
{
    switch (label) {
    case ARMPageClean_Data:
        return cache_op_clean;
    case ARMPageInvalidate_Data:
        return cache_op_invalidate;
    case ARMPageCleanInvalidate_Data:
        return cache_op_clean_invalidate;
    default:
        return cache_op_unify;
    }
}

/* Cache maintenance on [start, end) bytes of the frame, which must be mapped. */
static seL4_Error decode_frame_flush(invocation_t *inv)
{
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cap = inv->cap;
    if (!cap_is_mapped(cap))
        return inv_error(inv, seL4_IllegalOperation);
    if (!asid_find_vspace(cap_mapped_asid(cap)))
        return inv_lookup_failed(inv, false, (lookup_fault_t){ .type = seL4_InvalidRoot });
    word_t start = inv_mr(inv, 0), end = inv_mr(inv, 1);
    if (end <= start)
        return inv_invalid_argument(inv, 1);
    word_t size = BIT(frame_bits(cap));
    if (start >= size || end > size)
        return inv_invalid_argument(inv, 0);
    cache_maintain_phys(frame_cache_op(inv->label), cap_frame_base(cap) + start, end - start);
    return seL4_NoError;
}

seL4_Error decode_frame(invocation_t *inv)
{
    switch (inv->label) {
    case ARMPageMap:
        return decode_frame_map(inv);
    case ARMPageUnmap:
        return decode_frame_unmap(inv);
    case ARMPageClean_Data:
    case ARMPageInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
    case ARMPageUnify_Instruction:
        return decode_frame_flush(inv);
    case ARMPageGetAddress:
        reply_mr(inv, 0, cap_frame_base(inv->cap));
        return seL4_NoError;
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
