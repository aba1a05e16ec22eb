/* Capability address resolution (seL4's guarded CNode walk). */
#ifndef KERNEL_CSPACE_H
#define KERNEL_CSPACE_H

#include <object/structures.h>
#include <sel4/abi.h>

/* Why a lookup failed, with the details a cap fault reports. */
typedef struct lookup_fault {
    word_t type;            /* seL4_NoFailure, seL4_InvalidRoot, ... */
    word_t bits_left;
    word_t bits_found;      /* depth or guard mismatch: bits found */
    word_t guard_found;
} lookup_fault_t;

typedef struct lookup_result {
    cte_t *slot;            /* NULL on failure */
    word_t bits_remaining;
    lookup_fault_t fault;
} lookup_result_t;

/*
 * The walk: a CPtr is consumed from its most significant end; at each CNode
 * the guard must match, then `radix` bits index a slot. A slot holding
 * anything but a CNode ends the walk, even with bits left over. Inline so
 * that the IPC fast path shares it (and the compiler drops the failure
 * details it does not read).
 */
static inline lookup_result_t cspace_failure(word_t type, word_t bits_left)
{
    return (lookup_result_t){ .slot = NULL, .fault = { .type = type, .bits_left = bits_left } };
}

static inline lookup_result_t cspace_resolve(cap_t node, word_t cptr, unsigned depth)
{
    unsigned n_bits = depth;
    if (cap_get_type(node) != cap_cnode)
        return cspace_failure(seL4_InvalidRoot, n_bits);
    if (depth < 1 || depth > seL4_WordBits)
        return cspace_failure(seL4_InvalidRoot, n_bits);
    for (;;) {
        unsigned radix = cap_cnode_radix(node);
        unsigned guard_size = cap_cnode_guard_size(node);
        unsigned level_bits = radix + guard_size;
        word_t guard = guard_size && guard_size <= n_bits
                           ? (cptr >> (n_bits - guard_size)) & MASK(guard_size) : 0;
        if (guard_size > n_bits || guard != (cap_cnode_guard(node) & MASK(guard_size))) {
            lookup_result_t r = cspace_failure(seL4_GuardMismatch, n_bits);
            r.fault.guard_found = cap_cnode_guard(node);
            r.fault.bits_found = guard_size;
            return r;
        }
        if (level_bits == 0 || level_bits > n_bits) {
            lookup_result_t r = cspace_failure(seL4_DepthMismatch, n_bits);
            r.fault.bits_found = level_bits;
            return r;
        }
        word_t index = (cptr >> (n_bits - level_bits)) & MASK(radix);
        cte_t *slot = (cte_t *)cap_get_ptr(node) + index;
        n_bits -= level_bits;
        if (n_bits == 0 || cap_get_type(slot->cap) != cap_cnode)
            return (lookup_result_t){ .slot = slot, .bits_remaining = n_bits };
        node = slot->cap;
    }
}

/*
 * The common CSpace, one CNode whose guard and radix take all 64 bits of a
 * CPtr, resolved inline (the system-call paths' lookups): the walk would
 * find the same slot, as it ends at the first level, whatever the slot
 * holds, with no bits left. Anything else takes the walk.
 */
static ALWAYS_INLINE bool cspace_one_level(cap_t root, word_t cptr)
{
    unsigned radix = cap_cnode_radix(root);
    /* the guard: the CPtr's top 64 - radix bits */
    return cap_get_type(root) == cap_cnode && radix + cap_cnode_guard_size(root) == seL4_WordBits &&
           (((cptr >> radix) ^ cap_cnode_guard(root)) << radix) == 0;
}

static ALWAYS_INLINE cte_t *cspace_one_level_slot(cap_t root, word_t cptr)
{
    unsigned guard_size = cap_cnode_guard_size(root);
    return (cte_t *)cap_get_ptr(root) + ((cptr << guard_size) >> guard_size);
}

/* Walk from `root` resolving the top `depth` bits of `cptr`. */
lookup_result_t resolve_address_bits(cap_t root, word_t cptr, unsigned depth);
cte_t *lookup_slot_or_null_slow(tcb_t *t, word_t cptr);
cap_t lookup_cap_slow(tcb_t *t, word_t cptr, lookup_fault_t *fault);

/* The slot `cptr` names in thread t's CSpace, or NULL (lookup_slot has
   the reason). */
static ALWAYS_INLINE cte_t *lookup_slot_or_null(tcb_t *t, word_t cptr)
{
    cap_t root = t->caps[tcb_cspace_root].cap;
    if (likely(cspace_one_level(root, cptr)))
        return cspace_one_level_slot(root, cptr);
    return lookup_slot_or_null_slow(t, cptr);
}
/* The slot `cptr` names in thread t's CSpace (full 64-bit resolution). */
lookup_result_t lookup_slot(tcb_t *t, word_t cptr);
/* The capability `cptr` names in thread t's CSpace, or a null cap (and
   why in *fault). */
static ALWAYS_INLINE cap_t lookup_cap(tcb_t *t, word_t cptr, lookup_fault_t *fault)
{
    cap_t root = t->caps[tcb_cspace_root].cap;
    if (likely(cspace_one_level(root, cptr))) {
        cap_t cap = cspace_one_level_slot(root, cptr)->cap;
        if (likely(!cap_is_null(cap)))
            return cap;
    }
    return lookup_cap_slow(t, cptr, fault);
}

#endif
