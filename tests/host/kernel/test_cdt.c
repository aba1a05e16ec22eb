/*
 * Capability derivation tree (kernel/src/cdt.c) and the object identity
 * rules it relies on (kernel/src/objects.c): insertion order, badges,
 * move, swap, delete, revoke, finality. seL4 reference: sel4.md 2.3.
 */
#define TEST_SUITE "cdt"
#include "harness.h"
#include "host.h"

/* 2^bits slots of scratch CTEs (not a CNode object: just somewhere to put caps). */
static cte_t *slots(unsigned bits)
{
    return host_alloc(CTE_SIZE_BITS + bits);
}

static cap_t badged(cap_t ep, word_t badge)
{
    return cap_ipc_new(cap_get_type(ep), cap_get_ptr(ep), badge, cap_rights(ep));
}

/* The list from `first` is exactly these slots, in this order. */
#define CHECK_LIST(first, ...)                                                      \
    do {                                                                            \
        cte_t *want_[] = { __VA_ARGS__ };                                           \
        cte_t *c_ = (first);                                                        \
        CHECK_EQ(host_cdt_length(first), ARRAY_SIZE(want_));                        \
        for (unsigned i_ = 0; i_ < ARRAY_SIZE(want_); i_++, c_ = mdb_next(c_))      \
            CHECK_MSG(c_ == want_[i_], "list entry %u is %p, expected %p", i_,      \
                      (void *)c_, (void *)want_[i_]);                               \
    } while (0)

TEST(insert_root_is_alone_and_revocable)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    CHECK(mdb_prev(&s[0]) == NULL);
    CHECK(mdb_next(&s[0]) == NULL);
    CHECK(mdb_revocable(&s[0]));
    CHECK(!cdt_has_children(&s[0]));
    CHECK(is_final_cap(&s[0]));
}

TEST(child_goes_right_after_its_parent)
{
    cte_t *s = slots(3);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(ep, &s[0], &s[1]);
    CHECK_LIST(&s[0], &s[0], &s[1]);
    CHECK(cdt_is_parent_of(&s[0], &s[1]));
    CHECK(cdt_has_children(&s[0]));
    CHECK(!is_final_cap(&s[0]));
    CHECK(!is_final_cap(&s[1]));
}

TEST(copies_are_kept_in_depth_first_order)
{
    /* P -> A -> A1, P -> B: the newest child comes first, a grandchild
       right after its parent, so the list is P B A A1. */
    cte_t *s = slots(3);
    cte_t *P = &s[0], *A = &s[1], *B = &s[2], *A1 = &s[3];
    void *mem = host_arena(16);
    cap_t ut = cap_untyped_new(paddr_from_ptr(mem), 16, false, 0);
    cdt_insert_root(P, ut, true);
    cap_t derived;
    CHECK_EQ(derive_cap(P, ut, &derived), seL4_NoError);
    cte_insert(derived, P, A);
    /* P has a child now: an untyped with children cannot be copied. */
    CHECK_EQ(derive_cap(P, ut, &derived), seL4_RevokeFirst);
    CHECK_EQ(derive_cap(A, A->cap, &derived), seL4_NoError);
    cte_insert(derived, A, A1);
    cdt_insert_child(P, B, cap_untyped_new(paddr_from_ptr(mem), 12, false, 0), true, true);
    CHECK_LIST(P, P, B, A, A1);
    CHECK(cdt_is_parent_of(P, B) && cdt_is_parent_of(P, A) && cdt_is_parent_of(P, A1));
    CHECK(cdt_is_parent_of(A, A1));
    /* B's region does not contain A's whole region: A is not B's child. */
    CHECK(!cdt_is_parent_of(B, A));
    CHECK(cdt_has_children(A) && !cdt_has_children(A1) && !cdt_has_children(B));
}

TEST(unbadged_copy_is_not_revocable)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(ep, &s[0], &s[1]);
    cte_insert(ep, &s[1], &s[2]);       /* a copy of the copy */
    CHECK(!mdb_revocable(&s[1]));
    /* The copy of a copy is the original's descendant, not the copy's. */
    CHECK(!cdt_has_children(&s[1]));
    CHECK(cdt_is_parent_of(&s[0], &s[2]));
    cte_revoke(&s[1]);
    CHECK_EQ(cap_get_type(s[2].cap), cap_endpoint);
}

TEST(minted_badged_cap_heads_its_own_subtree)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(badged(ep, 5), &s[0], &s[1]);
    CHECK(mdb_revocable(&s[1]));
    CHECK(mdb_first_badged(&s[1]));
    cte_insert(s[1].cap, &s[1], &s[2]);     /* copy of the badged cap */
    CHECK(!mdb_revocable(&s[2]));
    CHECK(!mdb_first_badged(&s[2]));
    CHECK(cdt_has_children(&s[1]));
    CHECK(cdt_is_parent_of(&s[1], &s[2]));
    CHECK(cdt_is_parent_of(&s[0], &s[1]));
    CHECK(cdt_is_parent_of(&s[0], &s[2]));
}

/* E (unbadged original), B1 = mint(E, 1), C1 = copy(B1), B2 = mint(E, 2), U = copy(E). */
struct badge_tree {
    endpoint_t *obj;
    cte_t *E, *B1, *C1, *B2, *U, *C2;
};

static struct badge_tree badge_tree(void)
{
    cte_t *s = slots(3);
    struct badge_tree t = { 0, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5] };
    cap_t ep;
    t.obj = host_endpoint(&ep);
    cdt_insert_root(t.E, ep, true);
    cte_insert(badged(ep, 1), t.E, t.B1);
    cte_insert(t.B1->cap, t.B1, t.C1);
    cte_insert(badged(ep, 2), t.E, t.B2);
    cte_insert(t.B2->cap, t.B2, t.C2);
    cte_insert(ep, t.E, t.U);
    return t;
}

TEST(revoking_unbadged_endpoint_removes_badged_children)
{
    struct badge_tree t = badge_tree();
    CHECK_LIST(t.E, t.E, t.U, t.B2, t.C2, t.B1, t.C1);
    cte_revoke(t.E);
    CHECK(cap_is_null(t.B1->cap) && cap_is_null(t.C1->cap) && cap_is_null(t.B2->cap));
    CHECK(cap_is_null(t.C2->cap) && cap_is_null(t.U->cap));
    CHECK_EQ(cap_get_type(t.E->cap), cap_endpoint);
    CHECK_LIST(t.E, t.E);
    /* The object lives on in E: nothing was finalised. */
    CHECK_EQ(host_finalise_calls(), 0);
}

TEST(revoking_badged_cap_removes_only_its_copies)
{
    struct badge_tree t = badge_tree();
    cte_revoke(t.B1);
    CHECK(cap_is_null(t.C1->cap));
    CHECK_EQ(cap_badge(t.B1->cap), 1);
    CHECK_LIST(t.E, t.E, t.U, t.B2, t.C2, t.B1);
    cte_revoke(t.B2);
    CHECK_LIST(t.E, t.E, t.U, t.B2, t.B1);
    CHECK_EQ(host_finalise_calls(), 0);
}

TEST(two_mints_of_one_badge_are_separate_subtrees)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cte_t *E = &s[0], *M1 = &s[1], *C = &s[2], *M2 = &s[3];
    cdt_insert_root(E, ep, true);
    cte_insert(badged(ep, 7), E, M1);
    cte_insert(M1->cap, M1, C);
    cte_insert(badged(ep, 7), E, M2);      /* E M2 M1 C */
    CHECK_LIST(E, E, M2, M1, C);
    CHECK(!cdt_has_children(M2));
    cte_revoke(M2);
    CHECK_LIST(E, E, M2, M1, C);
}

TEST(deleting_first_badged_cap_passes_its_mark_on)
{
    /* E M2 M1 C with M1, M2 both badge 7: once M1 goes, its copy C must not
       become M2's child (seL4 emptySlot keeps firstBadged on the next cap). */
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cte_t *E = &s[0], *M1 = &s[1], *C = &s[2], *M2 = &s[3];
    cdt_insert_root(E, ep, true);
    cte_insert(badged(ep, 7), E, M1);
    cte_insert(M1->cap, M1, C);
    cte_insert(badged(ep, 7), E, M2);
    cte_delete(M1);
    CHECK_LIST(E, E, M2, C);
    CHECK(mdb_first_badged(C));
    cte_revoke(M2);
    CHECK_EQ(cap_badge(C->cap), 7);
    cte_revoke(E);
    CHECK_LIST(E, E);
}

TEST(move_keeps_tree_position_and_flags)
{
    struct badge_tree t = badge_tree();
    cte_t *D = slots(1);
    cap_t cap = t.B1->cap;
    cte_move(cap, t.B1, D);
    CHECK(cap_is_null(t.B1->cap));
    CHECK(mdb_prev(t.B1) == NULL && mdb_next(t.B1) == NULL);
    CHECK_LIST(t.E, t.E, t.U, t.B2, t.C2, D, t.C1);
    CHECK(mdb_revocable(D) && mdb_first_badged(D));
    CHECK(cdt_has_children(D));
    cte_revoke(D);
    CHECK(cap_is_null(t.C1->cap));
    CHECK_LIST(t.E, t.E, t.U, t.B2, t.C2, D);
}

TEST(move_of_the_list_head_and_tail)
{
    cte_t *s = slots(3);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(ep, &s[0], &s[1]);
    cte_move(s[0].cap, &s[0], &s[2]);     /* the head */
    cte_move(s[1].cap, &s[1], &s[3]);     /* the tail */
    CHECK_LIST(&s[2], &s[2], &s[3]);
    CHECK(mdb_revocable(&s[2]) && !mdb_revocable(&s[3]));
    cte_revoke(&s[2]);
    CHECK(cap_is_null(s[3].cap));
}

TEST(swap_exchanges_caps_and_positions)
{
    cte_t *s = slots(3);
    cap_t a, b;
    host_endpoint(&a);
    host_notification(&b);
    cte_t *X = &s[0], *x1 = &s[1], *Y = &s[2], *y1 = &s[3];
    cdt_insert_root(X, a, true);
    cte_insert(a, X, x1);
    cdt_insert_root(Y, b, true);
    cte_insert(b, Y, y1);
    cte_swap(X->cap, X, Y->cap, Y);
    /* Slot Y now holds a (X's cap) at the head of a's list, and vice versa. */
    CHECK_EQ(cap_get_type(Y->cap), cap_endpoint);
    CHECK_EQ(cap_get_type(X->cap), cap_notification);
    CHECK_LIST(Y, Y, x1);
    CHECK_LIST(X, X, y1);
    cte_revoke(Y);
    CHECK(cap_is_null(x1->cap) && !cap_is_null(y1->cap));
}

TEST(swap_of_parent_and_its_child)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cte_t *P = &s[0], *C = &s[1], *G = &s[2];
    cdt_insert_root(P, ep, true);
    cte_insert(ep, P, C);
    cte_insert(ep, C, G);                   /* P C G (G a copy of C) */
    cap_t pc = P->cap, cc = C->cap;
    cte_swap(pc, P, cc, C);
    /* The cap from P (revocable original) now sits in C, first in the list. */
    CHECK_LIST(C, C, P, G);
    CHECK(mdb_revocable(C) && !mdb_revocable(P));
    cte_revoke(C);
    CHECK(cap_is_null(P->cap) && cap_is_null(G->cap));
}

TEST(deleting_a_copy_does_not_finalise)
{
    cte_t *s = slots(2);
    cap_t ep;
    endpoint_t *obj = host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(ep, &s[0], &s[1]);
    cte_insert(ep, &s[0], &s[2]);
    cte_delete(&s[0]);
    cte_delete(&s[2]);
    CHECK_EQ(host_finalised(obj), 0);
    CHECK(is_final_cap(&s[1]));
    cte_delete(&s[1]);
    CHECK_EQ(host_finalised(obj), 1);
    CHECK_EQ(host_finalise_calls(), 1);
    cte_delete(&s[1]);                      /* an empty slot: nothing */
    CHECK_EQ(host_finalise_calls(), 1);
}

TEST(deleting_the_middle_of_the_list_relinks_it)
{
    cte_t *s = slots(2);
    cap_t ep;
    host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    cte_insert(ep, &s[0], &s[1]);
    cte_insert(ep, &s[1], &s[2]);           /* s0 s1 s2 */
    cte_delete(&s[1]);
    CHECK_LIST(&s[0], &s[0], &s[2]);
    CHECK(mdb_prev(&s[1]) == NULL && mdb_next(&s[1]) == NULL && cap_is_null(s[1].cap));
}

TEST(object_from_untyped_is_final_and_finalised_once)
{
    /* As after a Retype: the untyped's child is the only cap to the object. */
    cte_t *s = slots(2);
    void *mem = host_arena(12);
    cdt_insert_root(&s[0], cap_untyped_new(paddr_from_ptr(mem), 12, false, 0), true);
    cap_t nt = cap_ipc_new(cap_notification, mem, 0, RIGHT_READ | RIGHT_WRITE);
    cdt_insert_child(&s[0], &s[1], nt, true, true);
    CHECK(is_final_cap(&s[1]));
    CHECK(is_final_cap(&s[0]));         /* the untyped names no object of its own */
    cte_insert(nt, &s[1], &s[2]);
    CHECK(!is_final_cap(&s[1]));
    cte_revoke(&s[0]);
    CHECK_EQ(host_finalised(mem), 1);
    CHECK_EQ(host_finalise_calls(), 1);
    CHECK(!cdt_has_children(&s[0]));
}

TEST(same_region_as_untyped_containment)
{
    uint8_t *mem = host_arena(16);
    paddr_t base = paddr_from_ptr(mem);
    cap_t ut = cap_untyped_new(base, 16, false, 0);
    cap_t half = cap_untyped_new(base + 0x8000, 15, false, 0);
    cap_t ep_in = cap_ipc_new(cap_endpoint, mem + 0xfff0, 0, RIGHTS_ALL);
    cap_t ep_out = cap_ipc_new(cap_endpoint, mem + 0x10000, 0, RIGHTS_ALL);
    cap_t ep_below = cap_ipc_new(cap_endpoint, mem - 16, 0, RIGHTS_ALL);
    cap_t frame = cap_frame_new(base + 0xf000, frame_4k, vm_read_write, false);
    cap_t frame_straddles = cap_frame_new(base + 0x10000 - 0x1000, frame_4k, vm_read_write, false);
    CHECK(same_region_as(ut, ut));
    CHECK(same_region_as(ut, half));
    CHECK(!same_region_as(half, ut));
    CHECK(same_region_as(ut, ep_in));
    CHECK(!same_region_as(ut, ep_out));
    CHECK(!same_region_as(ut, ep_below));
    CHECK(same_region_as(ut, frame));
    CHECK(same_region_as(ut, frame_straddles));
    CHECK(!same_region_as(half, cap_frame_new(base + 0x7000, frame_4k, vm_read_write, false)));
    CHECK(!same_region_as(ep_in, ut));
    CHECK(!same_region_as(ut, cap_null_new()));
    /* A 2 MiB frame does not fit a 64 KiB untyped based at its start. */
    CHECK(!same_region_as(ut, cap_frame_new(base, frame_2m, vm_read_write, false)));
}

TEST(same_object_as_untyped_means_the_same_cap)
{
    uint8_t *mem = host_arena(16);
    paddr_t base = paddr_from_ptr(mem);
    cap_t ut = cap_untyped_new(base, 16, false, 0);
    CHECK(same_object_as(ut, ut));
    CHECK(same_object_as(ut, cap_untyped_set_free_index(ut, 0x100)));
    CHECK(!same_object_as(ut, cap_untyped_new(base, 15, false, 0)));
    CHECK(!same_object_as(ut, cap_ipc_new(cap_endpoint, mem, 0, RIGHTS_ALL)));
    CHECK(!same_object_as(cap_ipc_new(cap_endpoint, mem, 0, RIGHTS_ALL), ut));
    /* Two untyped caps in two slots, one a copy of the other: neither is final. */
    cte_t *s = slots(1);
    cdt_insert_root(&s[0], ut, true);
    cte_insert(ut, &s[0], &s[1]);
    CHECK(!is_final_cap(&s[0]) && !is_final_cap(&s[1]));
}

TEST(same_object_as_for_ipc_objects_ignores_badge_and_rights)
{
    cap_t ep, other;
    endpoint_t *obj = host_endpoint(&ep);
    host_endpoint(&other);
    CHECK(same_object_as(ep, cap_ipc_new(cap_endpoint, obj, 99, RIGHT_READ)));
    CHECK(!same_object_as(ep, other));
    /* Same address, different type (a notification there is impossible, but
       the rule is by type). */
    CHECK(!same_object_as(ep, cap_ipc_new(cap_notification, obj, 0, RIGHTS_ALL)));
}

TEST(irq_control_contains_handlers_but_is_not_the_same_object)
{
    cap_t ctl = cap_simple_new(cap_irq_control, 0);
    cap_t h5 = cap_simple_new(cap_irq_handler, 5);
    cap_t h6 = cap_simple_new(cap_irq_handler, 6);
    CHECK(same_region_as(ctl, h5));
    CHECK(!same_object_as(ctl, h5));
    CHECK(same_object_as(h5, h5));
    CHECK(!same_object_as(h5, h6));
    CHECK(!same_region_as(h5, ctl));
    CHECK(same_object_as(cap_simple_new(cap_sched_control, 0), cap_simple_new(cap_sched_control, 0)));
    CHECK(!same_object_as(cap_simple_new(cap_sched_control, 0), cap_simple_new(cap_sched_control, 1)));
}

TEST(has_children_follows_retype_and_delete)
{
    cte_t *s = slots(2);
    void *mem = host_arena(12);
    cdt_insert_root(&s[0], cap_untyped_new(paddr_from_ptr(mem), 12, false, 0), true);
    CHECK(!cdt_has_children(&s[0]));
    cdt_insert_child(&s[0], &s[1], cap_ipc_new(cap_endpoint, mem, 0, RIGHTS_ALL), true, true);
    CHECK(cdt_has_children(&s[0]));
    /* A root cap after it in the list is not its child. */
    cap_t other;
    host_endpoint(&other);
    cte_delete(&s[1]);
    CHECK(!cdt_has_children(&s[0]));
    cdt_insert_root(&s[2], other, true);
    CHECK(!cdt_has_children(&s[0]));
}

TEST(revoke_of_a_1000_level_copy_chain)
{
    enum { N = 1000 };
    cte_t *s = slots(10);
    cap_t ep;
    endpoint_t *obj = host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    for (unsigned i = 1; i <= N; i++)
        cte_insert(ep, &s[i - 1], &s[i]);
    CHECK_EQ(host_cdt_length(&s[0]), N + 1);
    cte_revoke(&s[0]);
    for (unsigned i = 1; i <= N; i++)
        CHECK_MSG(cap_is_null(s[i].cap), "level %u survived the revoke", i);
    CHECK_LIST(&s[0], &s[0]);
    CHECK_EQ(host_finalised(obj), 0);
}

TEST(revoke_of_a_1000_level_untyped_tree)
{
    /* Each level a copy of the one above: every copy of an untyped is
       revocable, so this is a real 1000-deep tree, not a flat list. */
    enum { N = 1000 };
    cte_t *s = slots(10);
    void *mem = host_arena(12);
    cap_t ut = cap_untyped_new(paddr_from_ptr(mem), 12, false, 0);
    cdt_insert_root(&s[0], ut, true);
    for (unsigned i = 1; i <= N; i++) {
        cap_t d;
        CHECK_EQ(derive_cap(&s[i - 1], s[i - 1].cap, &d), seL4_NoError);
        cte_insert(d, &s[i - 1], &s[i]);
        CHECK(mdb_revocable(&s[i]));
    }
    CHECK(cdt_is_parent_of(&s[N - 1], &s[N]));
    /* Revoke from the middle first, then from the top. */
    cte_revoke(&s[N / 2]);
    CHECK_EQ(host_cdt_length(&s[0]), N / 2 + 1);
    cte_revoke(&s[0]);
    CHECK_LIST(&s[0], &s[0]);
    for (unsigned i = 1; i <= N; i++)
        CHECK(cap_is_null(s[i].cap));
}

TEST(revoke_of_untyped_finalises_each_object_once)
{
    enum { N = 100 };
    cte_t *s = slots(9);
    uint8_t *mem = host_arena(16);
    cdt_insert_root(&s[0], cap_untyped_new(paddr_from_ptr(mem), 16, false, 0), true);
    /* N endpoints, each with two copies, as Retype + Copy would leave them. */
    for (unsigned i = 0; i < N; i++) {
        cte_t *orig = &s[1 + 3 * i];
        cdt_insert_child(&s[0], orig, cap_ipc_new(cap_endpoint, mem + 16 * i, 0, RIGHTS_ALL), true, true);
        cte_insert(orig->cap, orig, orig + 1);
        cte_insert(cap_ipc_new(cap_endpoint, mem + 16 * i, 3, RIGHTS_ALL), orig, orig + 2);
    }
    cte_revoke(&s[0]);
    for (unsigned i = 0; i < N; i++)
        CHECK_MSG(host_finalised(mem + 16 * i) == 1, "endpoint %u finalised %u times", i,
                  host_finalised(mem + 16 * i));
    CHECK_EQ(host_finalise_calls(), N);
    for (unsigned i = 1; i <= 3 * N; i++)
        CHECK(cap_is_null(s[i].cap));
    CHECK(!cdt_has_children(&s[0]));
}

TEST(final_cnode_cap_deletes_the_caps_inside)
{
    cte_t *ext = slots(1);
    cap_t cn;
    cte_t *inner = host_cnode(4, 0, 0, &cn);
    cdt_insert_root(&ext[0], cn, true);
    cap_t ep1, ep2;
    endpoint_t *o1 = host_endpoint(&ep1), *o2 = host_endpoint(&ep2);
    cdt_insert_root(&inner[3], ep1, true);
    cdt_insert_root(&inner[9], ep2, true);
    cte_insert(ep2, &inner[9], &ext[1]);    /* a copy of ep2 outside */
    cte_delete(&ext[0]);
    CHECK_EQ(host_finalised(inner), 1);
    CHECK_EQ(host_finalised(o1), 1);
    CHECK_EQ(host_finalised(o2), 0);        /* still named from outside */
    CHECK(cap_is_null(inner[3].cap) && cap_is_null(inner[9].cap));
    CHECK(is_final_cap(&ext[1]));
}

/*
 * CNode A holds the only cap to CNode B, which holds the only cap to C, ...
 * A user can build such a chain from untyped memory and Move, so its depth
 * must turn into neither kernel recursion (the kernel stack is 16 KiB) nor
 * unpreempted work. As in seL4, deleting the cap to A destroys A; an object
 * whose last cap is met on the way is finalised (a TCB stops) and its zombie
 * parked in its own first slot, to be finished by whoever deletes that
 * slot: revoking the untyped it came from, or finish_parked() below.
 */
static cap_t cnode_chain(unsigned n, cte_t **first)
{
    cap_t top;
    cte_t *node = host_cnode(1, 0, 0, &top);
    *first = node;
    for (unsigned i = 1; i < n; i++) {
        cap_t next;
        cte_t *child = host_cnode(1, 0, 0, &next);
        cdt_insert_root(&node[0], next, true);
        node = child;
    }
    return top;
}

/* Delete the zombies parked in these first slots until none is left. */
static unsigned finish_parked(cte_t **first_slots, unsigned n)
{
    unsigned deleted = 0;
    for (bool again = true; again;) {
        again = false;
        for (unsigned i = 0; i < n; i++) {
            if (cap_get_type(first_slots[i]->cap) != cap_zombie)
                continue;
            CHECK_EQ(cte_delete(first_slots[i]), seL4_NoError);
            deleted++;
            again = true;
        }
    }
    return deleted;
}

static cte_t **chain_first_slots(unsigned n, cte_t *first)
{
    cte_t **firsts = host_alloc(12 + 3);
    cte_t *node = first;
    for (unsigned i = 0; i < n; i++) {
        firsts[i] = &node[0];
        node = i + 1 < n ? cap_get_ptr(node[0].cap) : NULL;
    }
    return firsts;
}

TEST(deleting_a_1000_deep_cnode_chain_finalises_each_once)
{
    enum { N = 1000 };
    cte_t *ext = slots(1), *first;
    cdt_insert_root(&ext[0], cnode_chain(N, &first), true);
    cte_t **firsts = chain_first_slots(N, first);
    CHECK_EQ(cte_delete(&ext[0]), seL4_NoError);
    CHECK(cap_is_null(ext[0].cap));
    CHECK(cap_is_null(first[0].cap));
    finish_parked(firsts, N);
    CHECK_EQ(host_finalise_calls(), N);
    for (unsigned i = 0; i < N; i++)
        CHECK_MSG(cap_is_null(firsts[i]->cap) && cap_is_null(firsts[i][1].cap),
                  "CNode %u not empty", i);
}

TEST(deleting_a_chain_of_cnodes_and_tcbs)
{
    /* CNode -> TCB (its only cap in the CNode) -> CNode (the TCB's CSpace
       root, its only cap) -> TCB ...: destruction goes through TCBs too. */
    enum { N = 400 };
    cte_t *ext = slots(1);
    cap_t top;
    cte_t *node = host_cnode(1, 0, 0, &top);
    cdt_insert_root(&ext[0], top, true);
    void *objs[2 * N];
    cte_t *firsts[2 * N];
    objs[0] = node;
    firsts[0] = &node[0];
    for (unsigned i = 0; i < N; i++) {
        tcb_t *t = host_tcb(0);
        t->state = thread_running;
        cdt_insert_root(&node[1], cap_thread_new(t), true);
        objs[2 * i + 1] = t;
        firsts[2 * i + 1] = &t->caps[0];
        if (i + 1 == N)
            break;
        cap_t next;
        node = host_cnode(1, 0, 0, &next);
        cdt_insert_root(&t->caps[tcb_cspace_root], next, true);
        objs[2 * i + 2] = node;
        firsts[2 * i + 2] = &node[0];
    }
    CHECK_EQ(cte_delete(&ext[0]), seL4_NoError);
    /* What was reached is finalised once; a TCB that is finalised stops. */
    for (unsigned i = 0; i < 2 * N; i++) {
        CHECK_MSG(host_finalised(objs[i]) <= 1, "object %u finalised %u times", i,
                  host_finalised(objs[i]));
        if (i % 2 && host_finalised(objs[i]))
            CHECK_EQ(((tcb_t *)objs[i])->state, thread_inactive);
    }
    finish_parked(firsts, 2 * N);
    for (unsigned i = 0; i < 2 * N; i++)
        CHECK_MSG(host_finalised(objs[i]) == 1, "object %u finalised %u times", i,
                  host_finalised(objs[i]));
    CHECK_EQ(host_finalise_calls(), 2 * N);
    CHECK_EQ(host_finalise_max_depth(), 1);
}

TEST(deleting_a_wide_cnode_tree_finalises_each_once)
{
    /* 1 + 16 + 256 CNodes, each holding the only caps of the level below,
       with an endpoint in every leaf. */
    cte_t *ext = slots(1);
    cap_t top;
    cte_t *root = host_cnode(4, 0, 0, &top);
    cdt_insert_root(&ext[0], top, true);
    cte_t *mid[16], *leaf[16][16];
    endpoint_t *eps[16][16];
    cte_t *firsts[16 + 256];
    for (unsigned i = 0; i < 16; i++) {
        cap_t c;
        mid[i] = host_cnode(4, 0, 0, &c);
        firsts[i] = &mid[i][0];
        cdt_insert_root(&root[i], c, true);
        for (unsigned j = 0; j < 16; j++) {
            leaf[i][j] = host_cnode(1, 0, 0, &c);
            firsts[16 + 16 * i + j] = &leaf[i][j][0];
            cdt_insert_root(&mid[i][j], c, true);
            eps[i][j] = host_endpoint(&c);
            cdt_insert_root(&leaf[i][j][1], c, true);
        }
    }
    CHECK_EQ(cte_delete(&ext[0]), seL4_NoError);
    CHECK_EQ(host_finalised(root), 1);
    finish_parked(firsts, ARRAY_SIZE(firsts));
    for (unsigned i = 0; i < 16; i++) {
        CHECK_EQ(host_finalised(mid[i]), 1);
        for (unsigned j = 0; j < 16; j++) {
            CHECK_EQ(host_finalised(leaf[i][j]), 1);
            CHECK_EQ(host_finalised(eps[i][j]), 1);
            CHECK(cap_is_null(leaf[i][j][0].cap) && cap_is_null(leaf[i][j][1].cap));
            CHECK(cap_is_null(mid[i][j].cap));
        }
    }
    CHECK_EQ(host_finalise_calls(), 1 + 16 + 256 + 256);
    CHECK_EQ(host_finalise_max_depth(), 1);
}

TEST(cnode_holding_its_own_last_cap)
{
    /* The only cap to X sits in X itself: deleting it finalises X once and
       parks X's zombie in X's first slot; deleting that slot finishes X. */
    cap_t xc;
    cte_t *x = host_cnode(2, 0, 0, &xc);
    cdt_insert_root(&x[2], xc, true);
    cap_t ep;
    endpoint_t *obj = host_endpoint(&ep);
    cdt_insert_root(&x[0], ep, true);
    CHECK_EQ(cte_delete(&x[2]), seL4_NoError);
    CHECK_EQ(host_finalised(x), 1);
    CHECK_EQ(host_finalised(obj), 1);
    CHECK(cap_is_null(x[2].cap));
    cte_t *first = &x[0];
    CHECK_EQ(finish_parked(&first, 1), 1);
    CHECK_EQ(host_finalise_calls(), 2);     /* X and the endpoint */
    for (unsigned i = 0; i < 4; i++)
        CHECK(cap_is_null(x[i].cap) && x[i].mdb.prev == 0 && x[i].mdb.next == 0);
}

TEST(cnode_holding_a_copy_of_its_own_cap_is_not_destroyed)
{
    /* Deleting the outside cap leaves the copy inside: not final. */
    cte_t *ext = slots(1);
    cap_t xc;
    cte_t *x = host_cnode(2, 0, 0, &xc);
    cdt_insert_root(&ext[0], xc, true);
    cte_insert(xc, &ext[0], &x[1]);
    cte_delete(&ext[0]);
    CHECK_EQ(host_finalise_calls(), 0);
    CHECK_EQ(cap_get_type(x[1].cap), cap_cnode);
}

TEST(deleting_a_deep_cnode_chain_does_not_recurse)
{
    enum { N = 1000 };
    cte_t *ext = slots(1), *first;
    cdt_insert_root(&ext[0], cnode_chain(N, &first), true);
    CHECK_EQ(cte_delete(&ext[0]), seL4_NoError);
    /* No finalisation inside another, whatever the chain's length. */
    CHECK_MSG(host_finalise_max_depth() == 1,
              "finalise_cap nested %u deep for a %u-CNode chain: kernel stack use grows "
              "with a user-built chain", host_finalise_max_depth(), N);
}

/* ---------------------------------------------------------------- preemption */

/*
 * A long delete or revoke stops at a preemption point when an interrupt is
 * pending and keeps its progress; calling again carries on. The outcome is
 * the uninterrupted one, whichever step the interrupt falls on.
 */

/* A CNode of 2^6 slots: endpoints (last caps), copies of an outside cap, a
   CNode holding more endpoints. Returns the objects to check. */
struct wide {
    cte_t *ext, *outer, *inner;
    endpoint_t *eps[64], *inner_eps[4], *shared;
};

static void wide_build(struct wide *w)
{
    cap_t top, c;
    w->ext = slots(2);
    w->outer = host_cnode(6, 0, 0, &top);
    cdt_insert_root(&w->ext[0], top, true);
    w->shared = host_endpoint(&c);
    cdt_insert_root(&w->ext[1], c, true);
    for (unsigned i = 0; i < 60; i++) {
        w->eps[i] = host_endpoint(&c);
        cdt_insert_root(&w->outer[i], c, true);
    }
    cte_insert(c = w->ext[1].cap, &w->ext[1], &w->outer[60]);
    cte_insert(c, &w->ext[1], &w->outer[61]);
    w->inner = host_cnode(2, 0, 0, &c);
    cdt_insert_root(&w->outer[63], c, true);
    for (unsigned i = 0; i < 4; i++) {
        w->inner_eps[i] = host_endpoint(&c);
        cdt_insert_root(&w->inner[i], c, true);
    }
}

static void wide_check_done(struct wide *w)
{
    CHECK(cap_is_null(w->ext[0].cap));
    for (unsigned i = 0; i < 64; i++)
        CHECK(cap_is_null(w->outer[i].cap));
    for (unsigned i = 0; i < 60; i++)
        CHECK_EQ(host_finalised(w->eps[i]), 1);
    CHECK_EQ(host_finalised(w->outer), 1);
    CHECK_EQ(host_finalised(w->inner), 1);
    CHECK_EQ(host_finalised(w->shared), 0);     /* still named from outside */
    CHECK(is_final_cap(&w->ext[1]));
    cte_t *first = &w->inner[0];
    finish_parked(&first, 1);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(host_finalised(w->inner_eps[i]), 1);
}

TEST(delete_preempted_at_each_step_ends_as_uninterrupted)
{
    /* Step k: the k-th preemption point finds an interrupt. Past the last
       point the delete runs through. */
    int step;
    for (step = 0; step < 200; step++) {
        struct wide w;
        wide_build(&w);
        unsigned calls = 0;
        host_preempt_after(step);
        seL4_Error err;
        while ((err = cte_delete(&w.ext[0])) == ERR_PREEMPTED)
            calls++;
        host_preempt_after(-1);
        CHECK_EQ(err, seL4_NoError);
        CHECK_MSG(calls <= 1, "step %d: %u preemptions", step, calls);
        wide_check_done(&w);
        host_reset_finalised();
        if (calls == 0)
            break;
    }
    CHECK_MSG(step > 60, "only %d preemption points in a 64-slot CNode's delete", step);
}

TEST(delete_preempted_at_every_step_still_finishes)
{
    struct wide w;
    wide_build(&w);
    unsigned calls = 0;
    seL4_Error err;
    do {
        host_preempt_after(0);
        err = cte_delete(&w.ext[0]);
        calls++;
    } while (err == ERR_PREEMPTED && calls < 1000);
    host_preempt_after(-1);
    CHECK_EQ(err, seL4_NoError);
    CHECK_MSG(calls > 60, "only %u calls", calls);
    wide_check_done(&w);
}

TEST(revoke_preempted_at_every_step_still_finishes)
{
    /* An endpoint with 200 badged children, each with a copy. */
    cte_t *s = slots(9);
    cap_t ep;
    endpoint_t *obj = host_endpoint(&ep);
    cdt_insert_root(&s[0], ep, true);
    for (unsigned i = 1; i <= 200; i++) {
        cte_insert(badged(ep, i), &s[0], &s[2 * i]);
        cte_insert(badged(ep, i), &s[2 * i], &s[2 * i + 1]);
    }
    unsigned calls = 0;
    seL4_Error err;
    do {
        host_preempt_after(0);
        err = cte_revoke(&s[0]);
        calls++;
    } while (err == ERR_PREEMPTED && calls < 1000);
    host_preempt_after(-1);
    CHECK_EQ(err, seL4_NoError);
    CHECK_MSG(calls > 100, "only %u calls", calls);
    CHECK(!cdt_has_children(&s[0]));
    for (unsigned i = 2; i < 402; i++)
        CHECK(cap_is_null(s[i].cap));
    CHECK_EQ(host_finalised(obj), 0);
    CHECK(is_final_cap(&s[0]));
}
