/*
 * Marshalling test (host). Built with -DSEL4_UAPI_TRAP_HOOK, every trap in
 * <sel4/sel4.h> calls sel4_uapi_trap_hook() below instead of `svc #0`.
 * The hook records x0..x8 and the IPC buffer as the kernel would see them,
 * then plays a scripted kernel reply. Each case compares the recorded
 * message against the layout written out independently here from seL4's
 * interface definitions, the same one docs/invocations.md documents:
 * syscall number, invoked cap, label, extra-cap count, length, every MR,
 * every extra cap; and checks how results and errors come back.
 *
 * Prints one line per failure and ends with "N passed, N failed".
 */
#include <sel4/sel4.h>

#include <stdio.h>
#include <string.h>

static seL4_IPCBuffer ipcbuf;
seL4_IPCBuffer *__sel4_ipc_buffer = &ipcbuf;

/* ---- The fake kernel ------------------------------------------------------ */

static struct {
    int count;                     /* traps since reset */
    seL4_Word x[9];                /* x0..x8 at the trap */
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word caps[seL4_MsgMaxExtraCaps];
} trap;

static struct {
    int set;                       /* 0: leave the registers unchanged */
                                   /* (default after reset(): 1, an empty reply) */
    seL4_Word badge;
    seL4_Word label, len;
    seL4_Word mr[seL4_MsgMaxLength];
} reply;

void sel4_uapi_trap_hook(seL4_Word regs[9])
{
    trap.count++;
    memcpy(trap.x, regs, sizeof(trap.x));
    memcpy(trap.msg, ipcbuf.msg, sizeof(trap.msg));
    memcpy(trap.caps, ipcbuf.caps_or_badges, sizeof(trap.caps));
    /* Anything the sender left in msg[0..3] must not be what the receiver
     * reads: scribble over it so register/buffer mix-ups show. */
    for (int i = 0; i < 4; i++) {
        ipcbuf.msg[i] = 0xdead0000 + (seL4_Word)i;
    }
    if (reply.set) {
        regs[0] = reply.badge;
        regs[1] = seL4_MessageInfo_new(reply.label, 0, 0, reply.len).words[0];
        for (int i = 0; i < 4; i++) {
            regs[2 + i] = reply.mr[i];
        }
        for (seL4_Word i = 4; i < reply.len; i++) {
            ipcbuf.msg[i] = reply.mr[i];
        }
    }
}

static void reset(void)
{
    memset(&trap, 0, sizeof(trap));
    memset(&reply, 0, sizeof(reply));
    memset(&ipcbuf, 0, sizeof(ipcbuf));
    reply.set = 1; /* default kernel answer: label 0, empty message, badge 0 */
}

/* Scripted successful reply: label 0, MRs from the list. */
static void reply_ok(seL4_Word len, const seL4_Word *mr)
{
    reply.set = 1;
    reply.label = seL4_NoError;
    reply.len = len;
    for (seL4_Word i = 0; i < len; i++) {
        reply.mr[i] = mr[i];
    }
}

static void reply_error(seL4_Word err, seL4_Word mr0, seL4_Word mr1)
{
    reply.set = 1;
    reply.label = err;
    reply.len = 2;
    reply.mr[0] = mr0;
    reply.mr[1] = mr1;
}

/* ---- Checking ------------------------------------------------------------- */

static int passed, failed;

static void check(int ok, int line, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}
#define CHECK(expr) check((expr) != 0, __LINE__, #expr)

/* MR i as the kernel sees it: x2..x5 for i < 4, the IPC buffer above. */
static seL4_Word sent_mr(seL4_Word i)
{
    return i < 4 ? trap.x[2 + i] : trap.msg[i];
}

/*
 * One seL4_Call of `service` carrying (label, ncaps, len, mrs, caps).
 * mrs / caps may be NULL when len / ncaps is 0.
 */
static void expect_invocation(int line, seL4_Word service, seL4_Word label, seL4_Word ncaps,
                              seL4_Word len, const seL4_Word *mrs, const seL4_Word *caps)
{
    char what[96];
    check(trap.count == 1, line, "exactly one trap");
    check(trap.x[7] == (seL4_Word)seL4_SysCall, line, "x7 = seL4_SysCall");
    check(trap.x[0] == service, line, "x0 = invoked cap");
    check(trap.x[1] == ((label << 12) | (ncaps << 7) | len), line,
          "x1 = (label << 12) | (extraCaps << 7) | length, capsUnwrapped 0");
    for (seL4_Word i = 0; i < len; i++) {
        snprintf(what, sizeof(what), "MR%lu = %#lx (got %#lx)", i, mrs[i], sent_mr(i));
        check(sent_mr(i) == mrs[i], line, what);
    }
    for (seL4_Word i = 0; i < ncaps; i++) {
        snprintf(what, sizeof(what), "extra cap %lu = %#lx (got %#lx)", i, caps[i], trap.caps[i]);
        check(trap.caps[i] == caps[i], line, what);
    }
}

#define W(...) ((const seL4_Word[]){ __VA_ARGS__ })
#define EXPECT(svc, label, ncaps, len, mrs, caps) \
    expect_invocation(__LINE__, svc, label, ncaps, len, mrs, caps)

/* ---- Invocations ----------------------------------------------------------- */

static void test_untyped_tcb(void)
{
    seL4_UserContext uc;
    seL4_Word *ucw = (seL4_Word *)(void *)&uc;

    reset();
    CHECK(seL4_Untyped_Retype(0x11, seL4_ARM_SmallPageObject, 12, 0x22, 0x33, 0x44, 0x55, 0x66)
          == seL4_NoError);
    EXPECT(0x11, UntypedRetype, 1, 6, W(9, 12, 0x33, 0x44, 0x55, 0x66), W(0x22));

    /* ReadRegisters: Bool in bit 0, arch_flags in bits 15..8 of MR0. */
    reset();
    {
        seL4_Word regs[36];
        for (int i = 0; i < 36; i++) {
            regs[i] = 0x1000 + (seL4_Word)i;
        }
        reply_ok(36, regs);
        memset(&uc, 0xff, sizeof(uc));
        CHECK(seL4_TCB_ReadRegisters(0x11, seL4_True, 0xa5, 36, &uc) == seL4_NoError);
        EXPECT(0x11, TCBReadRegisters, 0, 2, W(0xa501, 36), NULL);
        CHECK(uc.pc == 0x1000 && uc.sp == 0x1001 && uc.spsr == 0x1002 && uc.x0 == 0x1003);
        CHECK(uc.x8 == 0x100b && uc.x16 == 0x100c && uc.x30 == 0x1010 && uc.x9 == 0x1011);
        CHECK(uc.x28 == 0x1021 && uc.tpidr_el0 == 0x1022 && uc.tpidrro_el0 == 0x1023);
    }
    reset();
    {
        seL4_Word regs[3] = { 7, 8, 9 };
        reply_ok(3, regs);
        memset(&uc, 0, sizeof(uc));
        CHECK(seL4_TCB_ReadRegisters(0x11, seL4_False, 0, 3, &uc) == seL4_NoError);
        EXPECT(0x11, TCBReadRegisters, 0, 2, W(0, 3), NULL);
        CHECK(uc.pc == 7 && uc.sp == 8 && uc.spsr == 9 && uc.x0 == 0); /* only count words */
    }

    /* WriteRegisters: MR0 flags, MR1 count, MR2.. the whole context (length 38). */
    reset();
    for (int i = 0; i < 36; i++) {
        ucw[i] = 0x2000 + (seL4_Word)i;
    }
    CHECK(seL4_TCB_WriteRegisters(0x12, seL4_True, 0x3c, 1, &uc) == seL4_NoError);
    {
        seL4_Word mrs[38];
        mrs[0] = 0x3c01;
        mrs[1] = 1;
        for (int i = 0; i < 36; i++) {
            mrs[2 + i] = 0x2000 + (seL4_Word)i;
        }
        EXPECT(0x12, TCBWriteRegisters, 0, 38, mrs, NULL);
    }

    /* CopyRegisters: suspend bit0, resume bit1, frame bit2, integer bit3, arch_flags 15..8. */
    reset();
    CHECK(seL4_TCB_CopyRegisters(0x13, 0x14, seL4_True, seL4_False, seL4_True, seL4_True, 0x7)
          == seL4_NoError);
    EXPECT(0x13, TCBCopyRegisters, 1, 1, W(0x70d), W(0x14));
    reset();
    CHECK(seL4_TCB_CopyRegisters(0x13, 0x14, seL4_False, seL4_True, seL4_False, seL4_False, 0)
          == seL4_NoError);
    EXPECT(0x13, TCBCopyRegisters, 1, 1, W(0x2), W(0x14));

    reset();
    CHECK(seL4_TCB_Configure(0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b) == seL4_NoError);
    EXPECT(0x15, TCBConfigure, 3, 3, W(0x17, 0x19, 0x1a), W(0x16, 0x18, 0x1b));

    reset();
    CHECK(seL4_TCB_SetPriority(0x15, 0x16, 200) == seL4_NoError);
    EXPECT(0x15, TCBSetPriority, 1, 1, W(200), W(0x16));

    reset();
    CHECK(seL4_TCB_SetMCPriority(0x15, 0x16, 201) == seL4_NoError);
    EXPECT(0x15, TCBSetMCPriority, 1, 1, W(201), W(0x16));

    reset();
    CHECK(seL4_TCB_SetSchedParams(0x15, 0x16, 250, 100, 0x17, 0x18) == seL4_NoError);
    EXPECT(0x15, TCBSetSchedParams, 3, 2, W(250, 100), W(0x16, 0x17, 0x18));

    reset();
    CHECK(seL4_TCB_SetTimeoutEndpoint(0x15, 0x19) == seL4_NoError);
    EXPECT(0x15, TCBSetTimeoutEndpoint, 1, 0, NULL, W(0x19));

    reset();
    CHECK(seL4_TCB_SetIPCBuffer(0x15, 0x7ffffffff000, 0x1a) == seL4_NoError);
    EXPECT(0x15, TCBSetIPCBuffer, 1, 1, W(0x7ffffffff000), W(0x1a));

    reset();
    CHECK(seL4_TCB_SetSpace(0x15, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f) == seL4_NoError);
    EXPECT(0x15, TCBSetSpace, 3, 2, W(0x1d, 0x1f), W(0x1b, 0x1c, 0x1e));

    reset();
    CHECK(seL4_TCB_Suspend(0x15) == seL4_NoError);
    EXPECT(0x15, TCBSuspend, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_TCB_Resume(0x15) == seL4_NoError);
    EXPECT(0x15, TCBResume, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_TCB_BindNotification(0x15, 0x20) == seL4_NoError);
    EXPECT(0x15, TCBBindNotification, 1, 0, NULL, W(0x20));

    reset();
    CHECK(seL4_TCB_UnbindNotification(0x15) == seL4_NoError);
    EXPECT(0x15, TCBUnbindNotification, 0, 0, NULL, NULL);

#ifdef CONFIG_HARDWARE_DEBUG_API
    /* bp_num (Uint16) alone in MR0, then one word each: length 5, MR4 in the buffer. */
    reset();
    CHECK(seL4_TCB_SetBreakpoint(0x15, 7, 0x4008, seL4_DataBreakpoint, 8, seL4_BreakOnReadWrite)
          == seL4_NoError);
    EXPECT(0x15, TCBSetBreakpoint, 0, 5, W(7, 0x4008, seL4_DataBreakpoint, 8, seL4_BreakOnReadWrite),
           NULL);
    reset();
    reply_ok(5, W(0x4008, seL4_DataBreakpoint, 8, seL4_BreakOnReadWrite, 1));
    {
        seL4_TCB_GetBreakpoint_t b = seL4_TCB_GetBreakpoint(0x15, 7);
        EXPECT(0x15, TCBGetBreakpoint, 0, 1, W(7), NULL);
        CHECK(b.error == seL4_NoError && b.vaddr == 0x4008 && b.type == seL4_DataBreakpoint &&
              b.size == 8 && b.rw == seL4_BreakOnReadWrite && b.is_enabled == 1);
    }
    reset();
    reply_error(seL4_RangeError, 0, 9);
    CHECK(seL4_TCB_GetBreakpoint(0x15, 10).error == seL4_RangeError);
    reset();
    CHECK(seL4_TCB_UnsetBreakpoint(0x15, 3) == seL4_NoError);
    EXPECT(0x15, TCBUnsetBreakpoint, 0, 1, W(3), NULL);
    reset();
    reply_ok(1, W(1));
    {
        seL4_TCB_ConfigureSingleStepping_t r = seL4_TCB_ConfigureSingleStepping(0x15, 2, 100);
        EXPECT(0x15, TCBConfigureSingleStepping, 0, 2, W(2, 100), NULL);
        CHECK(r.error == seL4_NoError && r.bp_was_consumed == 1);
    }
#endif

    reset();
    CHECK(seL4_TCB_SetTLSBase(0x15, 0xabc0) == seL4_NoError);
    EXPECT(0x15, TCBSetTLSBase, 0, 1, W(0xabc0), NULL);

    reset();
    reply_ok(1, W(seL4_TCBFlag_fpuDisabled));
    {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(0x15, 0x2, 0x1);
        EXPECT(0x15, TCBSetFlags, 0, 2, W(0x2, 0x1), NULL);
        CHECK(r.error == seL4_NoError && r.flags == 1);
    }
}

static void test_cnode(void)
{
    reset();
    CHECK(seL4_CNode_Revoke(0x30, 0x31, 64) == seL4_NoError);
    EXPECT(0x30, CNodeRevoke, 0, 2, W(0x31, 64), NULL);

    reset();
    CHECK(seL4_CNode_Delete(0x30, 0x32, 12) == seL4_NoError);
    EXPECT(0x30, CNodeDelete, 0, 2, W(0x32, 12), NULL);

    reset();
    CHECK(seL4_CNode_CancelBadgedSends(0x30, 0x33, 64) == seL4_NoError);
    EXPECT(0x30, CNodeCancelBadgedSends, 0, 2, W(0x33, 64), NULL);

    reset();
    CHECK(seL4_CNode_Copy(0x30, 0x34, 63, 0x35, 0x36, 62, seL4_CanRead) == seL4_NoError);
    EXPECT(0x30, CNodeCopy, 1, 5, W(0x34, 63, 0x36, 62, 0x2), W(0x35));

    reset();
    CHECK(seL4_CNode_Mint(0x30, 0x34, 63, 0x35, 0x36, 62, seL4_AllRights, 0xbadbad)
          == seL4_NoError);
    EXPECT(0x30, CNodeMint, 1, 6, W(0x34, 63, 0x36, 62, 0xf, 0xbadbad), W(0x35));

    reset();
    CHECK(seL4_CNode_Move(0x30, 0x34, 63, 0x35, 0x36, 62) == seL4_NoError);
    EXPECT(0x30, CNodeMove, 1, 4, W(0x34, 63, 0x36, 62), W(0x35));

    reset();
    CHECK(seL4_CNode_Mutate(0x30, 0x34, 63, 0x35, 0x36, 62, 0x2a) == seL4_NoError);
    EXPECT(0x30, CNodeMutate, 1, 5, W(0x34, 63, 0x36, 62, 0x2a), W(0x35));

    reset();
    CHECK(seL4_CNode_Rotate(0x30, 0x40, 61, 0x41, 0x42, 0x43, 60, 0x44, 0x45, 0x46, 59)
          == seL4_NoError);
    EXPECT(0x30, CNodeRotate, 2, 8, W(0x40, 61, 0x41, 0x43, 60, 0x44, 0x46, 59), W(0x42, 0x45));
}

static void test_irq_domain_sched(void)
{
    reset();
    CHECK(seL4_IRQControl_Get(seL4_CapIRQControl, 33, 0x50, 0x51, 64) == seL4_NoError);
    EXPECT(seL4_CapIRQControl, IRQIssueIRQHandler, 1, 3, W(33, 0x51, 64), W(0x50));

    reset();
    CHECK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 34, SEL4_ARM_IRQ_TRIGGER_EDGE, 0x50,
                                     0x52, 64) == seL4_NoError);
    EXPECT(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 1, 4, W(34, 1, 0x52, 64), W(0x50));

    reset();
    CHECK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 1, 0x50, 0x53, 64)
          == seL4_NoError);
    EXPECT(seL4_CapIRQControl, ARMIRQIssueSGISignal, 1, 4, W(3, 1, 0x53, 64), W(0x50));

    reset();
    CHECK(seL4_IRQHandler_Ack(0x54) == seL4_NoError);
    EXPECT(0x54, IRQAckIRQ, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_IRQHandler_SetNotification(0x54, 0x55) == seL4_NoError);
    EXPECT(0x54, IRQSetIRQHandler, 1, 0, NULL, W(0x55));

    reset();
    CHECK(seL4_IRQHandler_Clear(0x54) == seL4_NoError);
    EXPECT(0x54, IRQClearIRQHandler, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_DomainSet_Set(seL4_CapDomain, 3, 0x56) == seL4_NoError);
    EXPECT(seL4_CapDomain, DomainSetSet, 1, 1, W(3), W(0x56));

    reset();
    CHECK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 2, 1, 5000) == seL4_NoError);
    EXPECT(seL4_CapDomain, DomainScheduleConfigure, 0, 3, W(2, 1, 5000), NULL);

    reset();
    CHECK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 4) == seL4_NoError);
    EXPECT(seL4_CapDomain, DomainScheduleSetStart, 0, 1, W(4), NULL);

    reset();
    CHECK(seL4_SchedControl_ConfigureFlags(0x60, 0x61, 1000, 5000, 2, 0x77,
                                           seL4_SchedContext_Sporadic) == seL4_NoError);
    EXPECT(0x60, SchedControlConfigureFlags, 1, 5, W(1000, 5000, 2, 0x77, 1), W(0x61));

    reset();
    CHECK(seL4_SchedControl_Configure(0x60, 0x61, 1000, 1000, 0, 0x78) == seL4_NoError);
    EXPECT(0x60, SchedControlConfigureFlags, 1, 5, W(1000, 1000, 0, 0x78, 0), W(0x61));

    reset();
    CHECK(seL4_SchedContext_Bind(0x62, 0x63) == seL4_NoError);
    EXPECT(0x62, SchedContextBind, 1, 0, NULL, W(0x63));

    reset();
    CHECK(seL4_SchedContext_Unbind(0x62) == seL4_NoError);
    EXPECT(0x62, SchedContextUnbind, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_SchedContext_UnbindObject(0x62, 0x64) == seL4_NoError);
    EXPECT(0x62, SchedContextUnbindObject, 1, 0, NULL, W(0x64));

    reset();
    reply_ok(1, W(123456));
    {
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(0x62);
        EXPECT(0x62, SchedContextConsumed, 0, 0, NULL, NULL);
        CHECK(c.error == seL4_NoError && c.consumed == 123456);
    }

    reset();
    reply_ok(1, W(654321));
    {
        seL4_SchedContext_YieldTo_t y = seL4_SchedContext_YieldTo(0x62);
        EXPECT(0x62, SchedContextYieldTo, 0, 0, NULL, NULL);
        CHECK(y.error == seL4_NoError && y.consumed == 654321);
    }
}

static void test_arm(void)
{
    reset();
    CHECK(seL4_ARM_VSpace_Clean_Data(0x70, 0x1000, 0x3000) == seL4_NoError);
    EXPECT(0x70, ARMVSpaceClean_Data, 0, 2, W(0x1000, 0x3000), NULL);
    reset();
    CHECK(seL4_ARM_VSpace_Invalidate_Data(0x70, 0x1000, 0x3000) == seL4_NoError);
    EXPECT(0x70, ARMVSpaceInvalidate_Data, 0, 2, W(0x1000, 0x3000), NULL);
    reset();
    CHECK(seL4_ARM_VSpace_CleanInvalidate_Data(0x70, 0x1000, 0x3000) == seL4_NoError);
    EXPECT(0x70, ARMVSpaceCleanInvalidate_Data, 0, 2, W(0x1000, 0x3000), NULL);
    reset();
    CHECK(seL4_ARM_VSpace_Unify_Instruction(0x70, 0x1000, 0x3000) == seL4_NoError);
    EXPECT(0x70, ARMVSpaceUnify_Instruction, 0, 2, W(0x1000, 0x3000), NULL);

    reset();
    {
        seL4_ARM_SMCContext in = { 0xc4000003, 1, 2, 3, 4, 5, 6, 7 }, out = { 0 };
        reply_ok(8, W(10, 11, 12, 13, 14, 15, 16, 17));
        CHECK(seL4_ARM_SMC_Call(seL4_CapSMC, &in, &out) == seL4_NoError);
        EXPECT(seL4_CapSMC, ARMSMCCall, 0, 8, W(0xc4000003, 1, 2, 3, 4, 5, 6, 7), NULL);
        CHECK(out.x0 == 10 && out.x3 == 13 && out.x4 == 14 && out.x7 == 17);
    }

    reset();
    CHECK(seL4_ARM_PageTable_Map(0x71, 0x72, 0x40000000, seL4_ARM_Default_VMAttributes)
          == seL4_NoError);
    EXPECT(0x71, ARMPageTableMap, 1, 2, W(0x40000000, 3), W(0x72));

    reset();
    CHECK(seL4_ARM_PageTable_Unmap(0x71) == seL4_NoError);
    EXPECT(0x71, ARMPageTableUnmap, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_ARM_Page_Map(0x73, 0x72, 0x400000, seL4_ReadWrite,
                            (seL4_ARM_VMAttributes)(seL4_ARM_PageCacheable |
                                                    seL4_ARM_ExecuteNever)) == seL4_NoError);
    EXPECT(0x73, ARMPageMap, 1, 3, W(0x400000, 0x3, 0x5), W(0x72));

    reset();
    CHECK(seL4_ARM_Page_Unmap(0x73) == seL4_NoError);
    EXPECT(0x73, ARMPageUnmap, 0, 0, NULL, NULL);

    reset();
    CHECK(seL4_ARM_Page_Clean_Data(0x73, 0x40, 0x80) == seL4_NoError);
    EXPECT(0x73, ARMPageClean_Data, 0, 2, W(0x40, 0x80), NULL);
    reset();
    CHECK(seL4_ARM_Page_Invalidate_Data(0x73, 0x40, 0x80) == seL4_NoError);
    EXPECT(0x73, ARMPageInvalidate_Data, 0, 2, W(0x40, 0x80), NULL);
    reset();
    CHECK(seL4_ARM_Page_CleanInvalidate_Data(0x73, 0x40, 0x80) == seL4_NoError);
    EXPECT(0x73, ARMPageCleanInvalidate_Data, 0, 2, W(0x40, 0x80), NULL);
    reset();
    CHECK(seL4_ARM_Page_Unify_Instruction(0x73, 0x40, 0x80) == seL4_NoError);
    EXPECT(0x73, ARMPageUnify_Instruction, 0, 2, W(0x40, 0x80), NULL);

    reset();
    reply_ok(1, W(0x80001000));
    {
        seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(0x73);
        EXPECT(0x73, ARMPageGetAddress, 0, 0, NULL, NULL);
        CHECK(a.error == seL4_NoError && a.paddr == 0x80001000);
    }

    reset();
    CHECK(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, 0x74, 0x75, 0x76, 64)
          == seL4_NoError);
    EXPECT(seL4_CapASIDControl, ARMASIDControlMakePool, 2, 2, W(0x76, 64), W(0x74, 0x75));

    reset();
    CHECK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, 0x77) == seL4_NoError);
    EXPECT(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 1, 0, NULL, W(0x77));
}

/* Errors: the label is returned, MR0..MR3 land in the IPC buffer, results untouched. */
static void test_errors(void)
{
    reset();
    reply_error(seL4_RangeError, 5, 9);
    CHECK(seL4_CNode_Copy(0x30, 1, 64, 0x30, 2, 64, seL4_AllRights) == seL4_RangeError);
    CHECK(seL4_GetMR(0) == 5 && seL4_GetMR(1) == 9);

    reset();
    reply_error(seL4_InvalidCapability, 1, 0);
    {
        seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(0x73);
        CHECK(a.error == seL4_InvalidCapability && a.paddr == 0);
        CHECK(seL4_GetMR(0) == 1);
    }

    reset();
    reply_error(seL4_IllegalOperation, 0, 0);
    {
        seL4_UserContext uc;
        memset(&uc, 0x5a, sizeof(uc));
        CHECK(seL4_TCB_ReadRegisters(0x11, seL4_False, 0, 36, &uc) == seL4_IllegalOperation);
        CHECK(uc.pc == 0x5a5a5a5a5a5a5a5aul);
    }
}

/* ---- System-call stubs ------------------------------------------------------- */

static void test_syscalls(void)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info;

    /* Send: MR0..MR3 from the buffer into x2..x5, MR4+ stay in the buffer. */
    reset();
    for (int i = 0; i < 6; i++) {
        seL4_SetMR(i, 0x100 + (seL4_Word)i);
    }
    seL4_Send(0x80, seL4_MessageInfo_new(0x42, 0, 0, 6));
    CHECK(trap.x[7] == (seL4_Word)seL4_SysSend && trap.x[0] == 0x80);
    CHECK(trap.x[1] == seL4_MessageInfo_new(0x42, 0, 0, 6).words[0]);
    CHECK(trap.x[2] == 0x100 && trap.x[3] == 0x101 && trap.x[4] == 0x102 && trap.x[5] == 0x103);
    CHECK(trap.msg[4] == 0x104 && trap.msg[5] == 0x105);

    reset();
    seL4_NBSend(0x81, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSend && trap.x[0] == 0x81);

    /* SendWithMRs: only the MRs within the length are taken. */
    reset();
    {
        seL4_Word a = 1, b = 2, c = 3, d = 4;
        seL4_SendWithMRs(0x82, seL4_MessageInfo_new(0, 0, 0, 2), &a, &b, &c, &d);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysSend);
        CHECK(trap.x[2] == 1 && trap.x[3] == 2 && trap.x[4] == 0 && trap.x[5] == 0);
        reset();
        seL4_NBSendWithMRs(0x82, seL4_MessageInfo_new(0, 0, 0, 4), &a, seL4_Null, &c, &d);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSend);
        CHECK(trap.x[2] == 1 && trap.x[3] == 0 && trap.x[4] == 3 && trap.x[5] == 4);
    }

    reset();
    seL4_Signal(0x83);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysSend && trap.x[0] == 0x83 && trap.x[1] == 0);

    /* Recv: x0 src, x6 reply; badge, info and MRs come back; MR0..3 stored. */
    reset();
    reply_ok(5, W(0x201, 0x202, 0x203, 0x204, 0x205));
    reply.badge = 0xb0b;
    reply.label = 0x17;
    info = seL4_Recv(0x84, &badge, 0x85);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysRecv && trap.x[0] == 0x84 && trap.x[6] == 0x85);
    CHECK(badge == 0xb0b && seL4_MessageInfo_get_label(info) == 0x17);
    CHECK(seL4_MessageInfo_get_length(info) == 5);
    CHECK(seL4_GetMR(0) == 0x201 && seL4_GetMR(3) == 0x204 && seL4_GetMR(4) == 0x205);

    reset();
    reply_ok(1, W(0x301));
    {
        seL4_Word a = 0, b = 0;
        info = seL4_RecvWithMRs(0x84, seL4_Null, 0x85, &a, &b, seL4_Null, seL4_Null);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysRecv && trap.x[6] == 0x85);
        CHECK(a == 0x301 && ipcbuf.msg[0] == 0xdead0000); /* buffer left alone */
    }

    reset();
    reply_ok(0, NULL);
    info = seL4_NBRecv(0x86, &badge, 0x87);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBRecv && trap.x[0] == 0x86 && trap.x[6] == 0x87);

    reset();
    reply_ok(1, W(0x401));
    reply.badge = 0x8;
    info = seL4_Wait(0x88, &badge);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysWait && trap.x[0] == 0x88);
    CHECK(badge == 0x8 && seL4_GetMR(0) == 0x401);

    reset();
    reply_ok(1, W(0x402));
    {
        seL4_Word a = 0;
        info = seL4_WaitWithMRs(0x88, &badge, &a, seL4_Null, seL4_Null, seL4_Null);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysWait && a == 0x402);
    }

    reset();
    info = seL4_NBWait(0x89, &badge);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBWait && trap.x[0] == 0x89);

    reset();
    info = seL4_Poll(0x8a, seL4_Null);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBWait && trap.x[0] == 0x8a);

    /* Call: SetMR(0..3) before, GetMR(0..3) after. */
    reset();
    seL4_SetMR(0, 0x500);
    seL4_SetMR(1, 0x501);
    seL4_SetMR(2, 0x502);
    seL4_SetMR(3, 0x503);
    seL4_SetMR(4, 0x504);
    reply_ok(2, W(0x600, 0x601));
    info = seL4_Call(0x8b, seL4_MessageInfo_new(9, 0, 0, 5));
    CHECK(trap.x[7] == (seL4_Word)seL4_SysCall && trap.x[0] == 0x8b);
    CHECK(trap.x[2] == 0x500 && trap.x[5] == 0x503 && trap.msg[4] == 0x504);
    CHECK(seL4_GetMR(0) == 0x600 && seL4_GetMR(1) == 0x601);
    CHECK(seL4_MessageInfo_get_length(info) == 2);

    reset();
    reply_ok(2, W(0x610, 0x611));
    {
        seL4_Word a = 7, b = 8;
        info = seL4_CallWithMRs(0x8b, seL4_MessageInfo_new(9, 0, 0, 1), &a, &b, seL4_Null, seL4_Null);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysCall && trap.x[2] == 7 && trap.x[3] == 0);
        CHECK(a == 0x610 && b == 0x611);
    }

    /* ReplyRecv: x0 src, x6 reply. */
    reset();
    seL4_SetMR(0, 0x700);
    reply_ok(1, W(0x701));
    reply.badge = 0x99;
    info = seL4_ReplyRecv(0x8c, seL4_MessageInfo_new(0, 0, 0, 1), &badge, 0x8d);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysReplyRecv && trap.x[0] == 0x8c && trap.x[6] == 0x8d);
    CHECK(trap.x[2] == 0x700 && badge == 0x99 && seL4_GetMR(0) == 0x701);

    reset();
    {
        seL4_Word a = 0x710;
        reply_ok(1, W(0x711));
        info = seL4_ReplyRecvWithMRs(0x8c, seL4_MessageInfo_new(0, 0, 0, 1), &badge,
                                     &a, seL4_Null, seL4_Null, seL4_Null, 0x8d);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysReplyRecv && trap.x[6] == 0x8d);
        CHECK(trap.x[2] == 0x710 && a == 0x711);
    }

    /* NBSendRecv: x8 dest, x0 src, x6 reply. */
    reset();
    seL4_SetMR(0, 0x800);
    info = seL4_NBSendRecv(0x8e, seL4_MessageInfo_new(0, 0, 0, 1), 0x8f, &badge, 0x90);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSendRecv);
    CHECK(trap.x[8] == 0x8e && trap.x[0] == 0x8f && trap.x[6] == 0x90 && trap.x[2] == 0x800);

    reset();
    {
        seL4_Word a = 0x810;
        info = seL4_NBSendRecvWithMRs(0x8e, seL4_MessageInfo_new(0, 0, 0, 1), 0x8f, &badge,
                                      &a, seL4_Null, seL4_Null, seL4_Null, 0x90);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSendRecv && trap.x[8] == 0x8e);
        CHECK(trap.x[0] == 0x8f && trap.x[6] == 0x90 && trap.x[2] == 0x810);
    }

    /* NBSendWait: x6 dest, x0 src. */
    reset();
    seL4_SetMR(0, 0x900);
    info = seL4_NBSendWait(0x91, seL4_MessageInfo_new(0, 0, 0, 1), 0x92, &badge);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSendWait);
    CHECK(trap.x[6] == 0x91 && trap.x[0] == 0x92 && trap.x[2] == 0x900);

    reset();
    {
        seL4_Word a = 0x910;
        info = seL4_NBSendWaitWithMRs(0x91, seL4_MessageInfo_new(0, 0, 0, 1), 0x92, &badge,
                                      &a, seL4_Null, seL4_Null, seL4_Null);
        CHECK(trap.x[7] == (seL4_Word)seL4_SysNBSendWait);
        CHECK(trap.x[6] == 0x91 && trap.x[0] == 0x92 && trap.x[2] == 0x910);
    }

    reset();
    seL4_Yield();
    CHECK(trap.count == 1 && trap.x[7] == (seL4_Word)seL4_SysYield);

    /* Debug calls. */
    reset();
    seL4_DebugPutChar('Z');
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugPutChar && trap.x[0] == 'Z');
    reset();
    seL4_DebugPutString("ab");
    CHECK(trap.count == 2 && trap.x[0] == 'b');
    reset();
    seL4_DebugDumpScheduler();
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugDumpScheduler);
    reset();
    seL4_DebugHalt();
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugHalt);
    reset();
    seL4_DebugSnapshot();
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugSnapshot);
    reset();
    reply.set = 1;
    reply.badge = 12; /* the fake kernel returns x0 = 12 */
    CHECK(seL4_DebugCapIdentify(0x93) == 12);
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugCapIdentify && trap.x[0] == 0x93);
    reset();
    seL4_DebugNameThread(0x94, "worker-1");
    CHECK(trap.x[7] == (seL4_Word)seL4_SysDebugNameThread && trap.x[0] == 0x94);
    CHECK(strcmp((const char *)trap.msg, "worker-1") == 0);
    reset();
    {
        char longname[1200];
        memset(longname, 'n', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        seL4_DebugNameThread(0x94, longname);
        CHECK(strlen((const char *)trap.msg) == seL4_MsgMaxLength * 8 - 1);
        CHECK(ipcbuf.userData == 0); /* nothing written past msg[] */
    }
    (void)info;
}

/* ---- IPC buffer accessors ------------------------------------------------------ */

static void test_buffer_access(void)
{
    seL4_CPtr cn = 0, idx = 0;
    seL4_Word depth = 0;

    reset();
    CHECK(seL4_GetIPCBuffer() == &ipcbuf);
    seL4_SetMR(119, 0x77);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[1 + 119] == 0x77);
    seL4_SetUserData(0x55);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[121] == 0x55 && seL4_GetUserData() == 0x55);
    seL4_SetCap(2, 0x66);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[124] == 0x66 && seL4_GetCap(2) == 0x66);
    CHECK(seL4_GetBadge(2) == 0x66);
    seL4_SetCapReceivePath(0x2, 0x30, 64);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[125] == 0x2);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[126] == 0x30);
    CHECK(((seL4_Word *)(void *)&ipcbuf)[127] == 64);
    seL4_GetCapReceivePath(&cn, &idx, &depth);
    CHECK(cn == 0x2 && idx == 0x30 && depth == 64);
}

int main(void)
{
    test_untyped_tcb();
    test_cnode();
    test_irq_domain_sched();
    test_arm();
    test_errors();
    test_syscalls();
    test_buffer_access();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
