/*
 * CNode invocations (kernel/src/cnode.c) through handle_invocation: the
 * Copy/Mint/Move/Mutate/Rotate/Delete/Revoke paths that build and edit the
 * derivation tree from user level, with seL4's rules for rights, badges and
 * guards. seL4 reference: sel4.md 2.2 (CNode) and 2.3.
 */
#define TEST_SUITE "cnode"
#include "harness.h"
#include "host.h"

enum { EP = ENV_FREE, A = 10, B = 11, C = 12, D = 13 };

static cap_t cap_at(env_t *e, word_t i)
{
    return env_slot(e, i)->cap;
}

/* seL4_CNode_Copy/Mint/Move/Mutate(root, dest, 64, root, src, 64, ...) */
static word_t copy(env_t *e, word_t dest, word_t src, word_t rights)
{
    return env_call(e, ENV_CNODE, CNodeCopy, WORDS(dest, 64, src, 64, rights), 1, (word_t[]){ ENV_CNODE });
}

static word_t mint(env_t *e, word_t dest, word_t src, word_t rights, word_t data)
{
    return env_call(e, ENV_CNODE, CNodeMint, WORDS(dest, 64, src, 64, rights, data), 1,
                    (word_t[]){ ENV_CNODE });
}

static word_t node_op(env_t *e, word_t label, word_t slot)
{
    return env_call(e, ENV_CNODE, label, WORDS(slot, 64), NO_WORDS);
}

static endpoint_t *setup(env_t *e)
{
    env_init(e, 8);
    cap_t ep;
    endpoint_t *obj = host_endpoint(&ep);
    host_root(env_slot(e, EP), ep);
    return obj;
}

TEST(copy_makes_a_child_with_masked_rights)
{
    env_t e;
    setup(&e);
    CHECK_EQ(copy(&e, A, EP, RIGHT_READ | RIGHT_WRITE), seL4_NoError);
    CHECK_EQ(cap_rights(cap_at(&e, A)), RIGHT_READ | RIGHT_WRITE);
    CHECK(cdt_is_parent_of(env_slot(&e, EP), env_slot(&e, A)));
    CHECK(!mdb_revocable(env_slot(&e, A)));
    /* Rights only shrink: copying the copy with all rights keeps two. */
    CHECK_EQ(copy(&e, B, A, RIGHTS_ALL), seL4_NoError);
    CHECK_EQ(cap_rights(cap_at(&e, B)), RIGHT_READ | RIGHT_WRITE);
}

TEST(mint_badges_an_unbadged_endpoint_once)
{
    env_t e;
    setup(&e);
    CHECK_EQ(mint(&e, A, EP, RIGHTS_ALL, 42), seL4_NoError);
    CHECK_EQ(cap_badge(cap_at(&e, A)), 42);
    CHECK(mdb_revocable(env_slot(&e, A)) && mdb_first_badged(env_slot(&e, A)));
    /* A badged cap cannot be re-badged. */
    CHECK_EQ(mint(&e, B, A, RIGHTS_ALL, 43), seL4_IllegalOperation);
    CHECK(cap_is_null(cap_at(&e, B)));
    /* Mint with the same data as the badge is still a re-badge. */
    CHECK_EQ(mint(&e, B, A, RIGHTS_ALL, 42), seL4_IllegalOperation);
    CHECK_EQ(copy(&e, B, A, RIGHTS_ALL), seL4_NoError);
    CHECK(cdt_is_parent_of(env_slot(&e, A), env_slot(&e, B)));
}

TEST(revoke_through_the_cnode_invocation)
{
    env_t e;
    setup(&e);
    CHECK_EQ(mint(&e, A, EP, RIGHTS_ALL, 1), seL4_NoError);
    CHECK_EQ(copy(&e, B, A, RIGHTS_ALL), seL4_NoError);
    CHECK_EQ(mint(&e, C, EP, RIGHTS_ALL, 2), seL4_NoError);
    CHECK_EQ(node_op(&e, CNodeRevoke, A), seL4_NoError);
    CHECK(cap_is_null(cap_at(&e, B)));
    CHECK(!cap_is_null(cap_at(&e, A)) && !cap_is_null(cap_at(&e, C)));
    CHECK_EQ(node_op(&e, CNodeRevoke, EP), seL4_NoError);
    CHECK(cap_is_null(cap_at(&e, A)) && cap_is_null(cap_at(&e, C)));
    CHECK_EQ(host_finalise_calls(), 0);
    CHECK_EQ(node_op(&e, CNodeDelete, EP), seL4_NoError);
    CHECK_EQ(host_finalise_calls(), 1);
}

TEST(copy_into_an_occupied_slot_is_delete_first)
{
    env_t e;
    setup(&e);
    CHECK_EQ(copy(&e, A, EP, RIGHTS_ALL), seL4_NoError);
    CHECK_EQ(copy(&e, A, EP, RIGHTS_ALL), seL4_DeleteFirst);
    CHECK_EQ(host_cdt_length(env_slot(&e, EP)), 2);
}

TEST(copy_from_an_empty_slot_is_a_source_lookup_failure)
{
    env_t e;
    setup(&e);
    CHECK_EQ(copy(&e, A, B, RIGHTS_ALL), seL4_FailedLookup);
    CHECK_EQ(env_reply(&e, 0), 1);                      /* in the source */
    CHECK_EQ(env_reply(&e, 1), seL4_MissingCapability);
    CHECK_EQ(env_reply(&e, 2), 64);                     /* bits left */
    CHECK_EQ(env_reply_length(&e), 3);
}

TEST(depth_outside_1_to_64_is_a_range_error)
{
    env_t e;
    setup(&e);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(A, 0), NO_WORDS), seL4_RangeError);
    CHECK_EQ(env_reply(&e, 0), 1);
    CHECK_EQ(env_reply(&e, 1), 64);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeDelete, WORDS(A, 65), NO_WORDS), seL4_RangeError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeCopy, WORDS(A, 64, EP, 0, RIGHTS_ALL), 1,
                      (word_t[]){ ENV_CNODE }), seL4_RangeError);
}

TEST(move_and_mutate_keep_the_tree)
{
    env_t e;
    setup(&e);
    CHECK_EQ(mint(&e, A, EP, RIGHTS_ALL, 9), seL4_NoError);
    CHECK_EQ(copy(&e, B, A, RIGHTS_ALL), seL4_NoError);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeMove, WORDS(C, 64, A, 64), 1, (word_t[]){ ENV_CNODE }),
             seL4_NoError);
    CHECK(cap_is_null(cap_at(&e, A)));
    CHECK_EQ(cap_badge(cap_at(&e, C)), 9);
    CHECK(cdt_is_parent_of(env_slot(&e, C), env_slot(&e, B)));
    /* Mutate cannot change a badge... */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeMutate, WORDS(D, 64, C, 64, 5), 1, (word_t[]){ ENV_CNODE }),
             seL4_IllegalOperation);
    CHECK_EQ(cap_badge(cap_at(&e, C)), 9);
    /* ...but sets a CNode's guard. */
    cap_t sub;
    host_cnode(4, 0, 0, &sub);
    host_root(env_slot(&e, 20), sub);
    word_t guard_data = (0x2aull << 6) | 6;         /* guard 0x2a, 6 bits */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeMutate, WORDS(D, 64, 20, 64, guard_data), 1,
                      (word_t[]){ ENV_CNODE }), seL4_NoError);
    CHECK_EQ(cap_cnode_guard_size(cap_at(&e, D)), 6);
    CHECK_EQ(cap_cnode_guard(cap_at(&e, D)), 0x2a);
    CHECK(cap_is_null(cap_at(&e, 20)));
    /* Guard size + radix may not exceed 64 bits. */
    CHECK_EQ(mint(&e, 21, D, RIGHTS_ALL, 61), seL4_IllegalOperation);
    CHECK_EQ(mint(&e, 21, D, RIGHTS_ALL, 60), seL4_NoError);
}

TEST(rotate_moves_two_caps_at_once)
{
    /* Rotate and Mutate may not touch badges (seL4 updateCapData with
       preserve): endpoint caps cannot be rotated at all. */
    env_t e;
    setup(&e);
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRotate, WORDS(A, 64, 0, EP, 64, 0, ENV_TCB, 64), 2,
                      (word_t[]){ ENV_CNODE, ENV_CNODE }), seL4_IllegalOperation);
    env_untyped(&e, B, 12, false);
    tcb_t *t = host_tcb(0);
    host_root(env_slot(&e, C), cap_thread_new(t));
    /* dest A <- pivot B (the untyped), pivot B <- src C (the TCB) */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRotate, WORDS(A, 64, 0, B, 64, 0, C, 64), 2,
                      (word_t[]){ ENV_CNODE, ENV_CNODE }), seL4_NoError);
    CHECK_EQ(cap_get_type(cap_at(&e, A)), cap_untyped);
    CHECK_EQ(cap_get_type(cap_at(&e, B)), cap_thread);
    CHECK(cap_is_null(cap_at(&e, C)));
    CHECK(mdb_revocable(env_slot(&e, A)));
    /* src == dest swaps the two. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRotate, WORDS(A, 64, 0, B, 64, 0, A, 64), 2,
                      (word_t[]){ ENV_CNODE, ENV_CNODE }), seL4_NoError);
    CHECK_EQ(cap_get_type(cap_at(&e, A)), cap_thread);
    CHECK_EQ(cap_get_type(cap_at(&e, B)), cap_untyped);
    CHECK(mdb_revocable(env_slot(&e, B)));
    /* The pivot may be neither src nor dest. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRotate, WORDS(A, 64, 0, A, 64, 0, B, 64), 2,
                      (word_t[]){ ENV_CNODE, ENV_CNODE }), seL4_IllegalOperation);
    /* A non-empty dest other than src: DeleteFirst. */
    CHECK_EQ(env_call(&e, ENV_CNODE, CNodeRotate, WORDS(EP, 64, 0, A, 64, 0, B, 64), 2,
                      (word_t[]){ ENV_CNODE, ENV_CNODE }), seL4_DeleteFirst);
}

TEST(copy_and_mint_of_special_caps)
{
    env_t e;
    setup(&e);
    host_root(env_slot(&e, 30), cap_simple_new(cap_irq_control, 0));
    /* IRQControl derives to nothing: IllegalOperation. */
    CHECK_EQ(copy(&e, A, 30, RIGHTS_ALL), seL4_IllegalOperation);
    CHECK(cap_is_null(cap_at(&e, A)));
    /* A notification keeps at most read and write. */
    cap_t nt;
    host_notification(&nt);
    host_root(env_slot(&e, 31), nt);
    CHECK_EQ(mint(&e, B, 31, RIGHT_WRITE | RIGHT_GRANT, 0x10), seL4_NoError);
    CHECK_EQ(cap_rights(cap_at(&e, B)), RIGHT_WRITE);
    CHECK_EQ(cap_badge(cap_at(&e, B)), 0x10);
}

TEST(cancel_badged_sends_needs_full_rights)
{
    env_t e;
    setup(&e);
    CHECK_EQ(mint(&e, A, EP, RIGHTS_ALL, 3), seL4_NoError);
    CHECK_EQ(mint(&e, B, EP, RIGHT_WRITE, 4), seL4_NoError);
    CHECK_EQ(node_op(&e, CNodeCancelBadgedSends, A), seL4_NoError);
    CHECK_EQ(node_op(&e, CNodeCancelBadgedSends, B), seL4_IllegalOperation);
    cap_t nt;
    host_notification(&nt);
    host_root(env_slot(&e, C), nt);
    CHECK_EQ(node_op(&e, CNodeCancelBadgedSends, C), seL4_IllegalOperation);
}

TEST(deleting_the_last_cap_of_a_waited_on_endpoint_restarts_the_waiter)
{
    env_t e;
    endpoint_t *ep = setup(&e);
    tcb_t *t = env_thread(&e, 40, 50);
    sched_context_t *sc = host_sc(8);
    sched_context_configure(sc, 0, host_us(1000), host_us(1000), 2, 0, false);
    sched_context_bind_tcb(sc, t);
    /* t waits to receive on the endpoint (seL4_Recv with no reply object). */
    t->state = thread_running;
    t->arch.ctx.x[0] = EP;
    current_thread = t;
    handle_receive(t, true, false);
    CHECK_EQ(t->state, thread_blocked_on_receive);
    CHECK_PTR_EQ(ep->head, t);
    current_thread = NULL;
    CHECK_EQ(node_op(&e, CNodeDelete, EP), seL4_NoError);
    CHECK_EQ(host_finalised(ep), 1);
    CHECK(ep->head == NULL);
    CHECK_EQ(t->state, thread_restart);
    /* woken: queued, or held as the direct-switch candidate */
    CHECK(t->queued == queued_ready || t->queued == queued_candidate);
}
