/*
 * ASID pools and ASID lifetime. ASIDs are never flushed on a context switch;
 * the price is paid here: an ASID's TLB entries are invalidated when it is
 * freed, so that its next owner starts clean.
 */
#include <arch/asid.h>
#include <arch/vspace.h>
#include <arch/tlb.h>
#include <arch/sysreg.h>
#include <kernel/assert.h>

static asid_pool_t *asid_table[ASID_POOLS];

asid_pool_t *asid_table_get_pool(unsigned pool_index)
{
    assert(pool_index < ASID_POOLS);
    return asid_table[pool_index];
}

void asid_table_set_pool(unsigned pool_index, asid_pool_t *pool)
{
    assert(pool_index < ASID_POOLS);
    asid_table[pool_index] = pool;
}

unsigned asid_table_first_free(void)
{
    unsigned i = 0;
    while (i < ASID_POOLS && asid_table[i])
        i++;
    return i;
}

page_table_t *asid_find_vspace(unsigned asid)
{
    if (asid >= BIT(ASID_BITS))
        return NULL;
    asid_pool_t *pool = asid_table[asid >> ASID_POOL_BITS];
    return pool ? pool->vspace[asid & MASK(ASID_POOL_BITS)] : NULL;
}

/*
 * Forget `asid` in the TLBs. If this core still runs on it (the kernel was
 * entered from a thread of that address space), move TTBR0 to the empty
 * table first: otherwise speculative walks through the old TTBR0 could
 * refill entries for the ASID after the flush. The thread re-activates
 * (and finds its VSpace gone) on the way out of the kernel.
 */
static void asid_flush(unsigned asid)
{
    if ((read_sysreg(ttbr0_el1) >> 48) == asid) {
        write_sysreg(ttbr0_el1, vspace_idle_ttbr0());
        isb();
    }
    tlb_invalidate_asid(asid);
}

void asid_delete(unsigned asid, page_table_t *vspace)
{
    if (asid == 0 || asid_find_vspace(asid) != vspace)
        return;
    asid_flush(asid);
    asid_table[asid >> ASID_POOL_BITS]->vspace[asid & MASK(ASID_POOL_BITS)] = NULL;
    vspace_roots_changed();
}

void asid_pool_delete(unsigned asid_base, asid_pool_t *pool)
{
    unsigned index = asid_base >> ASID_POOL_BITS;
    if (index >= ASID_POOLS || asid_table[index] != pool)
        return;
    for (unsigned i = 0; i < ASID_POOL_ENTRIES; i++)
        if (pool->vspace[i])
            asid_flush(asid_base + i);
    asid_table[index] = NULL;
}
