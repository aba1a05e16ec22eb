/*
 * sel4/invocation.h - invocation labels (the label field of the message
 * info word when invoking a kernel object), MCS AArch64 numbering, with
 * the hardware debug API, SMP and SMMU off. Pure.
 *
 * libsel4 generates three enums; their values chain: the AArch64 labels
 * start at nInvocationLabels and the Arm labels at
 * nSeL4ArchInvocationLabels. docs/invocations.md gives the message format
 * of each one.
 *
 * CONFIG_ARM_HYPERVISOR_SUPPORT inserts seL4's five VCPU labels after
 * ARMASIDPoolAssign (55..59), moving the IRQ labels after them to 60/61,
 * exactly as libsel4 numbers them in that configuration.
 */
#ifndef SEL4_UAPI_INVOCATION_H
#define SEL4_UAPI_INVOCATION_H

#ifndef __ASSEMBLER__

enum invocation_label {
    InvalidInvocation            = 0,
    UntypedRetype                = 1,
    TCBReadRegisters             = 2,
    TCBWriteRegisters            = 3,
    TCBCopyRegisters             = 4,
    TCBConfigure                 = 5,
    TCBSetPriority               = 6,
    TCBSetMCPriority             = 7,
    TCBSetSchedParams            = 8,
    TCBSetTimeoutEndpoint        = 9,
    TCBSetIPCBuffer              = 10,
    TCBSetSpace                  = 11,
    TCBSuspend                   = 12,
    TCBResume                    = 13,
    TCBBindNotification          = 14,
    TCBUnbindNotification        = 15,
    TCBSetTLSBase                = 16,
    TCBSetFlags                  = 17,
    CNodeRevoke                  = 18,
    CNodeDelete                  = 19,
    CNodeCancelBadgedSends       = 20,
    CNodeCopy                    = 21,
    CNodeMint                    = 22,
    CNodeMove                    = 23,
    CNodeMutate                  = 24,
    CNodeRotate                  = 25,
    IRQIssueIRQHandler           = 26,
    IRQAckIRQ                    = 27,
    IRQSetIRQHandler             = 28,
    IRQClearIRQHandler           = 29,
    DomainSetSet                 = 30,
    DomainScheduleConfigure      = 31,
    DomainScheduleSetStart       = 32,
    SchedControlConfigureFlags   = 33,
    SchedContextBind             = 34,
    SchedContextUnbind           = 35,
    SchedContextUnbindObject     = 36,
    SchedContextConsumed         = 37,
    SchedContextYieldTo          = 38,
    nInvocationLabels            = 39
};

enum sel4_arch_invocation_label {
    ARMVSpaceClean_Data           = 39,
    ARMVSpaceInvalidate_Data      = 40,
    ARMVSpaceCleanInvalidate_Data = 41,
    ARMVSpaceUnify_Instruction    = 42,
    ARMSMCCall                    = 43,
    nSeL4ArchInvocationLabels     = 44
};

enum arch_invocation_label {
    ARMPageTableMap               = 44,
    ARMPageTableUnmap             = 45,
    ARMPageMap                    = 46,
    ARMPageUnmap                  = 47,
    ARMPageClean_Data             = 48,
    ARMPageInvalidate_Data        = 49,
    ARMPageCleanInvalidate_Data   = 50,
    ARMPageUnify_Instruction      = 51,
    ARMPageGetAddress             = 52,
    ARMASIDControlMakePool        = 53,
    ARMASIDPoolAssign             = 54,
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    ARMVCPUSetTCB,
    ARMVCPUInjectIRQ,
    ARMVCPUReadReg,
    ARMVCPUWriteReg,
    ARMVCPUAckVPPI,
#endif
    ARMIRQIssueIRQHandlerTrigger,
#if CONFIG_MAX_NUM_NODES > 1
    ARMIRQIssueIRQHandlerTriggerCore,   /* in place of SGI signals with several cores */
#else
    ARMIRQIssueSGISignal,
#endif
    nArchInvocationLabels
};

#endif /* !__ASSEMBLER__ */

#endif /* SEL4_UAPI_INVOCATION_H */
