/*
 * The kernel's table of ASID pools: 2^7 pools of 2^9 ASIDs, the 16-bit ASID
 * space. An ASID is pool index << 9 | entry; the entry holds the VSpace root
 * the ASID names. ASID 0 is never assigned (the idle table uses it).
 */
#ifndef ARCH_ASID_H
#define ARCH_ASID_H

#include <object/structures.h>

asid_pool_t *asid_table_get_pool(unsigned pool_index);
void asid_table_set_pool(unsigned pool_index, asid_pool_t *pool);
/* The lowest pool index without a pool, or ASID_POOLS if all are in use. */
unsigned asid_table_first_free(void);

/* seL4's findVSpaceForASID: the VSpace `asid` names, or NULL. */
page_table_t *asid_find_vspace(unsigned asid);

/* The tag the TLB knows `asid` by: the ASID itself with an EL1 kernel, its
   VMID (assigned now if it has none) with an EL2 one. `asid` must name a
   VSpace. */
#ifdef CONFIG_KERNEL_EL2
unsigned asid_hw_tag(unsigned asid);
#else
static inline unsigned asid_hw_tag(unsigned asid)
{
    return asid;
}
#endif

/* `vspace` gives up `asid` (if the ASID still names it); TLB flushed. */
void asid_delete(unsigned asid, page_table_t *vspace);
/* The pool at `asid_base` goes: every ASID in it is freed and flushed. */
void asid_pool_delete(unsigned asid_base, asid_pool_t *pool);

#endif
