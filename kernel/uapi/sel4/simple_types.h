/*
 * sel4/simple_types.h - fixed-width integer types and capability typedefs.
 *
 * Pure (no code, no state): shared by the kernel and user programs.
 * The API is defined for LP64 targets only (AArch64, and x86_64 hosts for
 * tests), where `unsigned long` is 64 bits; seL4_Word is `unsigned long`
 * exactly as in libsel4 so that printf("%lx", word) keeps working.
 */
#ifndef SEL4_UAPI_SIMPLE_TYPES_H
#define SEL4_UAPI_SIMPLE_TYPES_H

#include <sel4/macros.h>

#define seL4_WordBits      64
#define seL4_WordSizeBits  3

#ifndef __ASSEMBLER__

typedef signed char        seL4_Int8;
typedef unsigned char      seL4_Uint8;
typedef signed short       seL4_Int16;
typedef unsigned short     seL4_Uint16;
typedef signed int         seL4_Int32;
typedef unsigned int       seL4_Uint32;
typedef signed long        seL4_Int64;
typedef unsigned long      seL4_Uint64;

typedef seL4_Int8          seL4_Bool;
#define seL4_True  1
#define seL4_False 0

#ifdef __cplusplus
#define seL4_Null 0L
#else
#define seL4_Null ((void *)0)
#endif

typedef seL4_Uint64        seL4_Word;
typedef seL4_Word          seL4_CPtr;    /* capability address in a CSpace */
typedef seL4_Word          seL4_NodeId;
typedef seL4_Word          seL4_PAddr;
typedef seL4_Word          seL4_Domain;
typedef seL4_Word          seL4_SlotPos; /* slot index in the root CNode */
typedef seL4_Uint64        seL4_Time;    /* MCS time, microseconds */

/*
 * Capability typedefs. They are all plain CPtrs; the names only document
 * which kind of object an argument must refer to.
 */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_PageDirectory;       /* legacy name */
typedef seL4_CPtr seL4_ARM_PageUpperDirectory;  /* legacy name */
typedef seL4_CPtr seL4_ARM_PageGlobalDirectory; /* legacy name */
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;

#endif /* !__ASSEMBLER__ */

#endif /* SEL4_UAPI_SIMPLE_TYPES_H */
