/*
 * Invocations on architecture objects: frames, page tables, VSpaces, ASID
 * control and pools, SMC. Not implemented yet: every one is refused with
 * IllegalOperation (tracked by the virtual-memory issue).
 */
#include <kernel/invocation.h>

seL4_Error decode_arch(invocation_t *inv)
{
    return inv_error(inv, seL4_IllegalOperation);
}
