/*
 * kstate_read (kernel/uapi/kstate.h, debug kernels): the kernel's threads
 * and another thread's capabilities as a debugger reads them. Each record
 * checked against what the test set up; the authority, depth and argument
 * checks; the thread list's cursor.
 */
#include "ktest.h"
#include <kstate.h>

#ifdef CONFIG_DEBUG_BUILD

static struct kstate_cap cap_record(void)
{
    struct kstate_cap c;
    __builtin_memcpy(&c, (const void *)&kt_ipc()->msg[0], sizeof c);
    return c;
}

static struct kstate_thread thread_record(void)
{
    struct kstate_thread t;
    __builtin_memcpy(&t, (const void *)&kt_ipc()->msg[0], sizeof t);
    return t;
}

/* The cap `cptr` names at full depth in the CSpace of the thread `tcb`. */
#define CAP_OF(tcb, cptr) ({                                                        \
        KT_OK(kstate_read(KSTATE_CAP, (tcb), (cptr), 64, NULL));                    \
        cap_record(); })

TEST(kstate_cap_types, "KSTATE_CAP of the test thread's own slots answers the types "
     "DebugCapIdentify gives, for every kind of cap the root task holds, and null for an "
     "empty slot")
{
    static const seL4_CPtr slots[] = {
        seL4_CapInitThreadTCB, seL4_CapInitThreadCNode, seL4_CapInitThreadVSpace,
        seL4_CapIRQControl, seL4_CapASIDControl, seL4_CapInitThreadASIDPool,
        seL4_CapBootInfoFrame, seL4_CapInitThreadIPCBuffer, seL4_CapDomain, seL4_CapInitThreadSC,
        seL4_CapNull,
    };
    for (unsigned i = 0; i < sizeof slots / sizeof *slots; i++) {
        struct kstate_cap c = CAP_OF(KT_ROOT_TCB, slots[i]);
        KT_EQ(c.type, seL4_DebugCapIdentify(slots[i]));
    }
    return KT_PASS;
}

TEST(kstate_cap_fields, "KSTATE_CAP decodes each kind: an endpoint's rights and badge, a "
     "notification's, the root CNode's radix and guard (depth 0: the CSpace root), the root "
     "thread's IPC buffer frame's size, rights and mapping, an untyped's size, a reply")
{
    seL4_CPtr ep = KT_MINT(KT_EP(), seL4_CapRights_new(0, 0, 1, 1), 0x77);
    struct kstate_cap c = CAP_OF(KT_ROOT_TCB, ep);
    KT_EQ(c.type, KSTATE_CAP_ENDPOINT);
    KT_EQ(c.rights, 3);            /* R and W, no grant */
    KT_EQ(c.badge, 0x77);
    KT_NE(c.object, 0);
    seL4_CPtr n = KT_MINT(KT_NTFN(), seL4_CapRights_new(0, 0, 0, 1), 0x5);
    c = CAP_OF(KT_ROOT_TCB, n);
    KT_EQ(c.type, KSTATE_CAP_NOTIFICATION);
    KT_EQ(c.rights, 1);
    KT_EQ(c.badge, 5);

    KT_OK(kstate_read(KSTATE_CAP, KT_ROOT_TCB, 0, 0, NULL));
    struct kstate_cap root = cap_record();
    KT_EQ(root.type, KSTATE_CAP_CNODE);
    c = CAP_OF(KT_ROOT_TCB, seL4_CapInitThreadCNode);
    KT_EQ(c.a, root.a);
    KT_EQ(c.b, root.b);
    KT_EQ(c.a + c.b, 64);          /* one level: the radix and the guard use every bit */

    c = CAP_OF(KT_ROOT_TCB, seL4_CapInitThreadIPCBuffer);
    KT_EQ(c.type, KSTATE_CAP_FRAME);
    KT_EQ(c.a, 12);
    KT_EQ(c.rights, 3);
    KT_EQ(c.b & KSTATE_CAP_MAPPED, KSTATE_CAP_MAPPED);
    KT_NE(c.c, 0);

    c = CAP_OF(KT_ROOT_TCB, KT_UNTYPED(16));
    KT_EQ(c.type, KSTATE_CAP_UNTYPED);
    KT_EQ(c.a, 16);
    KT_EQ(c.c, 0);

    c = CAP_OF(KT_ROOT_TCB, KT_REPLY());
    KT_EQ(c.type, KSTATE_CAP_REPLY);
    return KT_PASS;
}

TEST(kstate_cap_other_cspace, "KSTATE_CAP through another thread's TCB walks that thread's "
     "CSpace: a guarded CNode of 16 slots, a slot by its full CPtr, the root by depth 0, a "
     "prefix of the CPtr to the CNode's depth")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_CPtr cn = KT_CNODE(4);
    seL4_CPtr ep = KT_MINT(KT_EP(), seL4_AllRights, 0x99);
    KT_OK(seL4_CNode_Copy(cn, 3, 4, KT_ROOT_CNODE, ep, KT_DEPTH, seL4_AllRights));
    seL4_CPtr guarded = KT_MINT(cn, seL4_AllRights, seL4_CNode_CapData_new(0x5, 60).words[0]);
    KT_OK(seL4_TCB_SetSpace(tcb, 0, guarded, 0, KT_ROOT_VSPACE, 0));

    KT_OK(kstate_read(KSTATE_CAP, tcb, 0, 0, NULL));
    struct kstate_cap root = cap_record();
    KT_EQ(root.type, KSTATE_CAP_CNODE);
    KT_EQ(root.a, 4);
    KT_EQ(root.b, 60);
    KT_EQ(root.c, 5);
    struct kstate_cap c = CAP_OF(tcb, (0x5ull << 4) | 3);
    KT_EQ(c.type, KSTATE_CAP_ENDPOINT);
    KT_EQ(c.badge, 0x99);
    c = CAP_OF(tcb, (0x5ull << 4) | 2);
    KT_EQ(c.type, KSTATE_CAP_NULL);
    KT_ERR(kstate_read(KSTATE_CAP, tcb, (0x6ull << 4) | 3, 64, NULL), seL4_FailedLookup);
    KT_ERR(kstate_read(KSTATE_CAP, tcb, 3, 4, NULL), seL4_FailedLookup);  /* shorter than the guard */
    return KT_PASS;
}

TEST(kstate_errors, "kstate_read's checks: a TCB argument that is not a TCB cap or is "
     "empty (InvalidCapability), a depth over 64 (RangeError), an unknown operation "
     "(InvalidArgument)")
{
    seL4_CPtr ep = KT_EP();
    KT_ERR(kstate_read(KSTATE_CAP, ep, seL4_CapInitThreadTCB, 64, NULL), seL4_InvalidCapability);
    KT_ERR(kstate_read(KSTATE_CAP, seL4_CapNull, 1, 64, NULL), seL4_InvalidCapability);
    KT_ERR(kstate_read(KSTATE_CAP, KT_ROOT_TCB, 1, 65, NULL), seL4_RangeError);
    KT_ERR(kstate_read(KSTATE_CAP, KT_ROOT_TCB, 1, ~0ull, NULL), seL4_RangeError);
    KT_ERR(kstate_read(2, 0, 0, 0, NULL), seL4_InvalidArgument);
    KT_ERR(kstate_read(~0ull, 0, 0, 0, NULL), seL4_InvalidArgument);
    return KT_PASS;
}

static int wait_forever(kt_thread_t *self, void *arg)
{
    (void)self;
    seL4_Wait((seL4_CPtr)arg, NULL);
    return KT_PASS;
}

TEST(kstate_threads, "KSTATE_THREAD lists every thread the kernel knows once, in cursor "
     "order, ending with InvalidArgument and KSTATE_END: the test thread is the one current "
     "and running; a helper blocked on a notification shows its name, state, priority and "
     "scheduling context")
{
    seL4_CPtr ntfn = KT_NTFN();
    kt_thread_t helper;
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST + 3, .budget = 2000, .period = 4000 };
    KT_THREAD(&helper, "kstate-helper", &o, wait_forever, (void *)ntfn);
    seL4_DebugNameThread(helper.tcb, "kstate-helper");
    KT_START(&helper);
    seL4_Yield();

    unsigned count = 0, current = 0, helpers = 0;
    seL4_Word next = 0, last = 0;
    seL4_Error err;
    for (seL4_Word cursor = 0; (err = kstate_read(KSTATE_THREAD, cursor, 0, 0, &next)) == seL4_NoError;
         cursor = next + 1) {
        struct kstate_thread t = thread_record();
        if (count)
            KT_GT(next, last);
        KT_GE(next, cursor);
        KT_EQ(t.index, next);
        last = next;
        count++;
        KT_NE(t.tcb, 0);
        KT_NE(t.timer_hz, 0);
        if (t.current) {
            current++;
            KT_EQ(t.state, KSTATE_RUNNING);
            KT_EQ(t.priority, kt_self_prio());
        }
        if (__builtin_strcmp(t.name, "kstate-helper") == 0) {
            helpers++;
            KT_EQ(t.state, KSTATE_BLOCKED_ON_NOTIFICATION);
            KT_EQ(t.priority, KT_PRIO_TEST + 3);
            KT_EQ(t.queue, KSTATE_QUEUE_NONE);
            KT_EQ(t.has_sc, 1);
            KT_EQ(t.sc_budget * 2, t.sc_period);
            KT_EQ(t.current, 0);
        }
    }
    KT_EQ(err, seL4_InvalidArgument);
    KT_EQ(next, KSTATE_END);
    KT_GE(count, 3);               /* the driver, the watchdog, the test thread, the helper */
    KT_EQ(current, 1);
    KT_EQ(helpers, 1);
    KT_ERR(kstate_read(KSTATE_THREAD, ~0ull, 0, 0, &next), seL4_InvalidArgument);
    KT_EQ(next, KSTATE_END);
    return KT_PASS;
}

#endif /* CONFIG_DEBUG_BUILD */
