/*
 * CNode invocations: Copy, Mint, Move, Mutate, Rotate, Delete, Revoke and
 * CancelBadgedSends, with seL4's rules for rights, badges and guards.
 */
#include <kernel/invocation.h>
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/ipc.h>

/* Rights can only be removed: `rights` is the seL4_CapRights word. */
static cap_t mask_rights(word_t rights, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint:
        return cap_ipc_new(cap_endpoint, cap_get_ptr(cap), cap_badge(cap), cap_rights(cap) & rights);
    case cap_notification:
        return cap_ipc_new(cap_notification, cap_get_ptr(cap), cap_badge(cap),
                           cap_rights(cap) & rights & (RIGHT_READ | RIGHT_WRITE));
    case cap_reply:
        return cap_reply_new(cap_get_ptr(cap), cap_reply_can_grant(cap) && (rights & RIGHT_GRANT));
    case cap_frame: {
        enum vm_rights vm = cap_frame_rights(cap);
        enum vm_rights masked = vm_kernel_only;
        if (vm == vm_read_write && (rights & RIGHT_READ))
            masked = (rights & RIGHT_WRITE) ? vm_read_write : vm_read_only;
        else if (vm == vm_read_only && (rights & RIGHT_READ))
            masked = vm_read_only;
        cap.w0 = (cap.w0 & ~(MASK(2) << 55)) | ((word_t)masked << 55);
        return cap;
    }
    default:
        return cap;
    }
}

/*
 * Apply Mint/Mutate data: a badge for an unbadged endpoint or notification
 * (Mint only), new guard for a CNode. A null result means "not allowed".
 */
static cap_t update_cap_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint:
    case cap_notification:
        if (preserve || cap_badge(cap) != 0)
            return cap_null_new();
        return cap_ipc_new(cap_get_type(cap), cap_get_ptr(cap), data, cap_rights(cap));
    case cap_cnode: {
        unsigned guard_size = data & 0x3f;
        if (guard_size + cap_cnode_radix(cap) > seL4_WordBits)
            return cap_null_new();
        word_t guard = guard_size ? (data >> 6) & MASK(guard_size) : 0;
        return cap_cnode_new(cap_get_ptr(cap), cap_cnode_radix(cap), guard_size, guard);
    }
    default:
        return arch_update_cap_data(preserve, data, cap);
    }
}

static seL4_Error lookup_slot_arg(invocation_t *inv, cap_t root, word_t index, word_t depth,
                                  bool source, cte_t **slot)
{
    *slot = inv_lookup_target_slot(inv, root, index, depth, source);
    return *slot ? seL4_NoError : inv->error.type;
}

static seL4_Error missing_source(invocation_t *inv, word_t depth, bool source)
{
    lookup_fault_t f = { .type = seL4_MissingCapability, .bits_left = depth };
    return inv_lookup_failed(inv, source, f);
}

/* Copy, Mint, Move, Mutate: dest (MR0-1) <- src (c0, MR2-3). */
static seL4_Error copy_like(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 4 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    if (!cap_is_null(dest->cap))
        return inv_error(inv, seL4_DeleteFirst);
    cte_t *src;
    word_t src_depth = inv_mr(inv, 3);
    seL4_Error err = lookup_slot_arg(inv, inv->extra[0]->cap, inv_mr(inv, 2), src_depth, true, &src);
    if (err)
        return err;
    if (cap_is_null(src->cap))
        return missing_source(inv, src_depth, true);

    cap_t cap = src->cap;
    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint: {
        word_t need = inv->label == CNodeCopy ? 5 : 6;
        if (inv->length < need)
            return inv_error(inv, seL4_TruncatedMessage);
        cap = mask_rights(inv_mr(inv, 4), cap);
        if (inv->label == CNodeMint)
            cap = update_cap_data(false, inv_mr(inv, 5), cap);
        if (cap_is_null(cap))
            return inv_error(inv, seL4_IllegalOperation);
        cap_t derived;
        err = derive_cap(src, cap, &derived);
        if (err)
            return inv_error(inv, err);
        if (cap_is_null(derived))
            return inv_error(inv, seL4_IllegalOperation);
        cte_insert(derived, src, dest);
        return seL4_NoError;
    }
    case CNodeMutate:
        if (inv->length < 5)
            return inv_error(inv, seL4_TruncatedMessage);
        cap = update_cap_data(true, inv_mr(inv, 4), cap);
        if (cap_is_null(cap))
            return inv_error(inv, seL4_IllegalOperation);
        cte_move(cap, src, dest);
        return seL4_NoError;
    default:    /* CNodeMove */
        cte_move(cap, src, dest);
        return seL4_NoError;
    }
}

static seL4_Error rotate(invocation_t *inv, cte_t *dest)
{
    if (inv->length < 8 || inv->extra_caps < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t pivot_data = inv_mr(inv, 2), pivot_depth = inv_mr(inv, 4);
    word_t src_data = inv_mr(inv, 5), src_depth = inv_mr(inv, 7);
    cte_t *src, *pivot;
    seL4_Error err = lookup_slot_arg(inv, inv->extra[1]->cap, inv_mr(inv, 6), src_depth, true, &src);
    if (!err)
        err = lookup_slot_arg(inv, inv->extra[0]->cap, inv_mr(inv, 3), pivot_depth, true, &pivot);
    if (err)
        return err;
    if (pivot == src || pivot == dest)
        return inv_error(inv, seL4_IllegalOperation);
    if (src != dest && !cap_is_null(dest->cap))
        return inv_error(inv, seL4_DeleteFirst);
    if (cap_is_null(src->cap))
        return missing_source(inv, src_depth, true);
    if (cap_is_null(pivot->cap))
        return missing_source(inv, pivot_depth, false);
    cap_t new_src = update_cap_data(true, src_data, src->cap);
    cap_t new_pivot = update_cap_data(true, pivot_data, pivot->cap);
    if (cap_is_null(new_src) || cap_is_null(new_pivot))
        return inv_error(inv, seL4_IllegalOperation);
    if (src == dest) {
        cte_swap(new_src, src, new_pivot, pivot);
    } else {
        cte_move(new_pivot, pivot, dest);
        cte_move(new_src, src, pivot);
    }
    return seL4_NoError;
}

static seL4_Error cancel_badged_sends(invocation_t *inv, cte_t *slot)
{
    cap_t cap = slot->cap;
    if (cap_get_type(cap) != cap_endpoint || cap_rights(cap) != RIGHTS_ALL)
        return inv_error(inv, seL4_IllegalOperation);
    if (cap_badge(cap) != 0)
        endpoint_cancel_badged_sends(cap_get_ptr(cap), cap_badge(cap));
    return seL4_NoError;
}

seL4_Error decode_cnode(invocation_t *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeRotate)
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    cte_t *dest;
    seL4_Error err = lookup_slot_arg(inv, inv->cap, inv_mr(inv, 0), inv_mr(inv, 1), false, &dest);
    if (err)
        return err;
    switch (inv->label) {
    case CNodeRevoke:
        return cte_revoke(dest);
    case CNodeDelete:
        return cte_delete(dest);
    case CNodeCancelBadgedSends:
        return cancel_badged_sends(inv, dest);
    case CNodeRotate:
        return rotate(inv, dest);
    default:
        return copy_like(inv, dest);
    }
}
