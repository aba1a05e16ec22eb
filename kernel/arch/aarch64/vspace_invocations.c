/*
 * Invocations on AArch64 architecture caps (seL4's decodeARMMMUInvocation):
 * routed to frame.c, page_table.c, vspace_cache.c and asid_invocations.c;
 * SMC caps to smc.c, VCPUs to vcpu.c.
 */
#include <arch/vspace_decode.h>
#include <arch/asid.h>
#include <arch/smc.h>
#include <arch/vcpu.h>

seL4_Error vspace_find_root(invocation_t *inv, cap_t cap, unsigned cap_index,
                            page_table_t **root)
{
    page_table_t *found = asid_find_vspace(cap_mapped_asid(cap));
    if (!found)
        return inv_lookup_failed(inv, false, (lookup_fault_t){ .type = seL4_InvalidRoot });
    if (found != ptr_from_paddr(cap_table_base(cap)))
        return inv_invalid_cap(inv, cap_index);
    *root = found;
    return seL4_NoError;
}

seL4_Error decode_arch(invocation_t *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_frame:
        return decode_frame(inv);
    case cap_page_table:
        return decode_page_table(inv);
    case cap_vspace:
        return decode_vspace_root(inv);
    case cap_asid_control:
        return decode_asid_control(inv);
    case cap_asid_pool:
        return decode_asid_pool(inv);
#ifdef CONFIG_ALLOW_SMC_CALLS
    case cap_smc:
        return decode_smc(inv);
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case cap_vcpu:
        return decode_vcpu(inv);
#endif
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
