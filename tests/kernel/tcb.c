/*
 * TCB invocations: Configure, SetSpace, SetIPCBuffer, SetPriority,
 * SetMCPriority (and the authority's MCP), SetSchedParams,
 * SetTimeoutEndpoint, Read/Write/CopyRegisters, Suspend, Resume,
 * Bind/UnbindNotification, SetTLSBase, SetFlags (FPU), with their errors.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH

/* A thread that counts and yields forever. */
static int count_and_yield(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;) {
        self->user[0]++;
        seL4_Yield();
    }
    return KT_PASS;
}

/* A thread that sets user[0] and returns. */
static int set_flag(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = 1;
    return KT_PASS;
}

/* A thread that receives on arg forever, recording each message's MR0. */
static int receive_loop(kt_thread_t *self, void *arg)
{
    seL4_CPtr ep = (seL4_CPtr)arg;
    for (;;) {
        seL4_Word mr0 = 0;
        seL4_WaitWithMRs(ep, NULL, &mr0, NULL, NULL, NULL);
        self->user[1] = mr0;
        self->user[0]++;
    }
    return KT_PASS;
}

/* A TCB configured in our CSpace and VSpace, with no SchedContext, not started. */
static seL4_CPtr bare_tcb(void)
{
    seL4_CPtr tcb = kt_new_(seL4_TCBObject, 0, __FILE__, __LINE__);
    if (!tcb)
        return 0;
    if (seL4_TCB_Configure(tcb, R, 0, KT_ROOT_VSPACE, 0, 0, seL4_CapNull) != seL4_NoError) {
        kt_fail(__FILE__, __LINE__, "TCB_Configure of a bare TCB failed");
        return 0;
    }
    return tcb;
}
#define BARE_TCB() ({ seL4_CPtr t_ = bare_tcb(); if (!t_) return KT_FAILED; t_; })

/* ------------------------------------------------------- basic life cycle */

TEST(tcb_thread_runs, "A configured thread with a SchedContext runs once resumed")
{
    kt_thread_t t;
    KT_SPAWN(&t, "runner", KT_PRIO_TEST + 1, set_flag, NULL);
    KT_ASSERT(t.started);
    KT_EQ(t.user[0], 1);
    KT_ASSERT(t.finished);
    return KT_PASS;
}

TEST(tcb_new_thread_is_inactive, "A new, configured thread does not run until resumed")
{
    kt_thread_t t;
    KT_THREAD(&t, "not-started", NULL, set_flag, NULL);
    kt_yield_n(3);
    KT_EQ(t.started, 0);
    KT_START(&t);
    KT_ASSERT(kt_wait_flag(&t.started, 10));
    return KT_PASS;
}

TEST(tcb_suspend_resume, "Suspend stops a runnable thread; Resume lets it continue")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST };
    KT_THREAD(&t, "counter", &o, count_and_yield, NULL);
    KT_START(&t);
    kt_yield_n(3);
    KT_GT(t.user[0], 0);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    seL4_Word before = t.user[0];
    kt_yield_n(5);
    KT_EQ(t.user[0], before);
    KT_OK(seL4_TCB_Resume(t.tcb));
    kt_yield_n(3);
    KT_GT(t.user[0], before);
    return KT_PASS;
}

TEST(tcb_suspend_cancels_receive, "Suspend takes a thread out of an endpoint queue; after "
     "Resume it receives again")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t t;
    KT_SPAWN(&t, "receiver", KT_PRIO_TEST + 1, receive_loop, (void *)ep);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    seL4_Word one = 1, two = 2;
    seL4_NBSendWithMRs(ep, seL4_MessageInfo_new(0, 0, 0, 1), &one, NULL, NULL, NULL);
    KT_EQ(t.user[0], 0);
    KT_OK(seL4_TCB_Resume(t.tcb));
    seL4_NBSendWithMRs(ep, seL4_MessageInfo_new(0, 0, 0, 1), &two, NULL, NULL, NULL);
    KT_ASSERT(kt_wait_word(&t.user[0], 10));
    KT_EQ(t.user[0], 1);
    KT_EQ(t.user[1], 2);
    return KT_PASS;
}

TEST(tcb_resume_running_is_harmless, "Resume of a thread that is already blocked in Recv "
     "leaves it waiting")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t t;
    KT_SPAWN(&t, "receiver", KT_PRIO_TEST + 1, receive_loop, (void *)ep);
    KT_OK(seL4_TCB_Resume(t.tcb));
    KT_EQ(t.user[0], 0);
    seL4_Word v = 9;
    seL4_NBSendWithMRs(ep, seL4_MessageInfo_new(0, 0, 0, 1), &v, NULL, NULL, NULL);
    KT_ASSERT(kt_wait_word(&t.user[0], 10));
    KT_EQ(t.user[1], 9);
    return KT_PASS;
}

static int suspend_self(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = 1;
    seL4_TCB_Suspend(self->tcb);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(tcb_suspend_self, "A thread can suspend itself: it does not continue")
{
    kt_thread_t t;
    KT_SPAWN(&t, "self-suspender", KT_PRIO_TEST + 1, suspend_self, NULL);
    KT_EQ(t.user[0], 1);
    kt_yield_n(3);
    KT_EQ(t.user[1], 0);
    return KT_PASS;
}

TEST(tcb_delete_stops_thread, "Deleting a running thread's last TCB cap stops it")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST };
    KT_THREAD(&t, "counter", &o, count_and_yield, NULL);
    KT_START(&t);
    kt_yield_n(3);
    KT_GT(t.user[0], 0);
    KT_OK(kt_delete(t.tcb));
    seL4_Word before = t.user[0];
    kt_yield_n(5);
    KT_EQ(t.user[0], before);
    return KT_PASS;
}

TEST(tcb_bad_label, "A TCB cap invoked with a non-TCB label is IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB();
    KT_EQ(kt_call_raw(tcb, CNodeCopy, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(tcb, UntypedRetype, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(tcb, SchedContextBind, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

/* ------------------------------------------------------------ registers */

static void fill_context(seL4_UserContext *c, seL4_Word seed)
{
    seL4_Word *w = (seL4_Word *)(void *)c;
    for (unsigned i = 0; i < sizeof(*c) / sizeof(seL4_Word); i++)
        w[i] = seed + i * 0x1111;
    c->pc = 0x400000 + seed;      /* any user address; the thread never runs */
    c->sp = 0x500000 + seed;
    c->spsr = 0;
}

TEST(tcb_write_read_registers, "WriteRegisters then ReadRegisters round-trips all 36 words "
     "(SPSR aside)")
{
    seL4_CPtr tcb = BARE_TCB();
    seL4_UserContext in, out;
    fill_context(&in, 0x100);
    KT_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, 36, &in));
    memset(&out, 0, sizeof(out));
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 36, &out));
    const seL4_Word *a = (const seL4_Word *)(const void *)&in;
    const seL4_Word *b = (const seL4_Word *)(const void *)&out;
    for (int i = 0; i < 36; i++)
        if (i != 2)
            KT_EQ(b[i], a[i]);
    return KT_PASS;
}

TEST(tcb_read_registers_count, "ReadRegisters returns exactly `count` words")
{
    seL4_CPtr tcb = BARE_TCB();
    seL4_UserContext in;
    fill_context(&in, 0x200);
    KT_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, 36, &in));
    seL4_Word m0 = 0, m1 = 3, m2 = 0, m3 = 0;
    seL4_MessageInfo_t r = seL4_CallWithMRs(tcb, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2),
                                            &m0, &m1, &m2, &m3);
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_NoError);
    KT_EQ(seL4_MessageInfo_get_length(r), 3);
    KT_EQ(m0, in.pc);
    KT_EQ(m1, in.sp);
    return KT_PASS;
}

TEST(tcb_read_registers_range, "ReadRegisters of 0 or more than 36 registers is RangeError "
     "[1, 36]")
{
    seL4_CPtr tcb = BARE_TCB();
    seL4_UserContext out;
    KT_ERR(seL4_TCB_ReadRegisters(tcb, 0, 0, 0, &out), seL4_RangeError);
    KT_MR_EQ(0, 1);
    KT_MR_EQ(1, 36);
    KT_ERR(seL4_TCB_ReadRegisters(tcb, 0, 0, 37, &out), seL4_RangeError);
    return KT_PASS;
}

TEST(tcb_registers_of_self, "Read/WriteRegisters on the caller's own TCB are "
     "IllegalOperation")
{
    seL4_UserContext c;
    memset(&c, 0, sizeof(c));
    KT_ERR(seL4_TCB_ReadRegisters(kt_self_tcb(), 0, 0, 4, &c), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_WriteRegisters(kt_self_tcb(), 0, 0, 4, &c), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_write_registers_truncated, "WriteRegisters with fewer words than `count` is "
     "TruncatedMessage")
{
    seL4_CPtr tcb = BARE_TCB();
    seL4_UserContext c;
    fill_context(&c, 0);
    /* the wrapper sends 2 + 36 words: count 37 does not fit */
    KT_ERR(seL4_TCB_WriteRegisters(tcb, 0, 0, 37, &c), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(tcb, TCBWriteRegisters, 2, 0, 0, 1, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(tcb, TCBWriteRegisters, 1, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(tcb, TCBReadRegisters, 1, 0, 0, 1, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_write_registers_sanitises_spsr, "WriteRegisters cannot give a thread a kernel-mode "
     "SPSR: the mode reads back as EL0t")
{
    seL4_CPtr tcb = BARE_TCB();
    seL4_UserContext c, out;
    fill_context(&c, 0x300);
    c.spsr = 0x3c5;     /* EL1h, interrupts masked */
    KT_OK(seL4_TCB_WriteRegisters(tcb, 0, 0, 36, &c));
    KT_OK(seL4_TCB_ReadRegisters(tcb, 0, 0, 3, &out));
    KT_EQ(out.spsr & 0x1f, 0);
    return KT_PASS;
}

TEST(tcb_write_registers_resume, "WriteRegisters with resume_target starts the thread")
{
    kt_thread_t t;
    KT_THREAD(&t, "wr-resume", NULL, set_flag, NULL);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 4, &c));
    KT_OK(seL4_TCB_WriteRegisters(t.tcb, 1, 0, 4, &c));
    KT_ASSERT(kt_wait_word(&t.user[0], 10));
    return KT_PASS;
}

static int parked(kt_thread_t *self, void *arg)
{
    (void)self;
    seL4_Wait((seL4_CPtr)arg, NULL);
    return KT_PASS;
}

static void redirected(kt_thread_t *self)
{
    self->user[2] = 0xbeef;
    seL4_TCB_Suspend(self->tcb);
}

TEST(tcb_write_registers_redirects, "Suspend + WriteRegisters(pc, x0) + Resume runs a "
     "blocked thread somewhere else")
{
    seL4_CPtr n = KT_NTFN();
    kt_thread_t t;
    KT_SPAWN(&t, "redirect-me", KT_PRIO_TEST + 1, parked, (void *)n);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 36, &c));
    c.pc = (seL4_Word)redirected;
    c.x0 = (seL4_Word)&t;
    KT_OK(seL4_TCB_WriteRegisters(t.tcb, 1, 0, 36, &c));
    KT_ASSERT(kt_wait_word(&t.user[2], 10));
    KT_EQ(t.user[2], 0xbeef);
    return KT_PASS;
}

TEST(tcb_read_registers_suspend_source, "ReadRegisters with suspend_source stops the thread")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST };
    KT_THREAD(&t, "counter", &o, count_and_yield, NULL);
    KT_START(&t);
    kt_yield_n(2);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 1, 0, 1, &c));
    seL4_Word before = t.user[0];
    kt_yield_n(4);
    KT_EQ(t.user[0], before);
    return KT_PASS;
}

TEST(tcb_copy_registers, "CopyRegisters copies the frame and the integer registers")
{
    seL4_CPtr src = BARE_TCB(), dst = BARE_TCB();
    seL4_UserContext a, b, out;
    fill_context(&a, 0x1000);
    fill_context(&b, 0x2000);
    KT_OK(seL4_TCB_WriteRegisters(src, 0, 0, 36, &a));
    KT_OK(seL4_TCB_WriteRegisters(dst, 0, 0, 36, &b));
    /* frame only: x0 follows, x9 (integer group) does not */
    KT_OK(seL4_TCB_CopyRegisters(dst, src, 0, 0, 1, 0, 0));
    KT_OK(seL4_TCB_ReadRegisters(dst, 0, 0, 36, &out));
    KT_EQ(out.x0, a.x0);
    KT_EQ(out.sp, a.sp);
    KT_EQ(out.x9, b.x9);
    /* integer too */
    KT_OK(seL4_TCB_CopyRegisters(dst, src, 0, 0, 0, 1, 0));
    KT_OK(seL4_TCB_ReadRegisters(dst, 0, 0, 36, &out));
    KT_EQ(out.x9, a.x9);
    KT_EQ(out.x28, a.x28);
    return KT_PASS;
}

TEST(tcb_copy_registers_errors, "CopyRegisters: a non-TCB source is InvalidCapability (cap "
     "1), no source TruncatedMessage")
{
    seL4_CPtr dst = BARE_TCB(), ep = KT_EP();
    KT_ERR(seL4_TCB_CopyRegisters(dst, ep, 0, 0, 1, 1, 0), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_EQ(kt_call_raw(dst, TCBCopyRegisters, 1, 0, 0xc, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

/* ------------------------------------------- the pc of a thread in a system call */

/*
 * seL4 reports a thread's restart pc (FaultIP): for a thread inside a
 * system call (blocked in it, or preempted just after it) that is the `svc`
 * itself, so that writing the registers back re-enters the call; once the
 * thread is suspended while running, the pc where it goes on.
 */
#define SVC_0 0xd4000001u   /* svc #0 */

/* Recv on arg (an endpoint) through kt_syscall8, whose svc address we know. */
static int recv_at_known_svc(kt_thread_t *self, void *arg)
{
    seL4_CPtr *caps = arg;     /* endpoint, reply */
    self->user[0] = kt_syscall8(caps[0], 0, 0, 0, 0, 0, caps[1], (seL4_Word)(long)seL4_SysRecv);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(tcb_read_registers_in_recv_pc_is_svc, "ReadRegisters of a thread blocked in Recv reports "
     "the svc instruction as its pc (seL4's restart pc); the receive still completes")
{
    seL4_CPtr caps[2] = { KT_EP(), KT_REPLY() };
    seL4_CPtr badged = KT_MINT(caps[0], seL4_AllRights, 0x33);
    kt_thread_t t;
    KT_SPAWN(&t, "receiver", KT_PRIO_TEST + 1, recv_at_known_svc, caps);
    seL4_UserContext c = { 0 };
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)kt_syscall8_svc);
    KT_EQ(t.user[1], 0);
    seL4_Send(badged, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(t.user[1], 1);
    KT_EQ(t.user[0], 0x33);
    return KT_PASS;
}

TEST(tcb_save_restore_in_recv_reenters_receive, "Saving a server blocked in a receive "
     "(ReadRegisters, suspending it) and restoring it (WriteRegisters, resuming it) puts it "
     "back into its receive instead of past it")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t s;
    KT_SPAWN(&s, "server", KT_PRIO_TEST + 1, receive_loop, (void *)ep);
    seL4_UserContext c = { 0 };
    KT_OK(seL4_TCB_ReadRegisters(s.tcb, 1, 0, 36, &c));
    KT_EQ(*(volatile unsigned int *)c.pc, SVC_0);
    KT_OK(seL4_TCB_WriteRegisters(s.tcb, 1, 0, 36, &c));
    /* it ran at once (higher priority) and waits again without a message */
    KT_EQ(s.user[0], 0);
    seL4_SetMR(0, 0x77);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    KT_EQ(s.user[0], 1);
    KT_EQ(s.user[1], 0x77);
    return KT_PASS;
}

TEST(tcb_copy_registers_in_recv_reenters_receive, "CopyRegisters (suspend source, resume "
     "target) from a server blocked in a receive starts the copy in that receive, not past it")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t s, copy;
    KT_SPAWN(&s, "server", KT_PRIO_TEST + 1, receive_loop, (void *)ep);
    /* the copy takes over the server's stack, so it needs its IPC buffer too */
    KT_THREAD(&copy, "server-copy", &(struct kt_thread_opts){ .prio = KT_PRIO_TEST + 1 },
              receive_loop, NULL);
    KT_OK(seL4_TCB_SetIPCBuffer(copy.tcb, s.ipc_vaddr, s.ipc_frame));
    KT_OK(seL4_TCB_CopyRegisters(copy.tcb, s.tcb, 1, 1, 1, 1, 0));
    KT_EQ(s.user[0], 0);
    seL4_SetMR(0, 0x78);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    KT_EQ(s.user[0], 1);       /* the copy received it, in the server's frame */
    KT_EQ(s.user[1], 0x78);
    return KT_PASS;
}

/* Signal arg[0] through kt_syscall8, then report and signal arg[1]. */
static int signal_at_known_svc(kt_thread_t *self, void *arg)
{
    seL4_CPtr *caps = arg;
    kt_syscall8(caps[0], 0, 0, 0, 0, 0, 0, (seL4_Word)(long)seL4_SysSend);
    self->user[1] = 1;
    seL4_Signal(caps[1]);
    return KT_PASS;
}

TEST(tcb_suspend_after_syscall_pc_is_next, "A thread preempted by the thread its Signal woke "
     "still reports the svc as pc; once Suspend stops it, the next instruction, and Resume "
     "goes on from there without signalling again")
{
    seL4_CPtr n = KT_NTFN(), done = KT_NTFN();
    seL4_CPtr caps[2] = { KT_MINT(n, seL4_AllRights, 0x5), done };
    kt_thread_t t;
    KT_SPAWN(&t, "signaller", KT_PRIO_TEST - 1, signal_at_known_svc, caps);
    seL4_Word badge = 0;
    seL4_Wait(n, &badge);           /* it runs, signals us and is preempted */
    KT_EQ(badge, 0x5);
    KT_EQ(t.user[1], 0);
    seL4_UserContext c = { 0 };
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)kt_syscall8_svc);
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 1, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)kt_syscall8_svc + 4);
    KT_OK(seL4_TCB_Resume(t.tcb));
    seL4_Wait(done, NULL);
    KT_EQ(t.user[1], 1);
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);                /* the Signal was not repeated */
    return KT_PASS;
}

static int spin_in_asm(kt_thread_t *self, void *arg)
{
    (void)self;
    (void)arg;
    kt_spin();
}

TEST(tcb_preempted_thread_pc, "A thread that a timer interrupt preempted reports the "
     "instruction it was about to execute as pc, before and after Suspend")
{
    kt_thread_t t;
    KT_SPAWN(&t, "spinner", KT_PRIO_TEST - 1, spin_in_asm, NULL);
    KT_SLEEP_MS(3);
    seL4_UserContext c = { 0 };
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)kt_spin_insn);
    c.pc = 0;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 1, 0, 1, &c));
    KT_EQ(c.pc, (seL4_Word)kt_spin_insn);
    return KT_PASS;
}

/* ------------------------------------------------------------ priorities */

TEST(tcb_set_priority_preempts, "Raising a ready thread above us makes it run at once")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 1 };
    KT_THREAD(&t, "low", &o, set_flag, NULL);
    KT_START(&t);
    KT_EQ(t.user[0], 0);
    KT_OK(seL4_TCB_SetPriority(t.tcb, KT_ROOT_TCB, KT_PRIO_TEST + 1));
    KT_EQ(t.user[0], 1);
    return KT_PASS;
}

TEST(tcb_set_priority_above_mcp, "SetPriority above the authority's MCP is RangeError "
     "[0, mcp]; at the MCP it works")
{
    seL4_CPtr auth = BARE_TCB(), target = BARE_TCB();
    KT_OK(seL4_TCB_SetMCPriority(auth, KT_ROOT_TCB, 50));
    KT_ERR(seL4_TCB_SetPriority(target, auth, 51), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, 50);
    KT_OK(seL4_TCB_SetPriority(target, auth, 50));
    return KT_PASS;
}

TEST(tcb_set_priority_256, "SetPriority(256) with an MCP-255 authority is RangeError [0, 255]")
{
    seL4_CPtr target = BARE_TCB();
    KT_ERR(seL4_TCB_SetPriority(target, KT_ROOT_TCB, 256), seL4_RangeError);
    KT_MR_EQ(1, 255);
    KT_OK(seL4_TCB_SetPriority(target, KT_ROOT_TCB, 255));
    return KT_PASS;
}

TEST(tcb_set_priority_bad_authority, "SetPriority: a non-TCB authority is InvalidCapability "
     "(cap 1); no authority TruncatedMessage")
{
    seL4_CPtr target = BARE_TCB(), ep = KT_EP();
    KT_ERR(seL4_TCB_SetPriority(target, ep, 10), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_EQ(kt_call_raw(target, TCBSetPriority, 1, 0, 10, 0, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(target, TCBSetPriority, 0, 0, 10, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_set_mcpriority, "SetMCPriority is bounded by the authority's MCP too")
{
    seL4_CPtr auth = BARE_TCB(), target = BARE_TCB();
    KT_OK(seL4_TCB_SetMCPriority(auth, KT_ROOT_TCB, 30));
    KT_ERR(seL4_TCB_SetMCPriority(target, auth, 31), seL4_RangeError);
    KT_MR_EQ(1, 30);
    KT_OK(seL4_TCB_SetMCPriority(target, auth, 30));
    /* the target's new MCP now bounds what it authorises */
    KT_ERR(seL4_TCB_SetPriority(auth, target, 31), seL4_RangeError);
    KT_OK(seL4_TCB_SetPriority(auth, target, 29));
    return KT_PASS;
}

TEST(tcb_mcp_of_new_tcb_is_zero, "A new TCB's MCP is 0: as an authority it allows only "
     "priority 0")
{
    seL4_CPtr fresh = KT_TCB(), target = BARE_TCB();
    KT_ERR(seL4_TCB_SetPriority(target, fresh, 1), seL4_RangeError);
    KT_MR_EQ(1, 0);
    KT_OK(seL4_TCB_SetPriority(target, fresh, 0));
    return KT_PASS;
}

/* ------------------------------------------------------- SetSchedParams */

TEST(tcb_set_sched_params, "SetSchedParams binds a SchedContext and sets MCP and priority "
     "in one call")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .passive = true, .prio = 10 };
    KT_THREAD(&t, "sched-params", &o, set_flag, NULL);
    KT_START(&t);
    kt_yield_n(2);
    KT_EQ(t.user[0], 0);    /* no SchedContext: cannot run */
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_TCB_SetSchedParams(t.tcb, KT_ROOT_TCB, KT_PRIO_TEST + 5, KT_PRIO_TEST + 2, sc,
                                  seL4_CapNull));
    KT_EQ(t.user[0], 1);    /* ran at once: priority above ours */
    return KT_PASS;
}

TEST(tcb_set_sched_params_errors, "SetSchedParams: bad authority, SchedContext, fault "
     "endpoint and priorities give the right errors")
{
    seL4_CPtr tcb = BARE_TCB(), sc = KT_SC(), ep = KT_EP(), n = KT_NTFN();
    KT_ERR(seL4_TCB_SetSchedParams(tcb, ep, 10, 10, sc, ep), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 10, ep, ep), seL4_InvalidCapability);
    KT_MR_EQ(0, 2);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 10, sc, n), seL4_InvalidCapability);
    KT_MR_EQ(0, 3);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 256, 10, sc, ep), seL4_RangeError);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 256, sc, ep), seL4_RangeError);
    /* two caps only */
    seL4_SetCap(0, KT_ROOT_TCB);
    seL4_SetCap(1, sc);
    KT_EQ(kt_call_raw(tcb, TCBSetSchedParams, 2, 2, 10, 10, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_set_sched_params_sc_in_use, "SetSchedParams with a SchedContext bound elsewhere, or "
     "for a TCB that has another, is IllegalOperation")
{
    seL4_CPtr a = BARE_TCB(), b = BARE_TCB(), sc1 = KT_SC(), sc2 = KT_SC();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc1, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc2, 1000, 1000, 0, 0));
    KT_OK(seL4_TCB_SetSchedParams(a, KT_ROOT_TCB, 10, 10, sc1, seL4_CapNull));
    KT_ERR(seL4_TCB_SetSchedParams(b, KT_ROOT_TCB, 10, 10, sc1, seL4_CapNull),
           seL4_IllegalOperation);
    KT_ERR(seL4_TCB_SetSchedParams(a, KT_ROOT_TCB, 10, 10, sc2, seL4_CapNull),
           seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_set_sched_params_own_sc, "SetSchedParams naming the SchedContext the thread already "
     "has is accepted: priority and MCP change, the SchedContext stays bound")
{
    kt_thread_t t;
    KT_THREAD(&t, "own-sc", &(struct kt_thread_opts){ .prio = KT_PRIO_TEST - 1 }, set_flag, NULL);
    KT_START(&t);
    KT_EQ(t.user[0], 0);
    KT_OK(seL4_TCB_SetSchedParams(t.tcb, KT_ROOT_TCB, KT_PRIO_TEST + 2, KT_PRIO_TEST + 1, t.sc,
                                  seL4_CapNull));
    KT_EQ(t.user[0], 1);    /* now above us: ran at once */
    KT_OK(seL4_SchedContext_UnbindObject(t.sc, t.tcb));    /* still bound to it */
    return KT_PASS;
}

TEST(tcb_set_sched_params_unbind_self, "SetSchedParams without a SchedContext on the "
     "calling thread is IllegalOperation")
{
    KT_ERR(seL4_TCB_SetSchedParams(kt_self_tcb(), KT_ROOT_TCB, KT_PRIO_MAX, KT_PRIO_TEST,
                                   seL4_CapNull, seL4_CapNull), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_fault_endpoint_needs_grant, "A fault endpoint cap needs Write and Grant or "
     "GrantReply; otherwise InvalidCapability")
{
    seL4_CPtr tcb = BARE_TCB(), ep = KT_EP();
    seL4_CPtr w = KT_MINT(ep, seL4_CanWrite, 1);
    seL4_CPtr wg = KT_MINT(ep, seL4_CapRights_new(1, 0, 0, 1), 2);
    seL4_CPtr rg = KT_MINT(ep, seL4_CapRights_new(1, 1, 1, 0), 3);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 10, seL4_CapNull, w),
           seL4_InvalidCapability);
    KT_ERR(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 10, seL4_CapNull, rg),
           seL4_InvalidCapability);
    KT_OK(seL4_TCB_SetSchedParams(tcb, KT_ROOT_TCB, 10, 10, seL4_CapNull, wg));
    return KT_PASS;
}

TEST(tcb_set_timeout_endpoint, "SetTimeoutEndpoint takes an endpoint or a null cap; a "
     "notification is InvalidCapability")
{
    seL4_CPtr tcb = BARE_TCB(), ep = KT_EP(), n = KT_NTFN();
    KT_OK(seL4_TCB_SetTimeoutEndpoint(tcb, ep));
    KT_OK(seL4_TCB_SetTimeoutEndpoint(tcb, seL4_CapNull));
    KT_ERR(seL4_TCB_SetTimeoutEndpoint(tcb, n), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    return KT_PASS;
}

/* ------------------------------------------------- Configure and friends */

TEST(tcb_configure_errors, "Configure: non-CNode CSpace or non-VSpace VSpace is "
     "IllegalOperation; too few caps TruncatedMessage")
{
    seL4_CPtr tcb = KT_TCB(), ep = KT_EP();
    KT_ERR(seL4_TCB_Configure(tcb, ep, 0, KT_ROOT_VSPACE, 0, 0, seL4_CapNull),
           seL4_IllegalOperation);
    KT_ERR(seL4_TCB_Configure(tcb, R, 0, R, 0, 0, seL4_CapNull), seL4_IllegalOperation);
    seL4_SetCap(0, R);
    seL4_SetCap(1, KT_ROOT_VSPACE);
    KT_EQ(kt_call_raw(tcb, TCBConfigure, 3, 2, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_OK(seL4_TCB_Configure(tcb, R, 0, KT_ROOT_VSPACE, 0, 0, seL4_CapNull));
    return KT_PASS;
}

TEST(tcb_configure_unassigned_vspace, "Configure with a VSpace that has no ASID is "
     "IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_CPtr vs = KT_NEW(seL4_ARM_VSpaceObject, 0);
    KT_ERR(seL4_TCB_Configure(tcb, R, 0, vs, 0, 0, seL4_CapNull), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_configure_cspace_guard_too_big, "Configure with CSpace data whose guard does not "
     "fit is IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_Word data = seL4_CNode_CapData_new(0, 64 - kt_root_radix() + 1).words[0];
    KT_ERR(seL4_TCB_Configure(tcb, R, data, KT_ROOT_VSPACE, 0, 0, seL4_CapNull),
           seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_configure_ipc_buffer_checks, "Configure: an unaligned IPC buffer is AlignmentError, "
     "a non-frame buffer cap IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB(), ep = KT_EP();
    /* any page of our image will do as a buffer frame */
    static char page[4096] __attribute__((aligned(4096)));
    seL4_CPtr f = kt_image_frame(page);
    KT_ERR(seL4_TCB_Configure(tcb, R, 0, KT_ROOT_VSPACE, 0, (seL4_Word)page + 8, f),
           seL4_AlignmentError);
    KT_ERR(seL4_TCB_Configure(tcb, R, 0, KT_ROOT_VSPACE, 0, (seL4_Word)page, ep),
           seL4_IllegalOperation);
    KT_OK(seL4_TCB_Configure(tcb, R, 0, KT_ROOT_VSPACE, 0, (seL4_Word)page + 1024, f));
    return KT_PASS;
}

TEST(tcb_set_ipc_buffer, "SetIPCBuffer: aligned frame works, unaligned AlignmentError, "
     "non-frame IllegalOperation, address 0 clears")
{
    seL4_CPtr tcb = BARE_TCB(), ep = KT_EP();
    static char page[4096] __attribute__((aligned(4096)));
    seL4_CPtr f = kt_image_frame(page);
    KT_OK(seL4_TCB_SetIPCBuffer(tcb, (seL4_Word)page, f));
    KT_ERR(seL4_TCB_SetIPCBuffer(tcb, (seL4_Word)page + 512, f), seL4_AlignmentError);
    KT_ERR(seL4_TCB_SetIPCBuffer(tcb, (seL4_Word)page, ep), seL4_IllegalOperation);
    KT_OK(seL4_TCB_SetIPCBuffer(tcb, 0, seL4_CapNull));
    KT_EQ(kt_call_raw(tcb, TCBSetIPCBuffer, 1, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_set_ipc_buffer_device_frame, "SetIPCBuffer with a device frame is IllegalOperation")
{
    seL4_CPtr dev = kt_device_untyped(12, NULL, NULL);
    if (!dev)
        return kt_skip("no device untyped");
    seL4_CPtr tcb = BARE_TCB(), f = kt_slot();
    KT_OK(seL4_Untyped_Retype(dev, seL4_ARM_SmallPageObject, 0, R, 0, 0, f, 1));
    KT_ERR(seL4_TCB_SetIPCBuffer(tcb, 0x10000000, f), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(tcb_set_space, "SetSpace: valid caps work; a bad fault endpoint is InvalidCapability, "
     "bad CSpace/VSpace IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB(), ep = KT_EP(), n = KT_NTFN();
    KT_OK(seL4_TCB_SetSpace(tcb, ep, R, 0, KT_ROOT_VSPACE, 0));
    KT_OK(seL4_TCB_SetSpace(tcb, seL4_CapNull, R, 0, KT_ROOT_VSPACE, 0));
    KT_ERR(seL4_TCB_SetSpace(tcb, n, R, 0, KT_ROOT_VSPACE, 0), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_TCB_SetSpace(tcb, ep, ep, 0, KT_ROOT_VSPACE, 0), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_SetSpace(tcb, ep, R, 0, ep, 0), seL4_IllegalOperation);
    seL4_SetCap(0, ep);
    seL4_SetCap(1, R);
    KT_EQ(kt_call_raw(tcb, TCBSetSpace, 2, 2, 0, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

/* -------------------------------------------------- bound notifications */

TEST(tcb_bind_unbind_notification, "Bind then Unbind a notification; doing either twice is "
     "IllegalOperation")
{
    seL4_CPtr tcb = KT_TCB(), n = KT_NTFN(), n2 = KT_NTFN();
    KT_OK(seL4_TCB_BindNotification(tcb, n));
    KT_ERR(seL4_TCB_BindNotification(tcb, n2), seL4_IllegalOperation);
    KT_OK(seL4_TCB_UnbindNotification(tcb));
    KT_ERR(seL4_TCB_UnbindNotification(tcb), seL4_IllegalOperation);
    KT_OK(seL4_TCB_BindNotification(tcb, n2));
    return KT_PASS;
}

TEST(tcb_bind_notification_errors, "BindNotification: a non-notification, a cap without "
     "Read, or a notification bound elsewhere is IllegalOperation")
{
    seL4_CPtr a = KT_TCB(), b = KT_TCB(), n = KT_NTFN(), ep = KT_EP();
    seL4_CPtr wo = KT_MINT(n, seL4_CanWrite, 0);
    KT_ERR(seL4_TCB_BindNotification(a, ep), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_BindNotification(a, wo), seL4_IllegalOperation);
    KT_OK(seL4_TCB_BindNotification(a, n));
    KT_ERR(seL4_TCB_BindNotification(b, n), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(b, TCBBindNotification, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_bind_notification_with_waiter, "BindNotification of a notification someone waits "
     "on is IllegalOperation")
{
    seL4_CPtr n = KT_NTFN(), tcb = KT_TCB();
    kt_thread_t t;
    KT_SPAWN(&t, "waiter", KT_PRIO_TEST + 1, parked, (void *)n);
    KT_ERR(seL4_TCB_BindNotification(tcb, n), seL4_IllegalOperation);
    return KT_PASS;
}

/* ------------------------------------------------------------ TLS, flags */

static int read_tls(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = kt_read_tpidr();
    self->user[1] = 1;
    return KT_PASS;
}

TEST(tcb_set_tls_base, "SetTLSBase sets TPIDR_EL0: the thread and ReadRegisters see it")
{
    kt_thread_t t;
    KT_THREAD(&t, "tls", NULL, read_tls, NULL);
    KT_OK(seL4_TCB_SetTLSBase(t.tcb, 0x123456789abcul));
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, 0, 0, 36, &c));
    KT_EQ(c.tpidr_el0, 0x123456789abcul);
    KT_START(&t);
    KT_ASSERT(kt_wait_word(&t.user[1], 10));
    KT_EQ(t.user[0], 0x123456789abcul);
    KT_EQ(kt_call_raw(t.tcb, TCBSetTLSBase, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(tcb_tls_preserved_across_switches, "Each thread keeps its own TPIDR_EL0 across "
     "context switches")
{
    kt_thread_t a, b;
    KT_THREAD(&a, "tls-a", NULL, read_tls, NULL);
    KT_THREAD(&b, "tls-b", NULL, read_tls, NULL);
    KT_OK(seL4_TCB_SetTLSBase(a.tcb, 0xaaaa));
    KT_OK(seL4_TCB_SetTLSBase(b.tcb, 0xbbbb));
    KT_START(&a);
    KT_START(&b);
    KT_ASSERT(kt_wait_word(&a.user[1], 10) && kt_wait_word(&b.user[1], 10));
    KT_EQ(a.user[0], 0xaaaa);
    KT_EQ(b.user[0], 0xbbbb);
    return KT_PASS;
}

TEST(tcb_set_flags, "SetFlags clears then sets; it returns the new flags; unknown bits are "
     "ignored")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(tcb, 0, 0);
    KT_OK(r.error);
    KT_EQ(r.flags, 0);
    r = seL4_TCB_SetFlags(tcb, 0, seL4_TCBFlag_fpuDisabled);
    KT_OK(r.error);
    KT_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(tcb, 0, 0);
    KT_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(tcb, seL4_TCBFlag_fpuDisabled, 0);
    KT_EQ(r.flags, 0);
    r = seL4_TCB_SetFlags(tcb, 0, 0x100);
    KT_OK(r.error);
    KT_EQ(r.flags, 0);
    KT_EQ(kt_call_raw(tcb, TCBSetFlags, 1, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    return KT_PASS;
}

static int use_fpu(kt_thread_t *self, void *arg)
{
    kt_fpu_touch();
    self->user[0] = 1;
    /* tell a waiting fault handler that no fault came */
    if (arg)
        seL4_Send((seL4_CPtr)arg, seL4_MessageInfo_new(0x99, 0, 0, 0));
    return KT_PASS;
}

TEST(tcb_fpu_enabled_by_default, "A new thread may use the FPU without faulting")
{
    kt_thread_t t;
    KT_SPAWN(&t, "fpu-user", KT_PRIO_TEST + 1, use_fpu, NULL);
    KT_ASSERT(kt_wait_word(&t.user[0], 10));
    return KT_PASS;
}

TEST(tcb_fpu_disabled_faults, "With fpuDisabled, an FPU instruction is a user exception "
     "for the thread's fault handler (a VCPU fault with its ESR under the EL2 kernel, as seL4)")
{
    seL4_CPtr fep = KT_EP(), reply = KT_REPLY();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 1, .fault_ep = fep };
    KT_THREAD(&t, "fpu-off", &o, use_fpu, (void *)fep);
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(t.tcb, 0, seL4_TCBFlag_fpuDisabled);
    KT_OK(r.error);
    KT_START(&t);
    seL4_MessageInfo_t m = seL4_Recv(fep, NULL, reply);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_VCPUFault);
    KT_EQ(seL4_MessageInfo_get_length(m), seL4_VCPUFault_Length);
    KT_EQ(seL4_GetMR(seL4_VCPUFault_HSR) >> 26, 0x07);     /* EC: FP/SIMD access */
#else
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UserException);
    KT_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)kt_fpu_insn);
#endif
    KT_EQ(t.user[0], 0);
    return KT_PASS;
}
