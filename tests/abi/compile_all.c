/*
 * Compile test: includes <sel4/sel4.h> and calls every inline function it
 * provides, so that each one is instantiated and type-checked for the
 * target (tests/abi/run.sh builds it for AArch64 at -O0 and -O2, C11 and
 * GNU11). Never run: the traps would need a kernel.
 */
#include <sel4/sel4.h>

void compile_all_syscalls(seL4_CPtr cap, seL4_Word *w);
void compile_all_invocations(seL4_CPtr cap, seL4_Word *w);
void compile_all_helpers(seL4_CPtr cap, seL4_Word *w);

void compile_all_syscalls(seL4_CPtr cap, seL4_Word *w)
{
    seL4_MessageInfo_t m = seL4_MessageInfo_new(1, 0, 0, 4);
    seL4_Word badge;

    seL4_Send(cap, m);
    seL4_SendWithMRs(cap, m, &w[0], &w[1], &w[2], &w[3]);
    seL4_NBSend(cap, m);
    seL4_NBSendWithMRs(cap, m, &w[0], seL4_Null, &w[2], seL4_Null);
    seL4_Signal(cap);
    m = seL4_Recv(cap, &badge, cap + 1);
    m = seL4_RecvWithMRs(cap, &badge, cap + 1, &w[0], &w[1], &w[2], &w[3]);
    m = seL4_NBRecv(cap, seL4_Null, cap + 1);
    m = seL4_Wait(cap, &badge);
    m = seL4_WaitWithMRs(cap, &badge, &w[0], &w[1], &w[2], &w[3]);
    m = seL4_NBWait(cap, &badge);
    m = seL4_Poll(cap, &badge);
    m = seL4_Call(cap, m);
    m = seL4_CallWithMRs(cap, m, &w[0], &w[1], &w[2], &w[3]);
    m = seL4_ReplyRecv(cap, m, &badge, cap + 1);
    m = seL4_ReplyRecvWithMRs(cap, m, &badge, &w[0], &w[1], &w[2], &w[3], cap + 1);
    m = seL4_NBSendRecv(cap + 2, m, cap, &badge, cap + 1);
    m = seL4_NBSendRecvWithMRs(cap + 2, m, cap, &badge, &w[0], &w[1], &w[2], &w[3], cap + 1);
    m = seL4_NBSendWait(cap + 2, m, cap, &badge);
    m = seL4_NBSendWaitWithMRs(cap + 2, m, cap, &badge, &w[0], &w[1], &w[2], &w[3]);
    seL4_Yield();
    seL4_DebugPutChar('x');
    seL4_DebugPutString("hello\n");
    seL4_DebugDumpScheduler();
    seL4_DebugSnapshot();
    w[4] = seL4_DebugCapIdentify(cap);
    seL4_DebugNameThread(cap, "thread");
    w[5] = m.words[0] + badge;
    seL4_DebugHalt();
}

void compile_all_invocations(seL4_CPtr cap, seL4_Word *w)
{
    seL4_UserContext uc = { 0 };
    seL4_ARM_SMCContext smc_in = { 0 }, smc_out = { 0 };
    seL4_Word e = 0;

    e |= seL4_Untyped_Retype(cap, seL4_EndpointObject, 0, cap, 0, 0, 16, 1);
    e |= seL4_TCB_ReadRegisters(cap, seL4_True, 0, 36, &uc);
    e |= seL4_TCB_WriteRegisters(cap, seL4_True, 0, 1, &uc);
    e |= seL4_TCB_CopyRegisters(cap, cap, seL4_False, seL4_True, seL4_True, seL4_False, 0);
    e |= seL4_TCB_Configure(cap, cap, 0, cap, 0, 0x1000, cap);
    e |= seL4_TCB_SetPriority(cap, cap, 100);
    e |= seL4_TCB_SetMCPriority(cap, cap, 100);
    e |= seL4_TCB_SetSchedParams(cap, cap, 255, 100, cap, cap);
    e |= seL4_TCB_SetTimeoutEndpoint(cap, cap);
    e |= seL4_TCB_SetIPCBuffer(cap, 0x1000, cap);
    e |= seL4_TCB_SetSpace(cap, cap, cap, 0, cap, 0);
    e |= seL4_TCB_Suspend(cap);
    e |= seL4_TCB_Resume(cap);
    e |= seL4_TCB_BindNotification(cap, cap);
    e |= seL4_TCB_UnbindNotification(cap);
#ifdef CONFIG_HARDWARE_DEBUG_API
    e |= seL4_TCB_SetBreakpoint(cap, 6, 0x2000, seL4_DataBreakpoint, 8, seL4_BreakOnWrite);
    {
        seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(cap, 6);
        e |= (seL4_Word)b.error + b.vaddr + b.type + b.size + b.rw + (seL4_Word)b.is_enabled;
        seL4_TCB_ConfigureSingleStepping_t s = seL4_TCB_ConfigureSingleStepping(cap, 0, 1);
        e |= (seL4_Word)s.error + (seL4_Word)s.bp_was_consumed;
    }
    e |= seL4_TCB_UnsetBreakpoint(cap, 6);
#endif
    e |= seL4_TCB_SetTLSBase(cap, 0x2000);
    {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(cap, 0, seL4_TCBFlag_fpuDisabled);
        e |= (seL4_Word)r.error + r.flags;
    }
    e |= seL4_CNode_Revoke(cap, 5, 64);
    e |= seL4_CNode_Delete(cap, 5, 64);
    e |= seL4_CNode_CancelBadgedSends(cap, 5, 64);
    e |= seL4_CNode_Copy(cap, 5, 64, cap, 6, 64, seL4_AllRights);
    e |= seL4_CNode_Mint(cap, 5, 64, cap, 6, 64, seL4_CanRead, 0x99);
    e |= seL4_CNode_Move(cap, 5, 64, cap, 6, 64);
    e |= seL4_CNode_Mutate(cap, 5, 64, cap, 6, 64, seL4_CNode_CapData_new(0, 40).words[0]);
    e |= seL4_CNode_Rotate(cap, 5, 64, 1, cap, 6, 64, 2, cap, 7, 64);
    e |= seL4_IRQControl_Get(cap, 33, cap, 8, 64);
    e |= seL4_IRQControl_GetTrigger(cap, 33, SEL4_ARM_IRQ_TRIGGER_EDGE, cap, 8, 64);
    e |= seL4_IRQControl_IssueSGISignal(cap, 1, 0, cap, 8, 64);
    e |= seL4_IRQHandler_Ack(cap);
    e |= seL4_IRQHandler_SetNotification(cap, cap);
    e |= seL4_IRQHandler_Clear(cap);
    e |= seL4_DomainSet_Set(cap, 0, cap);
    e |= seL4_DomainSet_ScheduleConfigure(cap, 0, 0, 1000);
    e |= seL4_DomainSet_ScheduleSetStart(cap, 0);
    e |= seL4_SchedControl_ConfigureFlags(cap, cap, 1000, 2000, 0, 7, seL4_SchedContext_Sporadic);
    e |= seL4_SchedControl_Configure(cap, cap, 1000, 1000, 0, 7);
    e |= seL4_SchedContext_Bind(cap, cap);
    e |= seL4_SchedContext_Unbind(cap);
    e |= seL4_SchedContext_UnbindObject(cap, cap);
    {
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(cap);
        seL4_SchedContext_YieldTo_t y = seL4_SchedContext_YieldTo(cap);
        e |= (seL4_Word)c.error + c.consumed + (seL4_Word)y.error + y.consumed;
    }
    e |= seL4_ARM_VSpace_Clean_Data(cap, 0x1000, 0x2000);
    e |= seL4_ARM_VSpace_Invalidate_Data(cap, 0x1000, 0x2000);
    e |= seL4_ARM_VSpace_CleanInvalidate_Data(cap, 0x1000, 0x2000);
    e |= seL4_ARM_VSpace_Unify_Instruction(cap, 0x1000, 0x2000);
    e |= seL4_ARM_SMC_Call(cap, &smc_in, &smc_out);
    e |= seL4_ARM_PageTable_Map(cap, cap, 0x400000, seL4_ARM_Default_VMAttributes);
    e |= seL4_ARM_PageTable_Unmap(cap);
    e |= seL4_ARM_Page_Map(cap, cap, 0x400000, seL4_ReadWrite,
                           (seL4_ARM_VMAttributes)(seL4_ARM_PageCacheable | seL4_ARM_ExecuteNever));
    e |= seL4_ARM_Page_Unmap(cap);
    e |= seL4_ARM_Page_Clean_Data(cap, 0, 64);
    e |= seL4_ARM_Page_Invalidate_Data(cap, 0, 64);
    e |= seL4_ARM_Page_CleanInvalidate_Data(cap, 0, 64);
    e |= seL4_ARM_Page_Unify_Instruction(cap, 0, 64);
    {
        seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(cap);
        e |= (seL4_Word)a.error + a.paddr;
    }
    e |= seL4_ARM_ASIDControl_MakePool(cap, cap, cap, 9, 64);
    e |= seL4_ARM_ASIDPool_Assign(cap, cap);
    w[0] = e + uc.pc + smc_out.x0;
}

void compile_all_helpers(seL4_CPtr cap, seL4_Word *w)
{
    seL4_MessageInfo_t m = seL4_MessageInfo_new(1, 2, 3, 4);
    seL4_CapRights_t r = seL4_AllRights;
    seL4_CNode_CapData_t d = seL4_CNode_CapData_new(1, 2);
    seL4_CPtr cn, idx;
    seL4_Word depth;

    m = seL4_MessageInfo_set_label(m, 5);
    m = seL4_MessageInfo_set_capsUnwrapped(m, 1);
    m = seL4_MessageInfo_set_extraCaps(m, 1);
    m = seL4_MessageInfo_set_length(m, 1);
    seL4_MessageInfo_ptr_set_label(&m, 6);
    seL4_MessageInfo_ptr_set_length(&m, 2);
    w[0] = seL4_MessageInfo_get_label(m) + seL4_MessageInfo_get_capsUnwrapped(m) +
           seL4_MessageInfo_get_extraCaps(m) + seL4_MessageInfo_get_length(m) +
           seL4_MessageInfo_ptr_get_label(&m);
    r = seL4_CapRights_set_capAllowWrite(r, 0);
    w[1] = seL4_CapRights_get_capAllowGrantReply(r) + seL4_CapRights_get_capAllowGrant(r) +
           seL4_CapRights_get_capAllowRead(r) + seL4_CapRights_get_capAllowWrite(r);
    d = seL4_CNode_CapData_set_guard(d, 3);
    w[2] = seL4_CNode_CapData_get_guard(d) + seL4_CNode_CapData_get_guardSize(d);
    w[3] = seL4_MaxExtraRefills(10);

    seL4_SetIPCBuffer(seL4_GetIPCBuffer());
    seL4_SetMR(5, seL4_GetMR(4));
    seL4_SetUserData(seL4_GetUserData() + 1);
    seL4_SetCap(0, cap);
    w[4] = seL4_GetCap(0) + seL4_GetBadge(1);
    seL4_SetCapReceivePath(cap, 17, seL4_WordBits);
    seL4_GetCapReceivePath(&cn, &idx, &depth);
    seL4_GetCapReceivePath(seL4_Null, seL4_Null, seL4_Null);
    w[5] = cn + idx + depth;

    seL4_InitBootInfo(seL4_GetBootInfo());
    w[6] = seL4_GetBootInfo()->untypedList[0].sizeBits;
}
