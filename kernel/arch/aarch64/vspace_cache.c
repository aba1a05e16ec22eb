/*
 * Cache maintenance on user memory: the VSpace root's Clean_Data,
 * Invalidate_Data, CleanInvalidate_Data and Unify_Instruction over a
 * virtual range, and the operation itself (shared with the frame
 * invocations). The kernel works on the physical memory through its own
 * window, never through the user's addresses, so an unmapped or stale user
 * address can never make the kernel fault.
 */
#include <arch/vspace_decode.h>
#include <arch/cache.h>
#include <arch/mmu.h>
#include <arch/pte.h>

/*
 * Invalidating a line that the range only partly covers would throw away
 * the user's other bytes in it: clean the two edge lines first (seL4 does
 * the same); the extra clean is harmless when the edges are aligned.
 */
static void invalidate_range(uintptr_t start, word_t size)
{
    cache_clean_range(start, 1);
    cache_clean_range(start + size - 1, 1);
    cache_invalidate_range(start, size);
}

void cache_maintain_phys(enum cache_op op, paddr_t start, word_t size)
{
    /* Device memory is never cached: nothing to maintain (and it is not
       in the kernel window). */
    if (size == 0 || !mmu_is_kernel_ram(start, size))
        return;
    uintptr_t va = (uintptr_t)ptr_from_paddr(start);
    switch (op) {
    case cache_op_clean:
        cache_clean_range(va, size);
        break;
    case cache_op_invalidate:
        invalidate_range(va, size);
        break;
    case cache_op_clean_invalidate:
        cache_clean_invalidate_range(va, size);
        break;
    case cache_op_unify:
        cache_unify_instruction_range(va, size);
        break;
    }
}

static enum cache_op vspace_cache_op(word_t label)
{
    switch (label) {
    case ARMVSpaceClean_Data:
        return cache_op_clean;
    case ARMVSpaceInvalidate_Data:
        return cache_op_invalidate;
    case ARMVSpaceCleanInvalidate_Data:
        return cache_op_clean_invalidate;
    default:
        return cache_op_unify;
    }
}

static bool is_vspace_flush(word_t label)
{
    return label == ARMVSpaceClean_Data || label == ARMVSpaceInvalidate_Data ||
           label == ARMVSpaceCleanInvalidate_Data || label == ARMVSpaceUnify_Instruction;
}

/*
 * [start, end) must lie within one mapped frame (seL4's rule: the range is
 * translated once). A range over nothing mapped succeeds doing nothing:
 * there can be no cached data of this address space to maintain.
 */
static seL4_Error flush_range(invocation_t *inv, page_table_t *root, vaddr_t start, vaddr_t end)
{
    pt_slot_t s = vspace_lookup_pt_slot(root, start);
    if (!pte_is_page(*s.pte, s.bits))
        return seL4_NoError;
    vaddr_t page = ROUND_DOWN(start, s.bits);
    if (ROUND_DOWN(end - 1, s.bits) != page)
        return inv_range_error(inv, start, page + MASK(s.bits));
    paddr_t pstart = pte_address(*s.pte) + (start & MASK(s.bits));
    cache_maintain_phys(vspace_cache_op(inv->label), pstart, end - start);
    return seL4_NoError;
}

seL4_Error decode_vspace_root(invocation_t *inv)
{
    if (!is_vspace_flush(inv->label))
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    vaddr_t start = inv_mr(inv, 0), end = inv_mr(inv, 1);
    if (end <= start)
        return inv_invalid_argument(inv, 1);
    if (end > seL4_UserTop)
        return inv_error(inv, seL4_IllegalOperation);
    if (!vspace_cap_assigned(inv->cap))
        return inv_invalid_cap(inv, 0);
    page_table_t *root;
    seL4_Error err = vspace_find_root(inv, inv->cap, 0, &root);
    if (err)
        return err;
    return flush_range(inv, root, start, end);
}
