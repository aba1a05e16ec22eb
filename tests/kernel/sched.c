/*
 * Scheduling (MCS): priorities, round robin within a level (Yield and time
 * slices), SchedControl_ConfigureFlags and its errors, SchedContext
 * Bind/Unbind/UnbindObject/Consumed/YieldTo, budget enforcement and
 * timeout faults.
 */
#include "ktest.h"

#define HI (KT_PRIO_TEST + 1)
#define LO (KT_PRIO_TEST - 1)

static int log_once(kt_thread_t *self, void *arg)
{
    (void)self;
    kt_log_event((char)(seL4_Word)arg);
    return KT_PASS;
}

static int log_yield_3(kt_thread_t *self, void *arg)
{
    (void)self;
    for (int i = 0; i < 3; i++) {
        kt_log_event((char)(seL4_Word)arg);
        seL4_Yield();
    }
    return KT_PASS;
}

static int spin(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

static int yield_count(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;) {
        seL4_Yield();
        self->user[0]++;
    }
    return KT_PASS;
}

/* ------------------------------------------------------------- priorities */

TEST(sched_higher_priority_preempts, "Resuming a higher-priority thread runs it before the "
     "Resume returns")
{
    kt_log_reset();
    kt_thread_t t;
    KT_THREAD(&t, "high", &(struct kt_thread_opts){ .prio = HI }, log_once, (void *)'h');
    kt_log_event('a');
    KT_START(&t);
    kt_log_event('b');
    KT_LOG_IS("ahb");
    return KT_PASS;
}

TEST(sched_lower_priority_waits, "A lower-priority thread runs only when we block")
{
    kt_log_reset();
    kt_thread_t t;
    KT_THREAD(&t, "low", &(struct kt_thread_opts){ .prio = LO }, log_once, (void *)'l');
    kt_log_event('a');
    KT_START(&t);
    kt_log_event('b');
    KT_LOG_IS("ab");
    KT_SLEEP_MS(2);
    KT_LOG_IS("abl");
    return KT_PASS;
}

TEST(sched_round_robin_yield, "Two threads of one priority alternate on Yield")
{
    kt_log_reset();
    kt_thread_t a, b;
    KT_THREAD(&a, "rr-a", &(struct kt_thread_opts){ .prio = HI }, log_yield_3, (void *)'A');
    KT_THREAD(&b, "rr-b", &(struct kt_thread_opts){ .prio = HI }, log_yield_3, (void *)'B');
    /* start both while we are above them, then drop below */
    KT_OK(seL4_TCB_SetPriority(kt_self_tcb(), KT_ROOT_TCB, HI + 1));
    KT_START(&a);
    KT_START(&b);
    KT_LOG_IS("");
    KT_OK(seL4_TCB_SetPriority(kt_self_tcb(), KT_ROOT_TCB, KT_PRIO_TEST));
    KT_LOG_IS("ABABAB");
    return KT_PASS;
}

TEST(sched_round_robin_timeslice, "Two spinning threads of one priority share the CPU by "
     "time slices")
{
    kt_thread_t a, b;
    KT_SPAWN(&a, "spin-a", LO, spin, NULL);
    KT_SPAWN(&b, "spin-b", LO, spin, NULL);
    KT_SLEEP_MS(50);
    KT_OK(seL4_TCB_Suspend(a.tcb));
    KT_OK(seL4_TCB_Suspend(b.tcb));
    KT_GT(a.user[0], 0);
    KT_GT(b.user[0], 0);
    return KT_PASS;
}

/* A server above the callers that answers every call at once. */
struct answer_server {
    seL4_CPtr ep, reply;
};

static int answer_calls(kt_thread_t *self, void *arg)
{
    struct answer_server *s = arg;
    seL4_Word badge = 0;
    seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        self->user[0]++;
        seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, s->reply);
    }
    return KT_PASS;
}

/* Work a few microseconds, then call: the caller uses up its budget. */
static int work_and_call(kt_thread_t *self, void *arg)
{
    seL4_CPtr ep = (seL4_CPtr)(seL4_Word)arg;
    for (;;) {
        for (volatile int i = 0; i < 2000; i++)
            ;
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
        self->user[0]++;
    }
    return KT_PASS;
}

TEST(sched_round_robin_caller_ends_its_slice, "A thread that keeps calling a server above it "
     "still ends its time slice: a spinning thread of its priority runs in turn (the budget is "
     "checked before a system call is handled, as seL4's checkBudgetRestart does)")
{
    kt_thread_t server, caller, spinner;
    struct answer_server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    KT_SPAWN(&server, "rr-server", HI, answer_calls, &s);
    /* 1 ms round-robin slices. */
    struct kt_thread_opts o = { .prio = LO, .budget = 1000 };
    KT_THREAD(&caller, "rr-caller", &o, work_and_call, (void *)(seL4_Word)s.ep);
    KT_THREAD(&spinner, "rr-spinner", &o, spin, NULL);
    KT_START(&caller);
    KT_START(&spinner);
    /* In every 5 ms both run: the caller, woken by each answer, must not keep
       the processor past the end of its slice. */
    seL4_Word calls = 0, spins = 0;
    bool shared = true;
    for (int window = 0; window < 4; window++) {
        KT_SLEEP_MS(5);
        shared = shared && caller.user[0] > calls && spinner.user[0] > spins;
        calls = caller.user[0];
        spins = spinner.user[0];
    }
    KT_OK(seL4_TCB_Suspend(caller.tcb));
    KT_OK(seL4_TCB_Suspend(spinner.tcb));
    KT_OK(seL4_TCB_Suspend(server.tcb));
    if (!shared)
        KT_FAIL("a 5 ms window without both threads running (%lu calls, %lu spins in all)",
                calls, spins);
    return KT_PASS;
}

TEST(sched_lowering_own_priority_yields, "Lowering our own priority below a ready thread "
     "lets it run at once")
{
    kt_log_reset();
    kt_thread_t t;
    KT_SPAWN(&t, "mid", KT_PRIO_TEST - 5, log_once, (void *)'m');
    kt_log_event('a');
    KT_OK(seL4_TCB_SetPriority(kt_self_tcb(), KT_ROOT_TCB, KT_PRIO_TEST - 10));
    kt_log_event('b');
    KT_LOG_IS("amb");
    return KT_PASS;
}

/* ----------------------------------------------------------- SchedControl */

TEST(sched_configure_flags_ok, "SchedControl_ConfigureFlags accepts round-robin, periodic "
     "and sporadic parameters")
{
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 1000, 0, 0, 0));
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 5000, 2, 0x55, 0));
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 5000, 2, 0x55,
                                           seL4_SchedContext_Sporadic));
    return KT_PASS;
}

TEST(sched_configure_budget_range, "ConfigureFlags: budget 0 or above the maximum is "
     "RangeError")
{
    seL4_CPtr sc = KT_SC();
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 0, 1000, 0, 0, 0),
           seL4_RangeError);
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1, 1000, 0, 0, 0),
           seL4_RangeError);
    /* seL4's maximum is one hour */
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 3600000001ul, 3600000001ul,
                                            0, 0, 0), seL4_RangeError);
    return KT_PASS;
}

TEST(sched_configure_period_range, "ConfigureFlags: period 0 or below the budget is "
     "RangeError (max = the period)")
{
    seL4_CPtr sc = KT_SC();
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 0, 0, 0, 0),
           seL4_RangeError);
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 2000, 1000, 0, 0, 0),
           seL4_RangeError);
    KT_MR_EQ(1, 1000);
    return KT_PASS;
}

TEST(sched_configure_extra_refills, "ConfigureFlags: up to seL4_MaxExtraRefills(size) extra "
     "refills; one more is RangeError [0, max]")
{
    seL4_CPtr sc = KT_SC();
    seL4_Word max = seL4_MaxExtraRefills(8);
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 10000, max, 0, 0));
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), sc, 1000, 10000, max + 1, 0, 0),
           seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_MR_EQ(1, max);
    return KT_PASS;
}

TEST(sched_configure_bad_caps, "ConfigureFlags: a non-SchedContext is InvalidCapability "
     "(cap 1); no cap or a short message TruncatedMessage")
{
    seL4_CPtr sc = KT_SC(), ep = KT_EP();
    KT_ERR(seL4_SchedControl_ConfigureFlags(kt_sched_control(), ep, 1000, 1000, 0, 0, 0),
           seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_EQ(kt_call_raw(kt_sched_control(), SchedControlConfigureFlags, 5, 0, 1000, 1000, 0, 0),
          seL4_TruncatedMessage);
    seL4_SetCap(0, sc);
    KT_EQ(kt_call_raw(kt_sched_control(), SchedControlConfigureFlags, 4, 1, 1000, 1000, 0, 0),
          seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(kt_sched_control(), SchedContextBind, 0, 0, 0, 0, 0, 0),
          seL4_IllegalOperation);
    return KT_PASS;
}

/* ----------------------------------------------------------- SchedContext */

static int set_flag(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[1] = 1;
    return KT_PASS;
}

TEST(sched_sc_bind_runs_thread, "SchedContext_Bind gives a resumed thread without one the "
     "means to run")
{
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .passive = true };
    KT_THREAD(&t, "passive", &o, set_flag, NULL);
    KT_START(&t);
    kt_yield_n(2);
    KT_EQ(t.user[1], 0);
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, t.tcb));
    KT_EQ(t.user[1], 1);
    return KT_PASS;
}

TEST(sched_sc_bind_errors, "SchedContext_Bind: bound SC, TCB with an SC are "
     "IllegalOperation; other caps InvalidCapability; none TruncatedMessage")
{
    seL4_CPtr sc = KT_SC(), sc2 = KT_SC(), a = KT_TCB(), b = KT_TCB(), ep = KT_EP();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc2, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, a));
    KT_ERR(seL4_SchedContext_Bind(sc, b), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_Bind(sc2, a), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_Bind(sc2, ep), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_EQ(kt_call_raw(sc2, SchedContextBind, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_EQ(kt_call_raw(sc2, CNodeCopy, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(sched_sc_unbind_stops_thread, "SchedContext_Unbind takes the SC away: the thread stops "
     "running")
{
    kt_thread_t t;
    KT_SPAWN(&t, "spin", LO, spin, NULL);
    KT_SLEEP_MS(5);
    KT_GT(t.user[0], 0);
    KT_OK(seL4_SchedContext_Unbind(t.sc));
    seL4_Word before = t.user[0];
    KT_SLEEP_MS(5);
    KT_EQ(t.user[0], before);
    /* and binding it again restarts it */
    KT_OK(seL4_SchedContext_Bind(t.sc, t.tcb));
    KT_SLEEP_MS(5);
    KT_GT(t.user[0], before);
    return KT_PASS;
}

TEST(sched_sc_unbind_object, "SchedContext_UnbindObject: the bound TCB works, another TCB "
     "IllegalOperation, a non-TCB InvalidCapability")
{
    seL4_CPtr sc = KT_SC(), a = KT_TCB(), b = KT_TCB(), ep = KT_EP();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, a));
    KT_ERR(seL4_SchedContext_UnbindObject(sc, b), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_UnbindObject(sc, ep), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_OK(seL4_SchedContext_UnbindObject(sc, a));
    KT_ERR(seL4_SchedContext_UnbindObject(sc, a), seL4_IllegalOperation);
    KT_EQ(kt_call_raw(sc, SchedContextUnbindObject, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    /* Unbind of an unbound SC is fine */
    KT_OK(seL4_SchedContext_Unbind(sc));
    return KT_PASS;
}

TEST(sched_sc_unbind_current_thread, "Unbinding the caller's own SchedContext is "
     "IllegalOperation")
{
    KT_ERR(seL4_SchedContext_Unbind(kt_self_sc()), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_UnbindObject(kt_self_sc(), kt_self_tcb()), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(sched_sc_bind_notification, "An SC bound to a notification: binding twice is "
     "IllegalOperation, UnbindObject works")
{
    seL4_CPtr sc = KT_SC(), sc2 = KT_SC(), n = KT_NTFN();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, n));
    KT_ERR(seL4_SchedContext_Bind(sc, KT_NTFN()), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_Bind(sc2, n), seL4_IllegalOperation);
    KT_ERR(seL4_SchedContext_UnbindObject(sc2, n), seL4_IllegalOperation);
    KT_OK(seL4_SchedContext_UnbindObject(sc, n));
    KT_OK(seL4_SchedContext_Bind(sc2, n));
    return KT_PASS;
}

static int passive_waiter(kt_thread_t *self, void *arg)
{
    seL4_Wait((seL4_CPtr)arg, NULL);
    self->user[1] = 1;
    return KT_PASS;
}

TEST(sched_sc_bind_blocked_needs_active_sc, "A thread blocked in an IPC can only be given a "
     "SchedContext it could run on: an unconfigured one is IllegalOperation (Bind and "
     "SetSchedParams), a configured one works; an inactive thread may take either")
{
    seL4_CPtr n = KT_NTFN(), unconfigured = KT_SC(), sc = KT_SC();
    kt_thread_t t;
    KT_THREAD(&t, "blocked", &(struct kt_thread_opts){ .prio = HI }, passive_waiter, (void *)n);
    KT_START(&t);
    KT_OK(seL4_SchedContext_UnbindObject(t.sc, t.tcb));    /* blocked on n, passive */
    KT_ERR(seL4_SchedContext_Bind(unconfigured, t.tcb), seL4_IllegalOperation);
    KT_ERR(seL4_TCB_SetSchedParams(t.tcb, KT_ROOT_TCB, HI, HI, unconfigured, seL4_CapNull),
           seL4_IllegalOperation);
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, t.tcb));
    KT_OK(seL4_SchedContext_Bind(unconfigured, KT_TCB()));
    seL4_Signal(n);
    KT_EQ(t.user[1], 1);
    return KT_PASS;
}

TEST(sched_ntfn_sc_donated_on_signal, "A passive thread waiting on a notification that has "
     "an SC runs on that SC when signalled")
{
    seL4_CPtr n = KT_NTFN(), sc = KT_SC();
    kt_thread_t t;
    KT_THREAD(&t, "passive-waiter", &(struct kt_thread_opts){ .prio = HI }, passive_waiter,
              (void *)n);
    KT_START(&t);
    /* blocked on n: make it passive, give n an SC */
    KT_OK(seL4_SchedContext_UnbindObject(t.sc, t.tcb));
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    KT_OK(seL4_SchedContext_Bind(sc, n));
    KT_EQ(t.user[1], 0);
    seL4_Signal(n);
    KT_EQ(t.user[1], 1);
    return KT_PASS;
}

TEST(sched_sc_consumed, "SchedContext_Consumed reports time used and restarts the count")
{
    seL4_CPtr fresh = KT_SC();
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(fresh);
    KT_OK(c.error);
    KT_EQ(c.consumed, 0);
    kt_thread_t t;
    KT_SPAWN(&t, "spin", LO, spin, NULL);
    KT_SLEEP_MS(20);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    c = seL4_SchedContext_Consumed(t.sc);
    KT_OK(c.error);
    KT_GT(c.consumed, 1000);    /* at least 1 ms of the ~20 */
    seL4_SchedContext_Consumed_t again = seL4_SchedContext_Consumed(t.sc);
    KT_OK(again.error);
    KT_LT(again.consumed, c.consumed);
    return KT_PASS;
}

TEST(sched_yield_to_errors, "YieldTo: an unbound SC, our own SC, or a target above our MCP "
     "is IllegalOperation")
{
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_Configure(kt_sched_control(), sc, 1000, 1000, 0, 0));
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(sc);
    KT_ERR(r.error, seL4_IllegalOperation);
    r = seL4_SchedContext_YieldTo(kt_self_sc());
    KT_ERR(r.error, seL4_IllegalOperation);
    /* our MCP is KT_PRIO_MAX */
    kt_thread_t t;
    KT_THREAD(&t, "too-high", &(struct kt_thread_opts){ .prio = KT_PRIO_MAX + 1 }, set_flag,
              NULL);
    r = seL4_SchedContext_YieldTo(t.sc);
    KT_ERR(r.error, seL4_IllegalOperation);
    return KT_PASS;
}

TEST(sched_yield_to_equal_priority, "YieldTo a ready thread of our priority runs it first")
{
    kt_thread_t t;
    KT_SPAWN(&t, "same", KT_PRIO_TEST, set_flag, NULL);
    KT_EQ(t.user[1], 0);
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(t.sc);
    KT_OK(r.error);
    KT_EQ(t.user[1], 1);
    return KT_PASS;
}

TEST(sched_yield_to_lower_priority, "YieldTo a lower-priority thread returns at once")
{
    kt_thread_t t;
    KT_SPAWN(&t, "lower", LO, set_flag, NULL);
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(t.sc);
    KT_OK(r.error);
    KT_EQ(t.user[1], 0);
    return KT_PASS;
}

/* ------------------------------------------------------ budgets and time */

TEST(sched_budget_enforced, "A thread with a 10% budget cannot exceed it: a lower-priority "
     "spinner gets the rest")
{
    kt_thread_t a, b;
    struct kt_thread_opts oa = { .prio = LO, .budget = 1000, .period = 10000 };
    struct kt_thread_opts ob = { .prio = LO - 1 };
    KT_THREAD(&a, "budget-10pc", &oa, spin, NULL);
    KT_THREAD(&b, "spin-below", &ob, spin, NULL);
    KT_START(&a);
    KT_START(&b);
    KT_SLEEP_MS(100);
    KT_OK(seL4_TCB_Suspend(a.tcb));
    KT_OK(seL4_TCB_Suspend(b.tcb));
    KT_GT(a.user[0], 0);
    KT_GT(b.user[0], 2 * a.user[0]);
    return KT_PASS;
}

TEST(sched_periodic_yield_rate, "Yield on a 1 ms / 10 ms SchedContext waits for the next "
     "period (about 10 wake-ups in 100 ms)")
{
    kt_thread_t p;
    struct kt_thread_opts o = { .prio = LO, .budget = 1000, .period = 10000 };
    KT_THREAD(&p, "periodic", &o, yield_count, NULL);
    KT_START(&p);
    KT_SLEEP_MS(100);
    KT_OK(seL4_TCB_Suspend(p.tcb));
    KT_GE(p.user[0], 5);
    KT_LE(p.user[0], 15);
    return KT_PASS;
}

TEST(sched_throttled_without_timeout_handler, "Without a timeout handler an exhausted thread "
     "is only throttled: it runs again next period")
{
    kt_thread_t p;
    struct kt_thread_opts o = { .prio = LO, .budget = 1000, .period = 5000 };
    KT_THREAD(&p, "throttled", &o, spin, NULL);
    KT_START(&p);
    KT_SLEEP_MS(20);
    seL4_Word first = p.user[0];
    KT_GT(first, 0);
    KT_SLEEP_MS(20);
    KT_GT(p.user[0], first);
    return KT_PASS;
}

TEST(sched_timeout_fault, "A thread that exhausts its budget with a timeout handler raises a "
     "Timeout fault (SC badge, time consumed)")
{
    seL4_CPtr tep = KT_EP(), reply = KT_REPLY();
    seL4_CPtr tb = KT_MINT(tep, seL4_AllRights, 0x5);
    kt_thread_t p;
    struct kt_thread_opts o = { .prio = LO, .budget = 1000, .period = 100000, .sc_badge = 0x77 };
    KT_THREAD(&p, "timeouter", &o, spin, NULL);
    KT_OK(seL4_TCB_SetTimeoutEndpoint(p.tcb, tb));
    KT_START(&p);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(tep, &badge, reply);
    KT_EQ(badge, 0x5);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    KT_EQ(seL4_GetMR(seL4_Timeout_Data), 0x77);
    KT_GT(seL4_GetMR(seL4_Timeout_Consumed), 0);
    KT_GT(p.user[0], 0);
    return KT_PASS;
}

TEST(sched_timeout_fault_reply_resumes, "Replying to a Timeout fault lets the thread go on "
     "in its next period")
{
    seL4_CPtr tep = KT_EP(), reply = KT_REPLY();
    kt_thread_t p;
    struct kt_thread_opts o = { .prio = LO, .budget = 1000, .period = 10000 };
    KT_THREAD(&p, "timeouter", &o, spin, NULL);
    KT_OK(seL4_TCB_SetTimeoutEndpoint(p.tcb, tep));
    KT_START(&p);
    seL4_MessageInfo_t m = seL4_Recv(tep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    seL4_Word at_fault = p.user[0];
    KT_SLEEP_MS(30);
    KT_EQ(p.user[0], at_fault);     /* waits for the handler */
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    /* it runs again and times out again */
    m = seL4_Recv(tep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    KT_GT(p.user[0], at_fault);
    return KT_PASS;
}

/* ------------------------------------------------ replies to timeout faults */

/*
 * A reply to a Timeout fault carries the thread's registers in the
 * TimeoutReply layout (seL4_UserContext order up to x28): seL4 applies
 * them whatever the label, and resumes the thread only for label 0.
 */
struct landing {
    seL4_CPtr never;            /* a notification nobody signals */
    volatile seL4_Word magic;   /* x1 as the thread arrived */
    volatile seL4_Word sp;
    volatile int landed;
};

/* Where the handler sends the thread: x0 = the landing record, x1 = a magic. */
static _Noreturn void timeout_landing(struct landing *l, seL4_Word magic)
{
    l->sp = kt_read_sp();
    l->magic = magic;
    l->landed = 1;
    for (;;)
        seL4_Wait(l->never, NULL);
}

#define LANDING_MAGIC 0xfeedf00dul

/* A spinner on a 1 ms / 10 ms SC with `tep` as timeout handler; returns its first fault. */
static int first_timeout(kt_thread_t *p, seL4_CPtr tep, seL4_CPtr reply)
{
    struct kt_thread_opts o = { .prio = LO, .budget = 1000, .period = 10000 };
    KT_THREAD(p, "timeouter", &o, spin, NULL);
    KT_OK(seL4_TCB_SetTimeoutEndpoint(p->tcb, tep));
    KT_START(p);
    seL4_MessageInfo_t m = seL4_Recv(tep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    return KT_PASS;
}

/* Answer the timeout fault with pc, sp, spsr, x0, x1 leading to timeout_landing. */
static void reply_to_landing(seL4_CPtr reply, seL4_Word label, struct landing *l, seL4_Word sp)
{
    seL4_SetMR(seL4_TimeoutReply_FaultIP, (seL4_Word)timeout_landing);
    seL4_SetMR(seL4_TimeoutReply_SP, sp);
    seL4_SetMR(seL4_TimeoutReply_SPSR_EL1, 0);
    seL4_SetMR(seL4_TimeoutReply_X0, (seL4_Word)l);
    seL4_SetMR(seL4_TimeoutReply_X1, LANDING_MAGIC);
    seL4_Send(reply, seL4_MessageInfo_new(label, 0, 0, seL4_TimeoutReply_X1 + 1));
}

/* A fresh stack top 8 KiB below the thread's own (inside its stack region). */
static seL4_Word landing_sp(const kt_thread_t *p)
{
    return p->stack_top - 8192;
}

TEST(sched_timeout_reply_sets_registers, "A label-0 reply to a Timeout fault sets the registers "
     "it carries (pc, sp, spsr, x0, x1) and the thread resumes with them in its next period")
{
    seL4_CPtr tep = KT_EP(), reply = KT_REPLY();
    struct landing l = { .never = KT_NTFN() };
    kt_thread_t p;
    if (first_timeout(&p, tep, reply) != KT_PASS)
        return KT_FAILED;
    reply_to_landing(reply, 0, &l, landing_sp(&p));
    KT_SLEEP_MS(30);
    KT_ASSERT(l.landed);
    KT_EQ(l.magic, LANDING_MAGIC);
    KT_LE(l.sp, landing_sp(&p));
    KT_GT(l.sp, landing_sp(&p) - 512);
    return KT_PASS;
}

TEST(sched_timeout_reply_nonzero_label_stops, "A reply to a Timeout fault with a non-zero label "
     "leaves the thread stopped, with the registers it carried; Resume starts it there")
{
    seL4_CPtr tep = KT_EP(), reply = KT_REPLY();
    struct landing l = { .never = KT_NTFN() };
    kt_thread_t p;
    if (first_timeout(&p, tep, reply) != KT_PASS)
        return KT_FAILED;
    seL4_Word at_fault = p.user[0];
    reply_to_landing(reply, 1, &l, landing_sp(&p));
    KT_SLEEP_MS(30);
    KT_EQ(l.landed, 0);
    KT_EQ(p.user[0], at_fault);
    seL4_Word badge = 1;
    seL4_NBRecv(tep, &badge, reply);    /* no further fault either */
    KT_EQ(badge, 0);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(p.tcb, 0, 0, 5, &c));
    KT_EQ(c.pc, (seL4_Word)timeout_landing);
    KT_EQ(c.sp, landing_sp(&p));
    KT_EQ(c.x0, (seL4_Word)&l);
    KT_EQ(c.x1, LANDING_MAGIC);
    KT_OK(seL4_TCB_Resume(p.tcb));
    KT_SLEEP_MS(30);
    KT_ASSERT(l.landed);
    KT_EQ(l.magic, LANDING_MAGIC);
    return KT_PASS;
}

TEST(sched_timeout_reply_without_budget_postpones, "Answering a Timeout fault (label 0) while "
     "the SC has no budget raises no new Timeout fault: the thread waits for its next refill")
{
    seL4_CPtr tep = KT_EP(), reply = KT_REPLY();
    kt_thread_t p;
    if (first_timeout(&p, tep, reply) != KT_PASS)
        return KT_FAILED;
    seL4_Word at_fault = p.user[0];
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge = 1;
    seL4_MessageInfo_t m = seL4_NBRecv(tep, &badge, reply);
    KT_EQ(badge, 0);
    KT_EQ(seL4_MessageInfo_get_label(m), 0);
    /* it runs again in its next period, and times out again there */
    m = seL4_Recv(tep, NULL, reply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    KT_GT(p.user[0], at_fault);
    return KT_PASS;
}

/* ------------------------------------- a reply that returns an SC without budget */

/*
 * A client on a 2 ms / 20 ms SC calls a passive server that spins on the
 * donated SC until the budget is gone (the server has no timeout handler,
 * so it is only throttled). The test then answers through the server's
 * Reply object: the client gets its SC back without budget.
 */
struct budget_call {
    seL4_CPtr ep, server_reply;
    kt_thread_t server, client;
};

static int spin_on_call(kt_thread_t *self, void *arg)
{
    struct budget_call *b = arg;
    seL4_Recv(b->ep, NULL, b->server_reply);
    self->user[1] = 1;
    for (;;)
        self->user[0]++;
    return KT_PASS;
}

static int call_once(kt_thread_t *self, void *arg)
{
    seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(0, 0, 0, 0));
    self->user[1] = 1;
    return KT_PASS;
}

/* Leaves the client blocked on the reply and its SC exhausted; timeout handler: tep or none. */
static int exhaust_on_call(struct budget_call *b, seL4_CPtr tep)
{
    b->ep = KT_EP();
    b->server_reply = KT_REPLY();
    KT_THREAD(&b->server, "server", &(struct kt_thread_opts){ .prio = HI + 1 }, spin_on_call, b);
    KT_START(&b->server);   /* runs to its Recv */
    KT_OK(seL4_SchedContext_UnbindObject(b->server.sc, b->server.tcb));
    struct kt_thread_opts o = { .prio = HI, .budget = 2000, .period = 20000, .sc_badge = 0xc1 };
    KT_THREAD(&b->client, "client", &o, call_once, (void *)b->ep);
    if (tep)
        KT_OK(seL4_TCB_SetTimeoutEndpoint(b->client.tcb, tep));
    KT_START(&b->client);   /* the server spins on its SC until the budget is gone */
    KT_EQ(b->server.user[1], 1);
    KT_GT(b->server.user[0], 0);
    KT_EQ(b->client.user[1], 0);
    return KT_PASS;
}

TEST(sched_reply_without_budget_timeout_fault, "A reply that gives the caller back an SC with "
     "no budget left raises a Timeout fault at once when the caller has a timeout handler")
{
    seL4_CPtr tep = KT_EP(), treply = KT_REPLY();
    struct budget_call b;
    if (exhaust_on_call(&b, tep) != KT_PASS)
        return KT_FAILED;
    seL4_Word badge = 1;
    seL4_NBRecv(tep, &badge, treply);
    KT_EQ(badge, 0);                    /* nothing before the reply */
    seL4_Send(b.server_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_MessageInfo_t m = seL4_NBRecv(tep, NULL, treply);
    KT_EQ(seL4_MessageInfo_get_label(m), seL4_Fault_Timeout);
    KT_EQ(seL4_GetMR(seL4_Timeout_Data), 0xc1);
    KT_EQ(b.client.user[1], 0);
    /* answered, the client finishes its Call in its next period */
    seL4_Send(treply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_SLEEP_MS(30);
    KT_EQ(b.client.user[1], 1);
    return KT_PASS;
}

TEST(sched_reply_without_budget_no_handler_postpones, "A reply that gives a caller without a "
     "timeout handler back an SC with no budget left only postpones it to its next refill")
{
    struct budget_call b;
    if (exhaust_on_call(&b, 0) != KT_PASS)
        return KT_FAILED;
    seL4_Send(b.server_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    KT_EQ(b.client.user[1], 0);         /* above us, but without budget */
    KT_SLEEP_MS(30);
    KT_EQ(b.client.user[1], 1);
    return KT_PASS;
}
