/*
 * Capability derivation tree. Slots form one doubly linked list in
 * depth-first order: a cap's descendants follow it directly. A new child
 * goes right after its parent.
 */
#include <kernel/cdt.h>
#include <kernel/assert.h>

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
    dest->cap = cap;
    dest->mdb.prev = 0;
    dest->mdb.next = 0;
    set_flags(dest, revocable, revocable);
}

void cdt_insert_child(cte_t *parent, cte_t *dest, cap_t cap, bool revocable, bool first_badged)
{
    assert(cap_is_null(dest->cap));
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
