/*
 * ASIDControl MakePool and ASIDPool Assign. A pool is made from an unused
 * 4 KiB untyped and covers 512 ASIDs; Assign gives a VSpace the pool's
 * first free ASID, which the VSpace keeps until it or the pool is deleted.
 */
#include <arch/vspace_decode.h>
#include <arch/asid.h>
#include <kernel/cdt.h>
#include <string.h>

/* The destination slot of the new pool cap: empty, or an error. */
static cte_t *pool_dest_slot(invocation_t *inv)
{
    cte_t *dest = inv_lookup_target_slot(inv, inv->extra[1]->cap, inv_mr(inv, 0),
                                         inv_mr(inv, 1), false);
    if (dest && !cap_is_null(dest->cap)) {
        inv_error(inv, seL4_DeleteFirst);
        return NULL;
    }
    return dest;
}

seL4_Error decode_asid_control(invocation_t *inv)
{
    if (inv->label != ARMASIDControlMakePool)
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->length < 2 || inv->extra_caps < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    unsigned index = asid_table_first_free();
    if (index == ASID_POOLS)
        return inv_error(inv, seL4_DeleteFirst);
    cte_t *parent = inv->extra[0];
    cap_t ut = parent->cap;
    if (cap_get_type(ut) != cap_untyped || cap_untyped_size_bits(ut) != seL4_ASIDPoolBits ||
        cap_untyped_is_device(ut))
        return inv_invalid_cap(inv, 1);
    if (cdt_has_children(parent))
        return inv_error(inv, seL4_RevokeFirst);
    cte_t *dest = pool_dest_slot(inv);
    if (!dest)
        return inv->error.type;

    /* The whole untyped becomes the pool: nothing else can be retyped from it. */
    paddr_t base = cap_untyped_base(ut);
    asid_pool_t *pool = ptr_from_paddr(base);
    parent->cap = cap_untyped_set_free_index(ut, BIT(seL4_ASIDPoolBits));
    memset(pool, 0, sizeof(*pool));
    cte_insert(cap_asid_pool_new(base, index << ASID_POOL_BITS), parent, dest);
    asid_table_set_pool(index, pool);
    return seL4_NoError;
}

/* The pool's first free entry (ASID 0 is never handed out), or the pool size. */
static unsigned first_free_asid(const asid_pool_t *pool, unsigned asid_base)
{
    unsigned i = 0;
    while (i < ASID_POOL_ENTRIES && (asid_base + i == 0 || pool->vspace[i]))
        i++;
    return i;
}

seL4_Error decode_asid_pool(invocation_t *inv)
{
    if (inv->label != ARMASIDPoolAssign)
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cte_t *vspace_slot = inv->extra[0];
    cap_t vspace = vspace_slot->cap;
    if (cap_get_type(vspace) != cap_vspace || cap_is_mapped(vspace))
        return inv_invalid_cap(inv, 1);
    unsigned asid_base = cap_asid_pool_base(inv->cap);
    asid_pool_t *pool = asid_table_get_pool(asid_base >> ASID_POOL_BITS);
    if (!pool)
        return inv_lookup_failed(inv, false, (lookup_fault_t){ .type = seL4_InvalidRoot });
    if (pool != ptr_from_paddr(cap_table_base(inv->cap)))
        return inv_invalid_cap(inv, 0);
    unsigned i = first_free_asid(pool, asid_base);
    if (i == ASID_POOL_ENTRIES)
        return inv_error(inv, seL4_DeleteFirst);

    pool->vspace[i] = ptr_from_paddr(cap_table_base(vspace));
    vspace_slot->cap = cap_set_mapping(vspace, true, asid_base + i, 0);
    return seL4_NoError;
}
