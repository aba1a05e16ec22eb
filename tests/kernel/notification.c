/*
 * Notifications: Signal ORs badges into the word, Wait/Poll take and clear
 * it, waiters queue in order, bound notifications wake an endpoint receive,
 * rights, and deletion with a waiter.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH
#define HI (KT_PRIO_TEST + 1)

struct waiter {
    seL4_CPtr ntfn;
    volatile int got;
    volatile seL4_Word badge;
};

static int wait_once(kt_thread_t *self, void *arg)
{
    (void)self;
    struct waiter *w = arg;
    seL4_Word badge = 0;
    seL4_Wait(w->ntfn, &badge);
    w->badge = badge;
    w->got = 1;
    return KT_PASS;
}

TEST(ntfn_signal_then_wait, "Wait after a Signal returns at once with the signaller's badge")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x21);
    seL4_Signal(b);
    seL4_Word badge = 0;
    seL4_Wait(n, &badge);
    KT_EQ(badge, 0x21);
    return KT_PASS;
}

TEST(ntfn_badges_or_together, "Signals with different badges OR into one word; Wait takes it "
     "and clears it")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b1 = KT_MINT(n, seL4_AllRights, 0x1);
    seL4_CPtr b2 = KT_MINT(n, seL4_AllRights, 0x2);
    seL4_CPtr b8 = KT_MINT(n, seL4_AllRights, 0x8);
    seL4_Signal(b1);
    seL4_Signal(b8);
    seL4_Signal(b2);
    seL4_Signal(b1);
    seL4_Word badge = 0;
    seL4_Wait(n, &badge);
    KT_EQ(badge, 0xb);
    badge = 1;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(ntfn_all_64_bits, "Badges with all 64 bits OR correctly")
{
    seL4_CPtr n = KT_NTFN();
    for (int i = 0; i < 64; i += 7) {
        seL4_CPtr b = KT_MINT(n, seL4_AllRights, 1ul << i);
        seL4_Signal(b);
    }
    seL4_Word expect = 0;
    for (int i = 0; i < 64; i += 7)
        expect |= 1ul << i;
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, expect);
    return KT_PASS;
}

TEST(ntfn_poll_empty, "Poll of an idle notification returns at once with badge 0")
{
    seL4_CPtr n = KT_NTFN();
    seL4_Word badge = 0x77;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(ntfn_wait_blocks_until_signal, "Wait blocks until a Signal, which wakes the waiter with "
     "the badge")
{
    struct waiter w = { .ntfn = KT_NTFN() };
    seL4_CPtr b = KT_MINT(w.ntfn, seL4_AllRights, 0x500);
    kt_thread_t t;
    KT_SPAWN(&t, "waiter", HI, wait_once, &w);
    KT_EQ(w.got, 0);
    seL4_Signal(b);
    KT_EQ(w.got, 1);
    KT_EQ(w.badge, 0x500);
    return KT_PASS;
}

TEST(ntfn_unbadged_signal_wakes, "A Signal through an unbadged cap wakes a waiter (badge 0)")
{
    struct waiter w = { .ntfn = KT_NTFN() };
    kt_thread_t t;
    KT_SPAWN(&t, "waiter", HI, wait_once, &w);
    seL4_Signal(w.ntfn);
    KT_EQ(w.got, 1);
    KT_EQ(w.badge, 0);
    return KT_PASS;
}

TEST(ntfn_one_signal_one_waiter, "One Signal wakes exactly one waiter, the first to block")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 4);
    struct waiter w1 = { .ntfn = n }, w2 = { .ntfn = n };
    kt_thread_t t1, t2;
    KT_SPAWN(&t1, "waiter1", HI, wait_once, &w1);
    KT_SPAWN(&t2, "waiter2", HI, wait_once, &w2);
    seL4_Signal(b);
    KT_EQ(w1.got, 1);
    KT_EQ(w2.got, 0);
    seL4_Signal(b);
    KT_EQ(w2.got, 1);
    KT_EQ(w2.badge, 4);
    return KT_PASS;
}

TEST(ntfn_recv_with_reply_arg, "Recv (with a reply register) on a notification behaves like "
     "Wait")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x11);
    seL4_Signal(b);
    seL4_Word badge = 0;
    seL4_Recv(n, &badge, seL4_CapNull);
    KT_EQ(badge, 0x11);
    return KT_PASS;
}

TEST(ntfn_send_and_nbsend_signal, "Send and NBSend on a notification cap signal it too")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b1 = KT_MINT(n, seL4_AllRights, 0x10);
    seL4_CPtr b2 = KT_MINT(n, seL4_AllRights, 0x20);
    seL4_SetMR(0, 0x1234);
    seL4_Send(b1, seL4_MessageInfo_new(7, 0, 0, 1));
    seL4_NBSend(b2, seL4_MessageInfo_new(7, 0, 0, 1));
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0x30);
    return KT_PASS;
}

TEST(ntfn_call_signals, "Call on a notification signals it and returns an empty reply "
     "(label 0, length 0, whatever was sent)")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr b = KT_MINT(n, seL4_AllRights, 0x3);
    seL4_MessageInfo_t r = seL4_Call(b, seL4_MessageInfo_new(0x33, 0, 0, 2));
    KT_EQ(seL4_MessageInfo_get_label(r), seL4_NoError);
    KT_EQ(seL4_MessageInfo_get_length(r), 0);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0x3);
    return KT_PASS;
}

TEST(ntfn_signal_needs_write, "A notification cap without Write cannot signal")
{
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr ro = KT_MINT(n, seL4_CanRead, 0x8);
    seL4_Signal(ro);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

/* ------------------------------------------------------ bound notifications */

struct bound_rx {
    seL4_CPtr ep, reply;
    volatile int got;
    volatile seL4_Word badge;
    volatile seL4_Word label;
};

static int bound_receiver(kt_thread_t *self, void *arg)
{
    (void)self;
    struct bound_rx *b = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(b->ep, &badge, b->reply);
    b->badge = badge;
    b->label = seL4_MessageInfo_get_label(m);
    b->got = 1;
    return KT_PASS;
}

TEST(ntfn_bound_wakes_endpoint_recv, "A Signal to a thread's bound notification wakes its "
     "Recv on an endpoint with the badge")
{
    struct bound_rx b = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr nb = KT_MINT(n, seL4_AllRights, 0x40);
    kt_thread_t t;
    KT_THREAD(&t, "bound-rx", &(struct kt_thread_opts){ .prio = HI }, bound_receiver, &b);
    KT_OK(seL4_TCB_BindNotification(t.tcb, n));
    KT_START(&t);
    KT_EQ(b.got, 0);
    seL4_Signal(nb);
    KT_EQ(b.got, 1);
    KT_EQ(b.badge, 0x40);
    return KT_PASS;
}

TEST(ntfn_bound_pending_before_recv, "A Recv by a thread whose bound notification is "
     "already signalled returns at once")
{
    struct bound_rx b = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr nb = KT_MINT(n, seL4_AllRights, 0x41);
    kt_thread_t t;
    KT_THREAD(&t, "bound-rx", &(struct kt_thread_opts){ .prio = HI }, bound_receiver, &b);
    KT_OK(seL4_TCB_BindNotification(t.tcb, n));
    seL4_Signal(nb);
    KT_START(&t);
    KT_EQ(b.got, 1);
    KT_EQ(b.badge, 0x41);
    /* the word was consumed (only the bound thread may poll; unbind first) */
    KT_OK(seL4_TCB_UnbindNotification(t.tcb));
    seL4_Word badge = 1;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(ntfn_bound_endpoint_message_still_works, "A thread with a bound notification still "
     "receives endpoint messages normally")
{
    struct bound_rx b = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN();
    seL4_CPtr eb = KT_MINT(b.ep, seL4_AllRights, 0x77);
    kt_thread_t t;
    KT_THREAD(&t, "bound-rx", &(struct kt_thread_opts){ .prio = HI }, bound_receiver, &b);
    KT_OK(seL4_TCB_BindNotification(t.tcb, n));
    KT_START(&t);
    seL4_Send(eb, seL4_MessageInfo_new(0x12, 0, 0, 0));
    KT_EQ(b.got, 1);
    KT_EQ(b.badge, 0x77);
    KT_EQ(b.label, 0x12);
    return KT_PASS;
}

TEST(ntfn_bound_thread_waits_on_it, "The bound thread may also Wait on its notification "
     "directly")
{
    struct waiter w = { .ntfn = KT_NTFN() };
    seL4_CPtr nb = KT_MINT(w.ntfn, seL4_AllRights, 0x99);
    kt_thread_t t;
    KT_THREAD(&t, "bound-waiter", &(struct kt_thread_opts){ .prio = HI }, wait_once, &w);
    KT_OK(seL4_TCB_BindNotification(t.tcb, w.ntfn));
    KT_START(&t);
    seL4_Signal(nb);
    KT_EQ(w.got, 1);
    KT_EQ(w.badge, 0x99);
    return KT_PASS;
}

TEST(ntfn_unbind_stops_wakeups, "After UnbindNotification a Signal no longer wakes the "
     "endpoint receive")
{
    struct bound_rx b = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN();
    kt_thread_t t;
    KT_THREAD(&t, "bound-rx", &(struct kt_thread_opts){ .prio = HI }, bound_receiver, &b);
    KT_OK(seL4_TCB_BindNotification(t.tcb, n));
    KT_START(&t);
    KT_OK(seL4_TCB_UnbindNotification(t.tcb));
    seL4_CPtr nb = KT_MINT(n, seL4_AllRights, 0x6);
    seL4_Signal(nb);
    kt_yield_n(2);
    KT_EQ(b.got, 0);
    /* the signal stayed in the notification */
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0x6);
    KT_EQ(b.got, 0);
    return KT_PASS;
}

TEST(ntfn_delete_bound_notification_unbinds, "Deleting the bound notification unbinds it: "
     "the TCB can bind another")
{
    seL4_CPtr tcb = KT_TCB(), n1 = KT_NTFN(), n2 = KT_NTFN();
    KT_OK(seL4_TCB_BindNotification(tcb, n1));
    KT_OK(kt_delete(n1));
    KT_OK(seL4_TCB_BindNotification(tcb, n2));
    return KT_PASS;
}

TEST(ntfn_delete_tcb_unbinds, "Deleting the bound TCB frees its notification for another "
     "TCB")
{
    seL4_CPtr t1 = KT_TCB(), t2 = KT_TCB(), n = KT_NTFN();
    KT_OK(seL4_TCB_BindNotification(t1, n));
    KT_OK(kt_delete(t1));
    KT_OK(seL4_TCB_BindNotification(t2, n));
    return KT_PASS;
}

TEST(ntfn_delete_releases_waiter, "Deleting a notification's last cap restarts its waiter, "
     "whose Wait then cap-faults (receive phase)")
{
    seL4_CPtr n = KT_NTFN(), fep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr fb = KT_MINT(fep, seL4_AllRights, 0xf);
    struct waiter w = { .ntfn = n };
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .fault_ep = fb };
    KT_THREAD(&t, "waiter", &o, wait_once, &w);
    KT_START(&t);
    KT_OK(kt_delete(n));
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_NBRecv(fep, &badge, reply);
    KT_EQ(badge, 0xf);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_CapFault);
    KT_EQ(seL4_GetMR(seL4_CapFault_Addr), n);
    KT_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    KT_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    KT_EQ(w.got, 0);
    return KT_PASS;
}

/* ------------------------------------------------ waiter order (by priority) */

/* A waiter that logs its id once a Signal wakes it. */
struct logging_waiter {
    seL4_CPtr ntfn;
    char id;
};

static int wait_and_log(kt_thread_t *self, void *arg)
{
    (void)self;
    struct logging_waiter *w = arg;
    seL4_Wait(w->ntfn, NULL);
    kt_log_event(w->id);
    return KT_PASS;
}

TEST(ntfn_waiters_priority_order, "Signals wake the waiters best priority first, FIFO among "
     "equal priorities")
{
    seL4_CPtr n = KT_NTFN();
    kt_thread_t t[KT_QUEUE_PARTIES];
    struct logging_waiter w[KT_QUEUE_PARTIES];
    kt_log_reset();
    for (int i = 0; i < KT_QUEUE_PARTIES; i++) {
        w[i] = (struct logging_waiter){ n, (char)('a' + i) };
        KT_SPAWN(&t[i], "waiter", KT_PRIO_TEST + kt_queue_above[i], wait_and_log, &w[i]);
    }
    for (int i = 0; i < KT_QUEUE_PARTIES; i++)
        seL4_Signal(n);
    KT_LOG_IS(KT_QUEUE_ORDER);
    return KT_PASS;
}

TEST(ntfn_waiter_priority_change_reorders, "A waiter whose priority is raised or lowered "
     "(SetPriority) moves to its new place in the notification's queue")
{
    seL4_CPtr n = KT_NTFN();
    kt_thread_t t[4];
    struct logging_waiter w[4];
    kt_log_reset();
    for (int i = 0; i < 4; i++) {
        w[i] = (struct logging_waiter){ n, (char)('a' + i) };
        KT_SPAWN(&t[i], "waiter", KT_PRIO_TEST + 3, wait_and_log, &w[i]);
    }
    KT_OK(seL4_TCB_SetPriority(t[1].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 4));   /* b: first */
    KT_OK(seL4_TCB_SetPriority(t[0].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 2));   /* a: last */
    for (int i = 0; i < 4; i++)
        seL4_Signal(n);
    KT_LOG_IS("bcda");
    return KT_PASS;
}
