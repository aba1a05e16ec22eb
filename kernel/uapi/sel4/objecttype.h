/*
 * sel4/objecttype.h - object types for seL4_Untyped_Retype (MCS, AArch64,
 * no hypervisor). Pure.
 *
 * libsel4 splits these over three enums (generic, AArch64, Arm); the
 * values and names are the same here.
 */
#ifndef SEL4_UAPI_OBJECTTYPE_H
#define SEL4_UAPI_OBJECTTYPE_H

#include <sel4/simple_types.h>

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
    seL4_ObjectTypeCount        = 12
} seL4_ArchObjectType;

#endif

#endif /* SEL4_UAPI_OBJECTTYPE_H */
