/*
 * FPU switching (kernel/arch/aarch64/fpu.c, arch/switch.h): lazy for a
 * thread until its first FP instruction traps, then eager on its next
 * FPU_EAGER_SWITCHES (128) switches, then lazy again. Whatever the path
 * of a switch (IPC fast path to a passive or an active server, the slow
 * path, Yield), every thread must find all its FP/SIMD registers and FPCR
 * as it left them, across more switches than one eager run, and a thread
 * whose FPU is disabled must fault even after it used the FPU eagerly.
 */
#include "ktest.h"

#define FPU_ROUNDS 300      /* more than two eager runs of 128 */

struct fpu_server {
    seL4_CPtr ep, reply;
    seL4_Word seed;
    volatile seL4_Word rounds, bad;
};

/* Checks its registers on every call, then answers with MR0 = the
   call's MR0 + 1 (through the fast path when it may). */
static int fpu_server_loop(kt_thread_t *self, void *arg)
{
    (void)self;
    struct fpu_server *s = arg;
    seL4_Word badge;
    kt_fpu_fill(s->seed);
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        seL4_Word bad = kt_fpu_check(s->seed);
        if (bad && !s->bad)
            s->bad = bad;
        s->rounds++;
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        m = seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, s->reply);
        (void)m;
    }
    return KT_PASS;
}

/* The test thread calls the server FPU_ROUNDS times with its own values. */
static int fpu_ipc_rounds(bool passive)
{
    struct fpu_server s = { .seed = 0x5e5e0000, .bad = 0 };
    s.ep = KT_EP();
    s.reply = KT_REPLY();
    kt_thread_t t;
    KT_THREAD(&t, "fpu-server", &(struct kt_thread_opts){ .prio = KT_PRIO_TEST + 1 },
              fpu_server_loop, &s);
    KT_START(&t);
    if (passive)
        KT_OK(seL4_SchedContext_UnbindObject(t.sc, t.tcb));
    const seL4_Word seed = 0xc1c10000;
    kt_fpu_fill(seed);
    for (seL4_Word i = 0; i < FPU_ROUNDS; i++) {
        seL4_SetMR(0, i);
        seL4_Call(s.ep, seL4_MessageInfo_new(0, 0, 0, 1));
        KT_EQ(seL4_GetMR(0), i + 1);
        KT_EQ(kt_fpu_check(seed), 0);
    }
    KT_EQ(s.rounds, FPU_ROUNDS);
    KT_EQ(s.bad, 0);
    return KT_PASS;
}

TEST(fpu_registers_survive_passive_server_calls, "Client and passive server both using the "
     "FPU: each keeps all its FP registers and FPCR over 300 Call/ReplyRecv round trips")
{
    return fpu_ipc_rounds(true);
}

TEST(fpu_registers_survive_active_server_calls, "Client and active server (own SC) both "
     "using the FPU: each keeps all its FP registers and FPCR over 300 round trips")
{
    return fpu_ipc_rounds(false);
}

struct fpu_yielder {
    seL4_Word seed;
    volatile seL4_Word rounds, bad;
};

static int fpu_yield_loop(kt_thread_t *self, void *arg)
{
    (void)self;
    struct fpu_yielder *y = arg;
    kt_fpu_fill(y->seed);
    for (;;) {
        seL4_Yield();
        seL4_Word bad = kt_fpu_check(y->seed);
        if (bad && !y->bad)
            y->bad = bad;
        y->rounds++;
    }
    return KT_PASS;
}

TEST(fpu_registers_survive_yields, "Two threads of one priority using the FPU and yielding "
     "to each other (slow path): each keeps its FP registers over 300 switches")
{
    struct fpu_yielder a = { .seed = 0xa0000 }, b = { .seed = 0xb0001 };
    kt_thread_t ta, tb;
    KT_SPAWN(&ta, "fpu-yield-a", KT_PRIO_TEST - 1, fpu_yield_loop, &a);
    KT_SPAWN(&tb, "fpu-yield-b", KT_PRIO_TEST - 1, fpu_yield_loop, &b);
    /* They run while the test thread sleeps. */
    for (int i = 0; i < 100 && (a.rounds < FPU_ROUNDS || b.rounds < FPU_ROUNDS); i++)
        KT_SLEEP_MS(1);
    KT_OK(seL4_TCB_Suspend(ta.tcb));
    KT_OK(seL4_TCB_Suspend(tb.tcb));
    KT_GE(a.rounds, FPU_ROUNDS);
    KT_GE(b.rounds, FPU_ROUNDS);
    KT_EQ(a.bad, 0);
    KT_EQ(b.bad, 0);
    return KT_PASS;
}

static int plain_yield_loop(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;) {
        seL4_Yield();
        self->user[0]++;
    }
    return KT_PASS;
}

TEST(fpu_eager_switch_after_thread_without_fpu, "Two FPU threads with one that never uses "
     "it between them (A, C, B, C...): every eager switch happens while FP access is "
     "trapped for the thread leaving, and each FPU thread keeps its registers")
{
    struct fpu_yielder a = { .seed = 0xa1000 }, b = { .seed = 0xb1001 };
    kt_thread_t ta, tb, tc;
    KT_SPAWN(&ta, "fpu-yield-a", KT_PRIO_TEST - 1, fpu_yield_loop, &a);
    KT_SPAWN(&tc, "plain-yield", KT_PRIO_TEST - 1, plain_yield_loop, NULL);
    KT_SPAWN(&tb, "fpu-yield-b", KT_PRIO_TEST - 1, fpu_yield_loop, &b);
    for (int i = 0; i < 100 && (a.rounds < FPU_ROUNDS || b.rounds < FPU_ROUNDS); i++)
        KT_SLEEP_MS(1);
    KT_OK(seL4_TCB_Suspend(ta.tcb));
    KT_OK(seL4_TCB_Suspend(tb.tcb));
    KT_OK(seL4_TCB_Suspend(tc.tcb));
    KT_GE(a.rounds, FPU_ROUNDS);
    KT_GE(b.rounds, FPU_ROUNDS);
    KT_GE(tc.user[0], FPU_ROUNDS);
    KT_EQ(a.bad, 0);
    KT_EQ(b.bad, 0);
    return KT_PASS;
}

static int fpu_then_wait(kt_thread_t *self, void *arg)
{
    seL4_CPtr n = (seL4_CPtr)arg;
    kt_fpu_fill(7);
    for (;;) {
        self->user[0]++;
        seL4_Wait(n, NULL);
        kt_fpu_touch();     /* faults once the FPU is disabled */
        self->user[1]++;
    }
    return KT_PASS;
}

TEST(fpu_disabled_after_eager_use_faults, "A thread that used the FPU (switched eagerly "
     "since) faults on its next FP instruction once SetFlags disables its FPU")
{
    seL4_CPtr n = KT_NTFN(), fep = KT_EP(), reply = KT_REPLY();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 1, .fault_ep = fep };
    KT_THREAD(&t, "fpu-eager", &o, fpu_then_wait, (void *)n);
    KT_START(&t);
    for (int i = 0; i < 5; i++) {
        kt_fpu_fill(100);          /* the FPU changes hands each round */
        seL4_Signal(n);
    }
    KT_EQ(t.user[1], 5);
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(t.tcb, 0, seL4_TCBFlag_fpuDisabled);
    KT_OK(r.error);
    seL4_Signal(n);
    seL4_MessageInfo_t m = seL4_Recv(fep, NULL, reply);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_VCPUFault);
#else
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_UserException);
    KT_EQ(seL4_GetMR(seL4_UserException_FaultIP), (seL4_Word)kt_fpu_insn);
#endif
    KT_EQ(t.user[1], 5);
    return KT_PASS;
}
