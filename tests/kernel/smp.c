/*
 * Multicore (CONFIG_MAX_NUM_NODES > 1, the default; `make test-kernel`): the MCS
 * SMP ABI (one SchedControl per core, an SC runs its thread on its
 * SchedControl's core), and everything one core does to a thread that
 * runs, waits or faults on another: signals and IPC, a passive server
 * that follows its callers' SCs, suspension, registers, priorities and
 * deletion of a thread running elsewhere, mappings and address spaces
 * taken away under it, budgets and timeout faults per core, migration
 * (with the FPU state), and interrupts routed to a chosen core.
 *
 * How a test knows where a thread runs: every core has its own EL1
 * physical timer, whose interrupt (PPI 30) the kernel delivers through
 * that core's copy of the line (IRQControl_GetTriggerCore). A thread that
 * fires its own timer learns its core from the badge that comes back
 * (this_core).
 *
 * How a test knows when a thread ran: spinning threads note the system
 * counter (one clock for all cores) at every round. "It stopped before
 * the call returned" means its last note is older than a counter value
 * read after the call; "it ran at once" means the first note after a
 * mark is within PROMPT_US of the call. The test thread then waits so
 * that the other cores surely had their turn.
 *
 * QEMU -icount runs the virtual CPUs round robin in one host thread, and
 * (QEMU 7.2) a spinning one keeps it until its own core's next timer
 * deadline or for 100 ms, while a core that waits in WFI for its own
 * timer may get its turn only long after the deadline: a thread that
 * sleeps on core 0 (kt_sleep_ms) while other cores spin can take
 * seconds of virtual time per millisecond. So here the test thread waits
 * by spinning itself (spin_us) or by blocking on a notification, never
 * with kt_sleep_ms while others spin; threads that spin on several cores
 * at once get short budgets (SPIN_US, then SETTLE_MS to look at them);
 * the tests that need a long budget to catch a missing reschedule
 * interrupt (the thread would only run at the end of the other's budget,
 * LONG_US later) use one busy core only and wait LONG_SETTLE_MS.
 *
 * With one core this file compiles to nothing.
 */
#include "vm.h"
#include "ptimer.h"
#include "kt_config.h"

#if CONFIG_MAX_NUM_NODES > 1

#define NODES       CONFIG_MAX_NUM_NODES
#define HI          (KT_PRIO_TEST + 10)
#define LO          (KT_PRIO_TEST - 10)
#define SPIN_US     1000ul      /* budget (= period) of a thread spinning next to others */
#define LONG_US     1000000ul   /* a budget no test exhausts */
#define PROMPT_US   10000ul     /* "at once", across cores (see above) */
#define SETTLE_MS   30          /* every core has had its turns (SPIN_US spinners) */
#define LONG_SETTLE_MS 300      /* the same, with one core spinning on LONG_US */

#define IRQ_UART    33          /* PL011, SPI 1 on QEMU virt */
#define PL011_PHYS  0x09000000ul
#define PL011_DR    0x000
#define PL011_IMSC  0x038
#define PL011_ICR   0x044
#define PL011_TXI   (1u << 5)

/* smp_arch.S */
extern char kt_smp_count_loop[], kt_smp_count_loop_end[];
extern char kt_smp_count_loop2[], kt_smp_count_loop2_end[];
void kt_smp_fpu_fill(seL4_Word seed);
seL4_Word kt_smp_fpu_check(seL4_Word seed);
void kt_smp_wfi_loop(volatile seL4_Word *wakes);

/*
 * The test thread (core 0) runs on slices of SLICE_US: QEMU lets a spinning
 * core keep the emulator until its own next timer deadline, so without them
 * the other cores' interrupts (refills, budget ends) could be handled up to
 * the test thread's default 5 ms late. Not shorter: a system call entered
 * with the slice used up is refused until the next slice (seL4's
 * checkBudgetRestart), and under QEMU a slice of 200 us can be gone before
 * the core's turn comes, every time.
 */
#define SLICE_US    1000ul
#define FINE_SLICES()                                                                \
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(0), kt_self_sc(), SLICE_US, \
                                           SLICE_US, 0, 0, 0))

/* Options for a thread on `core` at `prio`. */
#define ON(core_, prio_) (&(struct kt_thread_opts){ .prio = (prio_), .core = (core_) })

static seL4_Word ticks_to_us(seL4_Word ticks)
{
    return ticks / (counter_frequency() / 1000000);
}

/* Wait (spinning) until t has finished, at most `ms`. */
static bool finishes_within(kt_thread_t *t, unsigned ms)
{
    for (unsigned i = 0; i < ms && !t->finished; i++)
        spin_us(1000);
    return t->finished;
}

/*
 * Counts rounds in user[0] and notes the counter every 64 rounds in
 * user[1] (reading it is slow under QEMU -icount); after mark() it notes
 * the time of its next round in user[2].
 */
static int spinner(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;) {
        self->user[0]++;
        if (self->user[3] || !(self->user[0] & 63)) {
            seL4_Word now = counter_now();
            self->user[1] = now;
            if (self->user[3]) {
                self->user[2] = now;
                self->user[3] = 0;
            }
        }
    }
    return KT_PASS;
}

static void mark(kt_thread_t *t)
{
    t->user[2] = 0;
    t->user[3] = 1;
}

/* A spinner on `core` at `prio` with budget (= period) SPIN_US or LONG_US; user[5]
   says how long to sleep before looking at it. */
static bool spinner_on_(kt_thread_t *t, const char *name, unsigned core, int prio,
                        seL4_Word budget, const char *file, int line)
{
    struct kt_thread_opts o = { .prio = prio, .core = core, .budget = budget };
    if (!kt_thread_create_(t, name, &o, spinner, NULL, file, line))
        return false;
    t->user[5] = budget > SPIN_US ? LONG_SETTLE_MS : SETTLE_MS;
    return true;
}

#define SPINNER(t, name, core, prio, budget)                                         \
    do {                                                                             \
        if (!spinner_on_((t), (name), (core), (prio), (budget), __FILE__, __LINE__)) \
            return KT_FAILED;                                                        \
    } while (0)

/* Let the other cores run long enough to see what spinner t did. */
#define SETTLE_FOR(t) spin_us((t)->user[5] * 1000)
#define SETTLE() spin_us(SETTLE_MS * 1000)

/* Spinner t runs. */
#define KT_RUNNING(t)                                                                \
    do {                                                                             \
        seL4_Word rounds_ = (t)->user[0];                                            \
        SETTLE_FOR(t);                                                               \
        if ((t)->user[0] == rounds_)                                                 \
            KT_FAIL("thread %s does not run (%lu rounds)", (t)->name, rounds_);      \
    } while (0)

/* Spinner t stopped before the call just made returned, and stays stopped. */
#define KT_STOPPED(t)                                                                \
    do {                                                                             \
        seL4_Word rounds_ = (t)->user[0];                                            \
        SETTLE_FOR(t);                                                               \
        if ((t)->user[0] != rounds_)                                                 \
            KT_FAIL("thread %s ran %lu more rounds after the call returned",         \
                    (t)->name, (t)->user[0] - rounds_);                              \
    } while (0)

/* Spinner t stopped within PROMPT_US of `since` and stays stopped. */
#define KT_STOPPED_WITHIN(t, since)                                                  \
    do {                                                                             \
        SETTLE_FOR(t);                                                               \
        seL4_Word last_ = (t)->user[1];                                              \
        if (last_ > (since) && ticks_to_us(last_ - (since)) >= PROMPT_US)            \
            KT_FAIL("thread %s still ran %lu us after the call", (t)->name,          \
                    ticks_to_us(last_ - (since)));                                   \
        KT_STOPPED(t);                                                               \
    } while (0)

/* Spinner t, marked before the call at `since`, ran within PROMPT_US of it. */
#define KT_STARTED_WITHIN(t, since)                                                  \
    do {                                                                             \
        SETTLE_FOR(t);                                                               \
        if (!(t)->user[2])                                                           \
            KT_FAIL("thread %s did not run after the call", (t)->name);              \
        if ((t)->user[2] > (since) && ticks_to_us((t)->user[2] - (since)) >= PROMPT_US) \
            KT_FAIL("thread %s ran only %lu us after the call", (t)->name,           \
                    ticks_to_us((t)->user[2] - (since)));                            \
    } while (0)

/* ------------------------------------------------------------ where a thread runs */

static struct {
    seL4_CPtr lock;                 /* a notification used as a binary semaphore */
    seL4_CPtr ntfn;                 /* core c's timer line signals badge 1 << c */
    seL4_CPtr handler[NODES];
} probe;

static int probe_setup(void)
{
    probe.ntfn = KT_NTFN();
    probe.lock = KT_NTFN();
    for (unsigned core = 0; core < NODES; core++) {
        probe.handler[core] = kt_slot();
        KT_OK(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0, KT_ROOT_CNODE,
                                             probe.handler[core], KT_DEPTH, core));
        KT_OK(seL4_IRQHandler_SetNotification(probe.handler[core],
                                              KT_MINT(probe.ntfn, seL4_AllRights, 1ul << core)));
    }
    seL4_Signal(probe.lock);
    return KT_PASS;
}

#define PROBE_SETUP()                                                                \
    do {                                                                             \
        if (probe_setup() != KT_PASS)                                                \
            return KT_FAILED;                                                        \
    } while (0)

/* The core the calling thread runs on, from its own timer's interrupt; -1 if unclear. */
static int this_core(void)
{
    seL4_Wait(probe.lock, NULL);
    ptimer_arm_at(0);               /* due at once: this core's line rises */
    seL4_Word badge = 0;
    seL4_Wait(probe.ntfn, &badge);
    ptimer_stop();
    int core = -1;
    if (badge && !(badge & (badge - 1)) && __builtin_ctzl(badge) < NODES) {
        core = __builtin_ctzl(badge);
        seL4_IRQHandler_Ack(probe.handler[core]);
    }
    seL4_Signal(probe.lock);
    return core;
}

/*
 * Threads that answer "where are you?" between rounds of their work:
 * user[1] = 1 asks, the thread puts its core + 1 in user[2], clears
 * user[1] and signals the notification in user[4]. ask_core() waits on
 * that notification, so it works whatever the thread's priority and core.
 */
static void answer_if_asked(kt_thread_t *self)
{
    if (self->user[1]) {
        self->user[2] = (seL4_Word)(this_core() + 1);
        self->user[1] = 0;
        seL4_Signal(self->user[4]);
    }
}

static int ask_core(kt_thread_t *t)
{
    t->user[2] = 0;
    t->user[1] = 1;
    seL4_Wait(t->user[4], NULL);
    return (int)t->user[2] - 1;
}

/* ------------------------------------------------------------ the ABI */

TEST(smp_bootinfo_sched_controls, "BootInfo: numNodes is the core count, the root task is on "
     "node 0, the schedcontrol range holds one SchedControl cap per core and each configures")
{
    FINE_SLICES();
    KT_EQ(kt_bi->numNodes, NODES);
    KT_EQ(kt_bi->nodeID, 0);
    KT_EQ(kt_bi->schedcontrol.end - kt_bi->schedcontrol.start, NODES);
    for (unsigned core = 0; core < NODES; core++) {
        KT_CAP_IS(kt_sched_control_of(core), KT_CAP_SCHED_CONTROL);
        seL4_CPtr sc = KT_SC();
        KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(core), sc, 1000, 10000, 0,
                                               core, 0));
    }
    KT_NE(seL4_DebugCapIdentify(kt_bi->schedcontrol.end), KT_CAP_SCHED_CONTROL);
    return KT_PASS;
}

static int report_core(kt_thread_t *self, void *arg)
{
    (void)arg;
    self->user[0] = (seL4_Word)(this_core() + 1);
    return KT_PASS;
}

TEST(smp_thread_runs_on_its_sched_control_core, "A thread runs on the core of the "
     "SchedControl that configured its SC (its own timer interrupt says which)")
{
    FINE_SLICES();
    PROBE_SETUP();
    KT_EQ(this_core(), 0);
    kt_thread_t t[NODES];
    for (unsigned core = 0; core < NODES; core++) {
        KT_THREAD(&t[core], "report-core", ON(core, HI), report_core, NULL);
        KT_START(&t[core]);
    }
    for (unsigned core = 0; core < NODES; core++) {
        if (!finishes_within(&t[core], 1000))
            KT_FAIL("the thread on core %u did not finish (started: %d)", core, t[core].started);
        KT_EQ(t[core].user[0], core + 1);
    }
    return KT_PASS;
}

TEST(smp_cores_run_in_parallel, "Threads at the highest priority on every other core spin "
     "while we run too; priorities are per core")
{
    FINE_SLICES();
    kt_thread_t t[NODES];
    for (unsigned core = 1; core < NODES; core++) {
        SPINNER(&t[core], "spin-top", core, KT_PRIO_MAX, SPIN_US);
        KT_START(&t[core]);
    }
    for (int round = 0; round < 3; round++) {
        spin_us(1000);              /* we run too */
        for (unsigned core = 1; core < NODES; core++)
            KT_RUNNING(&t[core]);
    }
    for (unsigned core = 1; core < NODES; core++) {
        KT_OK(seL4_TCB_Suspend(t[core].tcb));
        KT_STOPPED(&t[core]);
    }
    return KT_PASS;
}

TEST(smp_yield_to_thread_elsewhere, "YieldTo an SC of another core returns at once with its "
     "consumed time: the thread goes on waiting its turn there")
{
    FINE_SLICES();
    kt_thread_t top, low;
    SPINNER(&top, "spin-top", 1, HI + 1, SPIN_US);
    SPINNER(&low, "spin-low", 1, HI, SPIN_US);
    KT_START(&top);
    KT_RUNNING(&top);
    KT_START(&low);
    seL4_SchedContext_YieldTo_t r = seL4_SchedContext_YieldTo(low.sc);
    KT_OK(r.error);
    KT_RUNNING(&top);
    KT_EQ(low.user[0], 0);
    return KT_PASS;
}

/* ------------------------------------------------------------ notifications */

struct pingpong {
    seL4_CPtr ping, pong;
    volatile seL4_Word seq, seen;
};

static int ponger(kt_thread_t *self, void *arg)
{
    (void)self;
    struct pingpong *p = arg;
    for (;;) {
        seL4_Wait(p->ping, NULL);
        p->seen = p->seq;
        seL4_Signal(p->pong);
    }
    return KT_PASS;
}

TEST(smp_signal_wakes_waiter_on_idle_core, "Signal wakes a thread waiting on another, idle "
     "core, and its Signal wakes us: 300 round trips per core, none lost")
{
    FINE_SLICES();
    for (unsigned core = 1; core < NODES; core++) {
        kt_step("ping-pong with another core");
        struct pingpong p = { .ping = KT_NTFN(), .pong = KT_NTFN() };
        kt_thread_t t;
        KT_THREAD(&t, "ponger", ON(core, HI), ponger, &p);
        KT_START(&t);
        for (seL4_Word i = 1; i <= 300; i++) {
            p.seq = i;
            seL4_Signal(p.ping);
            seL4_Wait(p.pong, NULL);
            KT_EQ(p.seen, i);
        }
        KT_OK(seL4_TCB_Suspend(t.tcb));
    }
    return KT_PASS;
}

struct waker {
    seL4_CPtr ntfn;
    volatile seL4_Word woke_at;
};

/* Counts wake-ups in user[0], notes the time of the last. */
static int timed_waiter(kt_thread_t *self, void *arg)
{
    struct waker *w = arg;
    for (;;) {
        seL4_Wait(w->ntfn, NULL);
        w->woke_at = counter_now();
        self->user[0]++;
    }
    return KT_PASS;
}

TEST(smp_signal_preempts_thread_elsewhere, "A signal to a higher-priority waiter on a busy "
     "core runs it there at once (a reschedule interrupt), five times per core")
{
    FINE_SLICES();
    for (unsigned core = 1; core < NODES; core++) {
        struct waker w = { .ntfn = KT_NTFN() };
        kt_thread_t busy, waiter;
        SPINNER(&busy, "spin-low", core, LO, LONG_US);
        KT_THREAD(&waiter, "waiter", ON(core, HI), timed_waiter, &w);
        KT_START(&busy);
        KT_START(&waiter);
        KT_RUNNING(&busy);
        for (int round = 0; round < 5; round++) {
            seL4_Word wakes = waiter.user[0], sent = counter_now();
            seL4_Signal(w.ntfn);
            KT_RUNNING(&busy);
            KT_EQ(waiter.user[0], wakes + 1);
            KT_LT(ticks_to_us(w.woke_at - sent), PROMPT_US);
        }
        KT_OK(seL4_TCB_Suspend(busy.tcb));
        KT_OK(seL4_TCB_Suspend(waiter.tcb));
    }
    return KT_PASS;
}

TEST(smp_signal_to_lower_waiter_elsewhere_waits, "A signal to a lower-priority waiter on a "
     "busy core does not preempt the higher thread there; it runs once that one stops")
{
    FINE_SLICES();
    struct waker w = { .ntfn = KT_NTFN() };
    kt_thread_t busy, waiter;
    SPINNER(&busy, "spin-high", 1, HI, LONG_US);
    KT_THREAD(&waiter, "waiter", ON(1, LO), timed_waiter, &w);
    KT_START(&waiter);
    KT_START(&busy);
    KT_RUNNING(&busy);
    seL4_Signal(w.ntfn);
    KT_RUNNING(&busy);
    KT_EQ(waiter.user[0], 0);
    KT_OK(seL4_TCB_Suspend(busy.tcb));
    seL4_Word since = counter_now();
    spin_us(LONG_SETTLE_MS * 1000);
    KT_EQ(waiter.user[0], 1);
    KT_ASSERT(w.woke_at < since || ticks_to_us(w.woke_at - since) < PROMPT_US);
    return KT_PASS;
}

/* ------------------------------------------------------------ IPC */

struct server {
    seL4_CPtr ep, reply;
    volatile seL4_Word calls;
};

/* Answers MR i with MR i * 3 + the caller's badge, label + 1. */
static int echo_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct server *s = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->calls++;
        seL4_Word n = seL4_MessageInfo_get_length(m);
        for (seL4_Word i = 0; i < n; i++)
            seL4_SetMR(i, seL4_GetMR(i) * 3 + badge);
        m = seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(m) + 1, 0, 0, n),
                           &badge, s->reply);
    }
    return KT_PASS;
}

/* `rounds` Calls on ep (badged `badge`) with 1..12 words, checking every answer. */
static int call_rounds(seL4_CPtr ep, seL4_Word badge, seL4_Word rounds, volatile seL4_Word *done)
{
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_Word n = 1 + i % 12, label = i & 0xfff;
        for (seL4_Word j = 0; j < n; j++)
            seL4_SetMR(j, i * 16 + j);
        seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(label, 0, 0, n));
        KT_EQ(seL4_MessageInfo_get_label(r), label + 1);
        KT_EQ(seL4_MessageInfo_get_length(r), n);
        for (seL4_Word j = 0; j < n; j++)
            KT_EQ(seL4_GetMR(j), (i * 16 + j) * 3 + badge);
        (*done)++;
    }
    return KT_PASS;
}

static int caller(kt_thread_t *self, void *arg)
{
    return call_rounds((seL4_CPtr)arg, self->user[3], self->user[4], &self->user[0]);
}

TEST(smp_call_reply_recv_across_cores, "Call and ReplyRecv between threads on different cores: "
     "a server on core 1 answers us (core 0) and callers on the other cores at the same time")
{
    FINE_SLICES();
    struct server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t srv, callers[NODES];
    KT_THREAD(&srv, "echo-server", ON(1, HI), echo_server, &s);
    KT_START(&srv);
    const seL4_Word rounds = 300;
    for (unsigned core = 2; core < NODES; core++) {
        seL4_CPtr ep = KT_MINT(s.ep, seL4_AllRights, core);
        KT_THREAD(&callers[core], "caller", ON(core, HI), caller, (void *)ep);
        callers[core].user[3] = core;
        callers[core].user[4] = rounds;
        KT_START(&callers[core]);
    }
    volatile seL4_Word mine = 0;
    if (call_rounds(KT_MINT(s.ep, seL4_AllRights, 0x40), 0x40, rounds, &mine) != KT_PASS)
        return KT_FAILED;
    for (unsigned core = 2; core < NODES; core++) {
        KT_ASSERT(finishes_within(&callers[core], 2000));
        KT_EQ(callers[core].ret, KT_PASS);
        KT_EQ(callers[core].user[0], rounds);
    }
    KT_EQ(s.calls, rounds * (NODES - 1));
    return KT_PASS;
}

/* Replies with the core it runs on (MR 0). */
static int core_server(kt_thread_t *self, void *arg)
{
    (void)self;
    struct server *s = arg;
    seL4_Word badge = 0;
    seL4_Recv(s->ep, &badge, s->reply);
    for (;;) {
        s->calls++;
        seL4_SetMR(0, (seL4_Word)this_core());
        seL4_ReplyRecv(s->ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, s->reply);
    }
    return KT_PASS;
}

/* Calls user[4] times; every answer must name our core, user[3]. */
static int core_caller(kt_thread_t *self, void *arg)
{
    struct server *s = arg;
    for (seL4_Word i = 0; i < self->user[4]; i++) {
        seL4_Call(s->ep, seL4_MessageInfo_new(0, 0, 0, 0));
        if (seL4_GetMR(0) != self->user[3])
            KT_FAIL("call %lu: the passive server ran on core %ld, the caller is on core %lu",
                    i, (long)seL4_GetMR(0), self->user[3]);
        self->user[0]++;
    }
    return KT_PASS;
}

TEST(smp_passive_server_follows_callers, "A passive server called from every core at once "
     "runs each call on the caller's core (it migrates with the donated SC)")
{
    FINE_SLICES();
    PROBE_SETUP();
    struct server s = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t srv, callers[NODES];
    KT_THREAD(&srv, "passive-server", ON(0, HI + 5), core_server, &s);
    KT_START(&srv);         /* above us: it is now blocked in Recv */
    KT_OK(seL4_SchedContext_UnbindObject(srv.sc, srv.tcb));
    const seL4_Word rounds = 40;
    for (unsigned core = 1; core < NODES; core++) {
        KT_THREAD(&callers[core], "core-caller", ON(core, HI), core_caller, &s);
        callers[core].user[3] = core;
        callers[core].user[4] = rounds;
        KT_START(&callers[core]);
    }
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_Call(s.ep, seL4_MessageInfo_new(0, 0, 0, 0));
        KT_EQ(seL4_GetMR(0), 0);
    }
    for (unsigned core = 1; core < NODES; core++) {
        if (!finishes_within(&callers[core], 2000))
            KT_FAIL("the caller on core %u made only %lu of %lu calls", core,
                    callers[core].user[0], rounds);
        KT_EQ(callers[core].ret, KT_PASS);
    }
    KT_EQ(s.calls, rounds * NODES);
    return KT_PASS;
}

/* ------------------------------------------------------------ threads running elsewhere */

TEST(smp_suspend_thread_running_elsewhere, "Suspend stops a thread running on another core "
     "before it returns; Resume runs it there again")
{
    FINE_SLICES();
    for (unsigned core = 1; core < NODES; core++) {
        kt_thread_t t;
        SPINNER(&t, "spin", core, HI, SPIN_US);
        KT_START(&t);
        KT_RUNNING(&t);
        for (int round = 0; round < 3; round++) {
            KT_OK(seL4_TCB_Suspend(t.tcb));
            KT_STOPPED(&t);
            mark(&t);
            seL4_Word since = counter_now();
            KT_OK(seL4_TCB_Resume(t.tcb));
            KT_STARTED_WITHIN(&t, since);
        }
        KT_OK(seL4_TCB_Suspend(t.tcb));
    }
    return KT_PASS;
}

static volatile seL4_Word published[2];

TEST(smp_registers_of_thread_running_elsewhere, "ReadRegisters, WriteRegisters and "
     "CopyRegisters on a thread running on another core see and change its live state")
{
    FINE_SLICES();
    const unsigned core = NODES - 1;
    kt_thread_t t, copy;
    SPINNER(&t, "count-x19", core, HI, SPIN_US);
    KT_THREAD(&copy, "copy", ON(1, LO), spinner, NULL);
    seL4_UserContext r;
    const seL4_Word n = sizeof(r) / sizeof(seL4_Word);
    memset(&r, 0, sizeof(r));
    published[0] = published[1] = 0;
    r.pc = (seL4_Word)kt_smp_count_loop;
    r.sp = t.stack_top;
    r.x20 = (seL4_Word)published;
    KT_OK(seL4_TCB_WriteRegisters(t.tcb, true, 0, n, &r));
    SETTLE();
    KT_GT(published[0], 0);

    /* Reading leaves it running. */
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, false, 0, n, &r));
    KT_GE(r.pc, (seL4_Word)kt_smp_count_loop);
    KT_LT(r.pc, (seL4_Word)kt_smp_count_loop_end);
    KT_EQ(r.x20, (seL4_Word)published);
    seL4_Word first = r.x19;
    KT_GT(first, 0);
    SETTLE();
    KT_GT(published[0], first + 1);
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, false, 0, n, &r));
    KT_GT(r.x19, first);

    /* Writing sends it elsewhere with a new count; the old loop never runs again. */
    r.pc = (seL4_Word)kt_smp_count_loop2;
    r.x19 = 1ul << 40;
    KT_OK(seL4_TCB_WriteRegisters(t.tcb, false, 0, n, &r));
    seL4_Word old_loop = published[0];
    SETTLE();
    KT_GT(published[1], 1ul << 40);
    KT_EQ(published[0], old_loop);

    /* Copying from it leaves it running and gives the copy its registers. */
    KT_OK(seL4_TCB_CopyRegisters(copy.tcb, t.tcb, false, false, true, true, 0));
    seL4_Word copied_at = published[1];
    SETTLE();
    KT_GT(published[1], copied_at);
    seL4_UserContext c;
    KT_OK(seL4_TCB_ReadRegisters(copy.tcb, false, 0, n, &c));
    KT_GE(c.pc, (seL4_Word)kt_smp_count_loop2);
    KT_LT(c.pc, (seL4_Word)kt_smp_count_loop2_end);
    KT_EQ(c.x20, (seL4_Word)published);
    KT_GE(c.x19, 1ul << 40);

    /* Reading with suspend_source stops it where it was, before the call returns. */
    KT_OK(seL4_TCB_ReadRegisters(t.tcb, true, 0, n, &r));
    seL4_Word stopped_at = published[1];
    SETTLE();
    KT_EQ(published[1], stopped_at);
    KT_GE(r.pc, (seL4_Word)kt_smp_count_loop2);
    KT_LT(r.pc, (seL4_Word)kt_smp_count_loop2_end);
    KT_ASSERT(r.x19 == stopped_at || r.x19 == stopped_at + 1);
    return KT_PASS;
}

TEST(smp_priority_change_of_thread_elsewhere, "SetPriority on threads of another core takes "
     "effect there at once: lowering the running one, raising a ready one")
{
    FINE_SLICES();
    kt_thread_t a, b;
    SPINNER(&a, "spin-a", 1, HI, LONG_US);
    SPINNER(&b, "spin-b", 1, HI - 1, LONG_US);
    KT_START(&b);
    KT_RUNNING(&b);
    /* a starts above b there: it preempts b. */
    mark(&a);
    seL4_Word since = counter_now();
    KT_START(&a);
    KT_STARTED_WITHIN(&a, since);
    KT_STOPPED_WITHIN(&b, since);
    /* The running one drops below the ready one (it is stalled first). */
    mark(&b);
    since = counter_now();
    KT_OK(seL4_TCB_SetPriority(a.tcb, KT_ROOT_TCB, HI - 2));
    KT_STOPPED(&a);
    KT_STARTED_WITHIN(&b, since);
    /* And back. */
    mark(&a);
    since = counter_now();
    KT_OK(seL4_TCB_SetPriority(b.tcb, KT_ROOT_TCB, HI - 3));
    KT_STOPPED(&b);
    KT_STARTED_WITHIN(&a, since);
    /* A ready one rises above the running one. */
    mark(&b);
    since = counter_now();
    KT_OK(seL4_TCB_SetPriority(b.tcb, KT_ROOT_TCB, HI));
    KT_STARTED_WITHIN(&b, since);
    KT_STOPPED_WITHIN(&a, since);
    mark(&a);
    since = counter_now();
    KT_OK(seL4_TCB_SetPriority(a.tcb, KT_ROOT_TCB, HI + 1));
    KT_STARTED_WITHIN(&a, since);
    KT_STOPPED_WITHIN(&b, since);
    return KT_PASS;
}

TEST(smp_delete_thread_running_elsewhere, "Deleting the TCB of a thread running on another "
     "core stops it before Delete returns and it never runs again; its SC serves another thread")
{
    FINE_SLICES();
    for (unsigned core = 1; core < NODES; core++) {
        kt_thread_t t, next;
        SPINNER(&t, "doomed", core, HI, SPIN_US);
        KT_START(&t);
        KT_RUNNING(&t);
        KT_OK(kt_delete(t.tcb));
        KT_CAP_IS(t.tcb, KT_CAP_NULL);
        KT_STOPPED(&t);
        /* The core and the SC are fine: a new thread runs there on it. */
        struct kt_thread_opts o = { .prio = HI, .passive = true };
        KT_THREAD(&next, "next", &o, spinner, NULL);
        next.user[5] = SETTLE_MS;
        KT_OK(seL4_SchedContext_Bind(t.sc, next.tcb));
        KT_START(&next);
        KT_RUNNING(&next);
        KT_STOPPED(&t);
        KT_OK(seL4_TCB_Suspend(next.tcb));
    }
    return KT_PASS;
}

TEST(smp_delete_sc_of_thread_running_elsewhere, "Deleting the SC of a thread running on "
     "another core stops it at once; a new SC from any core's SchedControl runs it again")
{
    FINE_SLICES();
    kt_thread_t t;
    SPINNER(&t, "spin", 1, HI, SPIN_US);
    KT_START(&t);
    KT_RUNNING(&t);
    KT_OK(kt_delete(t.sc));
    KT_STOPPED(&t);
    seL4_CPtr sc = KT_SC();
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(NODES - 1), sc, SPIN_US, SPIN_US,
                                           0, 0, 0));
    mark(&t);
    seL4_Word since = counter_now();
    KT_OK(seL4_SchedContext_Bind(sc, t.tcb));
    KT_STARTED_WITHIN(&t, since);
    KT_OK(seL4_TCB_Suspend(t.tcb));
    return KT_PASS;
}

/* ------------------------------------------------------------ memory under a running thread */

/* Stores 1, 2, 3... at the address `arg`, publishing each in user[0] after the store. */
static int store_loop(kt_thread_t *self, void *arg)
{
    seL4_Word va = (seL4_Word)arg;
    for (seL4_Word i = 1;; i++) {
        vm_poke(va, i);
        self->user[0] = i;
    }
    return KT_PASS;
}

TEST(smp_unmap_frame_used_elsewhere, "Unmapping a frame a thread on another core is writing: "
     "no store lands after Unmap returns, and the thread takes a VM fault on it")
{
    FINE_SLICES();
    seL4_CPtr frame = KT_FRAME(), alias = KT_COPY(frame, seL4_AllRights);
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    VM_MAP(alias, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED);
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    kt_thread_t t;
    struct kt_thread_opts o = { .prio = HI, .core = 1, .budget = SPIN_US,
                                .fault_ep = KT_MINT(ep, seL4_AllRights, 0x51) };
    KT_THREAD(&t, "writer", &o, store_loop, (void *)VM_VA_GIB);
    KT_START(&t);
    SETTLE();
    KT_GT(t.user[0], 0);
    KT_OK(seL4_ARM_Page_Unmap(frame));
    seL4_Word last = vm_peek(VM_VA_GIB + 0x1000);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    KT_EQ(badge, 0x51);
    KT_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KT_EQ(seL4_GetMR(seL4_VMFault_Addr), VM_VA_GIB);
    KT_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    KT_EQ(VM_ESR_EC(seL4_GetMR(seL4_VMFault_FSR)), VM_EC_DABT_LOWER);
    KT_EQ(VM_ESR_FSC(seL4_GetMR(seL4_VMFault_FSR)), VM_FSC_TRANSLATION(3));
    KT_EQ(VM_ESR_WNR(seL4_GetMR(seL4_VMFault_FSR)), 1);
    KT_EQ(vm_peek(VM_VA_GIB + 0x1000), last);
    KT_EQ(t.user[0], last);
    return KT_PASS;
}

static volatile seL4_Word vspace_spins;

static int count_in_image(kt_thread_t *self, void *arg)
{
    (void)self;
    (void)arg;
    for (;;)
        vspace_spins++;
    return KT_PASS;
}

TEST(smp_delete_vspace_used_elsewhere, "Deleting the VSpace a thread on another core runs in "
     "(revoking its untyped) stops it at once: it faults on the empty table and never runs "
     "on the freed one, even after the memory is reused")
{
    FINE_SLICES();
    seL4_CPtr ut = KT_UNTYPED(16), vs = kt_slot();
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_VSpaceObject, 0, KT_ROOT_CNODE, 0, 0, vs, 1));
    KT_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs));
    KT_OK(vm_clone_image(vs));
    seL4_CPtr ep = KT_EP(), reply = KT_REPLY();
    struct kt_thread_opts o = { .prio = HI, .core = 1, .budget = SPIN_US,
                                .fault_ep = KT_MINT(ep, seL4_AllRights, 0x52) };
    kt_thread_t t;
    vspace_spins = 0;
    if (!vm_thread_in(&t, "vspace-user", &o, vs, count_in_image, NULL))
        return KT_FAILED;
    KT_START(&t);
    SETTLE();
    KT_GT(vspace_spins, 0);
    KT_OK(kt_revoke(ut));           /* the VSpace and the TCB's cap of it */
    KT_CAP_IS(vs, KT_CAP_NULL);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge, reply);
    KT_EQ(badge, 0x52);
    KT_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    KT_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    KT_EQ(seL4_GetMR(seL4_VMFault_Addr), seL4_GetMR(seL4_VMFault_IP));
    KT_EQ(VM_ESR_FSC(seL4_GetMR(seL4_VMFault_FSR)), VM_FSC_TRANSLATION(VM_ROOT_LEVEL));
    seL4_Word spins = vspace_spins;
    SETTLE();
    KT_EQ(vspace_spins, spins);
    /* The table's memory becomes a frame full of entries that would map everything. */
    seL4_CPtr junk = kt_slot();
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, KT_ROOT_CNODE, 0, 0, junk, 1));
    VM_MAP(junk, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    for (seL4_Word i = 0; i < 512; i++)
        vm_poke(VM_VA_GIB + i * 8, 0x40000000ul | 0x7c3ul);
    KT_OK(seL4_ARM_Page_Clean_Data(junk, 0, 4096));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));    /* let it try again */
    SETTLE();
    KT_EQ(vspace_spins, spins);
    return KT_PASS;
}

/* ------------------------------------------------------------ time per core */

TEST(smp_budget_shares_per_core, "SchedContexts with budget < period on several cores at once: "
     "each thread gets exactly its share of its core, a spinner below it the rest")
{
    FINE_SLICES();
    static const seL4_Word budget_us[] = { 500, 1000, 2500 };
    const seL4_Word period_us = 5000;
    kt_thread_t share[NODES], rest[NODES];
    for (unsigned core = 1; core < NODES; core++) {
        struct kt_thread_opts os = { .prio = HI, .core = core,
                                     .budget = budget_us[(core - 1) % 3], .period = period_us };
        KT_THREAD(&share[core], "share", &os, spinner, NULL);
        SPINNER(&rest[core], "rest", core, LO, SPIN_US);
        KT_START(&rest[core]);
        KT_START(&share[core]);
    }
    spin_us(20000);
    /*
     * Each core's window is bracketed by counter readings around the calls
     * that reset and read its consumed times: a kernel entry of core 0 can
     * take milliseconds of virtual time under QEMU (it waits for the lock
     * while the other cores use their slices).
     */
    seL4_Word reset[NODES][2], read[NODES][2], used[NODES][2];
    for (unsigned core = 1; core < NODES; core++) {
        reset[core][0] = counter_now();
        KT_OK(seL4_SchedContext_Consumed(share[core].sc).error);
        KT_OK(seL4_SchedContext_Consumed(rest[core].sc).error);
        reset[core][1] = counter_now();
    }
    spin_us(200000);
    for (unsigned core = 1; core < NODES; core++) {
        read[core][0] = counter_now();
        seL4_SchedContext_Consumed_t a = seL4_SchedContext_Consumed(share[core].sc);
        seL4_SchedContext_Consumed_t b = seL4_SchedContext_Consumed(rest[core].sc);
        read[core][1] = counter_now();
        KT_OK(a.error);
        KT_OK(b.error);
        used[core][0] = a.consumed;
        used[core][1] = b.consumed;
    }
    for (unsigned core = 1; core < NODES; core++) {
        seL4_Word budget = budget_us[(core - 1) % 3];
        seL4_Word shortest = ticks_to_us(read[core][0] - reset[core][1]);
        seL4_Word longest = ticks_to_us(read[core][1] - reset[core][0]);
        /*
         * Never more than its share (give or take a budget where the window
         * cuts a period). Less by the lateness of its refill interrupts:
         * a refill starts its period when it is taken (as seL4's
         * refill_unblock_check), and QEMU delivers another core's timer
         * interrupt only when that core's turn comes (up to a few hundred
         * us late here), and an entry made at the end of a slice waits for
         * the next refill (seL4's budget check at entry): at least 60% of it.
         */
        KT_GE(used[core][0] + budget, shortest / period_us * budget * 6 / 10);
        KT_LE(used[core][0], (longest + period_us - 1) / period_us * budget + budget);
        /* The two of them had the whole core. */
        KT_GE(used[core][0] + used[core][1], shortest * 95 / 100);
        KT_LE(used[core][0] + used[core][1], longest);
    }
    return KT_PASS;
}

struct timeouts {
    seL4_CPtr ep, reply;
    volatile seL4_Word faults[NODES];
    volatile seL4_Word wrong;
};

/* Timeout handler: counts each core's Timeout faults (badge = core) and resumes the thread. */
static int timeout_handler(kt_thread_t *self, void *arg)
{
    (void)self;
    struct timeouts *h = arg;
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(h->ep, &badge, h->reply);
    for (;;) {
        if (seL4_MessageInfo_get_label(m) == seL4_Fault_Timeout && badge < NODES &&
            seL4_GetMR(seL4_Timeout_Data) == 0x100 + badge)
            h->faults[badge]++;
        else
            h->wrong++;
        m = seL4_ReplyRecv(h->ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, h->reply);
    }
    return KT_PASS;
}

TEST(smp_timeout_faults_per_core, "Threads exhausting their budgets on every core raise Timeout "
     "faults there (each core's own timer), handled on core 1; the reply resumes them")
{
    FINE_SLICES();
    struct timeouts h = { .ep = KT_EP(), .reply = KT_REPLY() };
    kt_thread_t handler, t[NODES];
    KT_THREAD(&handler, "timeout-handler", ON(1, HI + 1), timeout_handler, &h);
    KT_START(&handler);
    for (unsigned core = 1; core < NODES; core++) {
        struct kt_thread_opts o = { .prio = HI, .core = core, .budget = 1000, .period = 20000,
                                    .sc_badge = 0x100 + core };
        KT_THREAD(&t[core], "exhausts", &o, spinner, NULL);
        KT_OK(seL4_TCB_SetTimeoutEndpoint(t[core].tcb, KT_MINT(h.ep, seL4_AllRights, core)));
        KT_START(&t[core]);
    }
    spin_us(110000);
    for (unsigned core = 1; core < NODES; core++) {
        KT_GE(h.faults[core], 3);
        KT_LE(h.faults[core], 7);
        KT_GT(t[core].user[0], 0);
        KT_OK(seL4_TCB_Suspend(t[core].tcb));
    }
    KT_EQ(h.wrong, 0);
    return KT_PASS;
}

/* ------------------------------------------------------------ migration */

/* Counts in user[0]; answers ask_core(). */
static int mover(kt_thread_t *self, void *arg)
{
    (void)arg;
    for (;;) {
        self->user[0]++;
        answer_if_asked(self);
    }
    return KT_PASS;
}

static const unsigned move_order[] = { 1, 2, 3, 0, 2, 1, 3, 1, 0 };

TEST(smp_configure_moves_running_thread, "ConfigureFlags with another core's SchedControl "
     "moves a running thread there; it goes on where it was")
{
    FINE_SLICES();
    PROBE_SETUP();
    kt_thread_t t;
    KT_THREAD(&t, "mover", ON(0, LO), mover, NULL);
    t.user[4] = KT_NTFN();
    KT_START(&t);
    KT_EQ(ask_core(&t), 0);
    for (unsigned i = 0; i < sizeof(move_order) / sizeof(move_order[0]); i++) {
        unsigned core = move_order[i] % NODES;
        KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(core), t.sc, 2000, 2000, 0, 0,
                                               0));
        seL4_Word count = t.user[0];
        KT_EQ(ask_core(&t), core);
        /* It answers before it counts again; on core 0 it runs below us,
           only while we sleep (nothing else spins then); on another core
           it spins there, and we wait by spinning too (see the top). */
        if (core == 0)
            KT_SLEEP_MS(5);
        else
            spin_us(5000);
        KT_GT(t.user[0], count);
    }
    return KT_PASS;
}

/*
 * FP registers filled from a seed that starts at `arg` and changes every
 * round (so a copy saved earlier is no longer right), checked before each
 * refill; mismatches in user[3].
 */
static int fpu_worker(kt_thread_t *self, void *arg)
{
    seL4_Word seed = (seL4_Word)arg;
    kt_smp_fpu_fill(seed);
    for (;;) {
        if (kt_smp_fpu_check(seed))
            self->user[3]++;
        seed += 0x100;
        kt_smp_fpu_fill(seed);
        self->user[0]++;
        answer_if_asked(self);
    }
    return KT_PASS;
}

/*
 * Uses the FPU in bursts: at every signal on user[4] it fills all 32
 * registers from its seed, checks them 200 times (mismatches in user[3])
 * and counts the burst in user[0].
 */
static int fpu_burst(kt_thread_t *self, void *arg)
{
    seL4_Word seed = (seL4_Word)arg;
    for (;;) {
        seL4_Wait(self->user[4], NULL);
        kt_smp_fpu_fill(seed);
        for (int i = 0; i < 200; i++)
            if (kt_smp_fpu_check(seed))
                self->user[3]++;
        self->user[0]++;
    }
    return KT_PASS;
}

TEST(smp_fpu_state_follows_migration, "A thread's FP registers survive moves between cores "
     "while threads on every core take the FPU from it and give it back")
{
    FINE_SLICES();
    PROBE_SETUP();
    /*
     * The other threads run in bursts above the mover rather than spinning
     * beside it: with every core busy, QEMU's round robin can give a core
     * its turn only after its thread's budget is spent, and two FPU
     * threads taking turns there would hand the core back and forth
     * without progress.
     */
    kt_thread_t m, others[NODES];
    struct kt_thread_opts om = { .prio = LO, .budget = SPIN_US };
    KT_THREAD(&m, "fpu-mover", &om, fpu_worker, (void *)0x1000000000ul);
    m.user[4] = KT_NTFN();
    for (unsigned core = 0; core < NODES; core++) {
        KT_THREAD(&others[core], "fpu-burst", ON(core, HI), fpu_burst,
                  (void *)(0x2000000000ul * (core + 2)));
        others[core].user[4] = KT_NTFN();
        KT_START(&others[core]);
    }
    KT_START(&m);
    seL4_Word bursts = 0;
    for (int round = 0; round < 2; round++) {
        for (unsigned i = 0; i < sizeof(move_order) / sizeof(move_order[0]); i++) {
            unsigned core = move_order[i] % NODES;
            KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(core), m.sc, SPIN_US,
                                                   SPIN_US, 0, 0, 0));
            KT_EQ(ask_core(&m), core);
            /* Every core's FPU gets other registers, the mover's among them. */
            for (unsigned c = 0; c < NODES; c++)
                seL4_Signal(others[c].user[4]);
            bursts++;
            seL4_Word rounds = m.user[0];
            KT_EQ(ask_core(&m), core);      /* it went on there */
            KT_GT(m.user[0], rounds);
            KT_EQ(m.user[3], 0);
        }
    }
    for (unsigned core = 0; core < NODES; core++) {
        for (int ms = 0; ms < 1000 && others[core].user[0] < bursts; ms++)
            spin_us(1000);
        KT_EQ(others[core].user[0], bursts);
        KT_EQ(others[core].user[3], 0);
    }
    KT_EQ(m.user[3], 0);
    return KT_PASS;
}

/* ------------------------------------------------------------ interrupts */

struct ppi_check {
    seL4_CPtr ntfn, handler;
};

static int own_timer_interrupt(kt_thread_t *self, void *arg)
{
    struct ppi_check *c = arg;
    ptimer_arm(200);
    seL4_Word badge = 0;
    seL4_Wait(c->ntfn, &badge);
    ptimer_stop();
    self->user[0] = badge;
    seL4_IRQHandler_Ack(c->handler);
    return KT_PASS;
}

TEST(smp_private_interrupt_per_core, "Each core's EL1 physical timer interrupt reaches only "
     "the handler claimed for that core (GetTriggerCore)")
{
    FINE_SLICES();
    struct ppi_check c[NODES];
    for (unsigned core = 0; core < NODES; core++) {
        c[core].ntfn = KT_NTFN();
        c[core].handler = kt_slot();
        KT_OK(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0, KT_ROOT_CNODE,
                                             c[core].handler, KT_DEPTH, core));
        KT_OK(seL4_IRQHandler_SetNotification(c[core].handler,
                                              KT_MINT(c[core].ntfn, seL4_AllRights, core + 1)));
    }
    for (unsigned core = 0; core < NODES; core++) {
        kt_thread_t t;
        KT_THREAD(&t, "own-timer", ON(core, HI), own_timer_interrupt, &c[core]);
        KT_START(&t);
        KT_ASSERT(finishes_within(&t, 1000));
        KT_EQ(t.user[0], core + 1);
        for (unsigned other = 0; other < NODES; other++) {
            seL4_Word badge = 0;
            seL4_Poll(c[other].ntfn, &badge);
            KT_EQ(badge, 0);
        }
    }
    return KT_PASS;
}

static int wfi_counter(kt_thread_t *self, void *arg)
{
    (void)arg;
    kt_smp_wfi_loop(&self->user[0]);
    return KT_PASS;
}

/*
 * Which core took an interrupt: threads waiting in WFI at EL0 count their
 * wake-ups. Under an EL1 kernel EL0's WFI traps (as on seL4), so there
 * only the notification's badge is checked.
 */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define WFI_AT_EL0 1
#else
#define WFI_AT_EL0 0
#endif

TEST(smp_shared_interrupt_to_chosen_core, "A shared interrupt (the PL011's, SPI 1) claimed "
     "with GetTriggerCore for core N wakes core N and no other")
{
    FINE_SLICES();
    seL4_CPtr uart = VM_DEVICE_FRAME(PL011_PHYS);
    const seL4_Word regs = VM_VA_GIB;
    VM_MAP(uart, KT_ROOT_VSPACE, regs, VM_RW, 0);
    kt_thread_t sleeper[NODES];
    for (unsigned core = 1; core < NODES && WFI_AT_EL0; core++) {
        struct kt_thread_opts o = { .prio = HI, .core = core, .budget = LONG_US };
        KT_THREAD(&sleeper[core], "wfi", &o, wfi_counter, NULL);
        KT_START(&sleeper[core]);
    }
    SETTLE();
    seL4_CPtr ntfn = KT_NTFN();
    for (unsigned target = 1; target < NODES; target++) {
        seL4_CPtr handler = kt_slot();
        KT_OK(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_UART, 0, KT_ROOT_CNODE,
                                             handler, KT_DEPTH, target));
        KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, target)));
        seL4_Word wakes[NODES];
        for (unsigned core = 1; core < NODES && WFI_AT_EL0; core++)
            wakes[core] = sleeper[core].user[0];
        *(volatile uint32_t *)(regs + PL011_ICR) = PL011_TXI;
        *(volatile uint32_t *)(regs + PL011_IMSC) = PL011_TXI;
        *(volatile uint32_t *)(regs + PL011_DR) = '\n';
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        KT_EQ(badge, target);
        *(volatile uint32_t *)(regs + PL011_IMSC) = 0;
        *(volatile uint32_t *)(regs + PL011_ICR) = PL011_TXI;
        KT_OK(seL4_IRQHandler_Ack(handler));
        SETTLE();
        for (unsigned core = 1; core < NODES && WFI_AT_EL0; core++) {
            if (core == target)
                KT_GT(sleeper[core].user[0], wakes[core]);
            else
                KT_EQ(sleeper[core].user[0], wakes[core]);
        }
        KT_OK(kt_delete(handler));
    }
    return KT_PASS;
}

#ifdef CONFIG_DEBUG_BUILD
TEST(smp_debug_send_ipi_and_affinity, "seL4_DebugSendIPI interrupts the chosen core (its "
     "thread's WFI returns) and no other; bad cores and SGIs are ignored; "
     "seL4_DebugGetThreadAffinity names each thread's core")
{
    FINE_SLICES();
    kt_thread_t sleeper[NODES];
    for (unsigned core = 1; core < NODES; core++) {
        struct kt_thread_opts o = { .prio = HI, .core = core, .budget = LONG_US };
        KT_THREAD(&sleeper[core], "wfi", &o, wfi_counter, NULL);
        KT_EQ(seL4_DebugGetThreadAffinity(sleeper[core].tcb), core);
        if (WFI_AT_EL0)
            KT_START(&sleeper[core]);
    }
    KT_EQ(seL4_DebugGetThreadAffinity(kt_self_tcb()), 0);
    /* Moving its SC moves what the affinity says. */
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(NODES - 1), sleeper[1].sc, LONG_US,
                                           LONG_US, 0, 0, 0));
    KT_EQ(seL4_DebugGetThreadAffinity(sleeper[1].tcb), NODES - 1);
    KT_OK(seL4_SchedControl_ConfigureFlags(kt_sched_control_of(1), sleeper[1].sc, LONG_US,
                                           LONG_US, 0, 0, 0));
    KT_EQ(seL4_DebugGetThreadAffinity(sleeper[1].tcb), 1);
    /* Not a TCB: all ones. */
    KT_EQ(seL4_DebugGetThreadAffinity(KT_NTFN()), ~0ul);
    SETTLE();
    static const unsigned sgis[] = { 1, 7, 15 };   /* the kernel's reschedule one, two others */
    for (unsigned target = 1; target < NODES; target++) {
        for (unsigned i = 0; i < sizeof(sgis) / sizeof(sgis[0]); i++) {
            seL4_Word wakes[NODES];
            for (unsigned core = 1; core < NODES; core++)
                wakes[core] = sleeper[core].user[0];
            seL4_DebugSendIPI((seL4_Uint8)target, sgis[i]);
            SETTLE();
            for (unsigned core = 1; core < NODES && WFI_AT_EL0; core++) {
                if (core == target)
                    KT_GT(sleeper[core].user[0], wakes[core]);
                else
                    KT_EQ(sleeper[core].user[0], wakes[core]);
            }
        }
    }
    /* Out of range: reported by the kernel and ignored; nothing wakes. */
    seL4_Word wakes[NODES];
    for (unsigned core = 1; core < NODES; core++)
        wakes[core] = sleeper[core].user[0];
    seL4_DebugSendIPI(NODES, 1);
    seL4_DebugSendIPI(200, 1);
    seL4_DebugSendIPI(1, 16);
    SETTLE();
    for (unsigned core = 1; core < NODES; core++)
        KT_EQ(sleeper[core].user[0], wakes[core]);
    return KT_PASS;
}
#endif


#ifdef KTEST_STRESS
/* ------------------------------------------------------------ stress (STRESS=1) */

#define HAMMER_SIGNALS  100000ul  /* notification round trips per pair */
#define HAMMER_CALLS    100000ul  /* Calls per caller */
#define HAMMER_CYCLES   10000ul   /* retype/revoke cycles per core */
#define HAMMER_STALL_MS 2000      /* no progress for this long: a lost wake-up or a deadlock */

struct hammer_pair {
    seL4_CPtr ping, pong;
};

/* Signals ping and waits for pong, user[4] times; user[0] counts. */
static int hammer_pinger(kt_thread_t *self, void *arg)
{
    struct hammer_pair *p = arg;
    for (seL4_Word i = 0; i < self->user[4]; i++) {
        seL4_Signal(p->ping);
        seL4_Wait(p->pong, NULL);
        self->user[0]++;
    }
    return KT_PASS;
}

static int hammer_ponger(kt_thread_t *self, void *arg)
{
    struct hammer_pair *p = arg;
    for (;;) {
        seL4_Wait(p->ping, NULL);
        seL4_Signal(p->pong);
        self->user[0]++;
    }
    return KT_PASS;
}

/* Retypes one of every kind of object from its untyped (user[3]) and
   revokes them, user[4] times; user[0] counts. */
static int hammer_retyper(kt_thread_t *self, void *arg)
{
    seL4_CPtr first = (seL4_CPtr)arg, ut = self->user[3];
    static const struct { seL4_Word type, bits; } objs[] = {
        { seL4_TCBObject, 0 }, { seL4_EndpointObject, 0 }, { seL4_NotificationObject, 0 },
        { seL4_CapTableObject, 2 }, { seL4_SchedContextObject, 8 }, { seL4_ReplyObject, 0 },
        { seL4_ARM_SmallPageObject, 0 }, { seL4_UntypedObject, 10 },
    };
    for (seL4_Word c = 0; c < self->user[4]; c++) {
        for (seL4_Word k = 0; k < sizeof(objs) / sizeof(objs[0]); k++) {
            seL4_Error e = seL4_Untyped_Retype(ut, objs[k].type, objs[k].bits, KT_ROOT_CNODE, 0,
                                               0, first + k, 1);
            if (e != seL4_NoError)
                KT_FAIL("cycle %lu, object %lu: Untyped_Retype -> %s", c, k, kt_err_name(e));
        }
        seL4_Error e = seL4_CNode_Revoke(KT_ROOT_CNODE, ut, KT_DEPTH);
        if (e != seL4_NoError)
            KT_FAIL("cycle %lu: CNode_Revoke -> %s", c, kt_err_name(e));
        self->user[0]++;
    }
    return KT_PASS;
}

TEST_STRESS(stress_smp_hammer, "Four cores at once: notification ping-pong between every pair "
            "of neighbouring cores, Calls to servers on other cores and retype/revoke on every "
            "core; no lost wake-up or deadlock (everyone progresses), every reply right, every "
            "untyped whole afterwards")
{
    static struct hammer_pair pairs[NODES];
    static struct server servers[NODES];
    static kt_thread_t ping[NODES], pong[NODES], srv[NODES], call[NODES], retype[NODES];
    seL4_CPtr uts[NODES];
    for (unsigned c = 0; c < NODES; c++) {
        unsigned next = (c + 1) % NODES, other = (c + 2) % NODES;
        pairs[c] = (struct hammer_pair){ .ping = KT_NTFN(), .pong = KT_NTFN() };
        servers[c] = (struct server){ .ep = KT_EP(), .reply = KT_REPLY() };
        struct kt_thread_opts o = { .prio = LO, .core = c, .budget = SPIN_US };
        struct kt_thread_opts on = { .prio = LO, .core = next, .budget = SPIN_US };
        struct kt_thread_opts oo = { .prio = LO, .core = other, .budget = SPIN_US };
        KT_THREAD(&ping[c], "hammer-ping", &o, hammer_pinger, &pairs[c]);
        ping[c].user[4] = HAMMER_SIGNALS;
        KT_THREAD(&pong[c], "hammer-pong", &on, hammer_ponger, &pairs[c]);
        KT_THREAD(&srv[c], "hammer-server", &oo, echo_server, &servers[c]);
        KT_THREAD(&call[c], "hammer-call", &o, caller,
                  (void *)KT_MINT(servers[c].ep, seL4_AllRights, c + 1));
        call[c].user[3] = c + 1;
        call[c].user[4] = HAMMER_CALLS;
        seL4_CPtr first;
        kt_slots(&first, 8);
        KT_ASSERT(first);
        uts[c] = KT_UNTYPED(16);
        KT_THREAD(&retype[c], "hammer-retype", &o, hammer_retyper, (void *)first);
        retype[c].user[3] = uts[c];
        retype[c].user[4] = HAMMER_CYCLES;
    }
    for (unsigned c = 0; c < NODES; c++) {
        KT_START(&pong[c]);
        KT_START(&srv[c]);
    }
    for (unsigned c = 0; c < NODES; c++) {
        KT_START(&ping[c]);
        KT_START(&call[c]);
        KT_START(&retype[c]);
    }
    /* Watch: every unfinished thread must move within HAMMER_STALL_MS. */
    kt_thread_t *const groups[] = { ping, call, retype };
    static const char *const what[] = { "notification ping-pong", "Calls", "retype/revoke" };
    seL4_Word seen[3][NODES] = { { 0 } };
    unsigned idle_ms[3][NODES] = { { 0 } };
    for (unsigned ms = 0;; ms += 100) {
        KT_SLEEP_MS(100);
        bool all_done = true;
        for (unsigned g = 0; g < 3; g++) {
            for (unsigned c = 0; c < NODES; c++) {
                kt_thread_t *t = &groups[g][c];
                if (t->finished) {
                    if (t->ret != KT_PASS)
                        KT_FAIL("%s on core %u failed", what[g], c);
                    continue;
                }
                all_done = false;
                if (t->user[0] != seen[g][c]) {
                    seen[g][c] = t->user[0];
                    idle_ms[g][c] = 0;
                } else if ((idle_ms[g][c] += 100) >= HAMMER_STALL_MS) {
                    seL4_DebugDumpScheduler();
                    KT_FAIL("%s on core %u stuck after %lu rounds (%u ms into the run)",
                            what[g], c, t->user[0], ms);
                }
            }
        }
        if (all_done)
            break;
        if (ms % 1000 == 0)
            kt_printf("KT|INFO: stress: %u ms: ping-pong %lu, calls %lu, retype %lu (core 0)\n",
                      ms, ping[0].user[0], call[0].user[0], retype[0].user[0]);
    }
    for (unsigned c = 0; c < NODES; c++) {
        KT_EQ(ping[c].user[0], HAMMER_SIGNALS);
        KT_EQ(pong[c].user[0], HAMMER_SIGNALS);
        KT_EQ(call[c].user[0], HAMMER_CALLS);
        KT_EQ(retype[c].user[0], HAMMER_CYCLES);
    }
    seL4_Word calls = 0;
    for (unsigned c = 0; c < NODES; c++)
        calls += servers[c].calls;
    KT_EQ(calls, HAMMER_CALLS * NODES);
    /* No leak: each untyped takes one untyped of its whole size again, and nothing more. */
    seL4_CPtr whole = kt_slot(), extra = kt_slot();
    for (unsigned c = 0; c < NODES; c++) {
        KT_OK(seL4_Untyped_Retype(uts[c], seL4_UntypedObject, 16, KT_ROOT_CNODE, 0, 0, whole, 1));
        KT_ERR(seL4_Untyped_Retype(uts[c], seL4_EndpointObject, 0, KT_ROOT_CNODE, 0, 0, extra, 1),
               seL4_NotEnoughMemory);
        KT_OK(kt_revoke(uts[c]));
    }
    return KT_PASS;
}
#endif /* KTEST_STRESS */

#endif /* CONFIG_MAX_NUM_NODES > 1 */
