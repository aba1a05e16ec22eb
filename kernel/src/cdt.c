/*
 * Capability derivation tree. Slots form one doubly linked list in
 * depth-first order: a cap's descendants follow it directly. A new child
 * goes right after its parent.
 */
#include <kernel/cdt.h>
#include <kernel/assert.h>
#include <kernel/objects.h>

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

static bool is_recursive(cap_t cap)
{
    return cap_get_type(cap) == cap_cnode || cap_get_type(cap) == cap_thread;
}

/*
 * Destroying a CNode or TCB deletes the caps it holds, one of which may be
 * the last cap to another CNode or TCB, and so on down a chain as long as a
 * user cares to build: that must not become recursion on the 16 KiB kernel
 * stack. Such a cap met while an object is being destroyed stays in its
 * slot as a zombie and is queued (linked through the zombies' second word);
 * the outermost delete destroys the queued objects one after the other.
 */
static cte_t *doomed;           /* zombie slots whose object is still to destroy */
static bool destroying;

void cte_delete(cte_t *slot)
{
    cap_t cap = slot->cap;
    if (cap_is_null(cap))
        return;
    if (!is_final_cap(slot)) {
        /* A frame cap's mapping belongs to that one cap (seL4 finalises
           arch caps on every delete). */
        arch_finalise_cap(cap, false);
        empty_slot(slot);
        return;
    }
    if (!is_recursive(cap)) {
        empty_slot_after_finalise(slot, cap);
        return;
    }
    /* A CNode or TCB may hold caps to itself: while it is destroyed a
       zombie keeps its place, so those inner caps are never final. */
    note_slot_change(cap, cap_zombie_new(cap));
    slot->cap = cap_zombie_new(cap);
    if (destroying) {
        slot->cap.w1 = (word_t)(uintptr_t)doomed;
        doomed = slot;
        return;
    }
    destroying = true;
    empty_slot_after_finalise(slot, cap);
    while (doomed) {
        cte_t *next = doomed;
        doomed = (cte_t *)(uintptr_t)next->cap.w1;
        empty_slot_after_finalise(next, cap_zombie_original(next->cap));
    }
    destroying = false;
}

void empty_slot_after_finalise(cte_t *slot, cap_t cap)
{
    finalise_cap(cap);
    empty_slot(slot);
}

void cte_revoke(cte_t *slot)
{
    cte_t *next;
    while ((next = mdb_next(slot)) && cdt_is_parent_of(slot, next))
        cte_delete(next);
}
