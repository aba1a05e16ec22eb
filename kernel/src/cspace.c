/* CSpace addressing (the walk itself is cspace_resolve in kernel/cspace.h). */
#include <kernel/cspace.h>

lookup_result_t resolve_address_bits(cap_t node, word_t cptr, unsigned depth)
{
    return cspace_resolve(node, cptr, depth);
}

lookup_result_t lookup_slot(tcb_t *t, word_t cptr)
{
    cap_t root = t->caps[tcb_cspace_root].cap;
    if (likely(cspace_one_level(root, cptr)))
        return (lookup_result_t){ .slot = cspace_one_level_slot(root, cptr) };
    return resolve_address_bits(root, cptr, seL4_WordBits);
}

cte_t *lookup_slot_or_null_slow(tcb_t *t, word_t cptr)
{
    return resolve_address_bits(t->caps[tcb_cspace_root].cap, cptr, seL4_WordBits).slot;
}

cap_t lookup_cap_slow(tcb_t *t, word_t cptr, lookup_fault_t *fault)
{
    lookup_result_t r = lookup_slot(t, cptr);
    if (!r.slot) {
        *fault = r.fault;
        return cap_null_new();
    }
    if (cap_is_null(r.slot->cap)) {
        *fault = (lookup_fault_t){ .type = seL4_MissingCapability, .bits_left = r.bits_remaining };
    }
    return r.slot->cap;
}
