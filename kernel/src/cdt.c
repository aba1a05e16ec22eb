/*
 * Capability derivation tree. Slots form one doubly linked list in
 * depth-first order: a cap's descendants follow it directly. A new child
 * goes right after its parent.
 */
#include <kernel/cdt.h>
#include <kernel/assert.h>
#include <kernel/objects.h>
#include <kernel/preemption.h>

/*
 * Bumped whenever a CNode cap (or a zombie standing for one) enters or
 * leaves a slot: only that can change which slot a CPtr resolves to, so
 * slots cached by the IPC fast path stay right until the next bump.
 */
word_t cspace_generation = 1;

static inline bool resolves_through(cap_t c)
{
    return cap_get_type(c) == cap_cnode || cap_get_type(c) == cap_zombie;
}

static inline void note_slot_change(cap_t before, cap_t after)
{
    if (resolves_through(before) || resolves_through(after))
        cspace_generation++;
}

static void set_next(cte_t *c, cte_t *next)
{
    c->mdb.next = (word_t)(uintptr_t)next | (c->mdb.next & MDB_FLAGS);
}

static void set_flags(cte_t *c, bool revocable, bool first_badged)
{
    c->mdb.next = (c->mdb.next & ~MDB_FLAGS) | (revocable ? MDB_REVOCABLE : 0) |
                  (first_badged ? MDB_FIRST_BADGED : 0);
}

void cdt_insert_root(cte_t *dest, cap_t cap, bool revocable)
{
    assert(cap_is_null(dest->cap));
    note_slot_change(dest->cap, cap);
    dest->cap = cap;
    dest->mdb.prev = 0;
    dest->mdb.next = 0;
    set_flags(dest, revocable, revocable);
}

void cdt_insert_child(cte_t *parent, cte_t *dest, cap_t cap, bool revocable, bool first_badged)
{
    assert(cap_is_null(dest->cap));
    note_slot_change(dest->cap, cap);
    cte_t *next = mdb_next(parent);
    dest->cap = cap;
    dest->mdb.prev = (word_t)(uintptr_t)parent;
    dest->mdb.next = 0;
    set_next(dest, next);
    set_flags(dest, revocable, first_badged);
    if (next)
        next->mdb.prev = (word_t)(uintptr_t)dest;
    set_next(parent, dest);
}

/* ---------------------------------------------------------------- tree rules */

static bool badged_type(cap_t c)
{
    return cap_get_type(c) == cap_endpoint || cap_get_type(c) == cap_notification ||
           cap_get_type(c) == cap_smc;
}

/* seL4's isMDBParentOf: is the cap in `b` a descendant of the one in `a`? */
bool cdt_is_parent_of(const cte_t *a, const cte_t *b)
{
    if (!mdb_revocable(a) || !same_region_as(a->cap, b->cap))
        return false;
    if (badged_type(a->cap)) {
        word_t badge = cap_badge(a->cap);
        if (badge == 0)
            return true;
        return badge == cap_badge(b->cap) && !mdb_first_badged(b);
    }
    return true;
}

bool cdt_has_children(const cte_t *slot)
{
    cte_t *next = mdb_next(slot);
    return next && cdt_is_parent_of(slot, next);
}

/* A derived cap heads its own subtree when it can be revoked separately. */
static bool is_revocable(cap_t derived, cap_t source)
{
    switch (cap_get_type(derived)) {
    case cap_endpoint:
    case cap_notification:
    case cap_smc:
        return cap_badge(derived) != cap_badge(source);
    case cap_irq_handler:
        return cap_get_type(source) == cap_irq_control;
    case cap_untyped:
        return true;
    default:
        return false;
    }
}

/*
 * Two caps to the same untyped region must not both allocate from it: when
 * one is copied, the source is marked full (seL4's setUntypedCapAsFull).
 */
static void mark_untyped_full(cte_t *src, cap_t copy)
{
    cap_t s = src->cap;
    if (cap_get_type(s) == cap_untyped && cap_get_type(copy) == cap_untyped &&
        cap_untyped_base(s) == cap_untyped_base(copy) &&
        cap_untyped_size_bits(s) == cap_untyped_size_bits(copy))
        src->cap = cap_untyped_set_free_index(s, BIT(cap_untyped_size_bits(s)));
}

void cte_insert(cap_t cap, cte_t *src, cte_t *dest)
{
    mark_untyped_full(src, cap);
    bool revocable = is_revocable(cap, src->cap);
    cdt_insert_child(src, dest, cap, revocable, revocable);
}

/* Take `slot` out of the list; its first-badged mark passes to the next. */
static void unlink_slot(cte_t *slot)
{
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    if (prev)
        set_next(prev, next);
    if (next) {
        next->mdb.prev = (word_t)(uintptr_t)prev;
        if (mdb_first_badged(slot))
            next->mdb.next |= MDB_FIRST_BADGED;
    }
    slot->mdb.prev = 0;
    slot->mdb.next = 0;
}

void cte_move(cap_t cap, cte_t *src, cte_t *dest)
{
    assert(cap_is_null(dest->cap));
    note_slot_change(src->cap, cap);
    dest->cap = cap;
    dest->mdb = src->mdb;
    cte_t *prev = mdb_prev(src), *next = mdb_next(src);
    if (prev)
        set_next(prev, dest);
    if (next)
        next->mdb.prev = (word_t)(uintptr_t)dest;
    src->cap = cap_null_new();
    src->mdb.prev = src->mdb.next = 0;
}

void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    /* Move 1 aside through a temporary slot, then 2 -> 1, temp -> 2. */
    cte_t tmp = { .cap = cap_null_new() };
    cte_move(cap1, slot1, &tmp);
    cte_move(cap2, slot2, slot1);
    cte_move(cap1, &tmp, slot2);
}

static void empty_slot(cte_t *slot)
{
    unlink_slot(slot);
    note_slot_change(slot->cap, cap_null_new());
    slot->cap = cap_null_new();
}

static void set_slot_cap(cte_t *slot, cap_t cap)
{
    note_slot_change(slot->cap, cap);
    slot->cap = cap;
}

/* ---------------------------------------------------------------- deletion */

/*
 * Destroying a CNode or TCB means deleting the caps it holds, one of which
 * may be the last cap to another CNode or TCB, and so on, down chains and
 * trees as large as a user cares to build. That must neither recurse on the
 * kernel stack nor run unpreempted, so it goes as seL4 does it:
 *
 * - The last cap to a CNode or TCB becomes a zombie (the object's
 *   non-slot state is released at once: a TCB stops running). The zombie
 *   counts the object's slots that may still hold caps, and its slot is
 *   reduced from the last of them down, one slot per step, each step a
 *   preemption point: a preempted delete restarts and carries on.
 * - A slot met that way holding the last cap to another CNode or TCB does
 *   not start a nested destruction: that object's zombie is parked in the
 *   object's own first slot ("cyclic"), where it waits, unreachable, in the
 *   derivation tree under the untyped it came from. Revoking that untyped
 *   (or deleting the parked zombie's slot) finishes it.
 *
 * `exposed` is a delete a caller asked for (the slot then ends empty);
 * internal deletes of an object's slots are not exposed.
 */

static cte_t *zombie_slots(cap_t z)
{
    void *obj = cap_get_ptr(z);
    return cap_zombie_type(z) == cap_thread ? ((tcb_t *)obj)->caps : (cte_t *)obj;
}

/* A zombie in its own object's first slot waits there (see above). */
static bool zombie_is_cyclic(cap_t cap, const cte_t *slot)
{
    return cap_get_type(cap) == cap_zombie && zombie_slots(cap) == slot;
}

/* Nothing left to reduce: the slot can be emptied. */
static bool removable(cap_t cap, const cte_t *slot)
{
    if (cap_is_null(cap))
        return true;
    assert(cap_get_type(cap) == cap_zombie);
    word_t left = cap_zombie_slots_left(cap);
    return left == 0 || (left == 1 && zombie_is_cyclic(cap, slot));
}

static seL4_Error delete_slot(cte_t *slot, bool exposed);

/* One step of destruction of the object the zombie in `slot` stands for. */
static seL4_Error reduce_zombie(cte_t *slot, bool exposed)
{
    cap_t z = slot->cap;
    cte_t *slots = zombie_slots(z);
    word_t left = cap_zombie_slots_left(z);
    assert(left > 0);
    if (!exposed) {
        /* Park it in its object's first slot; that slot's cap comes here. */
        assert(slots != slot);
        cte_swap(slots->cap, slots, z, slot);
        return seL4_NoError;
    }
    cte_t *end = &slots[left - 1];
    seL4_Error err = delete_slot(end, false);
    if (err != seL4_NoError)
        return err;
    cap_t now = slot->cap;
    if (cap_get_type(now) == cap_zombie && zombie_slots(now) == slots &&
        cap_zombie_slots_left(now) == left) {
        assert(cap_is_null(end->cap));
        set_slot_cap(slot, cap_zombie_set_slots_left(now, left - 1));
    } else {
        /* `slot` was the first slot of the object just parked (or is now
           empty): the loop in finalise_slot goes on with what it holds. */
        assert(cap_is_null(now) || zombie_is_cyclic(now, slot));
    }
    return seL4_NoError;
}

/*
 * Finalise the cap in `slot` until it can be emptied (*done) or, not
 * exposed, until what is left is a parked zombie (!*done).
 */
static seL4_Error finalise_slot(cte_t *slot, bool exposed, bool *done)
{
    while (!cap_is_null(slot->cap)) {
        cap_t rest = finalise_cap(slot->cap, is_final_cap(slot));
        if (removable(rest, slot)) {
            *done = true;
            return seL4_NoError;
        }
        set_slot_cap(slot, rest);
        if (!exposed && zombie_is_cyclic(rest, slot)) {
            *done = false;
            return seL4_NoError;
        }
        seL4_Error err = reduce_zombie(slot, exposed);
        if (err != seL4_NoError)
            return err;
        if (preemption_point())
            return ERR_PREEMPTED;
    }
    *done = true;
    return seL4_NoError;
}

static seL4_Error delete_slot(cte_t *slot, bool exposed)
{
    bool done;
    seL4_Error err = finalise_slot(slot, exposed, &done);
    if (err != seL4_NoError)
        return err;
    if (exposed || done)
        empty_slot(slot);
    return seL4_NoError;
}

seL4_Error cte_delete(cte_t *slot)
{
    return delete_slot(slot, true);
}

void cte_delete_one(cte_t *slot)
{
    cap_t cap = slot->cap;
    if (cap_is_null(cap))
        return;
    assert(cap_get_type(cap) != cap_cnode && cap_get_type(cap) != cap_thread &&
           cap_get_type(cap) != cap_zombie);
    cap_t rest = finalise_cap(cap, is_final_cap(slot));
    assert(cap_is_null(rest));
    (void)rest;
    empty_slot(slot);
}

seL4_Error cte_revoke(cte_t *slot)
{
    cte_t *next;
    while ((next = mdb_next(slot)) && cdt_is_parent_of(slot, next)) {
        seL4_Error err = cte_delete(next);
        if (err != seL4_NoError)
            return err;
        if (preemption_point())
            return ERR_PREEMPTED;
    }
    return seL4_NoError;
}
