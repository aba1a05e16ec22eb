/*
 * CSpace addressing (kernel/src/cspace.c): guarded multi-level CNode
 * walks and the lookup-failure details seL4 reports (resolveAddressBits).
 */
#define TEST_SUITE "cspace"
#include "harness.h"
#include "host.h"

static void check_fault(lookup_result_t r, word_t type, word_t bits_left)
{
    CHECK_MSG(r.slot == NULL, "lookup succeeded, expected fault type %llu", (unsigned long long)type);
    CHECK_EQ(r.fault.type, type);
    CHECK_EQ(r.fault.bits_left, bits_left);
}

TEST(flat_cnode_resolves_slot_numbers)
{
    cap_t root;
    cte_t *slots = host_cnode(8, 56, 0, &root);
    for (word_t i = 0; i < 256; i += 17) {
        lookup_result_t r = resolve_address_bits(root, i, 64);
        CHECK_PTR_EQ(r.slot, &slots[i]);
        CHECK_EQ(r.bits_remaining, 0);
    }
}

TEST(guard_must_match)
{
    cap_t root;
    cte_t *slots = host_cnode(8, 56, 0x1234, &root);
    lookup_result_t r = resolve_address_bits(root, (0x1234ull << 8) | 5, 64);
    CHECK_PTR_EQ(r.slot, &slots[5]);
    r = resolve_address_bits(root, 5, 64);
    check_fault(r, seL4_GuardMismatch, 64);
    CHECK_EQ(r.fault.guard_found, 0x1234);
    CHECK_EQ(r.fault.bits_found, 56);
}

TEST(two_levels)
{
    cap_t root, l2;
    cte_t *top = host_cnode(4, 0, 0, &root);
    cte_t *second = host_cnode(4, 0, 0, &l2);
    host_root(&top[3], l2);
    lookup_result_t r = resolve_address_bits(root, 0x35, 8);
    CHECK_PTR_EQ(r.slot, &second[5]);
    CHECK_EQ(r.bits_remaining, 0);
    /* Depth 4 stops at the slot holding the second-level CNode. */
    r = resolve_address_bits(root, 0x3, 4);
    CHECK_PTR_EQ(r.slot, &top[3]);
}

TEST(two_guarded_levels_make_64_bits)
{
    cap_t root, l2;
    cte_t *top = host_cnode(12, 20, 0, &root);
    cte_t *second = host_cnode(8, 24, 0xabcdef, &l2);
    host_root(&top[0x9a5], l2);
    word_t cptr = (0x9a5ull << 32) | (0xabcdefull << 8) | 0x42;
    lookup_result_t r = resolve_address_bits(root, cptr, 64);
    CHECK_PTR_EQ(r.slot, &second[0x42]);
    /* Wrong second-level guard: 32 bits were left at that level. */
    r = resolve_address_bits(root, cptr ^ (1ull << 20), 64);
    check_fault(r, seL4_GuardMismatch, 32);
    CHECK_EQ(r.fault.guard_found, 0xabcdef);
    CHECK_EQ(r.fault.bits_found, 24);
}

TEST(three_levels)
{
    cap_t c1, c2, c3;
    cte_t *l1 = host_cnode(2, 0, 0, &c1);
    cte_t *l2 = host_cnode(3, 1, 1, &c2);
    cte_t *l3 = host_cnode(5, 0, 0, &c3);
    host_root(&l1[2], c2);
    host_root(&l2[6], c3);
    /* 2 bits (2), guard 1 bit (1), 3 bits (6), 5 bits (17): 11 bits. */
    word_t cptr = (2ull << 9) | (1ull << 8) | (6ull << 5) | 17;
    lookup_result_t r = resolve_address_bits(c1, cptr, 11);
    CHECK_PTR_EQ(r.slot, &l3[17]);
    CHECK_EQ(r.bits_remaining, 0);
}

TEST(walk_stops_at_a_slot_that_is_not_a_cnode)
{
    cap_t root, ep;
    cte_t *top = host_cnode(4, 0, 0, &root);
    host_endpoint(&ep);
    host_root(&top[3], ep);
    lookup_result_t r = resolve_address_bits(root, 0x35, 8);
    CHECK_PTR_EQ(r.slot, &top[3]);
    CHECK_EQ(r.bits_remaining, 4);
    r = resolve_address_bits(root, 0x45, 8);            /* empty slot 4 */
    CHECK_PTR_EQ(r.slot, &top[4]);
    CHECK_EQ(r.bits_remaining, 4);
}

TEST(depth_smaller_than_a_level_is_a_depth_mismatch)
{
    cap_t root, l2;
    cte_t *top = host_cnode(4, 0, 0, &root);
    host_cnode(8, 0, 0, &l2);
    host_root(&top[1], l2);
    lookup_result_t r = resolve_address_bits(root, 0x1, 3);
    check_fault(r, seL4_DepthMismatch, 3);
    CHECK_EQ(r.fault.bits_found, 4);
    /* At the second level: 4 bits left, the level needs 8. */
    r = resolve_address_bits(root, 0x1f, 8);
    check_fault(r, seL4_DepthMismatch, 4);
    CHECK_EQ(r.fault.bits_found, 8);
}

TEST(guard_is_checked_before_the_depth)
{
    /* seL4's resolveAddressBits checks the guard first: with 6 bits left,
       a 4-bit guard that does not match is a guard mismatch even though
       the level (4 + 4 bits) would not fit either. */
    cap_t root;
    host_cnode(4, 4, 0xa, &root);
    lookup_result_t r = resolve_address_bits(root, 0x5 << 2, 6);
    check_fault(r, seL4_GuardMismatch, 6);
    CHECK_EQ(r.fault.guard_found, 0xa);
    CHECK_EQ(r.fault.bits_found, 4);
    /* A guard longer than the bits left cannot match either. */
    r = resolve_address_bits(root, 0, 3);
    check_fault(r, seL4_GuardMismatch, 3);
    CHECK_EQ(r.fault.bits_found, 4);
    /* Guard matches, level too long: depth mismatch. */
    r = resolve_address_bits(root, 0xa << 2, 6);
    check_fault(r, seL4_DepthMismatch, 6);
    CHECK_EQ(r.fault.bits_found, 8);
}

TEST(root_that_is_not_a_cnode)
{
    cap_t ep;
    host_endpoint(&ep);
    check_fault(resolve_address_bits(ep, 0, 64), seL4_InvalidRoot, 64);
    check_fault(resolve_address_bits(cap_null_new(), 0, 64), seL4_InvalidRoot, 64);
}

TEST(lookup_cap_in_a_thread_cspace)
{
    env_t e;
    env_init(&e, 8);
    lookup_fault_t f = { 0 };
    cap_t c = lookup_cap(e.caller, ENV_CNODE, &f);
    CHECK_EQ(cap_get_type(c), cap_cnode);
    CHECK_EQ(f.type, seL4_NoFailure);
    CHECK_PTR_EQ(lookup_slot(e.caller, ENV_TCB).slot, env_slot(&e, ENV_TCB));
    /* An empty slot: a null cap and MissingCapability with no bits left. */
    c = lookup_cap(e.caller, 77, &f);
    CHECK(cap_is_null(c));
    CHECK_EQ(f.type, seL4_MissingCapability);
    CHECK_EQ(f.bits_left, 0);
    /* Bits above the radix are the (zero) guard. */
    c = lookup_cap(e.caller, 1ull << 40, &f);
    CHECK(cap_is_null(c));
    CHECK_EQ(f.type, seL4_GuardMismatch);
    /* A thread without a CSpace. */
    tcb_t *t = host_tcb(0);
    c = lookup_cap(t, 0, &f);
    CHECK(cap_is_null(c));
    CHECK_EQ(f.type, seL4_InvalidRoot);
}

TEST(target_slot_lookup_needs_the_whole_depth)
{
    /* CNode invocations name a slot by (root, index, depth): a walk that
       stops early at a non-CNode is a depth mismatch. */
    cap_t root, ep;
    cte_t *top = host_cnode(4, 0, 0, &root);
    host_endpoint(&ep);
    host_root(&top[3], ep);
    invocation_t inv = { 0 };
    CHECK(inv_lookup_target_slot(&inv, root, 0x35, 8, true) == NULL);
    CHECK_EQ(inv.error.type, seL4_FailedLookup);
    CHECK(inv.error.lookup_was_source);
    CHECK_EQ(inv.error.lookup.type, seL4_DepthMismatch);
    CHECK_EQ(inv.error.lookup.bits_left, 4);
    CHECK_PTR_EQ(inv_lookup_target_slot(&inv, root, 0x3, 4, true), &top[3]);
}

TEST(lookup_failure_words_in_an_error_reply)
{
    env_t e;
    env_init(&e, 8);
    cap_t guarded;
    host_cnode(8, 8, 0x11, &guarded);
    host_root(env_slot(&e, 20), guarded);
    /* Copy from (guarded root, 0x2205, depth 16): guard 0x22 != 0x11. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(30, 64, 0x2205, 16, RIGHTS_ALL), 1,
                      (word_t[]){ 20 }), seL4_FailedLookup);
    CHECK_EQ(env_reply_length(&e), 5);
    CHECK_EQ(env_reply(&e, 0), 1);                          /* source */
    CHECK_EQ(env_reply(&e, 1), seL4_GuardMismatch);
    CHECK_EQ(env_reply(&e, 2), 16);                         /* bits left */
    CHECK_EQ(env_reply(&e, 3), 0x11);                       /* guard found */
    CHECK_EQ(env_reply(&e, 4), 8);                          /* bits found */
    /* Depth mismatch: 3 words after the source flag. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(30, 64, 0x11, 8, RIGHTS_ALL), 1,
                      (word_t[]){ 20 }), seL4_FailedLookup);
    CHECK_EQ(env_reply_length(&e), 4);
    CHECK_EQ(env_reply(&e, 1), seL4_DepthMismatch);
    CHECK_EQ(env_reply(&e, 2), 8);
    CHECK_EQ(env_reply(&e, 3), 16);
}
