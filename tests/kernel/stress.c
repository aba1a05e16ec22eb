/*
 * Stress tests, built only with STRESS=1 (tests/kernel/run.sh passes it
 * through): a million IPC round trips, and a hundred thousand
 * retype/revoke cycles after which every untyped used must be whole again.
 * They run without the watchdog and print progress lines.
 */
#include "ktest.h"
#include "kt_config.h"

#ifdef KTEST_STRESS

#define R KT_ROOT_CNODE
#define D KT_DEPTH

#define ROUND_TRIPS 1000000ul
#define CYCLES      100000ul

struct stress_server {
    seL4_CPtr ep, reply;
};

static int register_echo(kt_thread_t *self, void *arg)
{
    (void)self;
    struct stress_server *s = arg;
    seL4_Word badge, m0 = 0, m1 = 0;
    seL4_MessageInfo_t m = seL4_RecvWithMRs(s->ep, &badge, s->reply, &m0, &m1, NULL, NULL);
    for (;;) {
        seL4_Word r0 = m0 + 1, r1 = ~m1;
        m = seL4_ReplyRecvWithMRs(s->ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(m), 0, 0,
                                                               2),
                                  &badge, &r0, &r1, NULL, NULL, s->reply);
        m0 = r0;
        m1 = r1;
    }
    return KT_PASS;
}

TEST_STRESS(stress_ipc_round_trips, "1,000,000 Call/ReplyRecv round trips, each reply "
            "checked")
{
    struct stress_server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t t;
    KT_SPAWN(&t, "stress-echo", KT_PRIO_TEST + 1, register_echo, &s);
    for (seL4_Word i = 0; i < ROUND_TRIPS; i++) {
        seL4_Word m0 = i, m1 = i * 3;
        seL4_MessageInfo_t r = seL4_CallWithMRs(s.ep, seL4_MessageInfo_new(7, 0, 0, 2), &m0, &m1,
                                                NULL, NULL);
        if (seL4_MessageInfo_get_label(r) != 7 || m0 != i + 1 || m1 != ~(i * 3))
            KT_FAIL("round trip %lu: label %lu, MR0 0x%lx, MR1 0x%lx", i,
                    seL4_MessageInfo_get_label(r), m0, m1);
        if ((i + 1) % 100000 == 0)
            kt_printf("KT|INFO: stress: %lu round trips\n", i + 1);
    }
    return KT_PASS;
}

TEST_STRESS(stress_retype_revoke, "100,000 retype/revoke cycles over BootInfo untypeds; "
            "afterwards each one can be filled exactly again")
{
    seL4_CPtr uts[4];
    seL4_Word bits[4];
    int n = 0;
    seL4_Word count = kt_bi->untyped.end - kt_bi->untyped.start;
    for (seL4_Word i = 0; i < count && n < 4; i++) {
        const seL4_UntypedDesc *d = &kt_bi->untypedList[i];
        seL4_CPtr u = kt_bi->untyped.start + i;
        if (d->isDevice || d->sizeBits < 16 || d->sizeBits > 20 || kt_framework_untyped(u))
            continue;
        uts[n] = u;
        bits[n] = d->sizeBits;
        kt_teardown_revoke(u);
        n++;
    }
    if (n == 0)
        return kt_skip("no BootInfo untyped between 64 KiB and 1 MiB");
    static const struct { seL4_Word type, bits; } objs[] = {
        { seL4_TCBObject, 0 }, { seL4_EndpointObject, 0 }, { seL4_NotificationObject, 0 },
        { seL4_CapTableObject, 2 }, { seL4_SchedContextObject, 8 }, { seL4_ReplyObject, 0 },
        { seL4_UntypedObject, 10 },
    };
    const int nobj = (int)(sizeof(objs) / sizeof(objs[0]));
    seL4_CPtr first;
    kt_slots(&first, (seL4_Word)nobj);
    KT_ASSERT(first);
    for (seL4_Word c = 0; c < CYCLES; c++) {
        seL4_CPtr u = uts[c % (seL4_Word)n];
        for (int k = 0; k < nobj; k++) {
            seL4_Error e = seL4_Untyped_Retype(u, objs[k].type, objs[k].bits, R, 0, 0,
                                               first + (seL4_Word)k, 1);
            if (e != seL4_NoError)
                KT_FAIL("cycle %lu, object %d: Untyped_Retype -> %s", c, k, kt_err_name(e));
        }
        seL4_Error e = kt_revoke(u);
        if (e != seL4_NoError)
            KT_FAIL("cycle %lu: CNode_Revoke -> %s", c, kt_err_name(e));
        if ((c + 1) % 10000 == 0)
            kt_printf("KT|INFO: stress: %lu retype/revoke cycles\n", c + 1);
    }
    /* every untyped is whole again: one untyped of its full size fits, nothing more */
    seL4_CPtr whole = kt_slot(), extra = kt_slot();
    for (int k = 0; k < n; k++) {
        KT_OK(seL4_Untyped_Retype(uts[k], seL4_UntypedObject, bits[k], R, 0, 0, whole, 1));
        KT_ERR(seL4_Untyped_Retype(uts[k], seL4_EndpointObject, 0, R, 0, 0, extra, 1),
               seL4_NotEnoughMemory);
        KT_OK(kt_revoke(uts[k]));
    }
    return KT_PASS;
}

#endif /* KTEST_STRESS */
