/*
 * sel4/constants.h - sizes, limits and message formats of the seL4
 * AArch64 MCS ABI (EL1, or EL2 with CONFIG_ARM_HYPERVISOR_SUPPORT; no
 * hardware debug API, no SMP).
 *
 * Pure: #defines and enums only, so the kernel, user programs and host
 * tools all see the same numbers. Values that assembly code may need are
 * #defines (visible under __ASSEMBLER__); the rest are C enums.
 * Source of every number: shared/reference/sel4-abi.md; the
 * names are libsel4's. tests/abi/abi_check.c pins all of them.
 */
#ifndef SEL4_UAPI_CONSTANTS_H
#define SEL4_UAPI_CONSTANTS_H

#include <sel4/simple_types.h>

/* ---- Object sizes (log2 bytes) ---------------------------------------- */
#define seL4_SlotBits              5   /* one CNode slot: 32 bytes */
#define seL4_TCBBits               11
#define seL4_EndpointBits          4
#define seL4_NotificationBits      6   /* MCS; 5 without MCS */
#define seL4_ReplyBits             5
#define seL4_MinSchedContextBits   7
#define seL4_CoreSchedContextBytes 128 /* SC header incl. the 2 built-in refills */
#define seL4_RefillSizeBytes       16  /* each extra refill */
#define seL4_PageBits              12
#define seL4_LargePageBits         21
#define seL4_HugePageBits          30
#define seL4_PageTableBits         12
#define seL4_PageTableEntryBits    3
#define seL4_PageTableIndexBits    9
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* A stage-2 root for a 40-bit IPA: two concatenated level-1 tables. */
#define seL4_VSpaceBits            13
#define seL4_VSpaceIndexBits       10
#else
#define seL4_VSpaceBits            12
#define seL4_VSpaceIndexBits       9
#endif
#define seL4_VSpaceEntryBits       3
#define seL4_NumASIDPoolsBits      7
#define seL4_ASIDPoolBits          12
#define seL4_ASIDPoolIndexBits     9
#define seL4_IOPageTableBits       12
#define seL4_ARM_VCPUBits          12
#define seL4_VCPUBits              12
#define seL4_MinUntypedBits        4
#define seL4_MaxUntypedBits        47

/* The last virtual address user level can use: 48-bit VA with an EL1
   kernel, the 40-bit IPA of a stage-2 address space with an EL2 one. */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define seL4_UserTop               0x000000fffffffffful
#else
#define seL4_UserTop               0x00007ffffffffffful
#endif

/* ---- Messages ------------------------------------------------------------ */
#define seL4_MsgLengthBits         7
#define seL4_MsgExtraCapBits       2
#define seL4_MsgMaxLength          120 /* message registers in the IPC buffer */
#define seL4_MsgMaxExtraCaps       3   /* (1 << seL4_MsgExtraCapBits) - 1 */
#define seL4_FastMessageRegisters  4   /* MR0..MR3 travel in x2..x5 */
#define seL4_IPCBufferSizeBits     10  /* the IPC buffer is 1 KiB */
#define seL4_CapRightsBits         4

/*
 * Message-info word (x1 / IPCBuffer.tag), 64 bits:
 *   63..12 label, 11..9 capsUnwrapped, 8..7 extraCaps, 6..0 length.
 * The SEL4_MSGINFO_* names are ours (libsel4 has only the accessors);
 * they exist for the kernel's assembly and decoders.
 */
#define SEL4_MSGINFO_LENGTH_SHIFT        0
#define SEL4_MSGINFO_LENGTH_BITS         7
#define SEL4_MSGINFO_EXTRACAPS_SHIFT     7
#define SEL4_MSGINFO_EXTRACAPS_BITS      2
#define SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT 9
#define SEL4_MSGINFO_CAPSUNWRAPPED_BITS  3
#define SEL4_MSGINFO_LABEL_SHIFT         12
#define SEL4_MSGINFO_LABEL_BITS          52

/* ---- CSpace addressing --------------------------------------------------- */
#define seL4_BadgeBits             64
#define seL4_GuardSizeBits         6   /* CNode cap data bits 5..0 */
#define seL4_GuardBits             58  /* CNode cap data bits 63..6 */
#define seL4_RadixBits             6

/* ---- Fault and error enums (C only) -------------------------------------- */
#define seL4_DataFault             0   /* seL4_VMFault_PrefetchFault values */
#define seL4_InstructionFault      1

#ifndef __ASSEMBLER__

enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio     = 0,
    seL4_MaxPrio     = 255
};

/* Kind of failed CSpace lookup, MR seL4_CapFault_LookupFailureType. */
typedef enum {
    seL4_NoFailure         = 0,
    seL4_InvalidRoot       = 1,
    seL4_MissingCapability = 2,
    seL4_DepthMismatch     = 3,
    seL4_GuardMismatch     = 4
} seL4_LookupFailureType;

/* Fault message labels (the label of the message a fault handler gets). */
enum seL4_Fault_tag {
    seL4_Fault_NullFault      = 0,
    seL4_Fault_CapFault       = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException  = 3,
#ifdef CONFIG_HARDWARE_DEBUG_API
    seL4_Fault_DebugException = 4,
#endif
    seL4_Fault_Timeout        = 5,
    seL4_Fault_VMFault        = 6,
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    seL4_Fault_VGICMaintenance = 7,
    seL4_Fault_VCPUFault      = 8,
    seL4_Fault_VPPIEvent      = 9,
#endif
};
typedef enum seL4_Fault_tag seL4_Fault_tag_t;

/* Cap fault: MR indices. GuardFound shares index 5 with BitsFound. */
typedef enum {
    seL4_CapFault_IP                       = 0,
    seL4_CapFault_Addr                     = 1,
    seL4_CapFault_InRecvPhase              = 2,
    seL4_CapFault_LookupFailureType        = 3,
    seL4_CapFault_BitsLeft                 = 4,
    seL4_CapFault_DepthMismatch_BitsFound  = 5,
    seL4_CapFault_GuardMismatch_GuardFound = 5,
    seL4_CapFault_GuardMismatch_BitsFound  = 6
} seL4_CapFault_Msg;

/* Unknown syscall: MR indices; the reply may set x0..x7, pc, sp, lr, spsr. */
typedef enum {
    seL4_UnknownSyscall_X0      = 0,
    seL4_UnknownSyscall_X1      = 1,
    seL4_UnknownSyscall_X2      = 2,
    seL4_UnknownSyscall_X3      = 3,
    seL4_UnknownSyscall_X4      = 4,
    seL4_UnknownSyscall_X5      = 5,
    seL4_UnknownSyscall_X6      = 6,
    seL4_UnknownSyscall_X7      = 7,
    seL4_UnknownSyscall_FaultIP = 8,
    seL4_UnknownSyscall_SP      = 9,
    seL4_UnknownSyscall_LR      = 10,
    seL4_UnknownSyscall_SPSR    = 11,
    seL4_UnknownSyscall_Syscall = 12,
    seL4_UnknownSyscall_Length  = 13
} seL4_UnknownSyscall_Msg;

/* User exception: MR indices; the reply may set pc, sp, spsr. */
typedef enum {
    seL4_UserException_FaultIP = 0,
    seL4_UserException_SP      = 1,
    seL4_UserException_SPSR    = 2,
    seL4_UserException_Number  = 3,
    seL4_UserException_Code    = 4,
    seL4_UserException_Length  = 5
} seL4_UserException_Msg;

/* VM fault: MR indices. FSR is the ESR; PrefetchFault is 1 for fetches. */
typedef enum {
    seL4_VMFault_IP            = 0,
    seL4_VMFault_Addr          = 1,
    seL4_VMFault_PrefetchFault = 2,
    seL4_VMFault_FSR           = 3,
    seL4_VMFault_Length        = 4
} seL4_VMFault_Msg;

/*
 * Hardware debug API (CONFIG_HARDWARE_DEBUG_API; seL4's values for the
 * Cortex-A53 and A55, which both have 6 breakpoint and 4 watchpoint
 * register pairs). Breakpoint ids 0..5 are instruction breakpoints, 6..9
 * watchpoints; single-stepping needs no register on AArch64.
 */
#define seL4_NumHWBreakpoints           10
#define seL4_NumExclusiveBreakpoints    6
#define seL4_NumExclusiveWatchpoints    4
#ifdef CONFIG_HARDWARE_DEBUG_API
#define seL4_FirstBreakpoint            0
#define seL4_FirstWatchpoint            6
#define seL4_NumDualFunctionMonitors    0
#define seL4_FirstDualFunctionMonitor   (-1)

/* SetBreakpoint's `type`, and a debug exception's ExceptionReason. */
typedef enum {
    seL4_DataBreakpoint        = 0,
    seL4_InstructionBreakpoint = 1,
    seL4_SingleStep            = 2,
    seL4_SoftwareBreakRequest  = 3
} seL4_BreakpointType;

/* SetBreakpoint's `rw`. */
typedef enum {
    seL4_BreakOnRead         = 0,
    seL4_BreakOnWrite        = 1,
    seL4_BreakOnReadWrite    = 2,
    seL4_MaxBreakpointAccess = 3
} seL4_BreakpointAccess;

/* Debug exception: MR indices. Single steps and BRK send the first two;
   breakpoints and watchpoints all four. A reply to a single step may give
   in MR0 the number of instructions to the next stop (0: stop stepping). */
typedef enum {
    seL4_DebugException_FaultIP          = 0,
    seL4_DebugException_ExceptionReason  = 1,
    seL4_DebugException_TriggerAddress   = 2,
    seL4_DebugException_BreakpointNumber = 3,
    seL4_DebugException_Length           = 4
} seL4_DebugException_Msg;
#endif

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/*
 * VGIC maintenance fault: the list register the guest finished with (IDX;
 * -1 when no single one is named).
 */
typedef enum {
    seL4_VGICMaintenance_IDX    = 0,
    seL4_VGICMaintenance_Length = 1
} seL4_VGICMaintenance_Msg;

/* VPPI event: a per-CPU interrupt (the virtual timer) for the vCPU's VMM. */
typedef enum {
    seL4_VPPIEvent_IRQ    = 0,
    seL4_VPPIEvent_Length = 1
} seL4_VPPIEvent_Msg;

/* VCPU fault: the guest's trapped instruction (HVC, SMC, system register) by its ESR_EL2. */
typedef enum {
    seL4_VCPUFault_HSR    = 0,
    seL4_VCPUFault_Length = 1
} seL4_VCPUFault_Msg;

/* vCPU registers for ARM_VCPU_ReadRegs/WriteRegs, in libsel4's order. */
typedef enum {
    seL4_VCPUReg_SCTLR = 0,
    seL4_VCPUReg_CPACR,
    seL4_VCPURegSaveRange_start,
    seL4_VCPUReg_TTBR0 = seL4_VCPURegSaveRange_start,
    seL4_VCPUReg_TTBR1,
    seL4_VCPUReg_TCR,
    seL4_VCPUReg_MAIR,
    seL4_VCPUReg_AMAIR,
    seL4_VCPUReg_CIDR,
    seL4_VCPUReg_ACTLR,
    seL4_VCPUReg_AFSR0,
    seL4_VCPUReg_AFSR1,
    seL4_VCPUReg_ESR,
    seL4_VCPUReg_FAR,
    seL4_VCPUReg_PAR,
    seL4_VCPUReg_VBAR,
    seL4_VCPUReg_TPIDR_EL1,
    seL4_VCPUReg_VMPIDR_EL2,
    seL4_VCPUReg_SP_EL1,
    seL4_VCPUReg_ELR_EL1,
    seL4_VCPUReg_SPSR_EL1,
    seL4_VCPURegSaveRange_end = seL4_VCPUReg_SPSR_EL1,
    seL4_VCPUReg_CNTV_CTL,
    seL4_VCPUReg_CNTV_CVAL,
    seL4_VCPUReg_CNTVOFF,
    seL4_VCPUReg_CNTKCTL_EL1,
    seL4_VCPUReg_Num
} seL4_VCPUReg;
#endif

/* Timeout fault (MCS): MR indices. Data is the SchedContext's badge. */
typedef enum {
    seL4_Timeout_Data     = 0,
    seL4_Timeout_Consumed = 1,
    seL4_Timeout_Length   = 2
} seL4_Timeout_Msg;

/* Reply to a timeout fault: full register set, in this MR order. */
typedef enum {
    seL4_TimeoutReply_FaultIP  = 0,
    seL4_TimeoutReply_SP       = 1,
    seL4_TimeoutReply_SPSR_EL1 = 2,
    seL4_TimeoutReply_X0       = 3,
    seL4_TimeoutReply_X1       = 4,
    seL4_TimeoutReply_X2       = 5,
    seL4_TimeoutReply_X3       = 6,
    seL4_TimeoutReply_X4       = 7,
    seL4_TimeoutReply_X5       = 8,
    seL4_TimeoutReply_X6       = 9,
    seL4_TimeoutReply_X7       = 10,
    seL4_TimeoutReply_X8       = 11,
    seL4_TimeoutReply_X16      = 12,
    seL4_TimeoutReply_X17      = 13,
    seL4_TimeoutReply_X18      = 14,
    seL4_TimeoutReply_X29      = 15,
    seL4_TimeoutReply_X30      = 16,
    seL4_TimeoutReply_X9       = 17,
    seL4_TimeoutReply_X10      = 18,
    seL4_TimeoutReply_X11      = 19,
    seL4_TimeoutReply_X12      = 20,
    seL4_TimeoutReply_X13      = 21,
    seL4_TimeoutReply_X14      = 22,
    seL4_TimeoutReply_X15      = 23,
    seL4_TimeoutReply_X19      = 24,
    seL4_TimeoutReply_X20      = 25,
    seL4_TimeoutReply_X21      = 26,
    seL4_TimeoutReply_X22      = 27,
    seL4_TimeoutReply_X23      = 28,
    seL4_TimeoutReply_X24      = 29,
    seL4_TimeoutReply_X25      = 30,
    seL4_TimeoutReply_X26      = 31,
    seL4_TimeoutReply_X27      = 32,
    seL4_TimeoutReply_X28      = 33,
    seL4_TimeoutReply_Length   = 34
} seL4_TimeoutReply_Msg;

/* Mapping attributes for seL4_ARM_Page_Map / seL4_ARM_PageTable_Map. */
typedef enum {
    seL4_ARM_PageCacheable        = 0x01,
    seL4_ARM_ParityEnabled        = 0x02,
    seL4_ARM_Default_VMAttributes = 0x03, /* cacheable | parity */
    seL4_ARM_ExecuteNever         = 0x04
} seL4_ARM_VMAttributes;

typedef enum {
    seL4_ARM_CacheI  = 1,
    seL4_ARM_CacheD  = 2,
    seL4_ARM_CacheID = 3
} seL4_ARM_CacheType;

/* seL4_TCB_SetFlags flags. */
typedef enum {
    seL4_TCBFlag_NoFlag      = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    seL4_TCBFlag_MASK        = 0x1  /* every flag this kernel knows */
} seL4_TCBFlag;

/* seL4_SchedControl_ConfigureFlags flags. */
typedef enum {
    seL4_SchedContext_NoFlag   = 0x0,
    seL4_SchedContext_Sporadic = 0x1
} seL4_SchedContextFlag;

#endif /* !__ASSEMBLER__ */

/*
 * seL4_IRQControl_GetTrigger trigger argument. libsel4 has no names for
 * these (its manual says "edge (1) or level (0)"); these names are ours.
 */
#define SEL4_ARM_IRQ_TRIGGER_LEVEL 0
#define SEL4_ARM_IRQ_TRIGGER_EDGE  1

#ifndef __ASSEMBLER__
/* Extra refills a SchedContext of 2^size bytes can hold beyond the core two. */
LIBSEL4_INLINE_FUNC seL4_Word seL4_MaxExtraRefills(seL4_Word size)
{
    return (LIBSEL4_BIT(size) - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes;
}
#endif

#endif /* SEL4_UAPI_CONSTANTS_H */
