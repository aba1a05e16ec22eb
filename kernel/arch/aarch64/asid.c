/*
 * ASID pools and ASID lifetime. ASIDs are never flushed on a context switch;
 * the price is paid here: an ASID's TLB entries are invalidated when it is
 * freed, so that its next owner starts clean.
 *
 * With an EL1 kernel the 16-bit ASID tags the TLB itself. With an EL2
 * kernel the TLB is tagged by an 8-bit VMID instead: an ASID gets a VMID
 * when one of its threads first runs, kept in the low bits of its pool
 * entry (VSpace roots are 8 KiB aligned); when all 255 are taken the next
 * one in turn is taken back from its ASID, whose entries are flushed.
 */
#include <arch/asid.h>
#include <arch/vspace.h>
#include <arch/tlb.h>
#include <arch/sysreg.h>
#include <kernel/assert.h>
#include <sel4/constants.h>

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

/* The pool entry of `asid`, or NULL if its pool does not exist. */
static page_table_t **pool_entry(unsigned asid)
{
    if (asid >= BIT(ASID_BITS))
        return NULL;
    asid_pool_t *pool = asid_table[asid >> ASID_POOL_BITS];
    return pool ? &pool->vspace[asid & MASK(ASID_POOL_BITS)] : NULL;
}

#ifdef CONFIG_KERNEL_EL2
#define VMID_BITS   8
#define VMID_COUNT  BIT(VMID_BITS)
_Static_assert(seL4_VSpaceBits >= VMID_BITS, "a VMID fits in a VSpace root's alignment");

static uint16_t vmid_owner[VMID_COUNT];    /* ASID holding each VMID; 0: free (VMID 0 is idle's) */
static unsigned next_vmid = 1;

static page_table_t *entry_vspace(page_table_t *entry)
{
    return (page_table_t *)((uintptr_t)entry & ~MASK(VMID_BITS));
}

static unsigned entry_vmid(page_table_t *entry)
{
    return (uintptr_t)entry & MASK(VMID_BITS);
}

static void set_entry_vmid(page_table_t **entry, unsigned vmid)
{
    *entry = (page_table_t *)((uintptr_t)entry_vspace(*entry) | vmid);
}

/* The hardware tag of `asid` (its VMID) if it has one, else 0. */
static unsigned asid_vmid(unsigned asid)
{
    page_table_t **entry = pool_entry(asid);
    return entry && *entry ? entry_vmid(*entry) : 0;
}

/* Take `vmid` away from its ASID: nothing of it may stay in the TLBs, and
   a thread still on it must look its VSpace up again. */
static void vmid_release(unsigned vmid)
{
    unsigned asid = vmid_owner[vmid];
    if (!asid)
        return;
    page_table_t **entry = pool_entry(asid);
    if (entry && *entry)
        set_entry_vmid(entry, 0);
    vmid_owner[vmid] = 0;
    if (((read_sysreg(vttbr_el2) >> 48) & MASK(VMID_BITS)) == vmid) {
        write_sysreg(vttbr_el2, vspace_idle_ttbr0());
        isb();
    }
    tlb_invalidate_vmid(vmid);
    vspace_roots_changed();
}

unsigned asid_hw_tag(unsigned asid)
{
    page_table_t **entry = pool_entry(asid);
    assert(entry && *entry);
    unsigned vmid = entry_vmid(*entry);
    if (vmid)
        return vmid;
    vmid = next_vmid;
    next_vmid = vmid + 1 < VMID_COUNT ? vmid + 1 : 1;
    vmid_release(vmid);
    vmid_owner[vmid] = (uint16_t)asid;
    set_entry_vmid(entry, vmid);
    return vmid;
}

static void asid_flush(unsigned asid)
{
    vmid_release(asid_vmid(asid));
}

void tlb_invalidate_leaf(unsigned asid, vaddr_t vaddr)
{
    unsigned vmid = asid_vmid(asid);
    if (vmid)
        tlb_invalidate_vmid_ipa(vmid, vaddr);
}

void tlb_invalidate_asid(unsigned asid)
{
    unsigned vmid = asid_vmid(asid);
    if (vmid)
        tlb_invalidate_vmid(vmid);
}
#else
static page_table_t *entry_vspace(page_table_t *entry)
{
    return entry;
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
#endif

page_table_t *asid_find_vspace(unsigned asid)
{
    page_table_t **entry = pool_entry(asid);
    return entry ? entry_vspace(*entry) : NULL;
}

void asid_delete(unsigned asid, page_table_t *vspace)
{
    if (asid == 0 || asid_find_vspace(asid) != vspace)
        return;
    asid_flush(asid);
    *pool_entry(asid) = NULL;
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
