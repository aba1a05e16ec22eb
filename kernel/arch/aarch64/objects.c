/*
 * AArch64 object types: frames (4 KiB, 2 MiB, 1 GiB), page tables, VSpace
 * roots and ASID pools. Mapping state lives in the caps; finalising a frame
 * or table removes its mapping, a VSpace frees its ASID, a pool its ASIDs.
 */
#include <kernel/objects.h>
#include <arch/vspace.h>
#include <arch/asid.h>
#include <arch/vcpu.h>

bool arch_object_type_valid(word_t type)
{
    switch (type) {
    case seL4_ARM_SmallPageObject:
    case seL4_ARM_LargePageObject:
    case seL4_ARM_HugePageObject:
    case seL4_ARM_PageTableObject:
    case seL4_ARM_VSpaceObject:
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_ARM_VCPUObject:
#endif
        return true;
    default:
        return false;
    }
}

cap_t arch_object_create(word_t type, void *obj, paddr_t paddr, bool device)
{
    (void)obj;      /* only a VCPU's state is set up here */
    switch (type) {
    case seL4_ARM_SmallPageObject:
        return cap_frame_new(paddr, frame_4k, vm_read_write, device);
    case seL4_ARM_LargePageObject:
        return cap_frame_new(paddr, frame_2m, vm_read_write, device);
    case seL4_ARM_HugePageObject:
        return cap_frame_new(paddr, frame_1g, vm_read_write, device);
    case seL4_ARM_PageTableObject:
        return cap_table_new(cap_page_table, paddr);
    case seL4_ARM_VSpaceObject:
        return cap_table_new(cap_vspace, paddr);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_ARM_VCPUObject:
        vcpu_init(obj);
        return cap_vcpu_new(obj);
#endif
    default:
        return cap_null_new();
    }
}

seL4_Error arch_derive_cap(cap_t cap, cap_t *derived)
{
    switch (cap_get_type(cap)) {
    case cap_frame:
        /* A copy of a frame cap is unmapped: one mapping per cap. */
        *derived = cap_set_mapping(cap, false, 0, 0);
        return seL4_NoError;
    case cap_page_table:
    case cap_vspace:
        /* Only tables that are in use can be copied (seL4's rule). */
        if (!cap_is_mapped(cap))
            return seL4_IllegalOperation;
        *derived = cap;
        return seL4_NoError;
    case cap_asid_control:
    case cap_asid_pool:
    case cap_smc:
    case cap_vcpu:
        *derived = cap;
        return seL4_NoError;
    default:
        *derived = cap_null_new();
        return seL4_IllegalOperation;
    }
}

cap_t arch_update_cap_data(bool preserve, word_t data, cap_t cap)
{
    /* An SMC cap is badged once, by Mint, with the one function id it allows. */
    if (cap_get_type(cap) == cap_smc)
        return preserve || cap_simple_data(cap) != 0 ? cap_null_new() : cap_simple_new(cap_smc, data);
    return cap;
}

void arch_cap_region(cap_t cap, paddr_t *base, word_t *size)
{
    switch (cap_get_type(cap)) {
    case cap_frame:
        *base = cap_frame_base(cap);
        *size = BIT(frame_size_bits(cap_frame_size(cap)));
        return;
    case cap_page_table:
    case cap_vspace:
        *base = cap_table_base(cap);
        *size = PAGE_SIZE;
        return;
    case cap_asid_pool:
        *base = cap_table_base(cap);
        *size = PAGE_SIZE;
        return;
    case cap_vcpu:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(seL4_VCPUBits);
        return;
    default:
        *base = 0;
        *size = 0;
        return;
    }
}

bool arch_same_object_as(cap_t a, cap_t b)
{
    if (cap_get_type(a) != cap_get_type(b))
        return false;
    paddr_t base_a, base_b;
    word_t size_a, size_b;
    arch_cap_region(a, &base_a, &size_a);
    arch_cap_region(b, &base_b, &size_b);
    if (size_a == 0)
        return cap_get_type(a) == cap_asid_control || a.w1 == b.w1;
    return base_a == base_b && size_a == size_b;
}

/*
 * Called for every deleted arch cap, final or not: a frame cap owns its one
 * mapping, so each frame cap unmaps on its own deletion. Tables, VSpaces
 * and pools are shared by their copies and go with the last one.
 */
void arch_finalise_cap(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_frame:
        frame_unmap(cap);
        return;
    case cap_page_table:
        if (final)
            page_table_unmap(cap);
        return;
    case cap_vspace:
        /* Any VSpace cap gone may be a thread's: re-check on next switch. */
        vspace_roots_changed();
        if (final && cap_is_mapped(cap))
            asid_delete(cap_mapped_asid(cap), ptr_from_paddr(cap_table_base(cap)));
        return;
    case cap_asid_pool:
        vspace_roots_changed();
        if (final)
            asid_pool_delete(cap_asid_pool_base(cap), ptr_from_paddr(cap_table_base(cap)));
        return;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case cap_vcpu:
        if (final)
            vcpu_finalise(cap_get_ptr(cap));
        return;
#endif
    default:
        return;
    }
}

