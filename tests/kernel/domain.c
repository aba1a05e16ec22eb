/*
 * The domain capability (seL4's DomainSet): a thread's domain and the
 * domain schedule. The checks hold in every configuration; what the
 * schedule does needs CONFIG_NUM_DOMAINS > 1 (make test-kernel-domains).
 * Every test leaves the boot schedule behind: domain 0 for ever.
 */
#include "ktest.h"

#define DOM_SCHEDULES   CONFIG_NUM_DOMAIN_SCHEDULES
#define MAX_DURATION    ((1ull << 56) - 1)
#define HI              (KT_PRIO_TEST + 10)

static seL4_Word ticks(void)
{
    seL4_Word t;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(t) :: "memory");
    return t;
}

static seL4_Word ticks_per_ms(void)
{
    seL4_Word f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f / 1000;
}

/* Back to the boot schedule: domain 0 for ever from index 0. */
static seL4_Error restore_schedule(void)
{
    seL4_Error err = seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, MAX_DURATION);
    if (!err)
        err = seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 0);
    if (!err)
        err = seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0);
    return err;
}

static int count_forever(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

TEST(domain_set_checks, "DomainSet_Set: a domain past the configured ones is InvalidArgument 0, "
     "a cap that is not a TCB InvalidArgument 1, no cap TruncatedMessage")
{
    seL4_CPtr tcb = KT_TCB();
    seL4_CPtr ep = KT_EP();
    KT_ERR(seL4_DomainSet_Set(seL4_CapDomain, CONFIG_NUM_DOMAINS, tcb), seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_DomainSet_Set(seL4_CapDomain, 0, ep), seL4_InvalidArgument);
    KT_MR_EQ(0, 1);
    KT_EQ(kt_call_raw(seL4_CapDomain, DomainSetSet, 1, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(seL4_CapDomain, DomainSetSet, 0, 1, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, CONFIG_NUM_DOMAINS - 1, tcb));
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, 0, tcb));
    return KT_PASS;
}

TEST(domain_schedule_configure_checks, "DomainSet_ScheduleConfigure: the last entry stays an "
     "end marker, domains and durations are checked, an end marker is all zero, the start "
     "entry cannot become one")
{
    KT_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, DOM_SCHEDULES - 1, 0, 10),
           seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, DOM_SCHEDULES - 2);
    KT_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, CONFIG_NUM_DOMAINS, 10),
           seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, CONFIG_NUM_DOMAINS - 1);
    KT_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, MAX_DURATION + 1),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 2);
    if (CONFIG_NUM_DOMAINS > 1) {
        KT_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 1, 0), seL4_InvalidArgument);
        KT_MR_EQ(0, 1);
    }
    KT_ERR(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, 0), seL4_InvalidArgument);
    KT_MR_EQ(0, 2);
    KT_EQ(kt_call_raw(seL4_CapDomain, DomainScheduleConfigure, 2, 0, 1, 0, 0, 0),
          seL4_TruncatedMessage);
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 0, 0));
    KT_OK(restore_schedule());
    return KT_PASS;
}

TEST(domain_schedule_set_start_checks, "DomainSet_ScheduleSetStart: an index past the schedule "
     "is a RangeError, an end marker InvalidArgument 0")
{
    KT_OK(restore_schedule());
    KT_ERR(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, DOM_SCHEDULES), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, DOM_SCHEDULES - 1);
    KT_ERR(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 1), seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_EQ(kt_call_raw(seL4_CapDomain, DomainScheduleSetStart, 0, 0, 0, 0, 0, 0),
          seL4_TruncatedMessage);
    KT_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
    return KT_PASS;
}

TEST(domain_other_domain_does_not_run, "A thread of another domain does not run while its "
     "domain has no slot, whatever its priority")
{
    if (CONFIG_NUM_DOMAINS < 2)
        return kt_skip("needs CONFIG_NUM_DOMAINS > 1 (make test-kernel-domains)");
    KT_OK(restore_schedule());
    kt_thread_t t;
    KT_THREAD(&t, "dom1", &(struct kt_thread_opts){ .prio = HI }, count_forever, NULL);
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, t.tcb));
    KT_START(&t);
    kt_yield_n(5);
    KT_SLEEP_MS(5);
    KT_EQ(t.user[0], 0);
    /* Back in our domain, below us, it runs while we sleep. */
    KT_OK(seL4_TCB_SetPriority(t.tcb, KT_ROOT_TCB, KT_PRIO_TEST - 1));
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, 0, t.tcb));
    KT_EQ(t.user[0], 0);
    KT_SLEEP_MS(2);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    KT_GT(t.user[0], 0);
    return KT_PASS;
}

TEST(domain_slots_alternate, "With a schedule of two 2 ms slots, a higher-priority thread of "
     "domain 1 runs only in domain 1's slots and the test thread only in domain 0's")
{
    if (CONFIG_NUM_DOMAINS < 2)
        return kt_skip("needs CONFIG_NUM_DOMAINS > 1 (make test-kernel-domains)");
    seL4_Word slot = 2 * ticks_per_ms();
    kt_thread_t t;
    KT_THREAD(&t, "dom1", &(struct kt_thread_opts){ .prio = HI }, count_forever, NULL);
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, t.tcb));
    KT_START(&t);
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 1, slot));
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 2, 0, 0));
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, slot));
    KT_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
    /* Watch for 20 ms. Each sample reads the count between two clock
       reads; if it changed since the previous sample, the domain-1 thread
       ran in between, which only a gap of a whole slot allows. */
    seL4_Word start = ticks(), prev_before = start, seen = t.user[0];
    unsigned gaps = 0, moved_in_gaps = 0;
    while (prev_before - start < 10 * slot) {
        seL4_Word before = ticks();
        seL4_Word count = t.user[0];
        seL4_Word after = ticks();
        if (after - prev_before > slot / 2) {
            gaps++;
            moved_in_gaps += count != seen;
        } else if (count != seen) {
            KT_FAIL("the domain-1 thread ran during our slot (at %lu ticks)", after - start);
        }
        seen = count;
        prev_before = before;
    }
    KT_OK(restore_schedule());
    KT_OK(seL4_TCB_Suspend(t.tcb));
    /* About 5 domain-1 slots in 20 ms; a gap can show in two samples. */
    KT_GE(gaps, 4);
    KT_GE(moved_in_gaps, 4);
    return KT_PASS;
}

static int serve_once(kt_thread_t *self, void *arg)
{
    seL4_CPtr ep = (seL4_CPtr)arg;
    seL4_Recv(ep, NULL, self->user[1]);
    self->user[0] = ticks();
    seL4_Send(self->user[1], seL4_MessageInfo_new(0, 0, 0, 0));
    return KT_PASS;
}

TEST(domain_ipc_waits_for_the_slot, "A Call to a server of another domain (the fast path's "
     "case) is answered only in that domain's slot")
{
    if (CONFIG_NUM_DOMAINS < 2)
        return kt_skip("needs CONFIG_NUM_DOMAINS > 1 (make test-kernel-domains)");
    seL4_Word slot = 2 * ticks_per_ms();
    seL4_CPtr ep = KT_EP();
    kt_thread_t s;
    KT_THREAD(&s, "server1", &(struct kt_thread_opts){ .prio = HI }, serve_once, (void *)ep);
    s.user[1] = KT_REPLY();
    KT_START(&s);
    kt_yield_n(2);          /* it waits on the endpoint, still in domain 0 */
    KT_OK(seL4_DomainSet_Set(seL4_CapDomain, 1, s.tcb));
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 1, 1, slot));
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 2, 0, 0));
    KT_OK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, 0, 0, slot));
    KT_OK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, 0));
    seL4_Word t0 = ticks();
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word t1 = ticks();
    KT_OK(restore_schedule());
    /* Served after our slot ended, back to us in our next one. */
    KT_GT(s.user[0], t0);
    KT_GE(t1 - t0, slot / 2);
    KT_GE(t1 - s.user[0], slot / 2);
    return KT_PASS;
}
