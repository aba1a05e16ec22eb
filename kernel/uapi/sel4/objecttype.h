/*
 * sel4/objecttype.h - object types for seL4_Untyped_Retype (MCS, AArch64;
 * the VCPU type 12 with CONFIG_ARM_HYPERVISOR_SUPPORT). Pure.
 *
 * libsel4 splits these over three enums (generic, AArch64, Arm); the
 * values and names are the same here.
 */
#ifndef SEL4_UAPI_OBJECTTYPE_H
#define SEL4_UAPI_OBJECTTYPE_H

#include <sel4/simple_types.h>
#include <sel4/macros.h>
#include <sel4/constants.h>

#ifndef __ASSEMBLER__
typedef enum {
    seL4_UntypedObject          = 0,
    seL4_TCBObject              = 1,
    seL4_EndpointObject         = 2,
    seL4_NotificationObject     = 3,
    seL4_CapTableObject         = 4,
    seL4_SchedContextObject     = 5,
    seL4_ReplyObject            = 6,
    seL4_NonArchObjectTypeCount = 7
} seL4_ObjectType;

typedef enum {
    seL4_ARM_HugePageObject     = 7,
    seL4_ARM_VSpaceObject       = 8,
    seL4_ModeObjectTypeCount    = 9
} seL4_ModeObjectType;

typedef enum {
    seL4_ARM_SmallPageObject    = 9,
    seL4_ARM_LargePageObject    = 10,
    seL4_ARM_PageTableObject    = 11,
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    seL4_ARM_VCPUObject         = 12,
#endif
    seL4_ObjectTypeCount
} seL4_ArchObjectType;

/*
 * Size in bits of an object of `type` retyped with `user_bits` (the
 * size_bits argument of Untyped_Retype, used by untypeds, CNodes (slots)
 * and scheduling contexts); 0 for an unknown type. Not a libsel4 function:
 * ours, shared by the kernel and root tasks that lay out untyped memory.
 */
LIBSEL4_INLINE_FUNC seL4_Word sel4_object_size_bits(seL4_Word type, seL4_Word user_bits)
{
    switch (type) {
    case seL4_UntypedObject:
    case seL4_SchedContextObject:
        return user_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return user_bits + seL4_SlotBits;
    case seL4_ReplyObject:
        return seL4_ReplyBits;
    case seL4_ARM_HugePageObject:
        return seL4_HugePageBits;
    case seL4_ARM_VSpaceObject:
        return seL4_VSpaceBits;
    case seL4_ARM_SmallPageObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_PageTableObject:
        return seL4_PageTableBits;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_ARM_VCPUObject:
        return seL4_VCPUBits;
#endif
    default:
        return 0;
    }
}

#endif

#endif /* SEL4_UAPI_OBJECTTYPE_H */
