/*
 * IPC through endpoints with every MCS system call (Call, ReplyRecv,
 * NBSendRecv, NBSendWait, Send, NBSend, Recv, NBRecv, Wait, NBWait):
 * message lengths 0..120 with content checks, labels, badges, queue order,
 * Reply objects, capability transfer with and without Grant, unwrapping of
 * badged caps, and SchedContext donation to passive servers.
 */
#include "ktest.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH
#define HI (KT_PRIO_TEST + 1)
#define LO (KT_PRIO_TEST - 1)

static seL4_Word pattern(seL4_Word i, seL4_Word n)
{
    return ((i + 1) * 0x0101010101010101ul) ^ (n << 48) ^ 0x5a00000000000000ul;
}

static seL4_MessageInfo_t info(seL4_Word label, seL4_Word caps, seL4_Word len)
{
    return seL4_MessageInfo_new(label, 0, caps, len);
}

/* ------------------------------------------------------------- helpers */

/* What a one-shot receiver saw. */
struct rx {
    seL4_CPtr ep;           /* receive on this */
    seL4_CPtr reply;        /* Reply object, or 0 for Wait */
    seL4_CPtr recv_cnode;   /* receive path for a cap, if any */
    seL4_Word recv_index, recv_depth;
    seL4_CPtr done;         /* notification to signal when done, if any */
    volatile int entered;   /* about to receive */
    volatile int got;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    seL4_Word mr[seL4_MsgMaxLength];
    seL4_Word caps_or_badges[3];
};

static int rx_once(kt_thread_t *self, void *arg)
{
    (void)self;
    struct rx *x = arg;
    if (x->recv_cnode)
        seL4_SetCapReceivePath(x->recv_cnode, x->recv_index, x->recv_depth);
    x->entered = 1;
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = x->reply ? seL4_Recv(x->ep, &badge, x->reply) : seL4_Wait(x->ep, &badge);
    x->badge = badge;
    x->info = m;
    for (int i = 0; i < seL4_MsgMaxLength; i++)
        x->mr[i] = seL4_GetMR(i);
    for (int i = 0; i < 3; i++)
        x->caps_or_badges[i] = seL4_GetBadge(i);
    x->got = 1;
    if (x->done)
        seL4_Signal(x->done);
    return KT_PASS;
}

/* An echo server: checks pattern(i, n) and replies with ~pattern(i, n), label + 1. */
struct server {
    seL4_CPtr ep, reply;
    volatile seL4_Word calls;
    volatile seL4_Word bad;     /* 1 + index of the first wrong word, 0 if none */
    volatile seL4_Word last_badge;
    volatile int ran;
};

static int echo_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct server *s = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->ran = 1;
        seL4_Word n = seL4_MessageInfo_get_length(m);
        for (seL4_Word i = 0; i < n && !s->bad; i++)
            if (seL4_GetMR((int)i) != pattern(i, n))
                s->bad = i + 1;
        for (seL4_Word i = 0; i < n; i++)
            seL4_SetMR((int)i, ~pattern(i, n));
        s->last_badge = badge;
        s->calls++;
        m = seL4_ReplyRecv(s->ep, info(seL4_MessageInfo_get_label(m) + 1, 0, n), &badge,
                           s->reply);
    }
    return KT_PASS;
}

static int start_echo(kt_thread_t *t, struct server *s, int prio)
{
    s->ep = KT_EP();
    s->reply = KT_REPLY();
    KT_SPAWN(t, "echo-server", prio, echo_server, s);
    return KT_PASS;
}

/* Call with n words of pattern and check the echo. */
static int call_and_check(seL4_CPtr ep, seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++)
        seL4_SetMR((int)i, pattern(i, n));
    seL4_MessageInfo_t r = seL4_Call(ep, info(n, 0, n));
    KT_EQ(seL4_MessageInfo_get_label(r), n + 1);
    KT_EQ(seL4_MessageInfo_get_length(r), n);
    for (seL4_Word i = 0; i < n; i++)
        KT_EQ(seL4_GetMR((int)i), ~pattern(i, n));
    return KT_PASS;
}

/* ---------------------------------------------------------- Send / Recv */

TEST(ipc_send_recv, "Send to a waiting receiver delivers label, length and MRs; the badge "
     "of an unbadged cap is 0")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    KT_ASSERT(x.entered);
    seL4_SetMR(0, 11);
    seL4_SetMR(1, 22);
    seL4_Send(x.ep, info(0x55, 0, 2));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_label(x.info), 0x55);
    KT_EQ(seL4_MessageInfo_get_length(x.info), 2);
    KT_EQ(x.mr[0], 11);
    KT_EQ(x.mr[1], 22);
    KT_EQ(x.badge, 0);
    return KT_PASS;
}

TEST(ipc_send_blocks_for_receiver, "Send blocks until a receiver takes the message")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY(), .done = KT_NTFN() };
    kt_thread_t t;
    KT_SPAWN(&t, "late-rx", LO, rx_once, &x);
    KT_EQ(x.entered, 0);
    seL4_SetMR(0, 0x77);
    seL4_Send(x.ep, info(1, 0, 1));
    /* only the receiver could have let us go */
    KT_EQ(x.entered, 1);
    seL4_Wait(x.done, NULL);
    KT_EQ(x.mr[0], 0x77);
    return KT_PASS;
}

TEST(ipc_badge_delivered, "A minted badge reaches the receiver")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr b = KT_MINT(x.ep, seL4_AllRights, 0xabcdef);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_Send(b, info(0, 0, 0));
    KT_ASSERT(x.got);
    KT_EQ(x.badge, 0xabcdef);
    return KT_PASS;
}

TEST(ipc_label_full_width, "The 52-bit label travels unchanged")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_Send(x.ep, info(0xfffffffffffffull, 0, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_label(x.info), 0xfffffffffffffull);
    KT_EQ(seL4_MessageInfo_get_capsUnwrapped(x.info), 0);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 0);
    return KT_PASS;
}

TEST(ipc_send_120_words, "Send of 120 words: all of MR0..MR119 arrive in the receiver's "
     "registers and IPC buffer")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    for (int i = 0; i < 120; i++)
        seL4_SetMR(i, pattern((seL4_Word)i, 120));
    seL4_Send(x.ep, info(3, 0, 120));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_length(x.info), 120);
    for (int i = 0; i < 120; i++)
        KT_EQ(x.mr[i], pattern((seL4_Word)i, 120));
    return KT_PASS;
}

TEST(ipc_length_clamped, "A length above 120 arrives as 120")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    for (int i = 0; i < 120; i++)
        seL4_SetMR(i, (seL4_Word)i);
    seL4_Send(x.ep, info(0, 0, 127));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_length(x.info), 120);
    KT_EQ(x.mr[119], 119);
    return KT_PASS;
}

static int rx_registers(kt_thread_t *self, void *arg)
{
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t m = seL4_WaitWithMRs((seL4_CPtr)arg, NULL, &m0, &m1, &m2, &m3);
    self->user[0] = seL4_MessageInfo_get_length(m);
    self->user[1] = m0;
    self->user[2] = m3;
    self->user[3] = 1;
    return KT_PASS;
}

TEST(ipc_no_ipc_buffer_registers, "A receiver without an IPC buffer gets the message "
     "truncated to the 4 register MRs")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .no_ipc_buffer = true };
    KT_THREAD(&t, "rx-nobuf", &o, rx_registers, (void *)ep);
    KT_START(&t);
    for (int i = 0; i < 10; i++)
        seL4_SetMR(i, 100 + (seL4_Word)i);
    seL4_Send(ep, info(0, 0, 10));
    KT_ASSERT(kt_wait_word(&t.user[3], 10));
    KT_EQ(t.user[0], 4);
    KT_EQ(t.user[1], 100);
    KT_EQ(t.user[2], 103);
    return KT_PASS;
}

/* -------------------------------------------------------- Call / Reply */

TEST(ipc_call_lengths_0_to_120, "Call and ReplyRecv with every length 0..120: contents "
     "checked both ways")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (start_echo(&t, &s, HI) != KT_PASS)
        return KT_FAILED;
    for (seL4_Word n = 0; n <= seL4_MsgMaxLength; n++) {
        if (call_and_check(s.ep, n) != KT_PASS)
            return KT_FAILED;
        KT_EQ(s.bad, 0);
    }
    KT_EQ(s.calls, seL4_MsgMaxLength + 1);
    return KT_PASS;
}

TEST(ipc_call_low_priority_server, "Call to a lower-priority server: the server runs while "
     "we wait and the reply comes back")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (start_echo(&t, &s, LO) != KT_PASS)
        return KT_FAILED;
    if (call_and_check(s.ep, 7) != KT_PASS)
        return KT_FAILED;
    if (call_and_check(s.ep, 77) != KT_PASS)
        return KT_FAILED;
    KT_EQ(s.calls, 2);
    return KT_PASS;
}

TEST(ipc_call_badge_reaches_server, "The badge of the caller's cap reaches the server; the "
     "reply carries badge 0")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (start_echo(&t, &s, HI) != KT_PASS)
        return KT_FAILED;
    seL4_CPtr b = KT_MINT(s.ep, seL4_AllRights, 0x1234);
    seL4_Word in = seL4_MessageInfo_new(0, 0, 0, 0).words[0];
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word reply_badge = sel4__sys_sendrecv((seL4_Word)seL4_SysCall, b, &in, mr, 0, 0, 0, 0);
    KT_EQ(s.last_badge, 0x1234);
    KT_EQ(reply_badge, 0);
    KT_EQ(seL4_MessageInfo_get_label(sel4__info(in)), 1);
    return KT_PASS;
}

static int reply_by_send(kt_thread_t *self, void *arg)
{
    struct server *s = arg;
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    seL4_Word v = seL4_GetMR(0);
    seL4_SetMR(0, v * 3);
    seL4_Send(s->reply, info(seL4_MessageInfo_get_label(m) + 10, 0, 1));
    /* a second reply through the same, now unused, Reply object does nothing */
    seL4_SetMR(0, 999);
    seL4_Send(s->reply, info(500, 0, 1));
    self->user[0] = 1;
    return KT_PASS;
}

TEST(ipc_reply_via_reply_cap, "A plain Send on the Reply cap answers a Call; a second Send "
     "on it does nothing")
{
    struct server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "replier", HI, reply_by_send, &s);
    seL4_SetMR(0, 14);
    seL4_MessageInfo_t r = seL4_Call(s.ep, info(5, 0, 1));
    KT_EQ(seL4_MessageInfo_get_label(r), 15);
    KT_EQ(seL4_GetMR(0), 42);
    KT_ASSERT(kt_wait_word((volatile seL4_Word *)&t.user[0], 10));
    return KT_PASS;
}

TEST(ipc_reply_recv_loop, "A ReplyRecv server loop answers several callers in turn")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (start_echo(&t, &s, HI) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < 20; i++)
        if (call_and_check(s.ep, (seL4_Word)(i % 6)) != KT_PASS)
            return KT_FAILED;
    KT_EQ(s.calls, 20);
    return KT_PASS;
}

static int caller(kt_thread_t *self, void *arg)
{
    seL4_SetMR(0, 0x66);
    seL4_MessageInfo_t r = seL4_Call((seL4_CPtr)arg, info(0x21, 0, 1));
    self->user[0] = seL4_MessageInfo_get_label(r);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(ipc_call_to_wait_has_no_reply, "A Call received with Wait (no Reply object) leaves the "
     "caller blocked for good")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    kt_thread_t c;
    KT_SPAWN(&c, "caller", HI, caller, (void *)ep);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Wait(ep, &badge);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x21);
    KT_EQ(seL4_GetMR(0), 0x66);
    kt_yield_n(3);
    KT_EQ(c.user[1], 0);
    /* the caller is not queued on the endpoint any more */
    badge = 1;
    seL4_NBRecv(ep, &badge, reply);
    KT_EQ(badge, 0);
    KT_EQ(c.user[1], 0);
    return KT_PASS;
}

TEST(ipc_call_without_grant_rights, "A Call through a cap without Grant or GrantReply "
     "cannot be replied to")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr rw = KT_MINT(ep, seL4_ReadWrite, 0);
    kt_thread_t c;
    KT_SPAWN(&c, "caller", HI, caller, (void *)rw);
    seL4_MessageInfo_t m = seL4_Recv(ep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x21);
    seL4_Send(reply, info(0, 0, 0));
    kt_yield_n(3);
    KT_EQ(c.user[1], 0);
    return KT_PASS;
}

TEST(ipc_call_with_grant_reply_only, "GrantReply (without Grant) is enough for a Call to be "
     "answered")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr gr = KT_MINT(ep, seL4_CapRights_new(1, 0, 1, 1), 0);
    kt_thread_t c;
    KT_SPAWN(&c, "caller", HI, caller, (void *)gr);
    seL4_Recv(ep, NULL, reply);
    seL4_Send(reply, info(0x31, 0, 0));
    KT_ASSERT(kt_wait_word(&c.user[1], 10));
    KT_EQ(c.user[0], 0x31);
    return KT_PASS;
}

/* ------------------------------------------------- non-blocking calls */

TEST(ipc_nbsend_without_receiver_is_dropped, "NBSend with nobody waiting is lost")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr b = KT_MINT(ep, seL4_AllRights, 5);
    seL4_NBSend(b, info(1, 0, 0));
    seL4_Word badge = 1;
    seL4_NBRecv(ep, &badge, reply);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(ipc_nbsend_to_waiting_receiver, "NBSend to a waiting receiver is delivered")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr b = KT_MINT(x.ep, seL4_AllRights, 6);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetMR(0, 0xfeed);
    seL4_NBSend(b, info(2, 0, 1));
    KT_ASSERT(x.got);
    KT_EQ(x.badge, 6);
    KT_EQ(x.mr[0], 0xfeed);
    return KT_PASS;
}

TEST(ipc_nbrecv_empty, "NBRecv on an empty endpoint returns at once with badge 0")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_Word badge = 0x99;
    seL4_NBRecv(ep, &badge, reply);
    KT_EQ(badge, 0);
    return KT_PASS;
}

static int sender(kt_thread_t *self, void *arg)
{
    seL4_SetMR(0, 0x100 + (seL4_Word)self->index);
    seL4_Send((seL4_CPtr)arg, info(0x40 + (seL4_Word)self->index, 0, 1));
    self->user[0] = 1;
    return KT_PASS;
}

TEST(ipc_nbrecv_takes_blocked_sender, "NBRecv takes the message of a blocked sender, which "
     "then continues")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr b = KT_MINT(ep, seL4_AllRights, 8);
    kt_thread_t s;
    KT_SPAWN(&s, "sender", HI, sender, (void *)b);
    KT_EQ(s.user[0], 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_NBRecv(ep, &badge, reply);
    KT_EQ(badge, 8);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x40 + (seL4_Word)s.index);
    KT_EQ(s.user[0], 1);
    return KT_PASS;
}

TEST(ipc_wait_on_endpoint, "Wait (no Reply object) receives a Send")
{
    seL4_CPtr ep = KT_EP();
    kt_thread_t s;
    KT_SPAWN(&s, "sender", HI, sender, (void *)ep);
    seL4_Word badge = 1;
    seL4_MessageInfo_t m = seL4_Wait(ep, &badge);
    KT_EQ(badge, 0);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x40 + (seL4_Word)s.index);
    KT_EQ(seL4_GetMR(0), 0x100 + (seL4_Word)s.index);
    return KT_PASS;
}

TEST(ipc_nbwait_on_endpoint, "NBWait returns badge 0 when empty and takes a pending Send")
{
    seL4_CPtr ep = KT_EP();
    seL4_CPtr b = KT_MINT(ep, seL4_AllRights, 0x31);
    seL4_Word badge = 7;
    seL4_NBWait(ep, &badge);
    KT_EQ(badge, 0);
    kt_thread_t s;
    KT_SPAWN(&s, "sender", HI, sender, (void *)b);
    seL4_NBWait(ep, &badge);
    KT_EQ(badge, 0x31);
    return KT_PASS;
}

TEST(ipc_senders_fifo, "Blocked senders are received in the order they blocked")
{
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    kt_thread_t s[3];
    seL4_CPtr b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = KT_MINT(ep, seL4_AllRights, (seL4_Word)i + 1);
        KT_SPAWN(&s[i], "sender", HI, sender, (void *)b[i]);
    }
    for (int i = 0; i < 3; i++) {
        seL4_Word badge = 0;
        seL4_Recv(ep, &badge, reply);
        KT_EQ(badge, (seL4_Word)i + 1);
    }
    return KT_PASS;
}

TEST(ipc_receivers_fifo, "Waiting receivers get messages in the order they blocked")
{
    seL4_CPtr ep = KT_EP();
    struct rx x[2] = { { .ep = ep, .reply = KT_REPLY() }, { .ep = ep, .reply = KT_REPLY() } };
    kt_thread_t t[2];
    KT_SPAWN(&t[0], "rx0", HI, rx_once, &x[0]);
    KT_SPAWN(&t[1], "rx1", HI, rx_once, &x[1]);
    seL4_SetMR(0, 1);
    seL4_Send(ep, info(0, 0, 1));
    seL4_SetMR(0, 2);
    seL4_Send(ep, info(0, 0, 1));
    KT_ASSERT(x[0].got && x[1].got);
    KT_EQ(x[0].mr[0], 1);
    KT_EQ(x[1].mr[0], 2);
    return KT_PASS;
}

/* NBSendRecv / NBSendWait: send to arg->peer, then receive on arg->ep. */
struct combo {
    seL4_CPtr peer, ep, reply, done_ntfn;
    volatile seL4_Word got_label;
    volatile int done;
};

static int nbsendrecv_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct combo *c = arg;
    seL4_SetMR(0, 0xaa);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_NBSendRecv(c->peer, info(0x31, 0, 1), c->ep, &badge, c->reply);
    c->got_label = seL4_MessageInfo_get_label(m);
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    seL4_Send(c->reply, info(0x32, 0, 1));
    c->done = 1;
    return KT_PASS;
}

TEST(ipc_nbsendrecv, "NBSendRecv sends to one endpoint and then waits for a Call on another")
{
    struct combo c = { .peer = KT_EP(), .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr myreply = KT_REPLY();
    kt_thread_t t;
    KT_SPAWN(&t, "nbsendrecv", LO, nbsendrecv_server, &c);
    seL4_MessageInfo_t m = seL4_Recv(c.peer, NULL, myreply);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x31);
    KT_EQ(seL4_GetMR(0), 0xaa);
    seL4_SetMR(0, 41);
    m = seL4_Call(c.ep, info(0x30, 0, 1));
    KT_EQ(c.got_label, 0x30);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x32);
    KT_EQ(seL4_GetMR(0), 42);
    return KT_PASS;
}

TEST(ipc_nbsendrecv_send_dropped, "NBSendRecv with nobody on the send side drops the send "
     "and still receives")
{
    struct combo c = { .peer = KT_EP(), .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr myreply = KT_REPLY();
    kt_thread_t t;
    KT_SPAWN(&t, "nbsendrecv", HI, nbsendrecv_server, &c);
    seL4_Word badge = 1;
    seL4_NBRecv(c.peer, &badge, myreply);
    KT_EQ(badge, 0);
    seL4_SetMR(0, 1);
    seL4_MessageInfo_t m = seL4_Call(c.ep, info(0x30, 0, 1));
    KT_EQ(seL4_MessageInfo_get_label(m), 0x32);
    return KT_PASS;
}

static int nbsendwait_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct combo *c = arg;
    seL4_SetMR(0, 0xbb);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_NBSendWait(c->peer, info(0x51, 0, 1), c->ep, &badge);
    c->got_label = seL4_MessageInfo_get_label(m);
    c->done = 1;
    seL4_Signal(c->done_ntfn);
    return KT_PASS;
}

TEST(ipc_nbsendwait, "NBSendWait sends to one endpoint and then waits (no reply) on another")
{
    struct combo c = { .peer = KT_EP(), .ep = KT_EP(), .done_ntfn = KT_NTFN() };
    seL4_CPtr myreply = KT_REPLY();
    kt_thread_t t;
    KT_SPAWN(&t, "nbsendwait", LO, nbsendwait_server, &c);
    seL4_MessageInfo_t m = seL4_Recv(c.peer, NULL, myreply);
    KT_EQ(seL4_MessageInfo_get_label(m), 0x51);
    KT_EQ(seL4_GetMR(0), 0xbb);
    seL4_Send(c.ep, info(0x52, 0, 0));
    /* the server is lower priority: wait for it to report */
    seL4_Wait(c.done_ntfn, NULL);
    KT_EQ(c.got_label, 0x52);
    return KT_PASS;
}

/* ---------------------------------------------------- capability transfer */

static int setup_rx_slot(struct rx *x, seL4_CPtr slot)
{
    x->recv_cnode = R;
    x->recv_index = slot;
    x->recv_depth = D;
    return KT_PASS;
}

TEST(ipc_cap_transfer_grant, "A cap sent through an endpoint cap with Grant lands in the "
     "receiver's receive slot")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN(), s = kt_slot();
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_SetMR(0, 5);
    seL4_Send(x.ep, info(0, 1, 1));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 1);
    KT_EQ(seL4_MessageInfo_get_capsUnwrapped(x.info), 0);
    KT_EQ(x.mr[0], 5);
    KT_CAP_IS(s, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(ipc_cap_transfer_without_grant, "Without Grant on the sender's cap, no cap is "
     "transferred (the message still is)")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN(), s = kt_slot();
    seL4_CPtr nogrant = KT_MINT(x.ep, seL4_CapRights_new(1, 0, 1, 1), 0);
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_SetMR(0, 6);
    seL4_Send(nogrant, info(0, 1, 1));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 0);
    KT_EQ(x.mr[0], 6);
    KT_CAP_IS(s, KT_CAP_NULL);
    return KT_PASS;
}

TEST(ipc_cap_transfer_slot_occupied, "A cap is not transferred into an occupied receive slot")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN(), s = KT_TCB();
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 0);
    KT_CAP_IS(s, KT_CAP_THREAD);
    return KT_PASS;
}

TEST(ipc_cap_unwrap, "A badged cap to the endpoint itself is unwrapped: its badge arrives, "
     "capsUnwrapped bit 0 is set, no cap moves")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot();
    seL4_CPtr b = KT_MINT(x.ep, seL4_AllRights, 0x99);
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, b);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 1);
    KT_EQ(seL4_MessageInfo_get_capsUnwrapped(x.info), 1);
    KT_EQ(x.caps_or_badges[0], 0x99);
    KT_CAP_IS(s, KT_CAP_NULL);
    return KT_PASS;
}

TEST(ipc_cap_unwrap_then_transfer, "An unwrapped badge and a real cap in one message: "
     "extraCaps 2, capsUnwrapped 0b01, the cap in the slot")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot(), n = KT_NTFN();
    seL4_CPtr b = KT_MINT(x.ep, seL4_AllRights, 0x42);
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, b);
    seL4_SetCap(1, n);
    seL4_Send(x.ep, info(0, 2, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 2);
    KT_EQ(seL4_MessageInfo_get_capsUnwrapped(x.info), 1);
    KT_EQ(x.caps_or_badges[0], 0x42);
    KT_CAP_IS(s, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(ipc_cap_transfer_one_slot_only, "Of two real caps only the first is transferred "
     "(one receive slot): extraCaps 1")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot(), n = KT_NTFN(), tcb = KT_TCB();
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_SetCap(1, tcb);
    seL4_Send(x.ep, info(0, 2, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 1);
    KT_CAP_IS(s, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(ipc_cap_transfer_underivable, "A cap that cannot be derived (IRQControl) is not "
     "transferred")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot();
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, seL4_CapIRQControl);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 0);
    KT_CAP_IS(s, KT_CAP_NULL);
    return KT_PASS;
}

TEST(ipc_cap_transfer_keeps_rights, "A transferred read-only notification cap still cannot "
     "signal")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot(), n = KT_NTFN();
    seL4_CPtr ro = KT_MINT(n, seL4_CanRead, 0x3);
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, ro);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_CAP_IS(s, KT_CAP_NOTIFICATION);
    seL4_Signal(s);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    KT_EQ(badge, 0);
    return KT_PASS;
}

TEST(ipc_cap_transfer_into_other_cnode, "The receive path can name a slot in another CNode "
     "(receiveCNode, index, depth)")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr cn = KT_CNODE(4), n = KT_NTFN(), back = kt_slot();
    x.recv_cnode = cn;
    x.recv_index = 5;
    x.recv_depth = 4;
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_extraCaps(x.info), 1);
    KT_OK(seL4_CNode_Copy(R, back, D, cn, 5, 4, seL4_AllRights));
    KT_CAP_IS(back, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

TEST(ipc_transferred_cap_is_derived, "A transferred cap is derived from the sent one: "
     "revoking the original deletes it")
{
    struct rx x = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr s = kt_slot(), n = KT_NTFN();
    setup_rx_slot(&x, s);
    kt_thread_t t;
    KT_SPAWN(&t, "rx", HI, rx_once, &x);
    seL4_SetCap(0, n);
    seL4_Send(x.ep, info(0, 1, 0));
    KT_ASSERT(x.got);
    KT_CAP_IS(s, KT_CAP_NOTIFICATION);
    KT_OK(kt_revoke(n));
    KT_CAP_IS(s, KT_CAP_NULL);
    return KT_PASS;
}

static int cap_replier(kt_thread_t *self, void *arg)
{
    struct server *s = arg;
    seL4_Recv(s->ep, NULL, s->reply);
    seL4_SetCap(0, (seL4_CPtr)self->user[5]);
    seL4_Send(s->reply, info(0, 1, 0));
    self->user[0] = 1;
    return KT_PASS;
}

TEST(ipc_cap_transfer_in_reply, "A reply can carry a cap to the caller's receive slot")
{
    struct server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    seL4_CPtr n = KT_NTFN(), slot = kt_slot();
    kt_thread_t t;
    KT_THREAD(&t, "cap-replier", &(struct kt_thread_opts){ .prio = HI }, cap_replier, &s);
    t.user[5] = n;
    KT_START(&t);
    seL4_SetCapReceivePath(R, slot, D);
    seL4_MessageInfo_t r = seL4_Call(s.ep, info(0, 0, 0));
    KT_EQ(seL4_MessageInfo_get_extraCaps(r), 1);
    KT_CAP_IS(slot, KT_CAP_NOTIFICATION);
    return KT_PASS;
}

/* ---------------------------------------------------- SchedContext donation */

static int passive_server(kt_thread_t *self, void *arg)
{
    struct server *s = arg;
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->calls++;
        self->user[0]++;
        if (self->user[4]) {
            /* block mid-call on a notification, still holding the caller's SC */
            seL4_Wait((seL4_CPtr)self->user[4], NULL);
        }
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        m = seL4_ReplyRecv(s->ep, info(seL4_MessageInfo_get_label(m), 0, 1), &badge, s->reply);
    }
    return KT_PASS;
}

/* A server that ran its initialisation on its own SC and then lost it. */
static int make_passive_server(kt_thread_t *t, struct server *s, seL4_Word block_ntfn)
{
    s->ep = KT_EP();
    s->reply = KT_REPLY();
    KT_THREAD(t, "passive-server", &(struct kt_thread_opts){ .prio = HI + 1 }, passive_server,
              s);
    t->user[4] = block_ntfn;
    KT_START(t);
    /* it is now blocked in Recv: take its SchedContext away */
    KT_OK(seL4_SchedContext_UnbindObject(t->sc, t->tcb));
    return KT_PASS;
}

TEST(ipc_passive_server_runs_on_callers_sc, "A server without a SchedContext runs on the "
     "caller's SchedContext during a Call")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (make_passive_server(&t, &s, 0) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < 3; i++) {
        seL4_SetMR(0, (seL4_Word)i * 10);
        seL4_MessageInfo_t r = seL4_Call(s.ep, info(9, 0, 1));
        KT_EQ(seL4_MessageInfo_get_label(r), 9);
        KT_EQ(seL4_GetMR(0), (seL4_Word)i * 10 + 1);
    }
    KT_EQ(s.calls, 3);
    return KT_PASS;
}

TEST(ipc_passive_server_idle_without_call, "A passive server does not run on a plain Send "
     "(nothing is donated)")
{
    kt_thread_t t;
    struct server s = { 0 };
    if (make_passive_server(&t, &s, 0) != KT_PASS)
        return KT_FAILED;
    seL4_NBSend(s.ep, info(1, 0, 0));
    kt_yield_n(3);
    KT_EQ(s.calls, 0);
    return KT_PASS;
}

static int donating_client(kt_thread_t *self, void *arg)
{
    seL4_SetMR(0, 100);
    seL4_MessageInfo_t r = seL4_Call((seL4_CPtr)arg, info(3, 0, 1));
    self->user[0] = seL4_GetMR(0);
    self->user[1] = seL4_MessageInfo_get_label(r) + 1;
    return KT_PASS;
}

TEST(ipc_donated_sc_lent_and_returned, "During a Call the caller's SchedContext is bound to "
     "the passive server; the reply gives it back")
{
    seL4_CPtr n = KT_NTFN();
    kt_thread_t srv, cli;
    struct server s = { 0 };
    if (make_passive_server(&srv, &s, n) != KT_PASS)
        return KT_FAILED;
    KT_SPAWN(&cli, "client", HI, donating_client, (void *)s.ep);
    /* the server holds the client's SC and waits on n; the client waits for the reply */
    KT_EQ(s.calls, 1);
    KT_EQ(cli.user[1], 0);
    KT_ERR(seL4_SchedContext_UnbindObject(cli.sc, cli.tcb), seL4_IllegalOperation);
    seL4_Signal(n);
    KT_ASSERT(kt_wait_word(&cli.user[1], 10));
    KT_EQ(cli.user[0], 101);
    /* the SC is back with the client */
    KT_OK(seL4_SchedContext_UnbindObject(cli.sc, cli.tcb));
    return KT_PASS;
}

/* ------------------------------------------------ queue order (by priority) */

/*
 * MCS queues the threads blocked on an endpoint by priority, best first and
 * FIFO among equals, on both sides (senders and receivers), and moves a
 * waiter whose priority changes. A party blocks once on `cap` and, when it
 * gets through, logs its id (receivers); senders carry their id as badge.
 */
struct party {
    seL4_CPtr cap;      /* badged with the id */
    seL4_CPtr reply;    /* a Reply object of its own */
    char id;
};

static int party_send(kt_thread_t *self, void *arg)
{
    (void)self;
    struct party *p = arg;
    seL4_Send(p->cap, info(0, 0, 0));
    return KT_PASS;
}

static int party_call(kt_thread_t *self, void *arg)
{
    struct party *p = arg;
    seL4_Call(p->cap, info(0, 0, 0));
    self->user[0] = 1;
    return KT_PASS;
}

/* Receive once, log our id, and answer (a Call) with the id in MR0. */
static int party_recv(kt_thread_t *self, void *arg)
{
    (void)self;
    struct party *p = arg;
    seL4_Recv(p->cap, NULL, p->reply);
    kt_log_event(p->id);
    seL4_SetMR(0, (seL4_Word)p->id);
    seL4_Send(p->reply, info(0, 0, 1));
    return KT_PASS;
}

/* Start a party at KT_PRIO_TEST + above: it runs at once and blocks. */
static int start_party(kt_thread_t *t, struct party *p, seL4_CPtr ep, char id, int above,
                       kt_thread_fn fn)
{
    p->id = id;
    p->cap = KT_MINT(ep, seL4_AllRights, (seL4_Word)id);
    p->reply = KT_REPLY();
    KT_SPAWN(t, "party", KT_PRIO_TEST + above, fn, p);
    return KT_PASS;
}

/* Parties on a fresh endpoint, blocked one after another; the log is reset. */
struct parties {
    seL4_CPtr ep;
    kt_thread_t t[KT_QUEUE_PARTIES];
    struct party p[KT_QUEUE_PARTIES];
};

/* n parties a, b, c, ... at KT_PRIO_TEST + above[i] (NULL: all at + 3). */
static int start_parties(struct parties *q, int n, const int *above, kt_thread_fn fn)
{
    q->ep = KT_EP();
    kt_log_reset();
    for (int i = 0; i < n; i++)
        if (start_party(&q->t[i], &q->p[i], q->ep, (char)('a' + i), above ? above[i] : 3,
                        fn) != KT_PASS)
            return KT_FAILED;
    return KT_PASS;
}

/* The queue-order parties (kt_queue_above), to be served in KT_QUEUE_ORDER. */
static int start_queue_parties(struct parties *q, kt_thread_fn fn)
{
    return start_parties(q, KT_QUEUE_PARTIES, kt_queue_above, fn);
}

/* Receive `n` messages on ep, logging each badge; answer each Call. */
static void receive_and_log(seL4_CPtr ep, seL4_CPtr reply, int n)
{
    for (int i = 0; i < n; i++) {
        seL4_Word badge = 0;
        seL4_Recv(ep, &badge, reply);
        kt_log_event((char)badge);
        seL4_Send(reply, info(0, 0, 0));
    }
}

TEST(ipc_senders_priority_order, "Blocked senders (Send) are received best priority first, "
     "FIFO among equal priorities")
{
    struct parties q;
    if (start_queue_parties(&q, party_send) != KT_PASS)
        return KT_FAILED;
    receive_and_log(q.ep, KT_REPLY(), KT_QUEUE_PARTIES);
    KT_LOG_IS(KT_QUEUE_ORDER);
    return KT_PASS;
}

TEST(ipc_callers_priority_order, "Blocked callers (Call) are received best priority first, "
     "FIFO among equal priorities; each gets its reply")
{
    struct parties q;
    if (start_queue_parties(&q, party_call) != KT_PASS)
        return KT_FAILED;
    receive_and_log(q.ep, KT_REPLY(), KT_QUEUE_PARTIES);
    KT_LOG_IS(KT_QUEUE_ORDER);
    for (int i = 0; i < KT_QUEUE_PARTIES; i++)
        KT_EQ(q.t[i].user[0], 1);
    return KT_PASS;
}

TEST(ipc_receivers_priority_order, "Messages sent (Send) to waiting receivers go to the best "
     "priority first, FIFO among equal priorities")
{
    struct parties q;
    if (start_queue_parties(&q, party_recv) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < KT_QUEUE_PARTIES; i++)
        seL4_Send(q.ep, info(0, 0, 0));
    KT_LOG_IS(KT_QUEUE_ORDER);
    return KT_PASS;
}

TEST(ipc_receivers_priority_order_call, "Calls to waiting receivers go to the best priority "
     "first, FIFO among equal priorities, and the reply comes from that receiver")
{
    struct parties q;
    if (start_queue_parties(&q, party_recv) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < KT_QUEUE_PARTIES; i++) {
        seL4_Call(q.ep, info(0, 0, 0));
        KT_EQ(seL4_GetMR(0), (seL4_Word)KT_QUEUE_ORDER[i]);
    }
    KT_LOG_IS(KT_QUEUE_ORDER);
    return KT_PASS;
}

/* Answer Calls forever with ReplyRecv, logging our id for each. */
static int logging_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct party *p = arg;
    seL4_Recv(p->cap, NULL, p->reply);
    for (;;) {
        kt_log_event(p->id);
        seL4_ReplyRecv(p->cap, info(0, 0, 0), NULL, p->reply);
    }
    return KT_PASS;
}

TEST(ipc_reply_recv_requeues_by_priority, "A server back on its endpoint through ReplyRecv "
     "takes its place by priority: of two servers the better one answers every Call")
{
    struct parties q;
    if (start_parties(&q, 2, (const int[]){ 2, 3 }, logging_server) != KT_PASS)
        return KT_FAILED;   /* a queued first, b better */
    for (int i = 0; i < 3; i++)
        seL4_Call(q.ep, info(0, 0, 0));
    KT_LOG_IS("bbb");
    return KT_PASS;
}

TEST(ipc_passive_server_behind_higher_receiver, "A Send goes to the best-priority receiver "
     "even when a lower-priority passive server queued first (seL4's SCHED_CONTEXT_0008 case); "
     "the server keeps waiting and takes the next Call")
{
    kt_thread_t srv, rcv;
    struct server s = { 0 };
    if (make_passive_server(&srv, &s, 0) != KT_PASS)      /* HI + 1, queued first */
        return KT_FAILED;
    struct rx x = { .ep = s.ep, .reply = KT_REPLY() };
    KT_SPAWN(&rcv, "receiver", HI + 2, rx_once, &x);
    seL4_Send(s.ep, info(0x8, 0, 0));
    KT_ASSERT(x.got);
    KT_EQ(seL4_MessageInfo_get_label(x.info), 0x8);
    KT_EQ(s.calls, 0);
    seL4_SetMR(0, 41);
    seL4_MessageInfo_t r = seL4_Call(s.ep, info(9, 0, 1));
    KT_EQ(seL4_MessageInfo_get_label(r), 9);
    KT_EQ(seL4_GetMR(0), 42);
    KT_EQ(s.calls, 1);
    return KT_PASS;
}

TEST(ipc_receiver_priority_change_reorders, "A waiting receiver whose priority is raised or "
     "lowered (SetPriority) moves to its new place in the endpoint queue")
{
    struct parties q;
    if (start_parties(&q, 4, NULL, party_recv) != KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_TCB_SetPriority(q.t[3].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 4));   /* d: first */
    KT_OK(seL4_TCB_SetPriority(q.t[0].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 2));   /* a: last */
    for (int i = 0; i < 4; i++)
        seL4_Send(q.ep, info(0, 0, 0));
    KT_LOG_IS("dbca");
    return KT_PASS;
}

TEST(ipc_sender_priority_change_reorders, "A blocked sender whose priority is raised or "
     "lowered (SetPriority) moves to its new place in the send queue")
{
    struct parties q;
    if (start_parties(&q, 4, NULL, party_send) != KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_TCB_SetPriority(q.t[2].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 4));   /* c: first */
    KT_OK(seL4_TCB_SetPriority(q.t[0].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 2));   /* a: last */
    receive_and_log(q.ep, KT_REPLY(), 4);
    KT_LOG_IS("cbda");
    return KT_PASS;
}

TEST(ipc_set_sched_params_reorders, "SetSchedParams changing the priority of waiting passive "
     "servers moves them to their new places in the endpoint queue")
{
    struct parties q;
    if (start_parties(&q, 3, NULL, party_recv) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < 3; i++)     /* passive, still queued */
        KT_OK(seL4_SchedContext_UnbindObject(q.t[i].sc, q.t[i].tcb));
    KT_OK(seL4_TCB_SetSchedParams(q.t[2].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 4, KT_PRIO_TEST + 4,
                                  seL4_CapNull, seL4_CapNull));       /* c: first */
    KT_OK(seL4_TCB_SetSchedParams(q.t[0].tcb, KT_ROOT_TCB, KT_PRIO_TEST + 2, KT_PRIO_TEST + 2,
                                  seL4_CapNull, seL4_CapNull));       /* a: last */
    for (int i = 0; i < 3; i++) {
        seL4_Call(q.ep, info(0, 0, 0));     /* runs the server on our SchedContext */
        KT_EQ(seL4_GetMR(0), (seL4_Word)"cba"[i]);
    }
    KT_LOG_IS("cba");
    return KT_PASS;
}
