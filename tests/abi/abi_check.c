/*
 * ABI check: pins every number, size and offset of the seL4 AArch64 MCS
 * ABI (shared/reference/sel4-abi.md) that <sel4/abi.h> defines.
 *
 * Two kinds of check:
 *  - _Static_assert for everything that is a constant expression;
 *  - CHECK() for results of the inline bit-field helpers. Built with
 *    -DABI_CHECK_RUN it is a runtime test (main() counts failures); built
 *    without it, at -O1 or higher, each CHECK must fold to a constant and
 *    a failing one leaves a call to a function declared with
 *    __attribute__((error)), which stops the compile.
 *
 * Only <sel4/abi.h> is included: the pure header must stand alone, on the
 * target and on the host.
 */
#include <sel4/abi.h>
#include <stddef.h>

#define SA(expr) _Static_assert(expr, #expr)
#define OFF(type, field, off) SA(offsetof(type, field) == (off))

/* ---- Basic types ---------------------------------------------------------- */
SA(sizeof(seL4_Word) == 8);
SA(sizeof(seL4_CPtr) == 8);
SA(sizeof(seL4_Uint8) == 1);
SA(sizeof(seL4_Uint16) == 2);
SA(sizeof(seL4_Uint32) == 4);
SA(sizeof(seL4_Uint64) == 8);
SA(sizeof(seL4_Int8) == 1);
SA(sizeof(seL4_Int64) == 8);
SA(sizeof(seL4_Bool) == 1);
SA(sizeof(seL4_Time) == 8);
SA((seL4_Word)-1 > 0);
SA(seL4_WordBits == 64);
SA(seL4_WordSizeBits == 3);

/* ---- Syscall numbers (MCS) ------------------------------------------------ */
SA(seL4_SysCall == -1);
SA(seL4_SysReplyRecv == -2);
SA(seL4_SysNBSendRecv == -3);
SA(seL4_SysNBSendWait == -4);
SA(seL4_SysSend == -5);
SA(seL4_SysNBSend == -6);
SA(seL4_SysRecv == -7);
SA(seL4_SysNBRecv == -8);
SA(seL4_SysWait == -9);
SA(seL4_SysNBWait == -10);
SA(seL4_SysYield == -11);
SA(seL4_SysDebugPutChar == -12);
SA(seL4_SysDebugDumpScheduler == -13);
SA(seL4_SysDebugHalt == -14);
SA(seL4_SysDebugCapIdentify == -15);
SA(seL4_SysDebugSnapshot == -16);
SA(seL4_SysDebugNameThread == -17);

/* ---- Invocation labels (MCS column) --------------------------------------- */
SA(InvalidInvocation == 0);
SA(UntypedRetype == 1);
SA(TCBReadRegisters == 2);
SA(TCBWriteRegisters == 3);
SA(TCBCopyRegisters == 4);
SA(TCBConfigure == 5);
SA(TCBSetPriority == 6);
SA(TCBSetMCPriority == 7);
SA(TCBSetSchedParams == 8);
SA(TCBSetTimeoutEndpoint == 9);
SA(TCBSetIPCBuffer == 10);
SA(TCBSetSpace == 11);
SA(TCBSuspend == 12);
SA(TCBResume == 13);
SA(TCBBindNotification == 14);
SA(TCBUnbindNotification == 15);
/* With CONFIG_HARDWARE_DEBUG_API, seL4 inserts four TCB labels after
   TCBUnbindNotification and every later label moves by four. */
#ifdef CONFIG_HARDWARE_DEBUG_API
#define DBG 4
SA(TCBSetBreakpoint == 16);
SA(TCBGetBreakpoint == 17);
SA(TCBUnsetBreakpoint == 18);
SA(TCBConfigureSingleStepping == 19);
SA(seL4_Fault_DebugException == 4);
SA(seL4_DebugException_FaultIP == 0);
SA(seL4_DebugException_ExceptionReason == 1);
SA(seL4_DebugException_TriggerAddress == 2);
SA(seL4_DebugException_BreakpointNumber == 3);
SA(seL4_DebugException_Length == 4);
SA(seL4_DataBreakpoint == 0 && seL4_InstructionBreakpoint == 1 && seL4_SingleStep == 2 &&
   seL4_SoftwareBreakRequest == 3);
SA(seL4_BreakOnRead == 0 && seL4_BreakOnWrite == 1 && seL4_BreakOnReadWrite == 2 &&
   seL4_MaxBreakpointAccess == 3);
SA(seL4_FirstBreakpoint == 0 && seL4_FirstWatchpoint == 6);
SA(seL4_NumDualFunctionMonitors == 0 && seL4_FirstDualFunctionMonitor == -1);
#else
#define DBG 0
#endif
SA(seL4_NumHWBreakpoints == 10);
SA(seL4_NumExclusiveBreakpoints == 6);
SA(seL4_NumExclusiveWatchpoints == 4);
SA(TCBSetTLSBase == 16 + DBG);
SA(TCBSetFlags == 17 + DBG);
SA(CNodeRevoke == 18 + DBG);
SA(CNodeDelete == 19 + DBG);
SA(CNodeCancelBadgedSends == 20 + DBG);
SA(CNodeCopy == 21 + DBG);
SA(CNodeMint == 22 + DBG);
SA(CNodeMove == 23 + DBG);
SA(CNodeMutate == 24 + DBG);
SA(CNodeRotate == 25 + DBG);
SA(IRQIssueIRQHandler == 26 + DBG);
SA(IRQAckIRQ == 27 + DBG);
SA(IRQSetIRQHandler == 28 + DBG);
SA(IRQClearIRQHandler == 29 + DBG);
SA(DomainSetSet == 30 + DBG);
SA(DomainScheduleConfigure == 31 + DBG);
SA(DomainScheduleSetStart == 32 + DBG);
SA(SchedControlConfigureFlags == 33 + DBG);
SA(SchedContextBind == 34 + DBG);
SA(SchedContextUnbind == 35 + DBG);
SA(SchedContextUnbindObject == 36 + DBG);
SA(SchedContextConsumed == 37 + DBG);
SA(SchedContextYieldTo == 38 + DBG);
SA(nInvocationLabels == 39 + DBG);
SA(ARMVSpaceClean_Data == 39 + DBG);
SA(ARMVSpaceInvalidate_Data == 40 + DBG);
SA(ARMVSpaceCleanInvalidate_Data == 41 + DBG);
SA(ARMVSpaceUnify_Instruction == 42 + DBG);
SA(ARMSMCCall == 43 + DBG);
SA(nSeL4ArchInvocationLabels == 44 + DBG);
SA(ARMPageTableMap == 44 + DBG);
SA(ARMPageTableUnmap == 45 + DBG);
SA(ARMPageMap == 46 + DBG);
SA(ARMPageUnmap == 47 + DBG);
SA(ARMPageClean_Data == 48 + DBG);
SA(ARMPageInvalidate_Data == 49 + DBG);
SA(ARMPageCleanInvalidate_Data == 50 + DBG);
SA(ARMPageUnify_Instruction == 51 + DBG);
SA(ARMPageGetAddress == 52 + DBG);
SA(ARMASIDControlMakePool == 53 + DBG);
SA(ARMASIDPoolAssign == 54 + DBG);
SA(ARMIRQIssueIRQHandlerTrigger == 55 + DBG);
SA(ARMIRQIssueSGISignal == 56 + DBG);
SA(nArchInvocationLabels == 57 + DBG);

/* ---- Object types --------------------------------------------------------- */
SA(seL4_UntypedObject == 0);
SA(seL4_TCBObject == 1);
SA(seL4_EndpointObject == 2);
SA(seL4_NotificationObject == 3);
SA(seL4_CapTableObject == 4);
SA(seL4_SchedContextObject == 5);
SA(seL4_ReplyObject == 6);
SA(seL4_NonArchObjectTypeCount == 7);
SA(seL4_ARM_HugePageObject == 7);
SA(seL4_ARM_VSpaceObject == 8);
SA(seL4_ModeObjectTypeCount == 9);
SA(seL4_ARM_SmallPageObject == 9);
SA(seL4_ARM_LargePageObject == 10);
SA(seL4_ARM_PageTableObject == 11);
SA(seL4_ObjectTypeCount == 12);

/* ---- Sizes and limits ----------------------------------------------------- */
SA(seL4_TCBBits == 11);
SA(seL4_EndpointBits == 4);
SA(seL4_NotificationBits == 6);
SA(seL4_ReplyBits == 5);
SA(seL4_MinSchedContextBits == 7);
SA(seL4_CoreSchedContextBytes == 128);
SA(seL4_CoreSchedContextBytes <= (1 << seL4_MinSchedContextBits));
SA(seL4_CoreSchedContextBytes > (1 << (seL4_MinSchedContextBits - 1)));
SA(seL4_RefillSizeBytes == 16);
SA(seL4_SlotBits == 5);
SA(seL4_PageBits == 12);
SA(seL4_LargePageBits == 21);
SA(seL4_HugePageBits == 30);
SA(seL4_PageTableBits == 12);
SA(seL4_PageTableIndexBits == 9);
SA(seL4_PageTableEntryBits + seL4_PageTableIndexBits == seL4_PageTableBits);
SA(seL4_VSpaceBits == 12);
SA(seL4_VSpaceIndexBits == 9);
SA(seL4_VSpaceEntryBits + seL4_VSpaceIndexBits == seL4_VSpaceBits);
SA(seL4_ASIDPoolBits == 12);
SA(seL4_WordSizeBits + seL4_ASIDPoolIndexBits == seL4_ASIDPoolBits);
SA(seL4_MinUntypedBits == 4);
SA(seL4_MaxUntypedBits == 47);
SA(seL4_UserTop == 0x7fffffffffffUL);
SA(seL4_MsgMaxLength == 120);
SA(seL4_MsgMaxExtraCaps == 3);
SA(seL4_MsgMaxExtraCaps == (1 << seL4_MsgExtraCapBits) - 1);
SA(seL4_MsgLengthBits == 7);
SA(seL4_MsgExtraCapBits == 2);
SA(seL4_FastMessageRegisters == 4);
SA(seL4_IPCBufferSizeBits == 10);
SA(seL4_CapRightsBits == 4);
SA(seL4_MaxPrio == 255);
SA(seL4_MinPrio == 0);
SA(seL4_InvalidPrio == -1);
SA(seL4_BadgeBits == 64);
SA(seL4_GuardSizeBits == 6);
SA(seL4_GuardBits == 58);
SA(seL4_GuardBits + seL4_GuardSizeBits == 64);
SA(seL4_RadixBits == 6);

/* ---- Errors --------------------------------------------------------------- */
SA(seL4_NoError == 0);
SA(seL4_InvalidArgument == 1);
SA(seL4_InvalidCapability == 2);
SA(seL4_IllegalOperation == 3);
SA(seL4_RangeError == 4);
SA(seL4_AlignmentError == 5);
SA(seL4_FailedLookup == 6);
SA(seL4_TruncatedMessage == 7);
SA(seL4_DeleteFirst == 8);
SA(seL4_RevokeFirst == 9);
SA(seL4_NotEnoughMemory == 10);
SA(seL4_NumErrors == 11);

/* ---- Initial cap slots ---------------------------------------------------- */
SA(seL4_CapNull == 0);
SA(seL4_CapInitThreadTCB == 1);
SA(seL4_CapInitThreadCNode == 2);
SA(seL4_CapInitThreadVSpace == 3);
SA(seL4_CapIRQControl == 4);
SA(seL4_CapASIDControl == 5);
SA(seL4_CapInitThreadASIDPool == 6);
SA(seL4_CapIOPortControl == 7);
SA(seL4_CapIOSpace == 8);
SA(seL4_CapBootInfoFrame == 9);
SA(seL4_CapInitThreadIPCBuffer == 10);
SA(seL4_CapDomain == 11);
SA(seL4_CapSMMUSIDControl == 12);
SA(seL4_CapSMMUCBControl == 13);
SA(seL4_CapInitThreadSC == 14);
SA(seL4_CapSMC == 15);
SA(seL4_NumInitialCaps == 16);

/* ---- Faults --------------------------------------------------------------- */
SA(seL4_Fault_NullFault == 0);
SA(seL4_Fault_CapFault == 1);
SA(seL4_Fault_UnknownSyscall == 2);
SA(seL4_Fault_UserException == 3);
SA(seL4_Fault_Timeout == 5);
SA(seL4_Fault_VMFault == 6);

SA(seL4_CapFault_IP == 0);
SA(seL4_CapFault_Addr == 1);
SA(seL4_CapFault_InRecvPhase == 2);
SA(seL4_CapFault_LookupFailureType == 3);
SA(seL4_CapFault_BitsLeft == 4);
SA(seL4_CapFault_DepthMismatch_BitsFound == 5);
SA(seL4_CapFault_GuardMismatch_GuardFound == 5);
SA(seL4_CapFault_GuardMismatch_BitsFound == 6);

SA(seL4_UnknownSyscall_X0 == 0);
SA(seL4_UnknownSyscall_X7 == 7);
SA(seL4_UnknownSyscall_FaultIP == 8);
SA(seL4_UnknownSyscall_SP == 9);
SA(seL4_UnknownSyscall_LR == 10);
SA(seL4_UnknownSyscall_SPSR == 11);
SA(seL4_UnknownSyscall_Syscall == 12);
SA(seL4_UnknownSyscall_Length == 13);

SA(seL4_UserException_FaultIP == 0);
SA(seL4_UserException_SP == 1);
SA(seL4_UserException_SPSR == 2);
SA(seL4_UserException_Number == 3);
SA(seL4_UserException_Code == 4);
SA(seL4_UserException_Length == 5);

SA(seL4_VMFault_IP == 0);
SA(seL4_VMFault_Addr == 1);
SA(seL4_VMFault_PrefetchFault == 2);
SA(seL4_VMFault_FSR == 3);
SA(seL4_VMFault_Length == 4);

SA(seL4_Timeout_Data == 0);
SA(seL4_Timeout_Consumed == 1);
SA(seL4_Timeout_Length == 2);

SA(seL4_TimeoutReply_FaultIP == 0);
SA(seL4_TimeoutReply_X0 == 3);
SA(seL4_TimeoutReply_X30 == 16);
SA(seL4_TimeoutReply_X9 == 17);
SA(seL4_TimeoutReply_X28 == 33);
SA(seL4_TimeoutReply_Length == 34);

SA(seL4_NoFailure == 0);
SA(seL4_InvalidRoot == 1);
SA(seL4_MissingCapability == 2);
SA(seL4_DepthMismatch == 3);
SA(seL4_GuardMismatch == 4);

/* ---- Attributes and flags ------------------------------------------------- */
SA(seL4_ARM_PageCacheable == 1);
SA(seL4_ARM_ParityEnabled == 2);
SA(seL4_ARM_Default_VMAttributes == 3);
SA(seL4_ARM_Default_VMAttributes == (seL4_ARM_PageCacheable | seL4_ARM_ParityEnabled));
SA(seL4_ARM_ExecuteNever == 4);
SA(seL4_TCBFlag_NoFlag == 0);
SA(seL4_TCBFlag_fpuDisabled == 1);
SA(seL4_SchedContext_NoFlag == 0);
SA(seL4_SchedContext_Sporadic == 1);
SA(SEL4_ARM_IRQ_TRIGGER_LEVEL == 0);
SA(SEL4_ARM_IRQ_TRIGGER_EDGE == 1);

/* ---- IPC buffer ----------------------------------------------------------- */
SA(sizeof(seL4_IPCBuffer) == 1024);
SA(sizeof(seL4_IPCBuffer) == (1u << seL4_IPCBufferSizeBits));
SA(_Alignof(seL4_IPCBuffer) == 1024);
OFF(seL4_IPCBuffer, tag, 0);
OFF(seL4_IPCBuffer, msg, 8);
OFF(seL4_IPCBuffer, userData, 968);
OFF(seL4_IPCBuffer, caps_or_badges, 976);
OFF(seL4_IPCBuffer, receiveCNode, 1000);
OFF(seL4_IPCBuffer, receiveIndex, 1008);
OFF(seL4_IPCBuffer, receiveDepth, 1016);
SA(sizeof(((seL4_IPCBuffer *)0)->msg) == 120 * 8);
SA(sizeof(((seL4_IPCBuffer *)0)->caps_or_badges) == 3 * 8);

/* ---- One-word types -------------------------------------------------------- */
SA(sizeof(seL4_MessageInfo_t) == 8);
SA(sizeof(seL4_CapRights_t) == 8);
SA(sizeof(seL4_CNode_CapData_t) == 8);

/* ---- BootInfo (MCS, 64-bit) ------------------------------------------------ */
SA(CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS == 230);
SA(sizeof(seL4_SlotRegion) == 16);
OFF(seL4_SlotRegion, start, 0);
OFF(seL4_SlotRegion, end, 8);
SA(sizeof(seL4_UntypedDesc) == 16);
OFF(seL4_UntypedDesc, paddr, 0);
OFF(seL4_UntypedDesc, sizeBits, 8);
OFF(seL4_UntypedDesc, isDevice, 9);
OFF(seL4_UntypedDesc, padding, 10);
SA(sizeof(((seL4_UntypedDesc *)0)->padding) == 6);
SA(sizeof(seL4_BootInfo) == 3864);
OFF(seL4_BootInfo, extraLen, 0);
OFF(seL4_BootInfo, nodeID, 8);
OFF(seL4_BootInfo, numNodes, 16);
OFF(seL4_BootInfo, numIOPTLevels, 24);
OFF(seL4_BootInfo, ipcBuffer, 32);
OFF(seL4_BootInfo, empty, 40);
OFF(seL4_BootInfo, sharedFrames, 56);
OFF(seL4_BootInfo, userImageFrames, 72);
OFF(seL4_BootInfo, userImagePaging, 88);
OFF(seL4_BootInfo, ioSpaceCaps, 104);
OFF(seL4_BootInfo, extraBIPages, 120);
OFF(seL4_BootInfo, initThreadCNodeSizeBits, 136);
OFF(seL4_BootInfo, initThreadDomain, 144);
OFF(seL4_BootInfo, schedcontrol, 152);
OFF(seL4_BootInfo, untyped, 168);
OFF(seL4_BootInfo, untypedList, 184);
SA(sizeof(((seL4_BootInfo *)0)->untypedList) == 230 * 16);
SA(sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize);
SA(seL4_BootInfoFrameSize == 4096);
SA(sizeof(seL4_BootInfoHeader) == 16);
OFF(seL4_BootInfoHeader, id, 0);
OFF(seL4_BootInfoHeader, len, 8);
SA(SEL4_BOOTINFO_HEADER_PADDING == 0);
SA(SEL4_BOOTINFO_HEADER_FDT == 6);

/* ---- Register context: 36 words in seL4's order --------------------------- */
SA(sizeof(seL4_UserContext) == 36 * 8);
#define UC(field, idx) OFF(seL4_UserContext, field, (idx) * 8)
UC(pc, 0); UC(sp, 1); UC(spsr, 2);
UC(x0, 3); UC(x1, 4); UC(x2, 5); UC(x3, 6); UC(x4, 7); UC(x5, 8); UC(x6, 9);
UC(x7, 10); UC(x8, 11); UC(x16, 12); UC(x17, 13); UC(x18, 14); UC(x29, 15);
UC(x30, 16); UC(x9, 17); UC(x10, 18); UC(x11, 19); UC(x12, 20); UC(x13, 21);
UC(x14, 22); UC(x15, 23); UC(x19, 24); UC(x20, 25); UC(x21, 26); UC(x22, 27);
UC(x23, 28); UC(x24, 29); UC(x25, 30); UC(x26, 31); UC(x27, 32); UC(x28, 33);
UC(tpidr_el0, 34); UC(tpidrro_el0, 35);

SA(sizeof(seL4_ARM_SMCContext) == 8 * 8);
OFF(seL4_ARM_SMCContext, x0, 0);
OFF(seL4_ARM_SMCContext, x7, 56);

/* ---- Bit layouts via the inline helpers ------------------------------------ */
#ifdef ABI_CHECK_RUN
static int failures;
static int checks;
#define CHECK(expr)                                                       \
    do {                                                                  \
        checks++;                                                         \
        if (!(expr)) {                                                    \
            failures++;                                                   \
            __builtin_printf("abi_check: FAILED %s (line %d)\n", #expr,   \
                             __LINE__);                                   \
        }                                                                 \
    } while (0)
#else
extern void abi_check_bit_layout_failed(void)
    __attribute__((error("a bit-layout CHECK in abi_check.c failed (or did not fold; build with -O1+)")));
#define CHECK(expr)                                                       \
    do {                                                                  \
        if (!(expr)) {                                                    \
            abi_check_bit_layout_failed();                                \
        }                                                                 \
    } while (0)
#endif

void abi_check_bit_layouts(void);
void abi_check_bit_layouts(void)
{
    /* message info: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 */
    CHECK(seL4_MessageInfo_new(1, 0, 0, 0).words[0] == (1ul << 12));
    CHECK(seL4_MessageInfo_new(0xfffffffffffffUL, 0, 0, 0).words[0] == 0xfffffffffffff000UL);
    CHECK(seL4_MessageInfo_new(0, 1, 0, 0).words[0] == (1ul << 9));
    CHECK(seL4_MessageInfo_new(0, 7, 0, 0).words[0] == 0xe00ul);
    CHECK(seL4_MessageInfo_new(0, 0, 1, 0).words[0] == (1ul << 7));
    CHECK(seL4_MessageInfo_new(0, 0, 3, 0).words[0] == 0x180ul);
    CHECK(seL4_MessageInfo_new(0, 0, 0, 1).words[0] == 1ul);
    CHECK(seL4_MessageInfo_new(0, 0, 0, 0x7f).words[0] == 0x7ful);
    CHECK(seL4_MessageInfo_new(0, 0, 0, 0x80).words[0] == 0);        /* masked to 7 bits */
    CHECK(seL4_MessageInfo_new(CNodeMint, 0, 1, 6).words[0] == (((22ul + DBG) << 12) | (1ul << 7) | 6));
    {
        seL4_MessageInfo_t m = seL4_MessageInfo_new(0xabcde, 5, 2, 100);
        CHECK(seL4_MessageInfo_get_label(m) == 0xabcde);
        CHECK(seL4_MessageInfo_get_capsUnwrapped(m) == 5);
        CHECK(seL4_MessageInfo_get_extraCaps(m) == 2);
        CHECK(seL4_MessageInfo_get_length(m) == 100);
        m = seL4_MessageInfo_set_length(m, 3);
        CHECK(m.words[0] == ((0xabcdeul << 12) | (5ul << 9) | (2ul << 7) | 3));
        m = seL4_MessageInfo_set_label(m, 7);
        CHECK(seL4_MessageInfo_get_label(m) == 7 && seL4_MessageInfo_get_length(m) == 3);
        seL4_MessageInfo_ptr_set_extraCaps(&m, 1);
        CHECK(seL4_MessageInfo_ptr_get_extraCaps(&m) == 1);
        m = seL4_MessageInfo_set_capsUnwrapped(m, 0);
        CHECK(m.words[0] == ((7ul << 12) | (1ul << 7) | 3));
    }

    /* rights: bit0 Write, bit1 Read, bit2 Grant, bit3 GrantReply;
     * seL4_CapRights_new(grantReply, grant, read, write) */
    CHECK(seL4_CapRights_new(0, 0, 0, 1).words[0] == 0x1);
    CHECK(seL4_CapRights_new(0, 0, 1, 0).words[0] == 0x2);
    CHECK(seL4_CapRights_new(0, 1, 0, 0).words[0] == 0x4);
    CHECK(seL4_CapRights_new(1, 0, 0, 0).words[0] == 0x8);
    CHECK(seL4_AllRights.words[0] == 0xf);
    CHECK(seL4_ReadWrite.words[0] == 0x3);
    CHECK(seL4_CanRead.words[0] == 0x2);
    CHECK(seL4_CanWrite.words[0] == 0x1);
    CHECK(seL4_CanGrant.words[0] == 0x4);
    CHECK(seL4_CanGrantReply.words[0] == 0x8);
    CHECK(seL4_NoWrite.words[0] == 0xe);
    CHECK(seL4_NoRead.words[0] == 0xd);
    CHECK(seL4_NoRights.words[0] == 0);
    CHECK(seL4_CapRights_get_capAllowRead(seL4_CanRead) == 1);
    CHECK(seL4_CapRights_get_capAllowWrite(seL4_CanRead) == 0);
    CHECK(seL4_CapRights_get_capAllowGrant(seL4_CanGrant) == 1);
    CHECK(seL4_CapRights_get_capAllowGrantReply(seL4_CanGrantReply) == 1);

    /* CNode cap data: guard 63..6, guardSize 5..0 */
    CHECK(seL4_CNode_CapData_new(0, 51).words[0] == 51);
    CHECK(seL4_CNode_CapData_new(1, 0).words[0] == (1ul << 6));
    CHECK(seL4_CNode_CapData_new(0x3ffffffffffffffUL, 63).words[0] == ~0ul);
    CHECK(seL4_CNode_CapData_get_guard(seL4_CNode_CapData_new(0x55, 8)) == 0x55);
    CHECK(seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_new(0x55, 8)) == 8);

    /* refills */
    CHECK(seL4_MaxExtraRefills(seL4_MinSchedContextBits) == 0);
    CHECK(seL4_MaxExtraRefills(8) == 8);
    CHECK(seL4_MaxExtraRefills(10) == 56);
}

#ifdef ABI_CHECK_RUN
int main(void)
{
    abi_check_bit_layouts();
    __builtin_printf("abi_check: %d runtime checks, %d failed\n", checks, failures);
    return failures != 0;
}
#endif
