/*
 * The IPC fast path (kernel/src/fastpath.c) caches the slots a thread's
 * Call and ReplyRecv CPtrs resolve to. These tests change what a CPtr
 * names between fast-path calls, in the last slot and on the path through
 * the CSpace, and check that every call still goes where seL4 says.
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
