/*
 * Faults as IPC: cap faults (with the lookup-failure details), unknown
 * system calls (with the registers), user exceptions (an undefined
 * instruction), and what the handler's reply does: resume, change
 * registers, or leave the thread stopped. VM faults are in vmfault.c.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH
#define HI (KT_PRIO_TEST + 1)

#define SYS(n) ((seL4_Word)(long)(n))

/* A faulting helper with its own fault endpoint (badge 0xfa). */
struct faulter {
    kt_thread_t t;
    seL4_CPtr fep;      /* the handler receives here */
    seL4_CPtr reply;
};

static int start_faulter(struct faulter *f, const char *name, kt_thread_fn fn, void *arg)
{
    f->fep = KT_EP();
    f->reply = KT_REPLY();
    seL4_CPtr fb = KT_MINT(f->fep, seL4_AllRights, 0xfa);
    struct kt_thread_opts o = { .prio = HI, .fault_ep = fb };
    KT_THREAD(&f->t, name, &o, fn, arg);
    KT_START(&f->t);
    return KT_PASS;
}

#define START_FAULTER(f, name, fn, arg)                                              \
    do {                                                                             \
        if (start_faulter((f), (name), (fn), (arg)) != KT_PASS)                      \
            return KT_FAILED;                                                        \
    } while (0)

/* Receive the fault; check the badge; return the label. */
static seL4_Word get_fault(struct faulter *f)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(f->fep, &badge, f->reply);
    if (badge != 0xfa)
        kt_fail(__FILE__, __LINE__, "fault message badge 0x%lx, expected 0xfa", badge);
    return seL4_MessageInfo_get_label(m);
}

static bool in_region(seL4_Word sp, const kt_thread_t *t)
{
    return sp <= t->stack_top && sp > t->stack_top - KT_REGION_SIZE;
}

/* ------------------------------------------------------------ cap faults */

static int call_cptr(kt_thread_t *self, void *arg)
{
    /* Call (x7 = -1) on arg with message info 0 */
    self->user[0] = kt_syscall8((seL4_Word)arg, 0, 0, 0, 0, 0, 0, SYS(seL4_SysCall));
    self->user[1] = 1;
    return KT_PASS;
}

TEST(fault_cap_fault_send_phase, "Invoking a CPtr that does not resolve is a cap fault: "
     "address, send phase, guard-mismatch details")
{
    struct faulter f;
    seL4_CPtr bad = (1ul << 63) | 5;
    START_FAULTER(&f, "bad-cptr", call_cptr, (void *)bad);
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_IP), (seL4_Word)kt_syscall8_svc);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), bad);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    KT_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 64);
    KT_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), 0);
    KT_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound), kt_root_guard_bits());
    KT_EQ(f.t.user[1], 0);
    return KT_PASS;
}

static int recv_on(kt_thread_t *self, void *arg)
{
    /* Recv (x7 = -7) on user[2] with reply cap user[3] */
    (void)arg;
    self->user[0] = kt_syscall8(self->user[2], 0, 0, 0, 0, 0, self->user[3], SYS(seL4_SysRecv));
    self->user[1] = 1;
    return KT_PASS;
}

static int start_receiver(struct faulter *f, seL4_CPtr src, seL4_CPtr reply)
{
    f->fep = KT_EP();
    f->reply = KT_REPLY();
    seL4_CPtr fb = KT_MINT(f->fep, seL4_AllRights, 0xfa);
    struct kt_thread_opts o = { .prio = HI, .fault_ep = fb };
    KT_THREAD(&f->t, "bad-recv", &o, recv_on, NULL);
    f->t.user[2] = src;
    f->t.user[3] = reply;
    KT_START(&f->t);
    return KT_PASS;
}

TEST(fault_cap_fault_recv_empty_slot, "Recv on an empty slot is a cap fault in the receive "
     "phase (missing capability, 0 bits left)")
{
    struct faulter f;
    seL4_CPtr empty = kt_slot();
    if (start_receiver(&f, empty, KT_REPLY()) != KT_PASS)
        return KT_FAILED;
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_IP), (seL4_Word)kt_syscall8_svc);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), empty);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    KT_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    return KT_PASS;
}

TEST(fault_cap_fault_recv_without_read, "Recv on an endpoint cap without Read is a cap "
     "fault in the receive phase")
{
    struct faulter f;
    seL4_CPtr ep = KT_EP();
    seL4_CPtr wo = KT_MINT(ep, seL4_CanWrite, 0);
    if (start_receiver(&f, wo, KT_REPLY()) != KT_PASS)
        return KT_FAILED;
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), wo);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    return KT_PASS;
}

TEST(fault_cap_fault_recv_bad_reply_cap, "Recv with something other than a Reply cap in the "
     "reply register is a cap fault on that CPtr")
{
    struct faulter f;
    seL4_CPtr ep = KT_EP(), notreply = KT_NTFN();
    if (start_receiver(&f, ep, notreply) != KT_PASS)
        return KT_FAILED;
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), notreply);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    return KT_PASS;
}

TEST(fault_cap_fault_recv_on_tcb, "Recv on a cap that is neither endpoint nor notification "
     "is a cap fault")
{
    struct faulter f;
    seL4_CPtr tcb = KT_TCB();
    if (start_receiver(&f, tcb, KT_REPLY()) != KT_PASS)
        return KT_FAILED;
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), tcb);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    return KT_PASS;
}

TEST(fault_wait_on_notification_bound_elsewhere, "Wait on a notification bound to another "
     "thread is a cap fault")
{
    struct faulter f;
    seL4_CPtr n = KT_NTFN(), other = KT_TCB();
    KT_OK(seL4_TCB_BindNotification(other, n));
    if (start_receiver(&f, n, 0) != KT_PASS)
        return KT_FAILED;
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    return KT_PASS;
}

static int bad_extra_cap(kt_thread_t *self, void *arg)
{
    /* SetPriority with an authority CPtr that does not resolve */
    seL4_Error e = seL4_TCB_SetPriority((seL4_CPtr)arg, (1ul << 62) | 3, 10);
    self->user[0] = (seL4_Word)e;
    self->user[1] = 1;
    return KT_PASS;
}

TEST(fault_cap_fault_extra_cap, "An extra cap that does not resolve is a cap fault on its "
     "CPtr, not an error reply")
{
    struct faulter f;
    seL4_CPtr target = KT_TCB();
    START_FAULTER(&f, "bad-extra", bad_extra_cap, (void *)target);
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), (1ul << 62) | 3);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 0);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    KT_EQ(f.t.user[1], 0);
    return KT_PASS;
}

static int wait_slot(kt_thread_t *self, void *arg)
{
    seL4_Word badge = 0;
    seL4_Wait((seL4_CPtr)arg, &badge);
    self->user[0] = badge;
    self->user[1] = 1;
    return KT_PASS;
}

TEST(fault_cap_fault_fixed_and_restarted, "After a cap fault the handler can install the cap "
     "and reply: the system call is retried")
{
    struct faulter f;
    seL4_CPtr slot = kt_slot(), n = KT_NTFN();
    START_FAULTER(&f, "retry", wait_slot, (void *)slot);
    KT_EQ(get_fault(&f), seL4_Fault_CapFault);
    KT_OK(seL4_CNode_Mint(R, slot, D, R, n, D, seL4_AllRights, 0x3c));
    seL4_Signal(slot);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_ASSERT(kt_wait_word(&f.t.user[1], 10));
    KT_EQ(f.t.user[0], 0x3c);
    return KT_PASS;
}

/* -------------------------------------------------------- unknown syscall */

static int unknown_syscall(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = kt_syscall8(0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, SYS(-100));
    self->user[1] = 1;
    return KT_PASS;
}

TEST(fault_unknown_syscall_message, "An unknown system call number is an UnknownSyscall "
     "fault carrying x0..x7, pc, sp, lr, spsr and the number")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(f.fep, &badge, f.reply);
    KT_EQ(badge, 0xfa);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UnknownSyscall);
    KT_EQ(seL4_MessageInfo_get_length(m), seL4_UnknownSyscall_Length);
    for (int i = 0; i < 7; i++)
        KT_EQ(seL4_GetMR(seL4_UnknownSyscall_X0 + i), 0x10 + (seL4_Word)i);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_X7), SYS(-100));
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)kt_syscall8_svc);
    KT_ASSERT(in_region(seL4_GetMR(seL4_UnknownSyscall_SP), &f.t));
    KT_NE(seL4_GetMR(seL4_UnknownSyscall_LR), 0);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_SPSR) & 0x1f, 0);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), SYS(-100));
    return KT_PASS;
}

TEST(fault_unknown_syscall_fault_ip_and_lr, "An UnknownSyscall message carries the svc as "
     "FaultIP and, as seL4 does, ELR (the instruction after the svc) in the LR word")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)kt_syscall8_svc);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_LR), (seL4_Word)kt_syscall8_svc + 4);
    return KT_PASS;
}

TEST(fault_unknown_syscall_reply_lr_is_not_x30, "A reply's LR word sets ELR, which the restart "
     "at FaultIP replaces: x30 keeps its value and the thread returns normally")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    seL4_Word regs[seL4_UnknownSyscall_Syscall];
    for (int i = 0; i < seL4_UnknownSyscall_Syscall; i++)
        regs[i] = seL4_GetMR(i);
    regs[seL4_UnknownSyscall_X0] = 0x4321;
    regs[seL4_UnknownSyscall_FaultIP] += 4;
    regs[seL4_UnknownSyscall_LR] = 0xdead0000;
    for (int i = 0; i < seL4_UnknownSyscall_Syscall; i++)
        seL4_SetMR(i, regs[i]);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_Syscall));
    KT_ASSERT(kt_wait_word(&f.t.user[1], 10));
    KT_EQ(f.t.user[0], 0x4321);
    return KT_PASS;
}

TEST(fault_unknown_syscall_reply_resumes, "Replying with label 0, x0 and pc past the svc "
     "resumes the thread with that x0")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    seL4_Word regs[12];
    for (int i = 0; i < 12; i++)
        regs[i] = seL4_GetMR(i);
    regs[seL4_UnknownSyscall_X0] = 0x1234;
    regs[seL4_UnknownSyscall_FaultIP] += 4;
    for (int i = 0; i < 12; i++)
        seL4_SetMR(i, regs[i]);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, 12));
    KT_ASSERT(kt_wait_word(&f.t.user[1], 10));
    KT_EQ(f.t.user[0], 0x1234);
    return KT_PASS;
}

TEST(fault_unknown_syscall_restarts_at_svc, "A label-0 reply that leaves pc alone restarts "
     "the svc: the same fault comes again")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    KT_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)kt_syscall8_svc);
    KT_EQ(f.t.user[1], 0);
    return KT_PASS;
}

TEST(fault_reply_nonzero_label_leaves_stopped, "A fault reply with a non-zero label does not "
     "restart the thread")
{
    struct faulter f;
    START_FAULTER(&f, "unknown-syscall", unknown_syscall, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UnknownSyscall);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 4);
    seL4_Send(f.reply, seL4_MessageInfo_new(1, 0, 0, 12));
    kt_yield_n(3);
    KT_EQ(f.t.user[1], 0);
    seL4_Word badge = 1;
    seL4_NBRecv(f.fep, &badge, f.reply);
    KT_EQ(badge, 0);
    return KT_PASS;
}

/* --------------------------------------------------------- user exception */

static int undefined_instruction(kt_thread_t *self, void *arg)
{
    (void)arg;
    kt_udf();
    self->user[1] = 1;
    return KT_PASS;
}

TEST(fault_user_exception_message, "An undefined instruction is a UserException fault with "
     "pc, sp, spsr, the ESR (EC 0) and code 0")
{
    struct faulter f;
    START_FAULTER(&f, "udf", undefined_instruction, NULL);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(f.fep, &badge, f.reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UserException);
    KT_EQ(seL4_MessageInfo_get_length(m), seL4_UserException_Length);
    KT_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)kt_udf_insn);
    KT_ASSERT(in_region(seL4_GetMR(seL4_UserException_SP), &f.t));
    KT_EQ(seL4_GetMR(seL4_UserException_SPSR) & 0x1f, 0);
    KT_EQ(seL4_GetMR(seL4_UserException_Number) >> 26, 0);
    KT_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    return KT_PASS;
}

TEST(fault_user_exception_reply_skips, "Replying with pc past the faulting instruction "
     "resumes the thread there")
{
    struct faulter f;
    START_FAULTER(&f, "udf", undefined_instruction, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UserException);
    seL4_SetMR(0, seL4_GetMR(0) + 4);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, 3));
    KT_ASSERT(kt_wait_word(&f.t.user[1], 10));
    return KT_PASS;
}

static volatile seL4_Word redirected_to;

static void landing(void)
{
    redirected_to = 0x600d;
    seL4_TCB_Suspend(kt_self_tcb());
    for (;;)
        ;
}

TEST(fault_user_exception_reply_redirects, "The handler's reply can move the thread to "
     "another pc")
{
    struct faulter f;
    redirected_to = 0;
    START_FAULTER(&f, "udf", undefined_instruction, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UserException);
    seL4_SetMR(seL4_UserException_FaultIP, (seL4_Word)landing);
    seL4_Send(f.reply, seL4_MessageInfo_new(0, 0, 0, 1));
    kt_yield_n(2);
    KT_EQ(redirected_to, 0x600d);
    KT_EQ(f.t.user[1], 0);
    return KT_PASS;
}

TEST(fault_registers_of_faulted_thread, "ReadRegisters of a thread waiting for its fault "
     "handler shows the faulting pc; WriteRegisters+resume recovers it")
{
    struct faulter f;
    START_FAULTER(&f, "udf", undefined_instruction, NULL);
    KT_EQ(get_fault(&f), seL4_Fault_UserException);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(f.t.tcb, 0, 0, 36, &c));
    KT_EQ(c.pc, (seL4_Word)kt_udf_insn);
    c.pc += 4;
    KT_OK(seL4_TCB_WriteRegisters(f.t.tcb, 1, 0, 36, &c));
    KT_ASSERT(kt_wait_word(&f.t.user[1], 10));
    return KT_PASS;
}

TEST(fault_without_handler_stops_thread, "A thread without a fault handler that faults just "
     "stops; everything else goes on")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .no_fault_ep = true };
    KT_THREAD(&t, "no-handler", &o, undefined_instruction, NULL);
    KT_START(&t);
    kt_yield_n(3);
    KT_ASSERT(t.started);
    KT_EQ(t.user[1], 0);
    return KT_PASS;
}

TEST(fault_handlers_are_per_thread, "Two threads with different fault endpoints report to "
     "their own handler")
{
    struct faulter a, b;
    START_FAULTER(&a, "udf-a", undefined_instruction, NULL);
    START_FAULTER(&b, "syscall-b", unknown_syscall, NULL);
    KT_EQ(get_fault(&b), seL4_Fault_UnknownSyscall);
    KT_EQ(get_fault(&a), seL4_Fault_UserException);
    return KT_PASS;
}

/* -------------------------------------------------------------- VM faults */

static int read_address(kt_thread_t *self, void *arg)
{
    self->user[0] = *(volatile seL4_Word *)arg;
    self->user[1] = 1;
    return KT_PASS;
}



TEST(fault_vm_fault_above_user_top, "An access above seL4_UserTop is a VMFault too")
{
    struct faulter f;
    seL4_Word addr = 0xffff000000001000ul;
    START_FAULTER(&f, "read-kernel", read_address, (void *)addr);
    KT_EQ(get_fault(&f), seL4_Fault_VMFault);
    KT_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    return KT_PASS;
}
