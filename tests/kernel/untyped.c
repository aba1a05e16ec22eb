/*
 * Untyped_Retype: every object type, several at once, alignment, running
 * out of memory, argument and range errors, destination slots, device
 * untypeds, and the free index being reset once an untyped has no
 * children left.
 */
#include "ktest.h"

/* Retype n objects into root-CNode slots [slot, slot + n). */
static seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr slot,
                         seL4_Word n)
{
    return seL4_Untyped_Retype(ut, type, bits, KT_ROOT_CNODE, 0, 0, slot, n);
}

/* One object of each type, checked with DebugCapIdentify. */
static int retype_one(seL4_Word type, seL4_Word bits, seL4_Word ut_bits, int tag)
{
    seL4_CPtr ut = KT_UNTYPED(ut_bits);
    seL4_CPtr s = kt_slot();
    KT_OK(retype(ut, type, bits, s, 1));
    KT_CAP_IS(s, tag);
    return KT_PASS;
}

/* ------------------------------------------------------------ each type */

TEST(untyped_retype_untyped, "Retype: a child untyped")
{
    return retype_one(seL4_UntypedObject, 12, 13, KT_CAP_UNTYPED);
}

TEST(untyped_retype_tcb, "Retype: a TCB")
{
    return retype_one(seL4_TCBObject, 0, 12, KT_CAP_THREAD);
}

TEST(untyped_retype_endpoint, "Retype: an endpoint")
{
    return retype_one(seL4_EndpointObject, 0, 12, KT_CAP_ENDPOINT);
}

TEST(untyped_retype_notification, "Retype: a notification")
{
    return retype_one(seL4_NotificationObject, 0, 12, KT_CAP_NOTIFICATION);
}

TEST(untyped_retype_cnode, "Retype: a CNode of 16 slots")
{
    return retype_one(seL4_CapTableObject, 4, 12, KT_CAP_CNODE);
}

TEST(untyped_retype_schedcontext, "Retype: SchedContexts of the minimum and a larger size")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr s = kt_slot(), t = kt_slot();
    KT_OK(retype(ut, seL4_SchedContextObject, seL4_MinSchedContextBits, s, 1));
    KT_CAP_IS(s, KT_CAP_SCHED_CONTEXT);
    KT_OK(retype(ut, seL4_SchedContextObject, 10, t, 1));
    KT_CAP_IS(t, KT_CAP_SCHED_CONTEXT);
    return KT_PASS;
}

TEST(untyped_retype_reply, "Retype: a Reply object")
{
    return retype_one(seL4_ReplyObject, 0, 12, KT_CAP_REPLY);
}

TEST(untyped_retype_small_page, "Retype: a 4 KiB frame")
{
    return retype_one(seL4_ARM_SmallPageObject, 0, 12, KT_CAP_FRAME);
}

TEST(untyped_retype_large_page, "Retype: a 2 MiB frame")
{
    return retype_one(seL4_ARM_LargePageObject, 0, 21, KT_CAP_FRAME);
}

TEST(untyped_retype_page_table, "Retype: a page table")
{
    return retype_one(seL4_ARM_PageTableObject, 0, 12, KT_CAP_PAGE_TABLE);
}

TEST(untyped_retype_vspace, "Retype: a VSpace (top-level table)")
{
    return retype_one(seL4_ARM_VSpaceObject, 0, seL4_VSpaceBits, KT_CAP_VSPACE);
}

TEST(untyped_retype_huge_page_device, "Retype: a 1 GiB frame from device memory")
{
    seL4_CPtr dev = kt_device_untyped(seL4_HugePageBits, NULL, NULL);
    if (!dev)
        return kt_skip("no device untyped of 1 GiB or more");
    seL4_CPtr s = kt_slot();
    KT_OK(retype(dev, seL4_ARM_HugePageObject, 0, s, 1));
    KT_CAP_IS(s, KT_CAP_FRAME);
    return KT_PASS;
}

/* --------------------------------------------------- several, alignment */

TEST(untyped_retype_many, "Retype: 16 endpoints in one call fill 16 consecutive slots")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 17);
    KT_ASSERT(first);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 16));
    for (seL4_CPtr s = first; s < first + 16; s++)
        KT_CAP_IS(s, KT_CAP_ENDPOINT);
    KT_CAP_IS(first + 16, KT_CAP_NULL);
    return KT_PASS;
}

TEST(untyped_retype_fill_exact, "Retype: 256 endpoints fill a 4 KiB untyped exactly; one more "
     "is NotEnoughMemory")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 257);
    KT_ASSERT(first);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 256));
    KT_CAP_IS(first + 255, KT_CAP_ENDPOINT);
    KT_ERR(retype(ut, seL4_EndpointObject, 0, first + 256, 1), seL4_NotEnoughMemory);
    KT_CAP_IS(first + 256, KT_CAP_NULL);
    return KT_PASS;
}

TEST(untyped_not_enough_memory_bytes_left,
     "Retype: NotEnoughMemory reports the bytes still free in MR0")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 3);
    KT_OK(retype(ut, seL4_TCBObject, 0, first, 1));
    KT_ERR(retype(ut, seL4_TCBObject, 0, first + 1, 2), seL4_NotEnoughMemory);
    KT_MR_EQ(0, 1ul << seL4_TCBBits);
    KT_CAP_IS(first + 1, KT_CAP_NULL);
    return KT_PASS;
}

TEST(untyped_object_bigger_than_untyped, "Retype: an object larger than the untyped is "
     "NotEnoughMemory")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_ARM_LargePageObject, 0, kt_slot(), 1), seL4_NotEnoughMemory);
    KT_ERR(retype(ut, seL4_UntypedObject, 13, kt_slot(), 1), seL4_NotEnoughMemory);
    return KT_PASS;
}

TEST(untyped_alignment, "Retype: objects are aligned to their size (a frame after an "
     "endpoint skips to the next page)")
{
    /* 8 KiB: endpoint at 0, frame at 4096..8191, nothing left */
    seL4_CPtr ut = KT_UNTYPED(13), first;
    kt_slots(&first, 3);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 1));
    KT_OK(retype(ut, seL4_ARM_SmallPageObject, 0, first + 1, 1));
    KT_ERR(retype(ut, seL4_EndpointObject, 0, first + 2, 1), seL4_NotEnoughMemory);
    KT_MR_EQ(0, 0);
    return KT_PASS;
}

TEST(untyped_alignment_paddr, "Retype aligns each object: a frame after a 16-byte untyped "
     "starts at the next page (seen with Page_GetAddress)")
{
    seL4_Word paddr = 0, bits = 0;
    seL4_CPtr dev = kt_device_untyped(13, &paddr, &bits);
    if (!dev)
        return kt_skip("no device untyped of 8 KiB");
    seL4_CPtr u = kt_slot(), f = kt_slot();
    KT_OK(retype(dev, seL4_UntypedObject, 4, u, 1));
    KT_OK(retype(dev, seL4_ARM_SmallPageObject, 0, f, 1));
    seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(f);
    KT_OK(a.error);
    KT_EQ(a.paddr, paddr + 0x1000);
    return KT_PASS;
}

TEST(untyped_size_ignored_for_fixed_types,
     "Retype: size_bits is ignored for fixed-size objects (256 endpoints with size_bits 12 "
     "fit in 4 KiB)")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 256);
    KT_OK(retype(ut, seL4_EndpointObject, 12, first, 256));
    KT_CAP_IS(first + 255, KT_CAP_ENDPOINT);
    return KT_PASS;
}

/* ----------------------------------------------------- argument errors */

TEST(untyped_bad_type, "Retype: an unknown object type is InvalidArgument (argument 0)")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_ObjectTypeCount, 0, kt_slot(), 1), seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(retype(ut, 1000, 0, kt_slot(), 1), seL4_InvalidArgument);
    KT_ERR(retype(ut, ~0ul, 0, kt_slot(), 1), seL4_InvalidArgument);
    return KT_PASS;
}

TEST(untyped_size_bits_too_big, "Retype: objects above 2^47 bytes or size_bits >= 64 are "
     "RangeError [0, 47]")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_UntypedObject, 48, kt_slot(), 1), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_MaxUntypedBits);
    KT_ERR(retype(ut, seL4_CapTableObject, 43, kt_slot(), 1), seL4_RangeError);
    KT_ERR(retype(ut, seL4_EndpointObject, 64, kt_slot(), 1), seL4_RangeError);
    KT_ERR(retype(ut, seL4_UntypedObject, ~0ul, kt_slot(), 1), seL4_RangeError);
    return KT_PASS;
}

TEST(untyped_untyped_too_small, "Retype: an untyped below 2^4 bytes is InvalidArgument "
     "(argument 1)")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_UntypedObject, seL4_MinUntypedBits - 1, kt_slot(), 1),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_OK(retype(ut, seL4_UntypedObject, seL4_MinUntypedBits, kt_slot(), 1));
    return KT_PASS;
}

TEST(untyped_cnode_radix_zero, "Retype: a CNode with 0 radix bits is InvalidArgument "
     "(argument 1)")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_CapTableObject, 0, kt_slot(), 1), seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_OK(retype(ut, seL4_CapTableObject, 1, kt_slot(), 1));
    return KT_PASS;
}

TEST(untyped_sched_context_too_small, "Retype: a SchedContext below 2^7 bytes is "
     "InvalidArgument (argument 1)")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(retype(ut, seL4_SchedContextObject, seL4_MinSchedContextBits - 1, kt_slot(), 1),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    return KT_PASS;
}

TEST(untyped_truncated, "Retype: fewer than 6 words or no root cap is TruncatedMessage")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr s = kt_slot();
    seL4_SetCap(0, KT_ROOT_CNODE);
    seL4_SetMR(4, s);
    seL4_SetMR(5, 1);
    /* 5 words, the cap present */
    KT_EQ(kt_call_raw(ut, UntypedRetype, 5, 1, seL4_EndpointObject, 0, 0, 0),
          seL4_TruncatedMessage);
    /* 6 words, no cap */
    seL4_SetMR(4, s);
    seL4_SetMR(5, 1);
    KT_EQ(kt_call_raw(ut, UntypedRetype, 6, 0, seL4_EndpointObject, 0, 0, 0),
          seL4_TruncatedMessage);
    KT_CAP_IS(s, KT_CAP_NULL);
    /* both: works */
    seL4_SetCap(0, KT_ROOT_CNODE);
    seL4_SetMR(4, s);
    seL4_SetMR(5, 1);
    KT_EQ(kt_call_raw(ut, UntypedRetype, 6, 1, seL4_EndpointObject, 0, 0, 0), seL4_NoError);
    KT_CAP_IS(s, KT_CAP_ENDPOINT);
    return KT_PASS;
}

TEST(untyped_wrong_label, "Untyped: any label but UntypedRetype is IllegalOperation")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_EQ(kt_call_raw(ut, CNodeCopy, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(ut, InvalidInvocation, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(untyped_invoke_non_untyped, "Retype on a CNode or TCB cap is IllegalOperation; on an "
     "empty slot InvalidCapability")
{
    seL4_CPtr tcb = KT_TCB();
    KT_ERR(retype(KT_ROOT_CNODE, seL4_EndpointObject, 0, kt_slot(), 1), seL4_IllegalOperation);
    KT_ERR(retype(tcb, seL4_EndpointObject, 0, kt_slot(), 1), seL4_IllegalOperation);
    KT_ERR(retype(kt_slot(), seL4_EndpointObject, 0, kt_slot(), 1), seL4_InvalidCapability);
    return KT_PASS;
}

/* ------------------------------------------------------ destinations */

TEST(untyped_dest_occupied, "Retype: an occupied destination slot is DeleteFirst and nothing "
     "is created")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 3);
    KT_OK(retype(ut, seL4_NotificationObject, 0, first + 1, 1));
    KT_ERR(retype(ut, seL4_EndpointObject, 0, first, 3), seL4_DeleteFirst);
    KT_CAP_IS(first, KT_CAP_NULL);
    KT_CAP_IS(first + 1, KT_CAP_NOTIFICATION);
    KT_CAP_IS(first + 2, KT_CAP_NULL);
    return KT_PASS;
}

TEST(untyped_num_objects_range, "Retype: 0 or more than 256 objects is RangeError [1, 256]")
{
    seL4_CPtr ut = KT_UNTYPED(16), first;
    kt_slots(&first, 258);
    KT_ERR(retype(ut, seL4_EndpointObject, 0, first, 0), seL4_RangeError);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, 256);
    KT_ERR(retype(ut, seL4_EndpointObject, 0, first, 257), seL4_RangeError);
    KT_MR_EQ(1, 256);
    KT_CAP_IS(first, KT_CAP_NULL);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 256));
    return KT_PASS;
}

TEST(untyped_offset_out_of_range, "Retype: a node offset past the CNode is RangeError "
     "[0, slots - 1]")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_Word slots = 1ul << kt_root_radix();
    KT_ERR(retype(ut, seL4_EndpointObject, 0, slots, 1), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, slots - 1);
    return KT_PASS;
}

TEST(untyped_window_past_end, "Retype: objects that would run past the CNode's end are "
     "RangeError [1, slots left]")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr cn = KT_CNODE(4);
    /* into the 16-slot CNode itself (depth 0): offset 14, 3 objects */
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 14, 3), seL4_RangeError);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, 2);
    KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 14, 2));
    return KT_PASS;
}

TEST(untyped_into_other_cnode, "Retype into another CNode, named by index and depth, at an "
     "offset")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr cn = KT_CNODE(4);
    /* destination: the CNode cap found at (root, cn, 64) */
    KT_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, KT_ROOT_CNODE, cn, KT_DEPTH, 5, 2));
    /* bring slot 6 back into the root CNode to look at it */
    seL4_CPtr back = kt_slot();
    KT_OK(seL4_CNode_Copy(KT_ROOT_CNODE, back, KT_DEPTH, cn, 6, 4, seL4_AllRights));
    KT_CAP_IS(back, KT_CAP_NOTIFICATION);
    /* slot 7 stayed empty: copying it is FailedLookup */
    KT_ERR(seL4_CNode_Copy(KT_ROOT_CNODE, kt_slot(), KT_DEPTH, cn, 7, 4, seL4_AllRights),
           seL4_FailedLookup);
    return KT_PASS;
}

TEST(untyped_dest_not_cnode, "Retype: a destination that is not a CNode is FailedLookup")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr ep = KT_EP();
    /* named by index/depth: lookup finds an endpoint */
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, KT_ROOT_CNODE, ep, KT_DEPTH, 0, 1),
           seL4_FailedLookup);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, seL4_MissingCapability);
    /* the root argument itself (depth 0) is an endpoint */
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ep, 0, 0, 0, 1), seL4_FailedLookup);
    return KT_PASS;
}

TEST(untyped_dest_depth_too_big, "Retype: a node depth above 64 is RangeError [1, 64]")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, KT_ROOT_CNODE, KT_ROOT_CNODE, 65, 0,
                               1), seL4_RangeError);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, 64);
    return KT_PASS;
}

TEST(untyped_dest_lookup_guard_mismatch, "Retype: a destination index that does not resolve "
     "is FailedLookup (guard mismatch)")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    KT_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, KT_ROOT_CNODE, 1ul << 63, KT_DEPTH,
                               0, 1), seL4_FailedLookup);
    KT_MR_EQ(1, seL4_GuardMismatch);
    return KT_PASS;
}

/* ------------------------------------------------------------ device */

TEST(untyped_device_no_kernel_objects, "Retype: device untyped cannot hold kernel objects "
     "(InvalidArgument, argument 1)")
{
    seL4_CPtr dev = kt_device_untyped(12, NULL, NULL);
    if (!dev)
        return kt_skip("no device untyped");
    static const seL4_Word types[] = {
        seL4_TCBObject, seL4_EndpointObject, seL4_NotificationObject, seL4_CapTableObject,
        seL4_SchedContextObject, seL4_ReplyObject, seL4_ARM_PageTableObject,
        seL4_ARM_VSpaceObject,
    };
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        seL4_CPtr s = kt_slot();
        seL4_Word bits = types[i] == seL4_CapTableObject ? 4 :
                         types[i] == seL4_SchedContextObject ? 8 : 0;
        KT_ERR(retype(dev, types[i], bits, s, 1), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
        KT_CAP_IS(s, KT_CAP_NULL);
    }
    return KT_PASS;
}

TEST(untyped_device_frames_and_untypeds, "Retype: device untyped gives frames and device "
     "untypeds (which again refuse kernel objects)")
{
    seL4_CPtr dev = kt_device_untyped(16, NULL, NULL);
    if (!dev)
        return kt_skip("no device untyped of 64 KiB");
    seL4_CPtr f = kt_slot(), u = kt_slot();
    KT_OK(retype(dev, seL4_ARM_SmallPageObject, 0, f, 1));
    KT_CAP_IS(f, KT_CAP_FRAME);
    KT_OK(retype(dev, seL4_UntypedObject, 12, u, 1));
    KT_CAP_IS(u, KT_CAP_UNTYPED);
    KT_ERR(retype(u, seL4_EndpointObject, 0, kt_slot(), 1), seL4_InvalidArgument);
    KT_OK(retype(u, seL4_ARM_SmallPageObject, 0, kt_slot(), 1));
    return KT_PASS;
}

/* ------------------------------------------------ free index and reset */

TEST(untyped_reset_after_revoke, "Revoking a full untyped resets its free index: it can be "
     "filled again")
{
    seL4_CPtr ut = KT_UNTYPED(12), first;
    kt_slots(&first, 256);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 256));
    KT_ERR(retype(ut, seL4_EndpointObject, 0, kt_slot(), 1), seL4_NotEnoughMemory);
    KT_OK(kt_revoke(ut));
    KT_CAP_IS(first, KT_CAP_NULL);
    KT_CAP_IS(first + 255, KT_CAP_NULL);
    KT_OK(retype(ut, seL4_EndpointObject, 0, first, 256));
    return KT_PASS;
}

TEST(untyped_reset_after_deleting_children, "Deleting an untyped's last child resets it too")
{
    seL4_CPtr ut = KT_UNTYPED(seL4_TCBBits);
    seL4_CPtr a = kt_slot(), b = kt_slot();
    KT_OK(retype(ut, seL4_TCBObject, 0, a, 1));
    KT_ERR(retype(ut, seL4_TCBObject, 0, b, 1), seL4_NotEnoughMemory);
    KT_OK(kt_delete(a));
    KT_OK(retype(ut, seL4_TCBObject, 0, b, 1));
    KT_CAP_IS(b, KT_CAP_THREAD);
    return KT_PASS;
}

TEST(untyped_no_reset_while_children, "The free index is not reset while one child remains")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr a = kt_slot(), b = kt_slot(), c = kt_slot();
    KT_OK(retype(ut, seL4_TCBObject, 0, a, 1));
    KT_OK(retype(ut, seL4_TCBObject, 0, b, 1));
    KT_OK(kt_delete(a));
    /* b still lives: its memory (and a's, below it) stays allocated */
    KT_ERR(retype(ut, seL4_TCBObject, 0, c, 1), seL4_NotEnoughMemory);
    KT_OK(kt_delete(b));
    KT_OK(retype(ut, seL4_TCBObject, 0, c, 1));
    return KT_PASS;
}

TEST(untyped_revoke_deep_untyped_tree, "Revoke of an untyped removes a 10-deep chain of child "
     "untypeds and the objects at the bottom")
{
    seL4_CPtr top = KT_UNTYPED(16);
    seL4_CPtr chain[11];
    chain[0] = top;
    for (int i = 1; i <= 10; i++) {
        chain[i] = kt_slot();
        KT_OK(retype(chain[i - 1], seL4_UntypedObject, 16 - (seL4_Word)i, chain[i], 1));
    }
    seL4_CPtr ep = kt_slot();
    KT_OK(retype(chain[10], seL4_EndpointObject, 0, ep, 1));
    KT_OK(kt_revoke(top));
    for (int i = 1; i <= 10; i++)
        KT_CAP_IS(chain[i], KT_CAP_NULL);
    KT_CAP_IS(ep, KT_CAP_NULL);
    /* and all 64 KiB are free again */
    KT_OK(retype(top, seL4_UntypedObject, 16, kt_slot(), 1));
    return KT_PASS;
}

TEST(untyped_copy_with_children_is_revoke_first, "Copying an untyped that has children is "
     "RevokeFirst; without children it works")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr c = KT_COPY(ut, seL4_AllRights);
    KT_CAP_IS(c, KT_CAP_UNTYPED);
    KT_OK(kt_delete(c));
    KT_OK(retype(ut, seL4_EndpointObject, 0, kt_slot(), 1));
    KT_ERR(seL4_CNode_Copy(KT_ROOT_CNODE, c, KT_DEPTH, KT_ROOT_CNODE, ut, KT_DEPTH,
                           seL4_AllRights), seL4_RevokeFirst);
    KT_CAP_IS(c, KT_CAP_NULL);
    return KT_PASS;
}

TEST(untyped_copy_marks_original_full, "After copying an untyped, the original cannot "
     "allocate until the copy is gone")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr c = KT_COPY(ut, seL4_AllRights);
    KT_ERR(retype(ut, seL4_EndpointObject, 0, kt_slot(), 1), seL4_NotEnoughMemory);
    KT_OK(retype(c, seL4_EndpointObject, 0, kt_slot(), 1));
    KT_OK(kt_revoke(c));
    KT_OK(kt_delete(c));
    KT_OK(retype(ut, seL4_EndpointObject, 0, kt_slot(), 1));
    return KT_PASS;
}

TEST(untyped_revoke_removes_copies, "Revoking an untyped deletes its copies and the objects "
     "made from them")
{
    seL4_CPtr ut = KT_UNTYPED(12);
    seL4_CPtr c = KT_COPY(ut, seL4_AllRights);
    seL4_CPtr ep = kt_slot();
    KT_OK(retype(c, seL4_EndpointObject, 0, ep, 1));
    KT_OK(kt_revoke(ut));
    KT_CAP_IS(c, KT_CAP_NULL);
    KT_CAP_IS(ep, KT_CAP_NULL);
    KT_CAP_IS(ut, KT_CAP_UNTYPED);
    return KT_PASS;
}

TEST(untyped_bootinfo_untyped_usable, "Every BootInfo RAM untyped below 1 MiB accepts a "
     "child untyped of its own size")
{
    /* Large ones are left alone (the pool is one of them); small ones are cheap. */
    seL4_Word n = kt_bi->untyped.end - kt_bi->untyped.start;
    int tried = 0;
    for (seL4_Word i = 0; i < n && tried < 16; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        seL4_CPtr u = kt_bi->untyped.start + i;
        if (d->isDevice || d->sizeBits > 20 || kt_framework_untyped(u))
            continue;
        kt_teardown_revoke(u);
        seL4_CPtr s = kt_slot();
        KT_OK(retype(u, seL4_UntypedObject, d->sizeBits, s, 1));
        KT_OK(kt_revoke(u));
        tried++;
    }
    KT_GT(tried, 0);
    return KT_PASS;
}
