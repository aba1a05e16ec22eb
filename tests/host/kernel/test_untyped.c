/*
 * Untyped_Retype through the real system-call path (handle_invocation ->
 * decode_untyped), with seL4's error codes and error words. The untyped's
 * memory is a host arena; device untypeds sit at an address that is never
 * mapped on the host, so any access to them would crash the test.
 * seL4 reference: sel4.md 2.1 and 2.2.
 */
#define TEST_SUITE "untyped"
#include "harness.h"
#include "host.h"

#include <string.h>

enum { UT = ENV_FREE, DEST = 16 };

static cap_t slot_cap(env_t *e, word_t i)
{
    return env_slot(e, i)->cap;
}

static paddr_t obj_paddr(cap_t c)
{
    paddr_t base;
    word_t size;
    cap_region(c, &base, &size);
    return base;
}

static word_t free_index(env_t *e)
{
    return cap_untyped_free_index(slot_cap(e, UT));
}

TEST(retype_one_endpoint_at_the_base)
{
    env_t e;
    env_init(&e, 8);
    void *mem = env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    cap_t c = slot_cap(&e, DEST);
    CHECK_EQ(cap_get_type(c), cap_endpoint);
    CHECK_PTR_EQ(cap_get_ptr(c), mem);
    CHECK_EQ(cap_rights(c), RIGHTS_ALL);
    CHECK_EQ(cap_badge(c), 0);
    CHECK_EQ(free_index(&e), 16);
    CHECK(cdt_is_parent_of(env_slot(&e, UT), env_slot(&e, DEST)));
    CHECK(mdb_revocable(env_slot(&e, DEST)));
    CHECK(is_final_cap(env_slot(&e, DEST)));
    CHECK_EQ(env_reply_length(&e), 0);
}

TEST(objects_are_aligned_to_their_size)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 16, false);
    paddr_t base = paddr_from_ptr(mem);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_NotificationObject, 0, DEST + 2, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_CapTableObject, 4, DEST + 3, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST + 4, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_SchedContextObject, 8, DEST + 5, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_ReplyObject, 0, DEST + 6, 1), seL4_NoError);
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST)), base);
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 1)), base + 2048);      /* TCB: 2^11 */
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 2)), base + 4096);      /* after the TCB */
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 3)), base + 4608);      /* 16 slots: 2^9 */
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 4)), base + 8192);      /* page: 2^12 */
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 5)), base + 12288);     /* SC: 2^8 */
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 6)), base + 12544);     /* reply: 2^5 */
    CHECK_EQ(free_index(&e), 12544 + 32);
    for (unsigned i = 0; i < 7; i++) {
        paddr_t base_i;
        word_t size_i;
        cap_region(slot_cap(&e, DEST + i), &base_i, &size_i);
        CHECK_MSG(IS_ALIGNED(base_i, __builtin_ctzll(size_i)), "object %u at 0x%llx, size 0x%llx",
                  i, (unsigned long long)base_i, (unsigned long long)size_i);
    }
    CHECK_EQ(cap_cnode_radix(slot_cap(&e, DEST + 3)), 4);
    CHECK_EQ(cap_sched_context_size_bits(slot_cap(&e, DEST + 5)), 8);
    CHECK_EQ(cap_get_type(slot_cap(&e, DEST + 6)), cap_reply);
    CHECK_EQ(cap_frame_size(slot_cap(&e, DEST + 4)), frame_4k);
}

TEST(several_objects_at_once_fill_consecutive_slots)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 14, false);
    CHECK_EQ(env_retype(&e, UT, seL4_NotificationObject, 0, DEST, 10), seL4_NoError);
    for (unsigned i = 0; i < 10; i++) {
        CHECK_EQ(cap_get_type(slot_cap(&e, DEST + i)), cap_notification);
        CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST + i)), mem + 64 * i);
        CHECK(cdt_is_parent_of(env_slot(&e, UT), env_slot(&e, DEST + i)));
    }
    CHECK(cap_is_null(slot_cap(&e, DEST + 10)));
    CHECK_EQ(free_index(&e), 640);
    CHECK_EQ(host_cdt_length(env_slot(&e, UT)), 11);
}

TEST(free_index_advances_across_calls)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 14, false);
    for (unsigned i = 0; i < 5; i++) {
        CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 2 * i, 2), seL4_NoError);
        CHECK_EQ(free_index(&e), 32 * (i + 1));
        CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST + 2 * i + 1)), mem + 32 * i + 16);
    }
}

TEST(objects_are_zeroed_and_initialised)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 14, false);
    memset(mem, 0xa5, BIT(14));
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST, 2), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST + 2, 1), seL4_NoError);
    tcb_t *t = cap_get_ptr(slot_cap(&e, DEST + 1));
    CHECK_EQ(t->state, thread_inactive);
    CHECK(t->sc == NULL && t->queued == queued_none);
    CHECK(cap_is_null(t->caps[tcb_cspace_root].cap));
    uint8_t *page = ptr_from_paddr(cap_frame_base(slot_cap(&e, DEST + 2)));
    for (unsigned i = 0; i < 4096; i++)
        CHECK_MSG(page[i] == 0, "byte %u of the new page is 0x%x", i, page[i]);
    /* New frames are cleaned to memory (an uncached mapping must see zeros). */
    CHECK(host_cache_clean_calls() >= 1);
}

TEST(not_enough_memory_reports_memory_left)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST, 3), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 4096);
    CHECK_EQ(env_reply_length(&e), 1);
    CHECK(cap_is_null(slot_cap(&e, DEST)));
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST + 1, 2), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 2048);
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 2, 1), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 0);
}

TEST(not_enough_memory_counts_from_the_free_index_before_alignment)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 13, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    /* Two pages do not fit once aligned; seL4 reports the free bytes. */
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST + 1, 2), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 8192 - 16);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK_EQ(free_index(&e), 8192);
}

TEST(object_bigger_than_the_untyped)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 13, DEST, 1), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 4096);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_LargePageObject, 0, DEST, 1), seL4_NotEnoughMemory);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 12, DEST, 1), seL4_NoError);
    CHECK_EQ(cap_untyped_size_bits(slot_cap(&e, DEST)), 12);
}

TEST(occupied_destination_slot_is_delete_first)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    cap_t ep;
    host_endpoint(&ep);
    host_root(env_slot(&e, DEST + 3), ep);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 5), seL4_DeleteFirst);
    /* Nothing was created, not even in the free slots before it. */
    for (unsigned i = 0; i < 3; i++)
        CHECK(cap_is_null(slot_cap(&e, DEST + i)));
    CHECK(!cdt_has_children(env_slot(&e, UT)));
    CHECK_EQ(free_index(&e), 0);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 3), seL4_NoError);
}

TEST(offset_outside_the_cnode_is_a_range_error)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, 256, 1), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK_EQ(env_reply(&e, 1), 255);
    CHECK_EQ(env_reply_length(&e), 2);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, ~0ull, 1), seL4_RangeError);
}

TEST(window_size_is_checked)
{
    env_t e;
    env_init(&e, 10);
    env_untyped(&e, UT, 16, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 0), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_reply(&e, 1), 256);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 257), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 1), 256);
    /* The window overruns the end of the CNode: max is what is left. */
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, 1022, 3), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_reply(&e, 1), 2);
    /* The fan-out limit itself is fine. */
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, 512, 256), seL4_NoError);
    CHECK_EQ(free_index(&e), 256 * 16);
}

TEST(bad_type_and_size_arguments)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 16, false);
    CHECK_EQ(env_retype(&e, UT, seL4_ObjectTypeCount, 0, DEST, 1), seL4_InvalidArgument);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK_EQ(env_retype(&e, UT, 1000, 0, DEST, 1), seL4_InvalidArgument);
    CHECK_EQ(env_retype(&e, UT, seL4_CapTableObject, 0, DEST, 1), seL4_InvalidArgument);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 3, DEST, 1), seL4_InvalidArgument);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_retype(&e, UT, seL4_SchedContextObject, 6, DEST, 1), seL4_InvalidArgument);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 48, DEST, 1), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 64, DEST, 1), seL4_RangeError);
    CHECK_EQ(env_retype(&e, UT, seL4_CapTableObject, 43, DEST, 1), seL4_RangeError);
    CHECK_EQ(free_index(&e), 0);
    CHECK(cap_is_null(slot_cap(&e, DEST)));
}

TEST(truncated_message_and_missing_root)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_EndpointObject, 0, 0, 0, DEST), 1,
                      (word_t[]){ ENV_CNODE }), seL4_TruncatedMessage);
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_EndpointObject, 0, 0, 0, DEST, 1), NO_WORDS),
             seL4_TruncatedMessage);
    CHECK_EQ(env_call(&e, UT, CNodeCopy, WORDS(seL4_EndpointObject, 0, 0, 0, DEST, 1), 1,
                      (word_t[]){ ENV_CNODE }), seL4_IllegalOperation);
}

TEST(destination_that_is_not_a_cnode)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    /* The root "CNode" argument names the untyped itself. */
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_EndpointObject, 0, 0, 0, DEST, 1), 1,
                      (word_t[]){ UT }), seL4_FailedLookup);
    CHECK_EQ(env_reply(&e, 0), 0);                          /* not the source */
    CHECK_EQ(env_reply(&e, 1), seL4_MissingCapability);
    /* A node index (depth 64) naming an empty slot. */
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_EndpointObject, 0, 40, 64, 0, 1), 1,
                      (word_t[]){ ENV_CNODE }), seL4_FailedLookup);
    CHECK_EQ(env_reply(&e, 1), seL4_MissingCapability);
    CHECK_EQ(env_reply(&e, 2), 64);
}

TEST(retype_into_a_cnode_below_the_root)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 14, false);
    cap_t sub;
    cte_t *subslots = host_cnode(6, 0, 0, &sub);
    host_root(env_slot(&e, 40), sub);
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_NotificationObject, 0, 40, 64, 60, 5), 1,
                      (word_t[]){ ENV_CNODE }), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 1), 4);      /* 64 slots - offset 60 */
    CHECK_EQ(env_call(&e, UT, UntypedRetype, WORDS(seL4_NotificationObject, 0, 40, 64, 60, 3), 1,
                      (word_t[]){ ENV_CNODE }), seL4_NoError);
    for (unsigned i = 60; i < 63; i++)
        CHECK_EQ(cap_get_type(subslots[i].cap), cap_notification);
    CHECK(cap_is_null(env_slot(&e, 60)->cap));
}

TEST(device_untyped_makes_only_frames_and_untypeds)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 23, true);
    paddr_t base = cap_untyped_base(slot_cap(&e, UT));
    word_t kernel_types[] = { seL4_TCBObject, seL4_EndpointObject, seL4_NotificationObject,
                              seL4_CapTableObject, seL4_SchedContextObject, seL4_ReplyObject,
                              seL4_ARM_PageTableObject, seL4_ARM_VSpaceObject };
    for (unsigned i = 0; i < ARRAY_SIZE(kernel_types); i++) {
        word_t bits = kernel_types[i] == seL4_CapTableObject ? 4 :
                      kernel_types[i] == seL4_SchedContextObject ? 8 : 0;
        CHECK_MSG(env_retype(&e, UT, kernel_types[i], bits, DEST, 1) == seL4_InvalidArgument,
                  "device untyped retyped to object type %llu", (unsigned long long)kernel_types[i]);
        CHECK_EQ(env_reply(&e, 0), 1);
    }
    CHECK(!cdt_has_children(env_slot(&e, UT)));
    /* Frames and untypeds: device ones, and the memory is never touched. */
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST, 4), seL4_NoError);
    CHECK(cap_frame_is_device(slot_cap(&e, DEST)));
    CHECK_EQ(cap_frame_base(slot_cap(&e, DEST + 3)), base + 3 * 4096);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_LargePageObject, 0, DEST + 4, 1), seL4_NoError);
    CHECK_EQ(cap_frame_base(slot_cap(&e, DEST + 4)), base + BIT(21));
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 12, DEST + 5, 1), seL4_NoError);
    CHECK(cap_untyped_is_device(slot_cap(&e, DEST + 5)));
    /* A device untyped's child untyped is just as restricted. */
    CHECK_EQ(env_retype(&e, DEST + 5, seL4_EndpointObject, 0, DEST + 6, 1), seL4_InvalidArgument);
    CHECK_EQ(env_retype(&e, DEST + 5, seL4_ARM_SmallPageObject, 0, DEST + 6, 1), seL4_NoError);
    CHECK(cap_frame_is_device(slot_cap(&e, DEST + 6)));
}

TEST(revoking_the_untyped_resets_the_free_index)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 14, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 8), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST + 8, 2), seL4_NoError);
    CHECK_EQ(free_index(&e), 2048 * 3);
    /* seL4_CNode_Revoke on the untyped's slot. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRevoke, WORDS(UT, 64), NO_WORDS), seL4_NoError);
    for (unsigned i = 0; i < 10; i++)
        CHECK(cap_is_null(slot_cap(&e, DEST + i)));
    CHECK_EQ(host_finalise_calls(), 10);
    CHECK(!cdt_has_children(env_slot(&e, UT)));
    CHECK_EQ(env_retype(&e, UT, seL4_TCBObject, 0, DEST, 1), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST)), mem);
    CHECK_EQ(free_index(&e), 2048);
}

TEST(deleting_every_child_also_resets_it)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_NotificationObject, 0, DEST, 2), seL4_NoError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(DEST, 64), NO_WORDS), seL4_NoError);
    /* One child left: allocation continues after it. */
    CHECK_EQ(env_retype(&e, UT, seL4_NotificationObject, 0, DEST, 1), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST)), mem + 128);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(DEST, 64), NO_WORDS), seL4_NoError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(DEST + 1, 64), NO_WORDS), seL4_NoError);
    CHECK(!cdt_has_children(env_slot(&e, UT)));
    CHECK_EQ(env_retype(&e, UT, seL4_NotificationObject, 0, DEST, 1), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST)), mem);
}

TEST(copies_of_objects_keep_the_untyped_busy)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(DEST + 1, 64, DEST, 64, RIGHTS_ALL), 1,
                      (word_t[]){ ENV_CNODE }), seL4_NoError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(DEST, 64), NO_WORDS), seL4_NoError);
    /* The copy is still the untyped's descendant: no reset. */
    CHECK(cdt_has_children(env_slot(&e, UT)));
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST)), cap_untyped_base(slot_cap(&e, UT)) + 16);
    /* An untyped with children cannot be copied. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(DEST + 2, 64, UT, 64, RIGHTS_ALL), 1,
                      (word_t[]){ ENV_CNODE }), seL4_RevokeFirst);
}

TEST(copy_of_an_untyped_marks_the_source_full)
{
    /* Two caps to one region must not both allocate from it (seL4's
       setUntypedCapAsFull): after a copy only the copy can retype. */
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 12, false);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(DEST, 64, UT, 64, RIGHTS_ALL), 1,
                      (word_t[]){ ENV_CNODE }), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 1, 1), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK_EQ(env_retype(&e, DEST, seL4_EndpointObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST + 1)), mem);
    /* Revoking the source takes the copy and its objects: usable again. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRevoke, WORDS(UT, 64), NO_WORDS), seL4_NoError);
    CHECK(cap_is_null(slot_cap(&e, DEST)) && cap_is_null(slot_cap(&e, DEST + 1)));
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST + 1)), mem);
}

TEST(child_untyped_and_grandchildren)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 16, false);
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 14, DEST, 4), seL4_NoError);
    CHECK_PTR_EQ(ptr_from_paddr(cap_untyped_base(slot_cap(&e, DEST + 2))), mem + 2 * BIT(14));
    CHECK_EQ(env_retype(&e, DEST + 2, seL4_TCBObject, 0, DEST + 10, 8), seL4_NoError);
    CHECK_PTR_EQ(cap_get_ptr(slot_cap(&e, DEST + 17)), mem + 2 * BIT(14) + 7 * 2048);
    CHECK_EQ(env_retype(&e, DEST + 2, seL4_TCBObject, 0, DEST + 18, 1), seL4_NotEnoughMemory);
    CHECK_EQ(env_reply(&e, 0), 0);
    CHECK(cdt_is_parent_of(env_slot(&e, UT), env_slot(&e, DEST + 17)));
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRevoke, WORDS(UT, 64), NO_WORDS), seL4_NoError);
    for (unsigned i = 0; i < 18; i++)
        CHECK(cap_is_null(slot_cap(&e, DEST + i)));
    /* Each TCB once, and the four untypeds (whose finalisation does nothing). */
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(host_finalised(mem + 2 * BIT(14) + i * 2048), 1);
    CHECK_EQ(host_finalise_calls(), 8 + 4);
}

TEST(ten_thousand_retype_revoke_cycles_do_not_drift)
{
    enum { CYCLES = 10000 };
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 12, false);
    word_t types[] = { seL4_EndpointObject, seL4_NotificationObject, seL4_ReplyObject,
                       seL4_CapTableObject };
    for (unsigned c = 0; c < CYCLES; c++) {
        word_t type = types[c % ARRAY_SIZE(types)];
        word_t bits = type == seL4_CapTableObject ? 1 : 0;
        word_t n = 1 + c % 7;
        test_note("cycle %u", c);
        CHECK_EQ(env_retype(&e, UT, type, bits, DEST, n), seL4_NoError);
        CHECK_EQ(obj_paddr(slot_cap(&e, DEST)), paddr_from_ptr(mem));
        CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 8, 1), seL4_NoError);
        CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRevoke, WORDS(UT, 64), NO_WORDS), seL4_NoError);
        CHECK(!cdt_has_children(env_slot(&e, UT)));
    }
    test_note("after the cycles");
    CHECK_EQ(host_cdt_length(env_slot(&e, UT)), 1);
    /* Every slot of the CNode but the fixed ones is empty again. */
    for (unsigned i = ENV_FREE + 1; i < BIT(8); i++)
        CHECK(cap_is_null(slot_cap(&e, i)));
    /* The whole untyped is available: one 4 KiB page fits exactly. */
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(free_index(&e), 4096);
}

/* ---------------------------------------------------------------- zeroing and preemption */

static bool all_zero(const uint8_t *p, word_t n)
{
    for (word_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static word_t clean_limit(env_t *e)
{
    return cap_untyped_clean_limit(slot_cap(e, UT));
}

TEST(new_objects_are_zero_whatever_the_memory_held)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 16, false);
    memset(mem, 0xa5, BIT(16));
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST, 4), seL4_NoError);
    CHECK(all_zero(mem, 4 * 4096));
    CHECK_EQ(mem[4 * 4096], 0xa5);      /* only what Retype hands out is zeroed */
    CHECK_EQ(clean_limit(&e), 4 * 4096);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST + 4, 3), seL4_NoError);
    CHECK(all_zero(mem + 4 * 4096, 3 * 16));
    CHECK_EQ(clean_limit(&e), 5 * 4096);    /* in whole 4 KiB granules */
}

TEST(a_reset_forgets_what_was_clean_below)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 14, false);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST, 2), seL4_NoError);
    memset(mem, 0x5a, 2 * 4096);        /* a user wrote to the frames */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRevoke, WORDS(UT, 64), NO_WORDS), seL4_NoError);
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST)), paddr_from_ptr(mem));
    CHECK(all_zero(mem, 4096));
    CHECK_EQ(clean_limit(&e), 4096);
}

TEST(an_untyped_child_is_not_zeroed_its_objects_are)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 16, false);
    memset(mem, 0xa5, BIT(16));
    unsigned cleans = host_cache_clean_calls();
    CHECK_EQ(env_retype(&e, UT, seL4_UntypedObject, 15, DEST, 1), seL4_NoError);
    CHECK_EQ(host_cache_clean_calls(), cleans);
    CHECK_EQ(mem[0], 0xa5);
    CHECK_EQ(cap_untyped_clean_limit(slot_cap(&e, DEST)), 0);
    CHECK_EQ(env_retype(&e, DEST, seL4_ARM_SmallPageObject, 0, DEST + 1, 1), seL4_NoError);
    CHECK(all_zero(mem, 4096));
}

TEST(retype_preempted_while_zeroing_restarts_where_it_stopped)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 20, false);
    memset(mem, 0xa5, BIT(20));
    /* 64 KiB of endpoints after a first one: the retype zeroes 64 KiB in
       4 KiB chunks; an interrupt after the third chunk stops it. */
    CHECK_EQ(env_retype(&e, UT, seL4_EndpointObject, 0, DEST, 1), seL4_NoError);
    host_preempt_after(2);
    env_retype(&e, UT, seL4_CapTableObject, 12, DEST + 1, 1);
    host_preempt_after(-1);
    CHECK_EQ(e.caller->state, thread_restart);
    CHECK(cap_is_null(slot_cap(&e, DEST + 1)));     /* nothing created yet */
    CHECK_EQ(free_index(&e), 1u << 17);             /* the gap below the CNode given up */
    CHECK_EQ(clean_limit(&e), (1u << 17) + 3 * 4096);
    CHECK(all_zero(mem + (1u << 17), 3 * 4096));
    CHECK_EQ(mem[(1u << 17) + 3 * 4096], 0xa5);
    /* The restart carries on and ends as an uninterrupted Retype would. */
    CHECK_EQ(env_retype(&e, UT, seL4_CapTableObject, 12, DEST + 1, 1), seL4_NoError);
    CHECK_EQ(obj_paddr(slot_cap(&e, DEST + 1)), paddr_from_ptr(mem) + (1u << 17));
    CHECK_EQ(cap_cnode_radix(slot_cap(&e, DEST + 1)), 12);
    CHECK_EQ(free_index(&e), 2u << 17);
    CHECK(all_zero(mem + (1u << 17), 1u << 17));
    CHECK_EQ(mem[2u << 17], 0xa5);
}

TEST(retype_preempted_at_every_chunk_still_finishes)
{
    env_t e;
    env_init(&e, 8);
    uint8_t *mem = env_untyped(&e, UT, 21, false);
    memset(mem, 0xa5, BIT(21));
    unsigned calls = 0;
    word_t label;
    do {
        host_preempt_after(0);
        label = env_retype(&e, UT, seL4_ARM_LargePageObject, 0, DEST, 1);
        calls++;
    } while (e.caller->state == thread_restart && calls < 1000);
    host_preempt_after(-1);
    CHECK_EQ(label, seL4_NoError);
    CHECK_EQ(calls, 512);       /* 2 MiB in 4 KiB chunks: a stop after each but the last */
    CHECK_EQ(cap_get_type(slot_cap(&e, DEST)), cap_frame);
    CHECK(all_zero(mem, BIT(21)));
}

TEST(device_untyped_memory_is_never_zeroed)
{
    env_t e;
    env_init(&e, 8);
    env_untyped(&e, UT, 16, true);      /* its memory is not mapped on the host */
    host_preempt_after(0);
    CHECK_EQ(env_retype(&e, UT, seL4_ARM_SmallPageObject, 0, DEST, 16), seL4_NoError);
    host_preempt_after(-1);
    CHECK_EQ(cap_get_type(slot_cap(&e, DEST + 15)), cap_frame);
}
