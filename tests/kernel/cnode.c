/*
 * CNode invocations: Copy, Mint (badges, reduced rights, guards), Move,
 * Mutate, Rotate, Delete, Revoke, CancelBadgedSends; slot lookups with
 * guards and depths and the lookup-failure details of FailedLookup;
 * derivation trees.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH

static seL4_Error copy(seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights)
{
    return seL4_CNode_Copy(R, dest, D, R, src, D, rights);
}

static seL4_Error mint(seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(R, dest, D, R, src, D, rights, badge);
}

/* Badge seen by a Poll on `ntfn` after a Signal through `sig` (0: nothing arrived). */
static seL4_Word signal_badge(seL4_CPtr sig, seL4_CPtr ntfn)
{
    seL4_Signal(sig);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    return badge;
}

/* ------------------------------------------------------------------ Copy */

TEST(cnode_copy, "Copy puts a cap to the same object in an empty slot; the source stays")
{
    seL4_CPtr ep = KT_EP(), d = kt_slot();
    KT_OK(copy(d, ep, seL4_AllRights));
    KT_CAP_IS(d, KT_CAP_ENDPOINT);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_copy_initial_caps, "Copy of the root TCB, CNode, VSpace and a BootInfo untyped "
     "works")
{
    seL4_CPtr a = kt_slot(), b = kt_slot(), c = kt_slot();
    KT_OK(copy(a, seL4_CapInitThreadTCB, seL4_AllRights));
    KT_OK(copy(b, seL4_CapInitThreadCNode, seL4_AllRights));
    KT_OK(copy(c, seL4_CapInitThreadVSpace, seL4_AllRights));
    KT_CAP_IS(a, KT_CAP_THREAD);
    KT_CAP_IS(b, KT_CAP_CNODE);
    KT_CAP_IS(c, KT_CAP_VSPACE);
    return KT_PASS;
}

TEST(cnode_copy_dest_occupied, "Copy to an occupied slot is DeleteFirst")
{
    seL4_CPtr ep = KT_EP(), n = KT_NTFN();
    KT_ERR(copy(n, ep, seL4_AllRights), seL4_DeleteFirst);
    KT_CAP_IS(n, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(cnode_copy_source_empty, "Copy from an empty slot is FailedLookup: source, missing "
     "capability, bits left = depth")
{
    KT_ERR(copy(kt_slot(), kt_slot(), seL4_AllRights), seL4_FailedLookup);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, seL4_MissingCapability);
    KT_MR_EQ(2, D);
    return KT_PASS;
}

TEST(cnode_copy_source_root_not_cnode, "Copy with a source root that is not a CNode is "
     "FailedLookup (invalid root)")
{
    seL4_CPtr ep = KT_EP();
    KT_ERR(seL4_CNode_Copy(R, kt_slot(), D, ep, ep, D, seL4_AllRights), seL4_FailedLookup);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, seL4_InvalidRoot);
    return KT_PASS;
}

TEST(cnode_copy_irq_control_is_illegal, "Copy of the IRQControl cap is IllegalOperation (it "
     "cannot be derived)")
{
    seL4_CPtr d = kt_slot();
    KT_ERR(copy(d, seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
    KT_CAP_IS(d, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_copy_read_only_endpoint, "A read-only copy of an endpoint cannot send: Call on it "
     "is InvalidCapability")
{
    seL4_CPtr ep = KT_EP();
    seL4_CPtr ro = KT_COPY(ep, seL4_CanRead);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    return KT_PASS;
}

TEST(cnode_rights_cannot_grow, "Rights only shrink: an all-rights copy of a read-only cap "
     "still cannot send")
{
    seL4_CPtr ep = KT_EP();
    seL4_CPtr ro = KT_COPY(ep, seL4_CanRead);
    seL4_CPtr again = KT_MINT(ro, seL4_AllRights, 0);
    seL4_MessageInfo_t r = seL4_Call(again, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    KT_ERR(seL4_CNode_CancelBadgedSends(R, again, D), seL4_IllegalOperation);
    return KT_PASS;
}

/* ------------------------------------------------------------------ Mint */

TEST(cnode_mint_badge, "Mint sets a notification badge; Signal through it delivers that "
     "badge")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x42);
    KT_EQ(signal_badge(b, n), 0x42);
    return KT_PASS;
}

TEST(cnode_mint_badged_again_is_illegal, "Mint of an already badged endpoint or notification "
     "cap is IllegalOperation")
{
    seL4_CPtr n = KT_NTFN(), ep = KT_EP();
    seL4_CPtr nb = KT_MINT(n, seL4_AllRights, 7);
    seL4_CPtr eb = KT_MINT(ep, seL4_AllRights, 7);
    seL4_CPtr d = kt_slot();
    KT_ERR(mint(d, nb, seL4_AllRights, 8), seL4_IllegalOperation);
    KT_ERR(mint(d, eb, seL4_AllRights, 8), seL4_IllegalOperation);
    KT_ERR(mint(d, eb, seL4_AllRights, 7), seL4_IllegalOperation);
    KT_ERR(mint(d, eb, seL4_AllRights, 0), seL4_IllegalOperation);
    KT_CAP_IS(d, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_copy_keeps_badge, "Copy of a badged cap keeps the badge")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x5);
    seL4_CPtr c = KT_COPY(b, seL4_AllRights);
    KT_EQ(signal_badge(c, n), 0x5);
    return KT_PASS;
}

TEST(cnode_mint_reduced_rights_notification, "A notification cap minted without Write "
     "cannot signal")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr ro = KT_MINT(n, seL4_CanRead, 0x9);
    KT_EQ(signal_badge(ro, n), 0);
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_InvalidCapability);
    return KT_PASS;
}

TEST(cnode_mint_large_badge, "Mint keeps a full 64-bit badge")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x8000000000000001ul);
    KT_EQ(signal_badge(b, n), 0x8000000000000001ul);
    return KT_PASS;
}

TEST(cnode_mint_cnode_guard, "Mint of a CNode cap sets its guard: (cnode, i, 64) then "
     "addresses slot i")
{
    seL4_CPtr cn = KT_CNODE(4);
    /* 16 slots: radix 4 + guard 60 = 64 bits */
    seL4_CPtr g = KT_MINT(cn, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]);
    seL4_CPtr ep = KT_EP(), back = kt_slot();
    KT_OK(seL4_CNode_Copy(g, 3, D, R, ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(R, back, D, cn, 3, 4, seL4_AllRights));
    KT_CAP_IS(back, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_guard_value_mismatch, "A guard that does not match is FailedLookup with guard "
     "found, bits left and guard size")
{
    seL4_CPtr cn = KT_CNODE(4);
    seL4_CPtr g = KT_MINT(cn, seL4_AllRights, seL4_CNode_CapData_new(0xa5, 8).words[0]);
    seL4_CPtr ep = KT_EP();
    /* 12 bits: guard 0xa5, then slot 3 */
    KT_OK(seL4_CNode_Copy(g, (0xa5 << 4) | 3, 12, R, ep, D, seL4_AllRights));
    KT_ERR(seL4_CNode_Copy(g, (0xa4 << 4) | 4, 12, R, ep, D, seL4_AllRights),
           seL4_FailedLookup);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_GuardMismatch);
    KT_MR_EQ(2, 12);
    KT_MR_EQ(3, 0xa5);
    KT_MR_EQ(4, 8);
    return KT_PASS;
}

TEST(cnode_mint_guard_too_big, "Mint of a CNode cap whose guard plus radix exceed 64 bits is "
     "IllegalOperation")
{
    seL4_CPtr cn = KT_CNODE(4);
    seL4_CPtr d = kt_slot();
    KT_ERR(mint(d, cn, seL4_AllRights, seL4_CNode_CapData_new(0, 61).words[0]),
           seL4_IllegalOperation);
    KT_CAP_IS(d, KT_CAP_NULL);
    KT_OK(mint(d, cn, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]));
    return KT_PASS;
}

/* ------------------------------------------------------- slot lookups */

TEST(cnode_depth_out_of_range, "A slot depth of 0 or above 64 is RangeError [1, 64]")
{
    seL4_CPtr ep = KT_EP();
    KT_ERR(seL4_CNode_Copy(R, kt_slot(), 0, R, ep, D, seL4_AllRights), seL4_RangeError);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, 64);
    KT_ERR(seL4_CNode_Copy(R, kt_slot(), 65, R, ep, D, seL4_AllRights), seL4_RangeError);
    KT_ERR(seL4_CNode_Copy(R, kt_slot(), D, R, ep, 0, seL4_AllRights), seL4_RangeError);
    KT_EQ(kt_call_raw(R, CNodeDelete, 2, 0, kt_slot(), 1000, 0, 0), seL4_RangeError);
    return KT_PASS;
}

TEST(cnode_guard_mismatch_root, "A root-CNode index with high bits set is FailedLookup: guard "
     "mismatch, 64 bits left, guard 0 of 64-radix bits")
{
    KT_ERR(seL4_CNode_Delete(R, (1ul << 63) | 5, D), seL4_FailedLookup);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_GuardMismatch);
    KT_MR_EQ(2, 64);
    KT_MR_EQ(3, 0);
    KT_MR_EQ(4, kt_root_guard_bits());
    return KT_PASS;
}

TEST(cnode_depth_mismatch_root, "A depth between the guard and 64 bits is FailedLookup: "
     "depth mismatch (bits left, bits found)")
{
    KT_ERR(seL4_CNode_Delete(R, 5, 60), seL4_FailedLookup);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_DepthMismatch);
    KT_MR_EQ(2, 60);
    KT_MR_EQ(3, 64);
    return KT_PASS;
}

TEST(cnode_depth_shorter_than_guard, "A depth shorter than the root's guard is FailedLookup "
     "(guard mismatch)")
{
    KT_ERR(seL4_CNode_Delete(R, 5, 32), seL4_FailedLookup);
    KT_MR_EQ(1, seL4_GuardMismatch);
    KT_MR_EQ(2, 32);
    KT_MR_EQ(4, kt_root_guard_bits());
    return KT_PASS;
}

TEST(cnode_two_level_lookup, "Two-level CSpace: 8 bits resolve 4 in a top CNode and 4 in the "
     "CNode found there")
{
    seL4_CPtr top = KT_CNODE(4), sub = KT_CNODE(4), ep = KT_EP(), back = kt_slot();
    KT_OK(seL4_CNode_Copy(top, 2, 4, R, sub, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(top, (2 << 4) | 7, 8, R, ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(R, back, D, sub, 7, 4, seL4_AllRights));
    KT_CAP_IS(back, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_lookup_ends_at_non_cnode, "A lookup that meets a non-CNode with bits left is "
     "FailedLookup (depth mismatch, bits left)")
{
    seL4_CPtr top = KT_CNODE(4), ep = KT_EP();
    KT_OK(seL4_CNode_Copy(top, 5, 4, R, ep, D, seL4_AllRights));
    KT_ERR(seL4_CNode_Delete(top, (5 << 4) | 1, 8), seL4_FailedLookup);
    KT_MR_EQ(1, seL4_DepthMismatch);
    KT_MR_EQ(2, 4);
    KT_MR_EQ(3, 0);
    return KT_PASS;
}

TEST(cnode_lookup_depth_below_radix, "A depth smaller than a CNode's radix is FailedLookup "
     "(depth mismatch, bits found = radix)")
{
    seL4_CPtr top = KT_CNODE(4);
    KT_ERR(seL4_CNode_Delete(top, 1, 2), seL4_FailedLookup);
    KT_MR_EQ(1, seL4_DepthMismatch);
    KT_MR_EQ(2, 2);
    KT_MR_EQ(3, 4);
    return KT_PASS;
}

TEST(cnode_truncated, "CNode invocations with too few words or caps are TruncatedMessage")
{
    seL4_CPtr ep = KT_EP(), d = kt_slot();
    KT_EQ(kt_call_raw(R, CNodeDelete, 1, 0, d, 0, 0, 0), seL4_TruncatedMessage);
    /* Copy: 4 words (no rights word) */
    seL4_SetCap(0, R);
    KT_EQ(kt_call_raw(R, CNodeCopy, 4, 1, d, D, ep, D), seL4_TruncatedMessage);
    /* Copy: 5 words but no source root cap */
    seL4_SetMR(4, seL4_AllRights.words[0]);
    KT_EQ(kt_call_raw(R, CNodeCopy, 5, 0, d, D, ep, D), seL4_TruncatedMessage);
    /* Mint: 5 words */
    seL4_SetCap(0, R);
    seL4_SetMR(4, seL4_AllRights.words[0]);
    KT_EQ(kt_call_raw(R, CNodeMint, 5, 1, d, D, ep, D), seL4_TruncatedMessage);
    /* Mutate: 4 words */
    seL4_SetCap(0, R);
    KT_EQ(kt_call_raw(R, CNodeMutate, 4, 1, d, D, ep, D), seL4_TruncatedMessage);
    /* Rotate: 8 words, one cap */
    seL4_SetCap(0, R);
    for (int i = 4; i < 8; i++)
        seL4_SetMR(i, D);
    KT_EQ(kt_call_raw(R, CNodeRotate, 8, 1, d, D, 0, ep), seL4_TruncatedMessage);
    KT_CAP_IS(d, KT_CAP_NULL);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_bad_label, "A CNode cap invoked with a non-CNode label is IllegalOperation")
{
    KT_EQ(kt_call_raw(R, UntypedRetype, 2, 0, kt_slot(), D, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(R, TCBSuspend, 2, 0, kt_slot(), D, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(R, IRQIssueIRQHandler, 2, 0, kt_slot(), D, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(R, InvalidInvocation, 2, 0, kt_slot(), D, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(cnode_invoke_tcb_as_cnode, "A CNode invocation on a TCB cap is IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB();
    KT_ERR(seL4_CNode_Delete(tcb, kt_slot(), D), seL4_IllegalOperation);
    return KT_PASS;
}

/* ------------------------------------------------------------------ Move */

TEST(cnode_move, "Move takes the cap out of the source slot into the destination")
{
    seL4_CPtr ep = KT_EP(), d = kt_slot();
    KT_OK(seL4_CNode_Move(R, d, D, R, ep, D));
    KT_CAP_IS(d, KT_CAP_ENDPOINT);
    KT_CAP_IS(ep, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_move_errors, "Move: occupied destination is DeleteFirst, empty source "
     "FailedLookup")
{
    seL4_CPtr ep = KT_EP(), n = KT_NTFN();
    KT_ERR(seL4_CNode_Move(R, n, D, R, ep, D), seL4_DeleteFirst);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    KT_ERR(seL4_CNode_Move(R, kt_slot(), D, R, kt_slot(), D), seL4_FailedLookup);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, seL4_MissingCapability);
    return KT_PASS;
}

TEST(cnode_move_keeps_derivation, "A moved child cap is still revoked with its parent")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr child = KT_MINT(n, seL4_AllRights, 3);
    seL4_CPtr moved = kt_slot();
    KT_OK(seL4_CNode_Move(R, moved, D, R, child, D));
    KT_OK(kt_revoke(n));
    KT_CAP_IS(moved, KT_CAP_NULL);
    KT_CAP_IS(n, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(cnode_move_into_sub_cnode_and_back, "Move between the root CNode and another CNode")
{
    seL4_CPtr cn = KT_CNODE(3), ep = KT_EP();
    KT_OK(seL4_CNode_Move(cn, 6, 3, R, ep, D));
    KT_CAP_IS(ep, KT_CAP_NULL);
    KT_OK(seL4_CNode_Move(R, ep, D, cn, 6, 3));
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    return KT_PASS;
}

/* ---------------------------------------------------------------- Mutate */

TEST(cnode_mutate_cnode_guard, "Mutate moves a CNode cap and sets its guard")
{
    seL4_CPtr cn = KT_CNODE(4), ep = KT_EP(), back = kt_slot();
    seL4_CPtr copy_cn = KT_COPY(cn, seL4_AllRights);
    seL4_CPtr m = kt_slot();
    KT_OK(seL4_CNode_Mutate(R, m, D, R, copy_cn, D, seL4_CNode_CapData_new(0, 60).words[0]));
    KT_CAP_IS(copy_cn, KT_CAP_NULL);
    KT_CAP_IS(m, KT_CAP_CNODE);
    KT_OK(seL4_CNode_Copy(m, 9, D, R, ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(R, back, D, cn, 9, 4, seL4_AllRights));
    KT_CAP_IS(back, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_mutate_endpoint_is_illegal, "Mutate of an endpoint or notification cap is "
     "IllegalOperation (badges are set only by Mint)")
{
    seL4_CPtr ep = KT_EP(), n = KT_NTFN(), d = kt_slot();
    KT_ERR(seL4_CNode_Mutate(R, d, D, R, ep, D, 5), seL4_IllegalOperation);
    KT_ERR(seL4_CNode_Mutate(R, d, D, R, n, D, 0), seL4_IllegalOperation);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    KT_CAP_IS(d, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_mutate_tcb_is_move, "Mutate of a cap without data (a TCB) just moves it")
{
    seL4_CPtr tcb = KT_TCB(), d = kt_slot();
    KT_OK(seL4_CNode_Mutate(R, d, D, R, tcb, D, 0x1234));
    KT_CAP_IS(d, KT_CAP_THREAD);
    KT_CAP_IS(tcb, KT_CAP_NULL);
    return KT_PASS;
}

/* ---------------------------------------------------------------- Rotate */

TEST(cnode_rotate, "Rotate: pivot moves to dest, source moves to pivot")
{
    seL4_CPtr dest = kt_slot(), pivot = KT_TCB(), src = KT_CNODE(2);
    KT_OK(seL4_CNode_Rotate(R, dest, D, 0, R, pivot, D, 0, R, src, D));
    KT_CAP_IS(dest, KT_CAP_THREAD);
    KT_CAP_IS(pivot, KT_CAP_CNODE);
    KT_CAP_IS(src, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_rotate_swap, "Rotate with source == destination swaps two caps")
{
    seL4_CPtr a = KT_TCB(), p = KT_CNODE(2);
    KT_OK(seL4_CNode_Rotate(R, a, D, 0, R, p, D, 0, R, a, D));
    KT_CAP_IS(a, KT_CAP_CNODE);
    KT_CAP_IS(p, KT_CAP_THREAD);
    return KT_PASS;
}

TEST(cnode_rotate_sets_guards, "Rotate applies the new guard data to both moved CNode caps")
{
    seL4_CPtr c1 = KT_CNODE(4), c2 = KT_CNODE(4);
    seL4_CPtr p = KT_COPY(c1, seL4_AllRights), s = KT_COPY(c2, seL4_AllRights);
    seL4_CPtr dest = kt_slot(), ep = KT_EP(), back = kt_slot();
    seL4_Word g60 = seL4_CNode_CapData_new(0, 60).words[0];
    KT_OK(seL4_CNode_Rotate(R, dest, D, g60, R, p, D, g60, R, s, D));
    /* dest holds c1 with a 60-bit guard, p holds c2 with one */
    KT_OK(seL4_CNode_Copy(dest, 1, D, R, ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(p, 2, D, R, ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(R, back, D, c1, 1, 4, seL4_AllRights));
    KT_OK(kt_delete(back));
    KT_OK(seL4_CNode_Copy(R, back, D, c2, 2, 4, seL4_AllRights));
    return KT_PASS;
}

TEST(cnode_rotate_errors, "Rotate: pivot equal to source is IllegalOperation, occupied dest "
     "DeleteFirst, empty source or pivot FailedLookup")
{
    seL4_CPtr a = KT_TCB(), p = KT_CNODE(2), occupied = KT_TCB(), empty = kt_slot();
    KT_ERR(seL4_CNode_Rotate(R, empty, D, 0, R, a, D, 0, R, a, D), seL4_IllegalOperation);
    KT_ERR(seL4_CNode_Rotate(R, p, D, 0, R, p, D, 0, R, a, D), seL4_IllegalOperation);
    KT_ERR(seL4_CNode_Rotate(R, occupied, D, 0, R, p, D, 0, R, a, D), seL4_DeleteFirst);
    KT_ERR(seL4_CNode_Rotate(R, empty, D, 0, R, p, D, 0, R, kt_slot(), D), seL4_FailedLookup);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_CNode_Rotate(R, empty, D, 0, R, kt_slot(), D, 0, R, a, D), seL4_FailedLookup);
    KT_MR_EQ(0, 0);
    KT_CAP_IS(a, KT_CAP_THREAD);
    KT_CAP_IS(p, KT_CAP_CNODE);
    KT_CAP_IS(empty, KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_rotate_endpoint_is_illegal, "Rotate of endpoint caps is IllegalOperation (their "
     "data cannot be updated)")
{
    seL4_CPtr ep = KT_EP(), p = KT_TCB(), dest = kt_slot();
    KT_ERR(seL4_CNode_Rotate(R, dest, D, 0, R, p, D, 0, R, ep, D), seL4_IllegalOperation);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    KT_CAP_IS(p, KT_CAP_THREAD);
    return KT_PASS;
}

/* ------------------------------------------------------ Delete, Revoke */

TEST(cnode_delete, "Delete empties a slot; deleting an empty slot succeeds")
{
    seL4_CPtr ep = KT_EP();
    seL4_CPtr c = KT_COPY(ep, seL4_AllRights);
    KT_OK(kt_delete(c));
    KT_CAP_IS(c, KT_CAP_NULL);
    KT_CAP_IS(ep, KT_CAP_ENDPOINT);
    KT_OK(kt_delete(c));
    return KT_PASS;
}

static int blocked_caller(kt_thread_t *self, void *arg)
{
    seL4_MessageInfo_t r = seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(0, 0, 0, 0));
    self->user[0] = seL4_MessageInfo_get_label(r);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(cnode_delete_last_cap_releases_blocked, "Deleting an endpoint's last cap destroys it: a "
     "caller blocked on it restarts and sees InvalidCapability")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t t;
    KT_SPAWN(&t, "blocked-caller", KT_PRIO_TEST + 1, blocked_caller, (void *)ep);
    KT_ASSERT(t.started);
    KT_EQ(t.user[1], 0);
    KT_OK(kt_delete(ep));
    KT_ASSERT(kt_wait_word(&t.user[1], 10));
    KT_EQ(t.user[0], seL4_InvalidCapability);
    return KT_PASS;
}

TEST(cnode_delete_cnode_deletes_its_caps, "Deleting a CNode's last cap deletes the caps in "
     "it (their untyped can be reused)")
{
    seL4_CPtr ut = KT_UNTYPED(12), cn = KT_CNODE(8);
    KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 256));
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, R, 0, 0, kt_slot(), 1),
           seL4_NotEnoughMemory);
    KT_OK(kt_delete(cn));
    seL4_CPtr first;
    kt_slots(&first, 256);
    KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, R, 0, 0, first, 256));
    return KT_PASS;
}

TEST(cnode_revoke_children, "Revoke deletes every cap derived from a cap, not the cap itself")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr a = KT_MINT(n, seL4_AllRights, 1);
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 2);
    seL4_CPtr c = KT_COPY(n, seL4_AllRights);
    KT_OK(kt_revoke(n));
    KT_CAP_IS(a, KT_CAP_NULL);
    KT_CAP_IS(b, KT_CAP_NULL);
    KT_CAP_IS(c, KT_CAP_NULL);
    KT_CAP_IS(n, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(cnode_revoke_badged_subtree, "Revoke of a badged cap deletes its copies only; revoke of "
     "the original deletes all badges")
{
    seL4_CPtr e = KT_EP();
    seL4_CPtr e1 = KT_MINT(e, seL4_AllRights, 1);
    seL4_CPtr e2 = KT_COPY(e1, seL4_AllRights);
    seL4_CPtr e3 = KT_COPY(e2, seL4_AllRights);
    seL4_CPtr e4 = KT_MINT(e, seL4_AllRights, 2);
    seL4_CPtr e5 = KT_COPY(e4, seL4_AllRights);
    KT_OK(kt_revoke(e1));
    KT_CAP_IS(e1, KT_CAP_ENDPOINT);
    KT_CAP_IS(e2, KT_CAP_NULL);
    KT_CAP_IS(e3, KT_CAP_NULL);
    KT_CAP_IS(e4, KT_CAP_ENDPOINT);
    KT_CAP_IS(e5, KT_CAP_ENDPOINT);
    KT_OK(kt_revoke(e));
    KT_CAP_IS(e1, KT_CAP_NULL);
    KT_CAP_IS(e4, KT_CAP_NULL);
    KT_CAP_IS(e5, KT_CAP_NULL);
    KT_CAP_IS(e, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_revoke_long_chain, "Revoke of an endpoint deletes a badged child and a chain of "
     "50 copies made one from the other")
{
    seL4_CPtr e = KT_EP();
    seL4_CPtr b = KT_MINT(e, seL4_AllRights, 77);
    seL4_CPtr prev = b, caps[50];
    for (int i = 0; i < 50; i++) {
        caps[i] = KT_COPY(prev, seL4_AllRights);
        prev = caps[i];
    }
    KT_OK(kt_revoke(e));
    KT_CAP_IS(b, KT_CAP_NULL);
    for (int i = 0; i < 50; i++)
        KT_CAP_IS(caps[i], KT_CAP_NULL);
    return KT_PASS;
}

TEST(cnode_revoke_copy_has_no_children, "A plain copy is not the parent of its own copies: "
     "revoking it deletes nothing")
{
    seL4_CPtr e = KT_EP();
    seL4_CPtr c1 = KT_COPY(e, seL4_AllRights);
    seL4_CPtr c2 = KT_COPY(c1, seL4_AllRights);
    KT_OK(kt_revoke(c1));
    KT_CAP_IS(c1, KT_CAP_ENDPOINT);
    KT_CAP_IS(c2, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(cnode_revoke_empty_and_leaf, "Revoke of a cap without children, or of an empty slot, "
     "succeeds")
{
    seL4_CPtr e = KT_EP();
    KT_OK(kt_revoke(e));
    KT_CAP_IS(e, KT_CAP_ENDPOINT);
    KT_OK(kt_revoke(kt_slot()));
    return KT_PASS;
}

TEST(cnode_revoke_lookup_error, "Revoke and Delete of an unresolvable slot are FailedLookup")
{
    KT_ERR(seL4_CNode_Revoke(R, 1ul << 62, D), seL4_FailedLookup);
    KT_ERR(seL4_CNode_Delete(R, 1ul << 62, D), seL4_FailedLookup);
    return KT_PASS;
}

/* ----------------------------------------------------- CancelBadgedSends */

TEST(cnode_cancel_badged_sends_rights, "CancelBadgedSends needs an endpoint cap with all "
     "rights; others are IllegalOperation")
{
    seL4_CPtr e = KT_EP(), n = KT_NTFN();
    seL4_CPtr b = KT_MINT(e, seL4_AllRights, 4);
    seL4_CPtr weak = KT_MINT(e, seL4_ReadWrite, 4);
    KT_OK(seL4_CNode_CancelBadgedSends(R, b, D));
    KT_OK(seL4_CNode_CancelBadgedSends(R, e, D));
    KT_ERR(seL4_CNode_CancelBadgedSends(R, weak, D), seL4_IllegalOperation);
    KT_ERR(seL4_CNode_CancelBadgedSends(R, n, D), seL4_IllegalOperation);
    KT_ERR(seL4_CNode_CancelBadgedSends(R, kt_slot(), D), seL4_IllegalOperation);
    return KT_PASS;
}

static int badged_caller(kt_thread_t *self, void *arg)
{
    seL4_MessageInfo_t r = seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(0x77, 0, 0, 0));
    self->user[0] = seL4_MessageInfo_get_label(r);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(cnode_cancel_badged_sends, "CancelBadgedSends restarts only the senders with that badge "
     "(whose deleted cap then fails); others stay queued")
{
    seL4_CPtr e = KT_EP(), reply = KT_REPLY();
    seL4_CPtr b5 = KT_MINT(e, seL4_AllRights, 5);
    seL4_CPtr b6 = KT_MINT(e, seL4_AllRights, 6);
    kt_thread_t t5, t6;
    KT_SPAWN(&t5, "badge5", KT_PRIO_TEST + 1, badged_caller, (void *)b5);
    KT_SPAWN(&t6, "badge6", KT_PRIO_TEST + 1, badged_caller, (void *)b6);
    /* both blocked sending; drop badge 5's cap, then cancel badge 5 */
    KT_OK(kt_delete(b5));
    seL4_CPtr cancel = KT_MINT(e, seL4_AllRights, 5);
    KT_OK(seL4_CNode_CancelBadgedSends(R, cancel, D));
    KT_ASSERT(kt_wait_word(&t5.user[1], 10));
    KT_EQ(t5.user[0], seL4_InvalidCapability);
    KT_EQ(t6.user[1], 0);
    /* badge 6 is still queued: receive it */
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_NBRecv(e, &badge, reply);
    KT_EQ(badge, 6);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x77);
    return KT_PASS;
}

TEST(cnode_cancel_unbadged_is_noop, "CancelBadgedSends with an unbadged cap does nothing")
{
    seL4_CPtr e = KT_EP(), reply = KT_REPLY();
    seL4_CPtr b = KT_MINT(e, seL4_AllRights, 3);
    kt_thread_t t;
    KT_SPAWN(&t, "badge3", KT_PRIO_TEST + 1, badged_caller, (void *)b);
    KT_OK(seL4_CNode_CancelBadgedSends(R, e, D));
    kt_yield_n(2);
    KT_EQ(t.user[1], 0);
    seL4_Word badge = 0;
    seL4_NBRecv(e, &badge, reply);
    KT_EQ(badge, 3);
    return KT_PASS;
}
