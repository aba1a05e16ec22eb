/*
 * The fast paths (kernel/src/fastpath.c), run with CONFIG_FASTPATH on and
 * off (make test-kernel, test-kernel-slowpath). The IPC fast path caches
 * the slots a thread's Call and ReplyRecv CPtrs resolve to: these tests
 * change what a CPtr names between fast-path calls, in the last slot and
 * on the path through the CSpace, and check that every call still goes
 * where seL4 says. Then the active-server Call, and Signal and Poll on
 * notifications (the cases the fast path takes and its edges).
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH

struct fp_server {
    seL4_CPtr ep, reply;
    volatile seL4_Word calls;
};

/* Passive server: answers with its `tag` in MR0. */
static int fp_server_loop(kt_thread_t *self, void *arg)
{
    struct fp_server *s = arg;
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->calls++;
        seL4_SetMR(0, self->user[0]);
        m = seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(m), 0, 0, 1),
                           &badge, s->reply);
    }
    return KT_PASS;
}

static int fp_make_server(kt_thread_t *t, struct fp_server *s, seL4_Word tag)
{
    s->ep = KT_EP();
    s->reply = KT_REPLY();
    KT_THREAD(t, "fp-server", &(struct kt_thread_opts){ .prio = KT_PRIO_TEST + 2 },
              fp_server_loop, s);
    t->user[0] = tag;
    KT_START(t);
    KT_OK(seL4_SchedContext_UnbindObject(t->sc, t->tcb));
    return KT_PASS;
}

static seL4_Word fp_call(seL4_CPtr ep)
{
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(5, 0, 0, 0));
    return seL4_MessageInfo_get_label(r) == 5 ? seL4_GetMR(0) : ~0ul;
}

TEST(fastpath_follows_a_changed_slot, "A fast-path Call sees a new cap in a slot it used "
     "before: another endpoint, then a notification")
{
    kt_thread_t t1, t2;
    struct fp_server s1 = { 0 }, s2 = { 0 };
    if (fp_make_server(&t1, &s1, 111) != KT_PASS || fp_make_server(&t2, &s2, 222) != KT_PASS)
        return KT_FAILED;
    seL4_CPtr c = KT_COPY(s1.ep, seL4_AllRights);
    KT_EQ(fp_call(c), 111);
    KT_EQ(fp_call(c), 111);
    KT_OK(seL4_CNode_Delete(R, c, D));
    KT_OK(seL4_CNode_Copy(R, c, D, R, s2.ep, D, seL4_AllRights));
    KT_EQ(fp_call(c), 222);
    seL4_CPtr n = KT_NTFN();
    KT_OK(seL4_CNode_Delete(R, c, D));
    KT_OK(seL4_CNode_Copy(R, c, D, R, n, D, seL4_AllRights));
    seL4_MessageInfo_t r = seL4_Call(c, seL4_MessageInfo_new(5, 0, 0, 0));
    KT_EQ(seL4_MessageInfo_get_label(r), 0);   /* a Call on a notification signals it */
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);                            /* unbadged copy: a zero-bit signal */
    KT_EQ(s1.calls, 2);
    KT_EQ(s2.calls, 1);
    return KT_PASS;
}

/* A client in its own two-level CSpace: top CNode slot 3 holds the CNode
   where its endpoint lives; slot 2 a notification it waits on. */
#define FP_TOP_RADIX 4
#define FP_SUB_RADIX 4
#define FP_PATH_CPTR ((3ul << (64 - FP_TOP_RADIX)) | 1ul)
#define FP_WAIT_CPTR (2ul << (64 - FP_TOP_RADIX))

static int fp_client(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (int i = 0; i < 4; i++) {
        self->user[1 + i] = fp_call(FP_PATH_CPTR);
        seL4_Wait(FP_WAIT_CPTR, NULL);
    }
    for (;;)
        seL4_Wait(FP_WAIT_CPTR, NULL);
    return KT_PASS;
}

TEST(fastpath_follows_a_changed_cspace_path, "A fast-path Call through a two-level CSpace "
     "follows a CNode replaced on the path, and one moved away")
{
    kt_thread_t t1, t2, client;
    struct fp_server s1 = { 0 }, s2 = { 0 };
    if (fp_make_server(&t1, &s1, 111) != KT_PASS || fp_make_server(&t2, &s2, 222) != KT_PASS)
        return KT_FAILED;
    seL4_CPtr top = KT_CNODE(FP_TOP_RADIX), sub1 = KT_CNODE(FP_SUB_RADIX);
    seL4_CPtr sub2 = KT_CNODE(FP_SUB_RADIX), n = KT_NTFN();
    seL4_Word sub_guard = 64 - FP_TOP_RADIX - FP_SUB_RADIX;
    /* sub1[1] = s1's endpoint, sub2[1] = s2's; top[3] = sub1 (guard of zeros) */
    KT_OK(seL4_CNode_Copy(sub1, 1, FP_SUB_RADIX, R, s1.ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(sub2, 1, FP_SUB_RADIX, R, s2.ep, D, seL4_AllRights));
    KT_OK(seL4_CNode_Mint(top, 3, FP_TOP_RADIX, R, sub1, D, seL4_AllRights,
                          seL4_CNode_CapData_new(0, sub_guard).words[0]));
    KT_OK(seL4_CNode_Copy(top, 2, FP_TOP_RADIX, R, n, D, seL4_AllRights));

    KT_THREAD(&client, "fp-client", &(struct kt_thread_opts){ .prio = KT_PRIO_TEST + 1 },
              fp_client, NULL);
    KT_OK(seL4_TCB_SetSpace(client.tcb, seL4_CapNull, top, 0, seL4_CapInitThreadVSpace, 0));
    KT_START(&client);
    kt_yield_n(2);
    KT_EQ(client.user[1], 111);
    seL4_Signal(n);
    kt_yield_n(2);
    KT_EQ(client.user[2], 111);             /* the cached path, still right */

    /* Replace the CNode on the path: the same CPtr now reaches s2. */
    KT_OK(seL4_CNode_Delete(top, 3, FP_TOP_RADIX));
    KT_OK(seL4_CNode_Mint(top, 3, FP_TOP_RADIX, R, sub2, D, seL4_AllRights,
                          seL4_CNode_CapData_new(0, sub_guard).words[0]));
    seL4_Signal(n);
    kt_yield_n(2);
    KT_EQ(client.user[3], 222);

    /* The CNode moves away (with a new guard): the CPtr now stops at an
       empty slot, and the Call is answered with InvalidCapability. */
    KT_OK(seL4_CNode_Mutate(top, 4, FP_TOP_RADIX, top, 3, FP_TOP_RADIX,
                            seL4_CNode_CapData_new(1, sub_guard).words[0]));
    seL4_Signal(n);
    kt_yield_n(2);
    KT_EQ(client.user[4], ~0ul);            /* an error reply, no server */
    KT_EQ(s2.calls, 1);
    KT_EQ(s1.calls, 2);
    return KT_PASS;
}

/*
 * Active servers (their own SchedContext, Microkit's default): the fast
 * path takes Call and ReplyRecv when both SCs are round robin, charging the
 * caller's SC and starting the server's as the slow path does; these
 * tests hold with the fast path on and off (make test-kernel-slowpath).
 */
struct fp_active {
    seL4_CPtr ep, reply;
    volatile seL4_Word calls;
    volatile seL4_Word spin;        /* iterations to burn per call */
};

static int fp_active_loop(kt_thread_t *self, void *arg)
{
    (void)self;
    struct fp_active *s = arg;
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->calls++;
        kt_log_event('S');
        for (volatile seL4_Word i = 0; i < s->spin; i++)
            ;
        seL4_Word sum = 0;
        for (seL4_Word i = 0; i < seL4_MessageInfo_get_length(m); i++)
            sum += seL4_GetMR(i);
        seL4_SetMR(0, sum + badge);
        m = seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(m) + 1, 0, 0, 1),
                           &badge, s->reply);
    }
    return KT_PASS;
}

static int fp_make_active(kt_thread_t *t, struct fp_active *s, int prio,
                          seL4_Time budget, seL4_Time period)
{
    s->ep = KT_EP();
    s->reply = KT_REPLY();
    struct kt_thread_opts o = { .prio = prio, .budget = budget, .period = period };
    KT_THREAD(t, "fp-active", &o, fp_active_loop, s);
    KT_START(t);
    kt_yield_n(2);      /* it waits on its endpoint */
    return KT_PASS;
}

TEST(fastpath_active_server_answers, "Calls to an active server of the caller's priority "
     "carry the message, badge and label both ways, 200 times")
{
    kt_thread_t t;
    struct fp_active s = { 0 };
    if (fp_make_active(&t, &s, KT_PRIO_TEST, 0, 0) != KT_PASS)
        return KT_FAILED;
    seL4_CPtr badged = KT_MINT(s.ep, seL4_AllRights, 0x40);
    for (seL4_Word i = 0; i < 200; i++) {
        seL4_Word mr0 = i, mr1 = 1, mr2 = 2, mr3 = 3;     /* in registers, both ways */
        seL4_MessageInfo_t r = seL4_CallWithMRs(badged, seL4_MessageInfo_new(7, 0, 0, 4),
                                                &mr0, &mr1, &mr2, &mr3);
        KT_EQ(seL4_MessageInfo_get_label(r), 8);
        KT_EQ(seL4_MessageInfo_get_length(r), 1);
        KT_EQ(mr0, i + 6 + 0x40);
    }
    KT_EQ(s.calls, 200);
    return KT_PASS;
}

TEST(fastpath_active_server_charges_its_own_sc, "The time an active server runs for a call "
     "is charged to its own SchedContext, not to its caller's")
{
    kt_thread_t t;
    struct fp_active s = { .spin = 20000 };
    if (fp_make_active(&t, &s, KT_PRIO_TEST, 0, 0) != KT_PASS)
        return KT_FAILED;
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(kt_self_sc());
    KT_OK(c.error);
    c = seL4_SchedContext_Consumed(t.sc);
    KT_OK(c.error);
    for (int i = 0; i < 20; i++)
        seL4_Call(s.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_SchedContext_Consumed_t server = seL4_SchedContext_Consumed(t.sc);
    seL4_SchedContext_Consumed_t client = seL4_SchedContext_Consumed(kt_self_sc());
    KT_OK(server.error);
    KT_OK(client.error);
    KT_EQ(s.calls, 20);
    /* 20 x 20000 iterations in the server, a few instructions per call here */
    KT_GT(server.consumed, 4 * client.consumed);
    KT_GT(server.consumed, 0);
    return KT_PASS;
}

static int fp_ready_logger(kt_thread_t *self, void *arg)
{
    (void)self;
    (void)arg;
    kt_log_event('R');
    return KT_PASS;
}

TEST(fastpath_active_server_waits_for_a_better_ready_thread, "A Call to an active server "
     "below a ready thread's priority runs that thread first; one of the ready thread's "
     "priority runs first itself")
{
    kt_thread_t low, same, r1, r2;
    struct fp_active sl = { 0 }, ss = { 0 };
    if (fp_make_active(&low, &sl, KT_PRIO_TEST - 2, 0, 0) != KT_PASS ||
        fp_make_active(&same, &ss, KT_PRIO_TEST, 0, 0) != KT_PASS)
        return KT_FAILED;
    kt_log_reset();
    /* r1 is ready at our priority (behind us) when we call the lower server */
    KT_SPAWN(&r1, "ready", KT_PRIO_TEST, fp_ready_logger, NULL);
    seL4_Call(sl.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_LOG_IS("RS");
    kt_log_reset();
    /* r2 is ready at our priority when we call the server of our priority */
    KT_SPAWN(&r2, "ready", KT_PRIO_TEST, fp_ready_logger, NULL);
    seL4_Call(ss.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    kt_log_event('C');
    kt_yield_n(1);
    KT_LOG_IS("SCR");
    return KT_PASS;
}

TEST(fastpath_active_server_small_budgets, "Calls to active servers with a budget smaller "
     "than the work of a call (round robin) and with a sporadic budget all complete")
{
    kt_thread_t rr, sp;
    struct fp_active a = { .spin = 5000 }, b = { .spin = 5000 };
    if (fp_make_active(&rr, &a, KT_PRIO_TEST + 1, 100, 100) != KT_PASS ||
        fp_make_active(&sp, &b, KT_PRIO_TEST + 1, 100, 1000) != KT_PASS)
        return KT_FAILED;
    for (seL4_Word i = 0; i < 30; i++) {
        seL4_SetMR(0, i);
        seL4_Call(a.ep, seL4_MessageInfo_new(0, 0, 0, 1));
        KT_EQ(seL4_GetMR(0), i);
        seL4_SetMR(0, i);
        seL4_Call(b.ep, seL4_MessageInfo_new(0, 0, 0, 1));
        KT_EQ(seL4_GetMR(0), i);
    }
    KT_EQ(a.calls, 30);
    KT_EQ(b.calls, 30);
    return KT_PASS;
}

/* ---------------------------------------------------------------- notifications */

struct fp_waiter {
    seL4_CPtr ntfn;
    char id;
    volatile int woken;
    volatile seL4_Word badge;
};

static int fp_wait_and_log(kt_thread_t *self, void *arg)
{
    (void)self;
    struct fp_waiter *w = arg;
    seL4_Word badge = 0;
    seL4_Wait(w->ntfn, &badge);
    w->badge = badge;
    w->woken = 1;
    kt_log_event(w->id);
    return KT_PASS;
}

/* A waiter blocked on w->ntfn, then moved to priority `prio`. */
static int fp_make_waiter(kt_thread_t *t, struct fp_waiter *w, int prio)
{
    KT_SPAWN(t, "fp-waiter", KT_PRIO_TEST + 1, fp_wait_and_log, w);
    KT_EQ(w->woken, 0);
    KT_OK(seL4_TCB_SetPriority(t->tcb, KT_ROOT_TCB, prio));
    return KT_PASS;
}

TEST(fastpath_signal_readies_a_lower_waiter, "A Signal that wakes a lower-priority waiter "
     "only readies it: the signaller goes on, the waiter has the badge when it runs, and the "
     "next Signal finds the notification idle")
{
    struct fp_waiter w = { .ntfn = KT_NTFN(), .id = 'w' };
    seL4_CPtr b30 = KT_MINT(w.ntfn, seL4_AllRights, 0x30);
    seL4_CPtr b1 = KT_MINT(w.ntfn, seL4_AllRights, 0x1);
    kt_thread_t t;
    if (fp_make_waiter(&t, &w, KT_PRIO_TEST - 1) != KT_PASS)
        return KT_FAILED;
    seL4_Signal(b30);
    KT_EQ(w.woken, 0);              /* ready, not running */
    seL4_Signal(b1);                /* the notification was left idle: now active */
    KT_OK(seL4_TCB_SetPriority(t.tcb, KT_ROOT_TCB, KT_PRIO_TEST + 1));     /* it runs now */
    KT_EQ(w.woken, 1);
    KT_EQ(w.badge, 0x30);
    seL4_Word badge = 0;
    seL4_Poll(w.ntfn, &badge);
    KT_EQ(badge, 0x1);
    seL4_Poll(w.ntfn, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(fastpath_signal_queues_an_equal_waiter_last, "A waiter of the signaller's priority "
     "woken by a Signal runs after the threads already ready at that priority, and after the "
     "signaller yields")
{
    struct fp_waiter w = { .ntfn = KT_NTFN(), .id = 'W' };
    kt_thread_t t, r;
    if (fp_make_waiter(&t, &w, KT_PRIO_TEST) != KT_PASS)
        return KT_FAILED;
    kt_log_reset();
    KT_SPAWN(&r, "ready", KT_PRIO_TEST, fp_ready_logger, NULL);
    seL4_Signal(w.ntfn);
    kt_log_event('S');
    kt_yield_n(1);
    kt_log_event('Y');
    KT_LOG_IS("SRWY");
    return KT_PASS;
}

TEST(fastpath_signal_many_waiters_in_turn, "Signals to a queue of lower-priority waiters "
     "ready them one per Signal, in queue order, each with its own badge")
{
    seL4_CPtr n = KT_NTFN();
    struct fp_waiter w[3];
    kt_thread_t t[3];
    kt_log_reset();
    for (int i = 0; i < 3; i++) {
        w[i] = (struct fp_waiter){ .ntfn = n, .id = (char)('a' + i) };
        if (fp_make_waiter(&t[i], &w[i], KT_PRIO_TEST - 1) != KT_PASS)
            return KT_FAILED;
    }
    for (seL4_Word i = 0; i < 3; i++) {
        seL4_Signal(KT_MINT(n, seL4_AllRights, 1ul << i));
        KT_EQ(w[i].woken, 0);
    }
    for (int i = 0; i < 3; i++)
        KT_OK(seL4_TCB_SetPriority(t[i].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 1));
    KT_LOG_IS("abc");
    for (int i = 0; i < 3; i++)
        KT_EQ(w[i].badge, 1ul << i);
    return KT_PASS;
}

TEST(fastpath_signal_with_extra_caps, "A Signal whose message names extra caps looks them "
     "up first: an NBSend with a bad one signals nothing, with a good one it signals")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x4);
    seL4_SetCap(0, 0xfffff);       /* an empty slot */
    seL4_NBSend(b, seL4_MessageInfo_new(0, 0, 1, 0));
    seL4_Word badge = 0x99;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    seL4_SetCap(0, n);
    seL4_NBSend(b, seL4_MessageInfo_new(0, 0, 1, 0));
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0x4);
    return KT_PASS;
}

TEST(fastpath_poll_of_the_bound_notification, "The thread a notification is bound to may "
     "Poll it: pending bits once, then 0")
{
    seL4_CPtr n = KT_NTFN();
    KT_OK(seL4_TCB_BindNotification(kt_self_tcb(), n));
    seL4_Signal(KT_MINT(n, seL4_AllRights, 0x11));
    seL4_Signal(KT_MINT(n, seL4_AllRights, 0x100));
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0x111);
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    KT_OK(seL4_TCB_UnbindNotification(kt_self_tcb()));
    return KT_PASS;
}
