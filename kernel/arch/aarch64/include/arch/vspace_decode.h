/*
 * Shared pieces of the AArch64 MMU invocation decoders (frame.c,
 * page_table.c, vspace_cache.c, asid_invocations.c), following seL4's
 * decodeARMMMUInvocation.
 */
#ifndef ARCH_VSPACE_DECODE_H
#define ARCH_VSPACE_DECODE_H

#include <kernel/invocation.h>
#include <arch/vspace.h>

seL4_Error decode_frame(invocation_t *inv);
seL4_Error decode_page_table(invocation_t *inv);
seL4_Error decode_vspace_root(invocation_t *inv);
seL4_Error decode_asid_control(invocation_t *inv);
seL4_Error decode_asid_pool(invocation_t *inv);

/* seL4's isValidNativeRoot: a VSpace cap that has been assigned an ASID. */
static inline bool vspace_cap_assigned(cap_t cap)
{
    return cap_get_type(cap) == cap_vspace && cap_is_mapped(cap);
}

/*
 * The VSpace root of the assigned VSpace cap `cap` (extra cap `cap_index`):
 * FailedLookup (invalid root) if its ASID names nothing, InvalidCapability
 * if it names another VSpace.
 */
seL4_Error vspace_find_root(invocation_t *inv, cap_t cap, unsigned cap_index,
                            page_table_t **root);

/* Cache maintenance on user memory, by its physical address. */
enum cache_op { cache_op_clean, cache_op_invalidate, cache_op_clean_invalidate, cache_op_unify };
void cache_maintain_phys(enum cache_op op, paddr_t start, word_t size);

#endif
