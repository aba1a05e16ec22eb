/*
 * sel4/invocation.h - invocation labels (the label field of the message
 * info word when invoking a kernel object), MCS AArch64 numbering, with
 * SMP and SMMU off. Pure.
 *
 * libsel4 generates three enums; their values chain: the AArch64 labels
 * start at nInvocationLabels and the Arm labels at
 * nSeL4ArchInvocationLabels. docs/invocations.md gives the message format
 * of each one.
 *
 * CONFIG_HARDWARE_DEBUG_API inserts seL4's four debug labels after
 * TCBUnbindNotification (16..19), moving every later label by four, exactly
 * as libsel4 numbers them in that configuration. Build user code with the
 * kernel's autoconf.h included (as the build does) so the two agree.
 *
 * CONFIG_ARM_HYPERVISOR_SUPPORT inserts seL4's five VCPU labels after
 * ARMASIDPoolAssign (55..59 with the debug API off), moving the IRQ labels
 * after them by five, exactly as libsel4 numbers them in that configuration.
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
#ifdef CONFIG_HARDWARE_DEBUG_API
    TCBSetBreakpoint,
    TCBGetBreakpoint,
    TCBUnsetBreakpoint,
    TCBConfigureSingleStepping,
#endif
    TCBSetTLSBase,
    TCBSetFlags,
    CNodeRevoke,
    CNodeDelete,
    CNodeCancelBadgedSends,
    CNodeCopy,
    CNodeMint,
    CNodeMove,
    CNodeMutate,
    CNodeRotate,
    IRQIssueIRQHandler,
    IRQAckIRQ,
    IRQSetIRQHandler,
    IRQClearIRQHandler,
    DomainSetSet,
    DomainScheduleConfigure,
    DomainScheduleSetStart,
    SchedControlConfigureFlags,
    SchedContextBind,
    SchedContextUnbind,
    SchedContextUnbindObject,
    SchedContextConsumed,
    SchedContextYieldTo,
    nInvocationLabels
};

enum sel4_arch_invocation_label {
    ARMVSpaceClean_Data = nInvocationLabels,
    ARMVSpaceInvalidate_Data,
    ARMVSpaceCleanInvalidate_Data,
    ARMVSpaceUnify_Instruction,
    ARMSMCCall,
    nSeL4ArchInvocationLabels
};

enum arch_invocation_label {
    ARMPageTableMap = nSeL4ArchInvocationLabels,
    ARMPageTableUnmap,
    ARMPageMap,
    ARMPageUnmap,
    ARMPageClean_Data,
    ARMPageInvalidate_Data,
    ARMPageCleanInvalidate_Data,
    ARMPageUnify_Instruction,
    ARMPageGetAddress,
    ARMASIDControlMakePool,
    ARMASIDPoolAssign,
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
