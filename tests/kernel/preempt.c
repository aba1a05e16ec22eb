/*
 * Preemptible long operations: the zeroing behind Untyped_Retype, Revoke,
 * and the destruction of a CNode or TCB stop at a pending interrupt and
 * the system call restarts once it has been handled. seL4's promise: the
 * interrupt is taken within a bounded time, a thread's long call cannot
 * outrun its budget, and the caller sees one completed call whose result,
 * and whose effect, are the uninterrupted call's.
 *
 * Each scenario below builds the same objects from the same untypeds and
 * makes its long call(s) in one of four ways (tests *_uninterrupted,
 * *_interrupted, *_preempted_often, *_out_of_budget; two scenarios also
 * *_lower_priority_handler, see PLAN_LOW; the preempt_meanwhile_* tests at
 * the end let another thread act on the objects mid-call):
 *   - no interrupt arrives: the baseline (its end state is checked too);
 *   - one interrupt, due half-way through (half the baseline's duration);
 *   - an interrupt every OFTEN_TICKS (4096 instructions), re-armed by the
 *     handler each time: preempted many times, the call still finishes;
 *   - the caller has BUDGET_US of every PERIOD_US: the kernel's own timer
 *     stops the call at each budget end, a lower-priority thread runs
 *     until the next period, the call carries on.
 * Every run checks the end state and records it as a fingerprint (results,
 * which caps are where, memory contents, where a follow-up retype lands,
 * which threads were released or stopped); an interrupted run's must equal
 * the baseline's.
 *
 * How the interrupt lands inside the call: the suite runs under -icount,
 * so time is instructions; the EL1 physical timer (ptimer.h) is armed just
 * before the call, and its IRQHandler signals a handler thread of higher
 * priority than the test thread. The test thread sets `in_call` around the
 * call; the handler counts its wake-ups while it is set, and at the first
 * one records the time and what it can see of the operation's progress (a
 * zombie in the slot being deleted, the children still there, which
 * blocked threads have been released so far); out of budget, the spinner
 * below the test thread looks in the same way when it first runs. A kernel
 * that ran the call to the end would take the interrupt as the call
 * returns: at most one wake-up, seeing the finished state, with nothing of
 * the call left to run. So the checks: exactly one wake-up within
 * LATENCY_MAX_TICKS of the timer being due, a quarter of the baseline's
 * duration or more still to run after the handler, no more than an eighth
 * of it done twice, a partial state seen; for the periodic timer, a
 * wake-up count in proportion to the call's length; out of budget, a
 * partial state seen by the spinner and a call about PERIOD_US / BUDGET_US
 * times as long.
 */
#include "vm.h"
#include "ptimer.h"

#define R KT_ROOT_CNODE
#define D KT_DEPTH

#define PRIO_HANDLER    (KT_PRIO_TEST + 20)
/* Threads an operation releases run before the handler looks at them. */
#define PRIO_HELPER     (KT_PRIO_TEST + 30)

#define OFTEN_TICKS         256     /* 4096 instructions */
#define LATENCY_MAX_TICKS   1024    /* 16384 instructions: one unit of work and a few switches */
#define MIN_CALL_TICKS      2048    /* a call shorter than this proves little */

#define DIRT        0xa5a5a5a5a5a5a5a5ul    /* a CNode slot full of it is no null cap */
#define LARGE_PAGE  (1ul << seL4_LargePageBits)
#define VA_LARGE    VM_VA_GIB                   /* a 2 MiB mapping */
#define VA_SMALL    (VM_VA_GIB + LARGE_PAGE)    /* 4 KiB mappings, next to it */

enum plan { PLAN_NONE, PLAN_ONCE, PLAN_OFTEN, PLAN_BUDGET, PLAN_LOW, PLAN_AT };

/* PLAN_AT: one interrupt, AT_TICKS into the call (the "meanwhile" tests). */
#define AT_TICKS 4096

/*
 * PLAN_LOW: one interrupt due half-way, as PLAN_ONCE, but its handler is
 * below the caller for the call: it must not run until the call is done
 * (the preempted caller is still the highest-priority runnable thread),
 * and the interrupt is not lost: the handler runs once its priority is
 * back above the caller's.
 */
#define PRIO_LOW_HANDLER (KT_PRIO_TEST - 5)

/*
 * PLAN_BUDGET: the kernel's own timer instead. For the call the test
 * thread's SchedContext gets BUDGET_US of every PERIOD_US: the call runs
 * out of budget again and again, and each time a lower-priority spinner
 * runs until the next period. A kernel that finished the call first would
 * let no lower-priority thread run during it.
 */
#define BUDGET_US       50
#define PERIOD_US       500
#define TEST_BUDGET_US  5000    /* the framework's: the test thread's usual round robin */

#define MAX_CALLS   2
#define MAX_FP      20
#define MAX_SEEN    4
#define MAX_THREADS 4

/* One long call as the test thread and the others saw it (counter ticks). */
struct long_call {
    const char *what;
    seL4_Word t_call, t_return;     /* just before the call, just after */
    seL4_Word due;                  /* the (first) interrupt's due time; 0: none */
    seL4_Word wakes;                /* handler wake-ups while the call ran */
    seL4_Word spins;                /* PLAN_BUDGET: the spinner's loops during the call */
    seL4_Word late_wake;            /* PLAN_LOW: the handler's wake-up after the call */
    seL4_Word setup_errors;         /* of the invocations that set the plan up and undo it */
    seL4_Word first_wake, first_done;   /* another thread's first look: start, end */
    seL4_Word seen[MAX_SEEN];       /* what another thread saw of it first (scenario's choice) */
};

struct run {
    enum plan plan;
    const struct run *baseline;     /* PLAN_ONCE: when to interrupt */
    unsigned ncalls;
    struct long_call call[MAX_CALLS];
    unsigned nfp;
    const char *fp_name[MAX_FP];
    seL4_Word fp[MAX_FP];
    kt_thread_t thread[MAX_THREADS];    /* the run's helper threads */
};

struct fixture;
typedef void (*observe_fn)(struct fixture *f, seL4_Word seen[MAX_SEEN]);

/* The interrupt source, its handler thread and the spinner, one set per test. */
struct rig {
    seL4_CPtr irq, ntfn;
    kt_thread_t handler;
    kt_thread_t spinner;            /* below the test thread, for PLAN_BUDGET */
    struct fixture *fixture;
    observe_fn observe;
    volatile int in_call;
    volatile seL4_Word rearm;       /* ticks to the next interrupt; 0: one only */
    volatile seL4_Word wakes_in_call;
    volatile seL4_Word last_wake;   /* the handler's latest wake-up, in a call or not */
    /* The first look at the operation in progress: by the handler, or for
       PLAN_BUDGET by the spinner. */
    volatile int looked;
    volatile seL4_Word first_wake, first_done;
    seL4_Word seen[MAX_SEEN];
};

/* What a scenario keeps from one run to the next (made once per test). */
struct fixture {
    struct rig rig;
    struct run *run;                /* the run in progress */
    seL4_CPtr ut[2];                /* the scenario's untypeds, from the pool */
    seL4_Word ut_base[2];           /* their physical addresses */
    seL4_CPtr slot;                 /* `nslots` root slots for its caps */
    seL4_Word nslots;
    seL4_CPtr probe;                /* a 4 KiB untyped (retype_cnode) */
    seL4_CPtr ntfn[2], signal[2];   /* notifications and badged caps to signal them */
    seL4_CPtr fault_ep;             /* a badged endpoint to give threads as fault handler */
    seL4_CPtr ep, ep_badged, reply; /* to receive on (revoke_then_receive) */
    seL4_CPtr caller;               /* the test thread's TCB (meanwhile_caller_suspended) */
};

struct scenario {
    /* Once per test: untypeds, slots, long-lived objects. */
    int (*prepare)(struct fixture *f);
    /* One run: build, the long call(s), check and record the end state,
       then clean up so that the next run starts the same. */
    int (*run)(struct fixture *f, struct run *r);
};

static struct fixture fixture;
static struct run runs[2];

/* ---------------------------------------------------------------- the interrupt rig */

/* The first time a thread other than the caller runs during the call: note
   when, and what it sees of the operation. */
static void look(struct rig *rig, seL4_Word woke)
{
    if (!rig->in_call || rig->looked)
        return;
    rig->looked = 1;
    rig->first_wake = woke;
    if (rig->observe)
        rig->observe(rig->fixture, rig->seen);
    rig->first_done = counter_now();
}

static int handler_main(kt_thread_t *self, void *arg)
{
    (void)self;
    struct rig *rig = arg;
    for (;;) {
        seL4_Wait(rig->ntfn, NULL);
        seL4_Word woke = counter_now();
        rig->last_wake = woke;
        if (rig->in_call)
            rig->wakes_in_call++;
        look(rig, woke);
        if (rig->in_call && rig->rearm)
            ptimer_arm_at(counter_now() + rig->rearm);
        else
            ptimer_stop();
        seL4_IRQHandler_Ack(rig->irq);
    }
    return KT_PASS;
}

/* Runs only while every thread above it is blocked or out of budget: counts. */
static int spinner_main(kt_thread_t *self, void *arg)
{
    struct rig *rig = arg;
    for (;;) {
        if (rig->in_call && !rig->looked)
            look(rig, counter_now());
        self->user[0]++;
    }
    return KT_PASS;
}

static int rig_init(struct fixture *f)
{
    struct rig *rig = &f->rig;
    rig->fixture = f;
    rig->ntfn = KT_NTFN();
    rig->irq = kt_slot();
    ptimer_stop();
    KT_OK(kt_irq_control_get(IRQ_PTIMER, R, rig->irq, D));
    KT_OK(seL4_IRQHandler_SetNotification(rig->irq, rig->ntfn));
    KT_SPAWN(&rig->handler, "preempt-irq", PRIO_HANDLER, handler_main, rig);
    struct kt_thread_opts o = { .prio = KT_PRIO_TEST - 10 };
    KT_THREAD(&rig->spinner, "preempt-spinner", &o, spinner_main, rig);
    return KT_PASS;
}

/* The test thread's SchedContext: `budget_us` of every `period_us`. */
static seL4_Error set_own_budget(seL4_Time budget_us, seL4_Time period_us)
{
    return seL4_SchedControl_ConfigureFlags(kt_sched_control(), kt_self_sc(), budget_us,
                                            period_us, 0, 0, 0);
}

static struct long_call *call_begin(struct fixture *f, struct run *r, const char *what,
                                    observe_fn observe)
{
    struct rig *rig = &f->rig;
    unsigned i = r->ncalls < MAX_CALLS ? r->ncalls++ : MAX_CALLS - 1;
    struct long_call *c = &r->call[i];
    memset(c, 0, sizeof(*c));
    c->what = what;
    kt_step(what);
    memset(rig->seen, 0, sizeof(rig->seen));
    rig->observe = observe;
    rig->wakes_in_call = rig->first_wake = rig->first_done = 0;
    rig->looked = 0;
    rig->last_wake = 0;
    rig->rearm = r->plan == PLAN_OFTEN ? OFTEN_TICKS : 0;
    rig->in_call = 1;
    seL4_Word now = counter_now();
    if (r->plan == PLAN_LOW)
        c->setup_errors |= seL4_TCB_SetPriority(rig->handler.tcb, kt_self_tcb(),
                                                PRIO_LOW_HANDLER);
    if (r->plan == PLAN_ONCE || r->plan == PLAN_LOW) {
        const struct long_call *b = &r->baseline->call[i];
        c->due = now + (b->t_return - b->t_call) / 2;
    } else if (r->plan == PLAN_OFTEN) {
        c->due = now + OFTEN_TICKS;
    } else if (r->plan == PLAN_AT) {
        c->due = now + AT_TICKS;
    }
    if (c->due)
        ptimer_arm_at(c->due);
    if (r->plan == PLAN_BUDGET) {
        c->spins = rig->spinner.user[0];
        c->setup_errors |= seL4_TCB_Resume(rig->spinner.tcb);
        c->setup_errors |= set_own_budget(BUDGET_US, PERIOD_US);
    }
    c->t_call = counter_now();
    return c;
}

static void call_end(struct fixture *f, struct long_call *c)
{
    struct rig *rig = &f->rig;
    c->t_return = counter_now();
    rig->in_call = 0;
    ptimer_stop();
    if (f->run->plan == PLAN_BUDGET) {
        c->setup_errors |= set_own_budget(TEST_BUDGET_US, TEST_BUDGET_US);
        c->setup_errors |= seL4_TCB_Suspend(rig->spinner.tcb);
        c->spins = rig->spinner.user[0] - c->spins;
    }
    if (f->run->plan == PLAN_LOW) {
        /* Above the caller again, it takes the pending interrupt now. */
        c->setup_errors |= seL4_TCB_SetPriority(rig->handler.tcb, kt_self_tcb(), PRIO_HANDLER);
        c->late_wake = rig->last_wake;
    }
    c->wakes = rig->wakes_in_call;
    c->first_wake = rig->first_wake;
    c->first_done = rig->first_done;
    memcpy(c->seen, rig->seen, sizeof(c->seen));
}

/*
 * Make the long call `expr` (LONG_CALL's value is its value) with the run's
 * interrupts; `observe` (or NULL) runs in the first other thread that runs
 * during the call (look()).
 */
#define LONG_CALL(f, r, what, observe, expr) ({                                      \
        struct long_call *lc_ = call_begin((f), (r), (what), (observe));             \
        __auto_type e_ = (expr);                                                     \
        call_end((f), lc_);                                                          \
        e_; })

static const char *const plan_names[] = {
    [PLAN_NONE] = "no interrupt", [PLAN_ONCE] = "one interrupt",
    [PLAN_OFTEN] = "periodic interrupts", [PLAN_BUDGET] = "out of budget",
    [PLAN_LOW] = "an interrupt for a lower priority", [PLAN_AT] = "one interrupt",
};

/* The figures of one call, for the log. */
static void report_call(const char *name, const struct run *r, const struct long_call *c,
                        seL4_Word took, seL4_Word base)
{
    const char *plan = plan_names[r->plan];
    long after_due = c->wakes ? (long)(c->first_wake - c->due) : 0l;
    long left = c->first_done ? (long)(c->t_return - c->first_done) : 0l;
    switch (r->plan) {
    case PLAN_NONE:
        kt_printf("KT|INFO: %s: %s, %s: %lu ticks\n", name, c->what, plan, took);
        break;
    case PLAN_AT:
        kt_printf("KT|INFO: %s: %s, %s %u ticks in: %lu ticks, %lu handler wake-ups in the "
                  "call, the first %ld ticks after due\n", name, c->what, plan, AT_TICKS, took,
                  c->wakes, after_due);
        break;
    case PLAN_LOW:
        kt_printf("KT|INFO: %s: %s, %s: %lu ticks (baseline %lu), %lu handler wake-ups in the "
                  "call, then one %ld ticks after it\n", name, c->what, plan, took, base,
                  c->wakes, c->late_wake ? (long)(c->late_wake - c->t_return) : -1l);
        break;
    case PLAN_BUDGET:
        kt_printf("KT|INFO: %s: %s, %s: %lu ticks (baseline %lu); a lower-priority thread "
                  "looped %lu times meanwhile, first with %ld ticks of the call left, and saw "
                  "%lu %lu %lu %lu\n", name, c->what, plan, took, base, c->spins, left,
                  c->seen[0], c->seen[1], c->seen[2], c->seen[3]);
        break;
    case PLAN_ONCE:
    case PLAN_OFTEN:
        kt_printf("KT|INFO: %s: %s, %s: %lu ticks (baseline %lu), %lu handler wake-ups in the "
                  "call; the first %ld ticks after due, with %ld ticks of the call left after "
                  "it; it saw %lu %lu %lu %lu\n", name, c->what, plan, took, base, c->wakes,
                  after_due, left, c->seen[0], c->seen[1], c->seen[2], c->seen[3]);
        break;
    }
}

/* One call was (not) interrupted as its run planned. */
static int check_call(const struct run *r, const struct long_call *c, seL4_Word took,
                      seL4_Word base)
{
    if (c->setup_errors)
        KT_FAIL("%s: setting up or undoing its %s failed", c->what, plan_names[r->plan]);
    switch (r->plan) {
    case PLAN_NONE:
        if (c->wakes != 0)
            KT_FAIL("%s: the handler ran %lu times with no interrupt due", c->what, c->wakes);
        if (took < MIN_CALL_TICKS)
            KT_FAIL("%s took %lu ticks: too short to be interrupted in the middle", c->what,
                    took);
        break;
    case PLAN_ONCE:
        if (c->wakes != 1)
            KT_FAIL("%s: one interrupt due half-way, the handler ran %lu times during the call",
                    c->what, c->wakes);
        if (c->first_wake < c->due || c->first_wake - c->due > LATENCY_MAX_TICKS)
            KT_FAIL("%s: the handler woke %ld ticks after the interrupt was due (at most %u)",
                    c->what, (long)(c->first_wake - c->due), LATENCY_MAX_TICKS);
        if (c->first_done > c->t_return || c->t_return - c->first_done < base / 4)
            KT_FAIL("%s: only %ld ticks of a %lu-tick call left after the handler: the "
                    "interrupt was not taken in the middle", c->what,
                    (long)(c->t_return - c->first_done), base);
        /* Restarted, the call carries on from where it stopped. */
        if (took > base + (c->first_done - c->due) + base / 8)
            KT_FAIL("%s took %lu ticks: the baseline's %lu, the interrupt's %lu and more than "
                    "an eighth again: work done before the interrupt was done again", c->what,
                    took, base, c->first_done - c->due);
        break;
    case PLAN_OFTEN:
        if (c->wakes < 2 || c->wakes < base / OFTEN_TICKS / 4)
            KT_FAIL("%s: an interrupt every %u ticks, %lu wake-ups in a %lu-tick call", c->what,
                    OFTEN_TICKS, c->wakes, took);
        break;
    case PLAN_LOW:
        if (c->wakes != 0)
            KT_FAIL("%s: a handler below the caller ran %lu times during the call", c->what,
                    c->wakes);
        if (c->late_wake < c->t_return)
            KT_FAIL("%s: the handler did not run once above the caller again: the interrupt "
                    "was lost", c->what);
        if (took > base + base / 8)
            KT_FAIL("%s took %lu ticks, the baseline %lu: more than an eighth again", c->what,
                    took, base);
        break;
    case PLAN_AT:
        if (c->wakes != 1 || c->first_wake - c->due > LATENCY_MAX_TICKS)
            KT_FAIL("%s: one interrupt due %u ticks into the call: %lu handler wake-ups in it, "
                    "the first %ld ticks after due", c->what, AT_TICKS, c->wakes,
                    (long)(c->first_wake - c->due));
        break;
    case PLAN_BUDGET:
        /* With a tenth of the time it runs ten times as long; half that will do. */
        if (c->spins == 0 || took < base * (PERIOD_US / BUDGET_US) / 2)
            KT_FAIL("%s, %u us of budget every %u us: %lu ticks (%lu without the limit), and a "
                    "lower-priority thread looped %lu times meanwhile", c->what, BUDGET_US,
                    PERIOD_US, took, base, c->spins);
        break;
    }
    return KT_PASS;
}

/* The run's calls were (not) interrupted as planned. */
static int check_calls(const char *name, const struct run *r)
{
    for (unsigned i = 0; i < r->ncalls; i++) {
        const struct long_call *c = &r->call[i];
        seL4_Word took = c->t_return - c->t_call;
        seL4_Word base = r->baseline ? r->baseline->call[i].t_return - r->baseline->call[i].t_call
                                     : took;
        report_call(name, r, c, took, base);
        if (check_call(r, c, took, base) != KT_PASS)
            return KT_FAILED;
    }
    return KT_PASS;
}

/* Did another thread look at the operation while it ran (c->seen)? */
static bool observed(const struct run *r)
{
    return r->plan == PLAN_ONCE || r->plan == PLAN_OFTEN || r->plan == PLAN_BUDGET;
}

/* Record one fact of the end state. */
static void fp(struct run *r, const char *name, seL4_Word value)
{
    if (r->nfp < MAX_FP) {
        r->fp_name[r->nfp] = name;
        r->fp[r->nfp] = value;
    }
    r->nfp++;
}

/* Record one fact of the end state, which must be `expected`. */
#define FACT(r, name, value, expected)                                               \
    do {                                                                             \
        seL4_Word fact_ = (value), want_ = (seL4_Word)(expected);                    \
        fp((r), (name), fact_);                                                      \
        if (fact_ != want_)                                                          \
            KT_FAIL("%s: 0x%lx, expected 0x%lx", (name), fact_, want_);              \
    } while (0)

static int same_end_state(const struct run *base, const struct run *r)
{
    KT_LE(r->nfp, MAX_FP);
    KT_EQ(r->nfp, base->nfp);
    for (unsigned i = 0; i < r->nfp; i++)
        if (r->fp[i] != base->fp[i])
            KT_FAIL("end state: %s is 0x%lx after the interrupted run, 0x%lx without "
                    "interrupts", r->fp_name[i], r->fp[i], base->fp[i]);
    return KT_PASS;
}

static int start_test(const struct scenario *s)
{
    memset(&fixture, 0, sizeof(fixture));
    if (rig_init(&fixture) != KT_PASS || s->prepare(&fixture) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

static int do_run(const struct scenario *s, struct run *r, enum plan plan,
                  const struct run *baseline)
{
    memset(r, 0, sizeof(*r));
    r->plan = plan;
    r->baseline = baseline;
    fixture.run = r;
    if (s->run(&fixture, r) != KT_PASS)
        return KT_FAILED;
    KT_LE(r->nfp, MAX_FP);
    return KT_PASS;
}

/* The baseline alone: the operation's end state without interrupts. */
static int test_uninterrupted(const char *name, const struct scenario *s)
{
    if (start_test(s) != KT_PASS || do_run(s, &runs[0], PLAN_NONE, NULL) != KT_PASS)
        return KT_FAILED;
    return check_calls(name, &runs[0]);
}

/* The baseline, then a run with `plan`: the same end state. */
static int test_interrupted(const char *name, const struct scenario *s, enum plan plan)
{
    if (start_test(s) != KT_PASS || do_run(s, &runs[0], PLAN_NONE, NULL) != KT_PASS ||
        check_calls(name, &runs[0]) != KT_PASS)
        return KT_FAILED;
    if (do_run(s, &runs[1], plan, &runs[0]) != KT_PASS || check_calls(name, &runs[1]) != KT_PASS)
        return KT_FAILED;
    return same_end_state(&runs[0], &runs[1]);
}

/*
 * The four tests of a scenario: preempt_<name>_uninterrupted,
 * _interrupted, _preempted_often and _out_of_budget. `what` names the long
 * operation, `end` its end state; the scenario is the variable <name>.
 */
#define PREEMPT_TESTS(name, what, end)                                               \
    TEST(preempt_##name##_uninterrupted, what ", no interrupt: " end)                \
    {                                                                                \
        return test_uninterrupted(#name, &name);                                     \
    }                                                                                \
    TEST(preempt_##name##_interrupted, what ", one interrupt due half-way: handled " \
         "at once, part of the work seen done, then the same end state")             \
    {                                                                                \
        return test_interrupted(#name, &name, PLAN_ONCE);                            \
    }                                                                                \
    TEST(preempt_##name##_preempted_often, what ", an interrupt every 4096 "         \
         "instructions: preempted again and again, it finishes with the same end "   \
         "state")                                                                    \
    {                                                                                \
        return test_interrupted(#name, &name, PLAN_OFTEN);                           \
    }                                                                                \
    TEST(preempt_##name##_out_of_budget, what ", the caller with 50 us of budget "   \
         "every 500 us: a lower-priority thread runs meanwhile and sees part of the "  \
         "work done, then the same end state")                                       \
    {                                                                                \
        return test_interrupted(#name, &name, PLAN_BUDGET);                          \
    }

/* ---------------------------------------------------------------- helpers */

static int take_slots(struct fixture *f, seL4_Word n)
{
    kt_slots(&f->slot, n);
    KT_NE(f->slot, 0);
    f->nslots = n;
    return KT_PASS;
}

/* An untyped of 2^bits bytes from the pool, and where it is. */
static int take_untyped(struct fixture *f, int i, seL4_Word bits)
{
    f->ut[i] = KT_UNTYPED(bits);
    seL4_CPtr frame = kt_slot();
    KT_OK(seL4_Untyped_Retype(f->ut[i], seL4_ARM_SmallPageObject, 0, R, 0, 0, frame, 1));
    f->ut_base[i] = vm_paddr(frame);
    KT_NE(f->ut_base[i], 0);
    KT_OK(kt_delete(frame));
    return KT_PASS;
}

/* How many of the root slots [first, first + n) hold a cap. */
static seL4_Word caps_in(seL4_CPtr first, seL4_Word n)
{
    seL4_Word count = 0;
    for (seL4_Word i = 0; i < n; i++)
        count += seL4_DebugCapIdentify(first + i) != KT_CAP_NULL;
    return count;
}

static seL4_Word nonzero_words(seL4_Word va, seL4_Word bytes)
{
    seL4_Word count = 0;
    for (seL4_Word a = va; a < va + bytes; a += sizeof(seL4_Word))
        count += vm_peek(a) != 0;
    return count;
}

/*
 * Leave the first 2 MiB of `ut` (an untyped without children) dirty: the
 * next Retype must zero what it hands out. `slot` is scratch.
 */
static int dirty_first_2mib(seL4_CPtr ut, seL4_CPtr slot)
{
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_LargePageObject, 0, R, 0, 0, slot, 1));
    VM_MAP(slot, KT_ROOT_VSPACE, VA_LARGE, VM_RW, VM_CACHED);
    for (seL4_Word a = VA_LARGE; a < VA_LARGE + LARGE_PAGE; a += sizeof(seL4_Word))
        vm_poke(a, DIRT);
    KT_OK(kt_revoke(ut));
    KT_CAP_IS(slot, KT_CAP_NULL);
    return KT_PASS;
}

/* Retype `n` endpoints from `ut` into slots [from, from + n) of `cnode`. */
static int fill_endpoints(seL4_CPtr ut, seL4_CPtr cnode, seL4_Word from, seL4_Word n)
{
    while (n) {
        seL4_Word k = n < 256 ? n : 256;
        KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cnode, 0, 0, from, k));
        from += k;
        n -= k;
    }
    return KT_PASS;
}

/* Retype one untyped of all of `ut` (2^bits bytes) into `slot` and delete
   it again: NoError exactly when `ut` has no children left. */
static seL4_Error whole_untyped_free(seL4_CPtr ut, seL4_Word bits, seL4_CPtr slot,
                                    seL4_Word *memory_left)
{
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, R, 0, 0, slot, 1);
    *memory_left = err == seL4_NotEnoughMemory ? seL4_GetMR(0) : 0;
    if (err == seL4_NoError)
        kt_delete(slot);
    return err;
}

/* A thread blocked in Call on an endpoint; when released, it records the answer. */
static int caller_main(kt_thread_t *self, void *arg)
{
    seL4_MessageInfo_t r = seL4_Call((seL4_CPtr)arg, seL4_MessageInfo_new(0x77, 0, 0, 0));
    self->user[0] = seL4_MessageInfo_get_label(r);
    self->user[1] = 1;
    return KT_PASS;
}

/* `t` blocks in Call on the endpoint in `cptr`. */
static int block_caller(kt_thread_t *t, const char *name, seL4_CPtr cptr)
{
    KT_SPAWN(t, name, PRIO_HELPER, caller_main, (void *)cptr);
    KT_ASSERT(t->started);
    KT_EQ(t->user[1], 0);
    return KT_PASS;
}

/*
 * `t` blocks in Call on the endpoint in slot `index` of `cnode` (radix
 * `radix`) through a copy in `scratch`, which is deleted again: the caller
 * keeps no cap. Released, its Call restarts on the empty slot and returns
 * InvalidCapability.
 */
static int block_caller_at(kt_thread_t *t, const char *name, seL4_CPtr cnode, seL4_Word index,
                           seL4_Word radix, seL4_CPtr scratch)
{
    KT_OK(seL4_CNode_Copy(R, scratch, D, cnode, index, radix, seL4_AllRights));
    if (block_caller(t, name, scratch) != KT_PASS)
        return KT_FAILED;
    KT_OK(kt_delete(scratch));
    return KT_PASS;
}

/* A caller's state: BLOCKED, or ANSWERED(the label its Call returned). */
#define BLOCKED         0ul
#define ANSWERED(label) (0x100ul | (label))
static seL4_Word caller_state(const kt_thread_t *t)
{
    return t->user[1] ? ANSWERED(t->user[0]) : BLOCKED;
}

static bool released(const kt_thread_t *t)
{
    return t->user[1] != 0;
}

/* A thread that counts the signals on a notification. */
static int waiter_main(kt_thread_t *self, void *arg)
{
    for (;;) {
        seL4_Wait((seL4_CPtr)arg, NULL);
        self->user[0]++;
    }
    return KT_PASS;
}

/* Signal, and report how many signals the waiter has counted since. */
static seL4_Word signal_and_count(seL4_CPtr signal, const kt_thread_t *t)
{
    seL4_Signal(signal);
    return t->user[0];
}

static seL4_Word poll_badge(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    return badge;
}

/* ================================================================ Untyped_Retype */

/* The handler sees the destination slot still empty: zeroing comes first. */
static void observe_first_slot(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = seL4_DebugCapIdentify(f->slot);
}

static int check_seen_empty(const struct run *r)
{
    if (observed(r) && r->call[0].seen[0] != KT_CAP_NULL)
        KT_FAIL("mid-call, the new object's cap (type %lu) was there already",
                r->call[0].seen[0]);
    return KT_PASS;
}

/* ---- a 2 MiB large page from a 4 MiB untyped */

static int large_page_prepare(struct fixture *f)
{
    /* slots: the page, the follow-up frame, scratch */
    if (take_untyped(f, 0, 22) != KT_PASS || take_slots(f, 3) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

static int large_page_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], page = f->slot, frame = f->slot + 1, scratch = f->slot + 2;
    if (dirty_first_2mib(ut, scratch) != KT_PASS)
        return KT_FAILED;
    seL4_Error err = LONG_CALL(f, r, "Retype of a 2 MiB page", observe_first_slot,
                               seL4_Untyped_Retype(ut, seL4_ARM_LargePageObject, 0, R, 0, 0,
                                                   page, 1));
    if (check_seen_empty(r) != KT_PASS)
        return KT_FAILED;
    FACT(r, "Retype", err, seL4_NoError);
    FACT(r, "the page's slot", seL4_DebugCapIdentify(page), KT_CAP_FRAME);
    FACT(r, "the page's offset in the untyped", vm_paddr(page) - f->ut_base[0], 0);
    VM_MAP(page, KT_ROOT_VSPACE, VA_LARGE, VM_RW, VM_CACHED);
    FACT(r, "non-zero words in the page", nonzero_words(VA_LARGE, LARGE_PAGE), 0);
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, R, 0, 0, frame, 1));
    FACT(r, "the next frame's offset", vm_paddr(frame) - f->ut_base[0], LARGE_PAGE);
    FACT(r, "another 2 MiB page", seL4_Untyped_Retype(ut, seL4_ARM_LargePageObject, 0, R, 0, 0,
                                                       scratch, 1), seL4_NotEnoughMemory);
    FACT(r, "bytes left", seL4_GetMR(0), LARGE_PAGE - 4096);
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario retype_large_page = { large_page_prepare, large_page_run };

PREEMPT_TESTS(retype_large_page, "Retype of a 2 MiB page over dirty memory",
              "the page zero, at the untyped's start; the next frame after it")

TEST(preempt_retype_large_page_lower_priority_handler, "Retype of a 2 MiB page, an interrupt "
     "half-way whose handler is below the caller: the handler runs only after the call, the "
     "interrupt is not lost, the same end state")
{
    return test_interrupted("retype_large_page", &retype_large_page, PLAN_LOW);
}

/* ---- 256 frames (1 MiB) in one call */

#define FRAMES 256

static int frames_prepare(struct fixture *f)
{
    /* slots: the frames, the follow-up frame, scratch */
    if (take_untyped(f, 0, 21) != KT_PASS || take_slots(f, FRAMES + 2) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

static int frames_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], next = f->slot + FRAMES, scratch = f->slot + FRAMES + 1;
    if (dirty_first_2mib(ut, scratch) != KT_PASS)
        return KT_FAILED;
    seL4_Error err = LONG_CALL(f, r, "Retype of 256 frames", observe_first_slot,
                               seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, R, 0, 0,
                                                   f->slot, FRAMES));
    if (check_seen_empty(r) != KT_PASS)
        return KT_FAILED;
    FACT(r, "Retype", err, seL4_NoError);
    seL4_Word misplaced = 0, nonzero = 0;
    for (seL4_Word i = 0; i < FRAMES; i++) {
        seL4_CPtr frame = f->slot + i;
        KT_CAP_IS(frame, KT_CAP_FRAME);
        misplaced += vm_paddr(frame) - f->ut_base[0] != i * 4096;
        VM_MAP(frame, KT_ROOT_VSPACE, VA_SMALL + i * 4096, VM_RW, VM_CACHED);
        nonzero += nonzero_words(VA_SMALL + i * 4096, 4096);
    }
    FACT(r, "frames out of place", misplaced, 0);
    FACT(r, "non-zero words in the frames", nonzero, 0);
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, R, 0, 0, next, 1));
    FACT(r, "the next frame's offset", vm_paddr(next) - f->ut_base[0], FRAMES * 4096);
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario retype_frames = { frames_prepare, frames_run };

PREEMPT_TESTS(retype_frames, "Retype of 256 frames (1 MiB) in one call over dirty memory",
              "every frame zero and in order; the next frame after them")

/* ---- a CNode of 2^16 slots (2 MiB) */

#define BIG_RADIX 16

static int big_cnode_prepare(struct fixture *f)
{
    /* slots: the CNode, the follow-up, scratch */
    if (take_untyped(f, 0, 21) != KT_PASS || take_slots(f, 3) != KT_PASS)
        return KT_FAILED;
    f->probe = KT_UNTYPED(12);
    return KT_PASS;
}

/*
 * How many 256-slot windows of `cnode` hold a cap: Retype refuses
 * (DeleteFirst) to put new caps over any. 256 16-byte untypeds fill the
 * 4 KiB probe and cost no zeroing.
 */
static seL4_Word occupied_windows(seL4_CPtr probe, seL4_CPtr cnode, seL4_Word radix)
{
    seL4_Word occupied = 0;
    for (seL4_Word w = 0; w < (1ul << radix); w += 256) {
        seL4_Error err = seL4_Untyped_Retype(probe, seL4_UntypedObject, seL4_MinUntypedBits, cnode,
                                             0, 0, w, 256);
        occupied += err != seL4_NoError;
        kt_revoke(probe);
    }
    return occupied;
}

static int big_cnode_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], cnode = f->slot, frame = f->slot + 1, scratch = f->slot + 2;
    if (dirty_first_2mib(ut, scratch) != KT_PASS)
        return KT_FAILED;
    seL4_Error err = LONG_CALL(f, r, "Retype of a 2^16-slot CNode", observe_first_slot,
                               seL4_Untyped_Retype(ut, seL4_CapTableObject, BIG_RADIX, R, 0, 0,
                                                   cnode, 1));
    if (check_seen_empty(r) != KT_PASS)
        return KT_FAILED;
    FACT(r, "Retype", err, seL4_NoError);
    FACT(r, "the CNode's slot", seL4_DebugCapIdentify(cnode), KT_CAP_CNODE);
    FACT(r, "256-slot windows of the CNode with a cap",
         occupied_windows(f->probe, cnode, BIG_RADIX), 0);
    FACT(r, "a frame after it", seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, R, 0, 0,
                                                     frame, 1), seL4_NotEnoughMemory);
    FACT(r, "bytes left", seL4_GetMR(0), 0);
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario retype_cnode = { big_cnode_prepare, big_cnode_run };

PREEMPT_TESTS(retype_cnode, "Retype of a 2^16-slot CNode (2 MiB) over dirty memory",
              "every slot empty; it fills the untyped")

/* ================================================================ CNode_Revoke */

/* ---- an untyped with 1,030 children of every kind, and 1,024 more in a child CNode */

enum {
    RU_EPS = 0,             /* 512 endpoints */
    RU_NTFNS = 512,         /* 256 notifications */
    RU_FRAMES = 768,        /* 256 frames */
    RU_CNODE = 1024,        /* a CNode of 1,024 slots, full of endpoints */
    RU_TCBS = 1025,         /* 2 TCBs */
    RU_REPLIES = 1027,      /* 3 reply objects */
    RU_CHILDREN = 1030,     /* root slots holding the untyped's children */
    RU_COPY = 1030,         /* 2 copies the blocked callers use */
    RU_NEXT = 1032,         /* the follow-up */
    RU_SLOTS = 1033,
};
#define RU_CNODE_RADIX 10

static int revoke_untyped_prepare(struct fixture *f)
{
    if (take_untyped(f, 0, 21) != KT_PASS || take_slots(f, RU_SLOTS) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

static void observe_children(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = caps_in(f->slot, RU_CHILDREN);
    seen[1] = seL4_DebugCapIdentify(f->slot + RU_CNODE);
    seen[2] = released(&f->run->thread[0]);
    seen[3] = released(&f->run->thread[1]);
}

static int revoke_untyped_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], s = f->slot;
    /* Revoke deletes the newest child first: the CNode, made first, goes
       last, so that half-way through Revoke deletes one child after the
       other (its own preemption point), and then destroys the CNode slot
       by slot (the zombie's). */
    KT_OK(seL4_Untyped_Retype(ut, seL4_CapTableObject, RU_CNODE_RADIX, R, 0, 0, s + RU_CNODE, 1));
    if (fill_endpoints(ut, s + RU_CNODE, 0, 1ul << RU_CNODE_RADIX) != KT_PASS ||
        fill_endpoints(ut, R, s + RU_EPS, 512) != KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, R, 0, 0, s + RU_NTFNS, 256));
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, R, 0, 0, s + RU_FRAMES, 256));
    KT_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, R, 0, 0, s + RU_TCBS, 2));
    KT_OK(seL4_Untyped_Retype(ut, seL4_ReplyObject, 0, R, 0, 0, s + RU_REPLIES, 3));
    KT_EQ(caps_in(s, RU_CHILDREN), RU_CHILDREN);
    /* Callers blocked on an endpoint in the root CNode and one in the child
       CNode, through copies (which are descendants of the untyped too). */
    KT_OK(seL4_CNode_Copy(R, s + RU_COPY, D, R, s + RU_EPS, D, seL4_AllRights));
    KT_OK(seL4_CNode_Copy(R, s + RU_COPY + 1, D, s + RU_CNODE, 0, RU_CNODE_RADIX,
                          seL4_AllRights));
    if (block_caller(&r->thread[0], "on-root-ep", s + RU_COPY) != KT_PASS ||
        block_caller(&r->thread[1], "on-child-ep", s + RU_COPY + 1) != KT_PASS)
        return KT_FAILED;

    seL4_Error err = LONG_CALL(f, r, "Revoke of an untyped with 2,054 children",
                               observe_children, kt_revoke(ut));
    FACT(r, "Revoke", err, seL4_NoError);
    FACT(r, "children left", caps_in(s, RU_CHILDREN), 0);
    FACT(r, "copies left", caps_in(s + RU_COPY, 2), 0);
    FACT(r, "the caller on a root endpoint", caller_state(&r->thread[0]),
         ANSWERED(seL4_InvalidCapability));
    FACT(r, "the caller on a child CNode's endpoint", caller_state(&r->thread[1]),
         ANSWERED(seL4_InvalidCapability));
    FACT(r, "a 2 MiB page after it",
         seL4_Untyped_Retype(ut, seL4_ARM_LargePageObject, 0, R, 0, 0, s + RU_NEXT, 1),
         seL4_NoError);
    FACT(r, "its offset in the untyped", vm_paddr(s + RU_NEXT) - f->ut_base[0], 0);
    if (observed(r)) {
        const struct long_call *c = &r->call[0];
        if (c->seen[0] == 0 && c->seen[1] == KT_CAP_NULL)
            KT_FAIL("mid-call, every child was gone already");
    }
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario revoke_untyped = { revoke_untyped_prepare, revoke_untyped_run };

PREEMPT_TESTS(revoke_untyped,
              "Revoke of an untyped with 2,054 children (endpoints, notifications, frames, "
              "TCBs, replies, a full CNode)",
              "all gone, blocked callers released, the untyped whole again")

/* ---- an endpoint with 1,024 badged children */

#define MINTS 1024
enum { RE_EP = 0, RE_REPLY = 1, RE_MINTS = 2, RE_SLOTS = RE_MINTS + MINTS };
#define RE_CALLER_BADGE 7

static int revoke_ep_prepare(struct fixture *f)
{
    if (take_untyped(f, 0, 12) != KT_PASS || take_slots(f, RE_SLOTS) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

static void observe_mints(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = caps_in(f->slot + RE_MINTS, MINTS);
    seen[1] = released(&f->run->thread[0]);
}

static int revoke_ep_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], ep = f->slot + RE_EP, reply = f->slot + RE_REPLY;
    KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, R, 0, 0, ep, 1));
    KT_OK(seL4_Untyped_Retype(ut, seL4_ReplyObject, 0, R, 0, 0, reply, 1));
    for (seL4_Word i = 0; i < MINTS; i++)
        KT_OK(seL4_CNode_Mint(R, f->slot + RE_MINTS + i, D, R, ep, D, seL4_AllRights, i + 1));
    /* A caller blocked with badge 7: revoking its cap leaves it queued. */
    if (block_caller(&r->thread[0], "badge-7-caller",
                     f->slot + RE_MINTS + RE_CALLER_BADGE - 1) != KT_PASS)
        return KT_FAILED;

    seL4_Error err = LONG_CALL(f, r, "Revoke of an endpoint with 1,024 badged children",
                               observe_mints, kt_revoke(ep));
    FACT(r, "Revoke", err, seL4_NoError);
    FACT(r, "children left", caps_in(f->slot + RE_MINTS, MINTS), 0);
    FACT(r, "the endpoint's slot", seL4_DebugCapIdentify(ep), KT_CAP_ENDPOINT);
    FACT(r, "the badge-7 caller after Revoke", caller_state(&r->thread[0]), BLOCKED);
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_NBRecv(ep, &badge, reply);
    FACT(r, "the message received: label", seL4_MessageInfo_get_label(m), 0x77);
    FACT(r, "the message received: badge", badge, RE_CALLER_BADGE);
    seL4_Send(reply, seL4_MessageInfo_new(0x55, 0, 0, 0));
    FACT(r, "the badge-7 caller after the reply", caller_state(&r->thread[0]), ANSWERED(0x55));
    if (observed(r) && r->call[0].seen[0] == 0)
        KT_FAIL("mid-call, every badged child was gone already");
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario revoke_endpoint = { revoke_ep_prepare, revoke_ep_run };

PREEMPT_TESTS(revoke_endpoint, "Revoke of an endpoint with 1,024 badged children",
              "all gone; the endpoint stays, with its queued caller and its badge")

/* ---- the same Revoke as the send phase of NBSendRecv, then its receive */

static int revoke_recv_prepare(struct fixture *f)
{
    if (revoke_ep_prepare(f) != KT_PASS)
        return KT_FAILED;
    f->ep = KT_EP();
    f->ep_badged = KT_MINT(f->ep, seL4_AllRights, 0x2b);
    f->reply = KT_REPLY();
    return KT_PASS;
}

static int sender_main(kt_thread_t *self, void *arg)
{
    (void)self;
    seL4_Send((seL4_CPtr)arg, seL4_MessageInfo_new(0x99, 0, 0, 0));
    return KT_PASS;
}

/* NBSendRecv: Revoke of `target` as the send (its answer is dropped), then
   a receive on `src`; returns the label received. */
static seL4_Word nbsendrecv_revoke(seL4_CPtr target, seL4_CPtr src, seL4_CPtr reply,
                                     seL4_Word *badge)
{
    seL4_SetMR(0, target);
    seL4_SetMR(1, D);
    seL4_MessageInfo_t m = seL4_NBSendRecv(R, seL4_MessageInfo_new(CNodeRevoke, 0, 0, 2), src,
                                           badge, reply);
    return seL4_MessageInfo_get_label(m);
}

static int revoke_recv_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ut = f->ut[0], ep = f->slot + RE_EP;
    KT_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, R, 0, 0, ep, 1));
    for (seL4_Word i = 0; i < MINTS; i++)
        KT_OK(seL4_CNode_Mint(R, f->slot + RE_MINTS + i, D, R, ep, D, seL4_AllRights, i + 1));
    /* Below the test thread: it sends once the test thread waits to receive. */
    KT_SPAWN(&r->thread[1], "sender", KT_PRIO_TEST - 5, sender_main, (void *)f->ep_badged);

    seL4_Word badge = 0;
    seL4_Word label = LONG_CALL(f, r, "NBSendRecv: Revoke of an endpoint with 1,024 badged "
                                "children, then a receive", observe_mints,
                                nbsendrecv_revoke(ep, f->ep, f->reply, &badge));
    FACT(r, "the label received", label, 0x99);
    FACT(r, "the badge received", badge, 0x2b);
    FACT(r, "children left", caps_in(f->slot + RE_MINTS, MINTS), 0);
    FACT(r, "the endpoint's slot", seL4_DebugCapIdentify(ep), KT_CAP_ENDPOINT);
    seL4_MessageInfo_t more = seL4_NBRecv(f->ep, &badge, f->reply);
    FACT(r, "another message (one receive, one send)", seL4_MessageInfo_get_label(more), 0);
    FACT(r, "its badge", badge, 0);
    if (observed(r) && r->call[0].seen[0] == 0)
        KT_FAIL("mid-call, every badged child was gone already");
    KT_OK(kt_revoke(ut));
    return KT_PASS;
}

static const struct scenario revoke_then_receive = { revoke_recv_prepare, revoke_recv_run };

PREEMPT_TESTS(revoke_then_receive,
              "NBSendRecv whose send is a Revoke of an endpoint with 1,024 badged children",
              "the revoke done, then exactly one message received")

/* ================================================================ destroying a CNode */

/*
 * A CNode of 4,096 slots holding the last caps to 4,096 endpoints, all from
 * a 256 KiB untyped; callers blocked on the endpoints in its first and last
 * slots. Destruction goes from the last slot down (seL4's zombie), so the
 * last slot's caller is released first and the first slot's last.
 */
#define FULL_RADIX 12
#define FULL_UT_BITS 18
enum { FC_CNODE = 0, FC_SCRATCH = 1, FC_WHOLE = 2, FC_SLOTS = 3 };

static int full_cnode_prepare(struct fixture *f)
{
    if (take_untyped(f, 0, FULL_UT_BITS) != KT_PASS || take_slots(f, FC_SLOTS) != KT_PASS)
        return KT_FAILED;
    f->fault_ep = KT_MINT(KT_EP(), seL4_AllRights, 0xfe);
    return KT_PASS;
}

static int build_full_cnode(struct fixture *f, struct run *r)
{
    seL4_CPtr cnode = f->slot + FC_CNODE;
    KT_OK(seL4_Untyped_Retype(f->ut[0], seL4_CapTableObject, FULL_RADIX, R, 0, 0, cnode, 1));
    if (fill_endpoints(f->ut[0], cnode, 0, 1ul << FULL_RADIX) != KT_PASS)
        return KT_FAILED;
    if (block_caller_at(&r->thread[0], "on-first-slot", cnode, 0, FULL_RADIX,
                        f->slot + FC_SCRATCH) != KT_PASS ||
        block_caller_at(&r->thread[1], "on-last-slot", cnode, (1ul << FULL_RADIX) - 1,
                        FULL_RADIX, f->slot + FC_SCRATCH) != KT_PASS)
        return KT_FAILED;
    return KT_PASS;
}

/* Record and check the end state once the CNode is gone. */
static int full_cnode_gone(struct fixture *f, struct run *r)
{
    FACT(r, "the caller on the first slot's endpoint", caller_state(&r->thread[0]),
         ANSWERED(seL4_InvalidCapability));
    FACT(r, "the caller on the last slot's endpoint", caller_state(&r->thread[1]),
         ANSWERED(seL4_InvalidCapability));
    seL4_Word left;
    FACT(r, "an untyped of all of the untyped",
         whole_untyped_free(f->ut[0], FULL_UT_BITS, f->slot + FC_WHOLE, &left), seL4_NoError);
    return KT_PASS;
}

static void observe_callers(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = released(&f->run->thread[0]);
    seen[1] = released(&f->run->thread[1]);
    seen[2] = seL4_DebugCapIdentify(f->slot + FC_CNODE);
}

/* Half-way, the handler sees the last slot's caller released, not the first's. */
static int check_seen_half_way(const struct run *r)
{
    const struct long_call *c = &r->call[0];
    if (!observed(r))
        return KT_PASS;
    if (c->seen[0])
        KT_FAIL("mid-call, the first slot's caller was released already");
    if (r->plan == PLAN_ONCE && !c->seen[1])
        KT_FAIL("half-way, the last slot's caller still blocked");
    return KT_PASS;
}

/* ---- CNode_Delete of its last cap */

static int delete_cnode_run(struct fixture *f, struct run *r)
{
    if (build_full_cnode(f, r) != KT_PASS)
        return KT_FAILED;
    seL4_CPtr cnode = f->slot + FC_CNODE;
    seL4_Error err = LONG_CALL(f, r, "Delete of a full 4,096-slot CNode", observe_callers,
                               kt_delete(cnode));
    FACT(r, "Delete", err, seL4_NoError);
    FACT(r, "the CNode's slot", seL4_DebugCapIdentify(cnode), KT_CAP_NULL);
    if (full_cnode_gone(f, r) != KT_PASS || check_seen_half_way(r) != KT_PASS)
        return KT_FAILED;
    if (observed(r) && r->call[0].seen[2] != KT_CAP_ZOMBIE)
        KT_FAIL("mid-call, a cap of type %lu in the slot being deleted, not a zombie",
                r->call[0].seen[2]);
    KT_OK(kt_revoke(f->ut[0]));
    return KT_PASS;
}

static const struct scenario delete_cnode = { full_cnode_prepare, delete_cnode_run };

PREEMPT_TESTS(delete_cnode,
              "Delete of the last cap to a 4,096-slot CNode full of last caps to endpoints",
              "all destroyed from the last slot down, callers released, the untyped whole")

TEST(preempt_delete_cnode_lower_priority_handler, "Delete of a full 4,096-slot CNode, an "
     "interrupt half-way whose handler is below the caller: the handler runs only after the "
     "call, the interrupt is not lost, the same end state")
{
    return test_interrupted("delete_cnode", &delete_cnode, PLAN_LOW);
}

/* ---- TCB_Configure / TCB_SetSpace replacing a CSpace root that is that last cap */

/* The new CSpace works: the root CNode and the fault endpoint resolve. */
static int new_cspace_main(kt_thread_t *self, void *arg)
{
    self->user[0] = seL4_DebugCapIdentify(R);
    self->user[1] = seL4_DebugCapIdentify((seL4_CPtr)arg);
    return KT_PASS;
}

static int replace_cspace_run(struct fixture *f, struct run *r, bool set_space)
{
    if (build_full_cnode(f, r) != KT_PASS)
        return KT_FAILED;
    kt_thread_t *t = &r->thread[2];
    struct kt_thread_opts o = { .prio = PRIO_HELPER };
    KT_THREAD(t, "new-cspace", &o, new_cspace_main, (void *)f->fault_ep);
    /* Its CSpace root becomes the only cap to the full CNode. */
    seL4_CPtr cnode = f->slot + FC_CNODE;
    if (set_space)
        KT_OK(seL4_TCB_SetSpace(t->tcb, f->fault_ep, cnode, 0, KT_ROOT_VSPACE, 0));
    else
        KT_OK(seL4_TCB_Configure(t->tcb, cnode, 0, KT_ROOT_VSPACE, 0, t->ipc_vaddr,
                                 t->ipc_frame));
    KT_OK(kt_delete(cnode));
    KT_EQ(released(&r->thread[0]) + released(&r->thread[1]), 0);

    seL4_Error err = set_space ?
        LONG_CALL(f, r, "SetSpace replacing the last cap to a full CNode", observe_callers,
                  seL4_TCB_SetSpace(t->tcb, f->fault_ep, R, 0, KT_ROOT_VSPACE, 0)) :
        LONG_CALL(f, r, "Configure replacing the last cap to a full CNode", observe_callers,
                  seL4_TCB_Configure(t->tcb, R, 0, KT_ROOT_VSPACE, 0, t->ipc_vaddr,
                                     t->ipc_frame));
    FACT(r, set_space ? "SetSpace" : "Configure", err, seL4_NoError);
    if (full_cnode_gone(f, r) != KT_PASS || check_seen_half_way(r) != KT_PASS)
        return KT_FAILED;
    KT_START(t);
    FACT(r, "the thread ran to its end", t->finished, 1);
    FACT(r, "its CSpace root's slot", t->user[0], KT_CAP_CNODE);
    FACT(r, "the fault endpoint's slot in its CSpace", t->user[1], KT_CAP_ENDPOINT);
    KT_OK(kt_revoke(f->ut[0]));
    return KT_PASS;
}

static int configure_run(struct fixture *f, struct run *r)
{
    return replace_cspace_run(f, r, false);
}

static int set_space_run(struct fixture *f, struct run *r)
{
    return replace_cspace_run(f, r, true);
}

static const struct scenario tcb_configure = { full_cnode_prepare, configure_run };
static const struct scenario tcb_set_space = { full_cnode_prepare, set_space_run };

PREEMPT_TESTS(tcb_configure,
              "TCB_Configure replacing a CSpace root that is the last cap to a full "
              "4,096-slot CNode",
              "the CNode destroyed, the new root works")

PREEMPT_TESTS(tcb_set_space,
              "TCB_SetSpace replacing a CSpace root that is the last cap to a full "
              "4,096-slot CNode",
              "the CNode destroyed, the new root works")

/* ================================================================ parked zombies */

/*
 * CNode A (4,096 slots, from untyped UA) holds the last cap to CNode B
 * (1,024 slots, from untyped UB) in A[1] and the last cap to thread Y's TCB
 * in A[2]; its other slots, the last caps to endpoints. B holds the last
 * caps to endpoints, one with caller W0 blocked on it in B[0], one with W1
 * in B[1], and the last cap to thread X's TCB in B[2].
 *
 * Deleting A destroys A's endpoints and stops Y (the last cap to a TCB:
 * finalised). The last cap to B is not destroyed with A: B becomes a
 * zombie parked in B[0], whose cap comes out in its place and is deleted
 * with A (W0 is released). B's other objects stay: W1 stays blocked, X
 * keeps running, UB keeps its children. Revoking UB then destroys B and
 * all that was left in it: W1 released, X stopped, UB whole again.
 */
#define A_RADIX 12
#define B_RADIX 10
#define UA_BITS 18
#define UB_BITS 16
enum { PZ_A = 0, PZ_B = 1, PZ_SCRATCH = 2, PZ_WHOLE = 3, PZ_SLOTS = 4 };
enum { W0, W1, X, Y };

static int parked_prepare(struct fixture *f)
{
    if (take_untyped(f, 0, UA_BITS) != KT_PASS || take_untyped(f, 1, UB_BITS) != KT_PASS ||
        take_slots(f, PZ_SLOTS) != KT_PASS)
        return KT_FAILED;
    for (int i = 0; i < 2; i++) {
        f->ntfn[i] = KT_NTFN();
        f->signal[i] = KT_MINT(f->ntfn[i], seL4_AllRights, 0x58 + i);
    }
    return KT_PASS;
}

static void observe_delete_a(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = seL4_DebugCapIdentify(f->slot + PZ_A);
    seen[1] = released(&f->run->thread[W0]);
}

static int parked_build(struct fixture *f, struct run *r)
{
    seL4_CPtr ua = f->ut[0], ub = f->ut[1], a = f->slot + PZ_A, b = f->slot + PZ_B;
    kt_thread_t *t = r->thread;
    KT_OK(seL4_Untyped_Retype(ua, seL4_CapTableObject, A_RADIX, R, 0, 0, a, 1));
    KT_OK(seL4_Untyped_Retype(ub, seL4_CapTableObject, B_RADIX, R, 0, 0, b, 1));
    if (fill_endpoints(ua, a, 0, 1) != KT_PASS ||
        fill_endpoints(ua, a, 3, (1ul << A_RADIX) - 3) != KT_PASS ||
        fill_endpoints(ub, b, 0, 2) != KT_PASS ||
        fill_endpoints(ub, b, 3, (1ul << B_RADIX) - 3) != KT_PASS)
        return KT_FAILED;
    if (block_caller_at(&t[W0], "w0-on-b0", b, 0, B_RADIX, f->slot + PZ_SCRATCH) != KT_PASS ||
        block_caller_at(&t[W1], "w1-on-b1", b, 1, B_RADIX, f->slot + PZ_SCRATCH) != KT_PASS)
        return KT_FAILED;
    KT_SPAWN(&t[X], "x-last-cap-in-b", PRIO_HELPER, waiter_main, (void *)f->ntfn[0]);
    KT_SPAWN(&t[Y], "y-last-cap-in-a", PRIO_HELPER, waiter_main, (void *)f->ntfn[1]);
    KT_EQ(signal_and_count(f->signal[0], &t[X]), 1);
    KT_EQ(signal_and_count(f->signal[1], &t[Y]), 1);
    KT_OK(seL4_CNode_Move(b, 2, B_RADIX, R, t[X].tcb, D));
    KT_OK(seL4_CNode_Move(a, 2, A_RADIX, R, t[Y].tcb, D));
    KT_OK(seL4_CNode_Move(a, 1, A_RADIX, R, b, D));
    return KT_PASS;
}

static int parked_run(struct fixture *f, struct run *r)
{
    seL4_CPtr ua = f->ut[0], ub = f->ut[1], a = f->slot + PZ_A, whole = f->slot + PZ_WHOLE;
    kt_thread_t *t = r->thread;
    seL4_Word left;
    if (parked_build(f, r) != KT_PASS)
        return KT_FAILED;

    seL4_Error err = LONG_CALL(f, r, "Delete of CNode A", observe_delete_a, kt_delete(a));
    FACT(r, "Delete of A", err, seL4_NoError);
    FACT(r, "A's slot", seL4_DebugCapIdentify(a), KT_CAP_NULL);
    /* B[0]'s cap made way for B's zombie and went with A. */
    FACT(r, "W0 (on B[0]) after A's delete", caller_state(&t[W0]),
         ANSWERED(seL4_InvalidCapability));
    FACT(r, "W1 (on B[1]) after A's delete", caller_state(&t[W1]), BLOCKED);
    FACT(r, "X (its cap in B[2]) counts signals after A's delete",
         signal_and_count(f->signal[0], &t[X]), 2);
    FACT(r, "Y (its cap in A[2]) counts signals after A's delete",
         signal_and_count(f->signal[1], &t[Y]), 1);
    FACT(r, "Y's notification, signal pending", poll_badge(f->ntfn[1]), 0x59);
    FACT(r, "an untyped of all of UA after A's delete",
         whole_untyped_free(ua, UA_BITS, whole, &left), seL4_NoError);
    FACT(r, "an untyped of all of UB after A's delete",
         whole_untyped_free(ub, UB_BITS, whole, &left), seL4_NotEnoughMemory);
    fp(r, "UB's bytes left", left);
    if (observed(r)) {
        const struct long_call *c = &r->call[0];
        if (c->seen[0] != KT_CAP_ZOMBIE)
            KT_FAIL("deleting A: mid-call, a cap of type %lu in its slot, not a zombie",
                    c->seen[0]);
        if (c->seen[1])
            KT_FAIL("deleting A: mid-call, W0 released already (A[1] reached too soon)");
    }

    err = LONG_CALL(f, r, "Revoke of B's untyped", NULL, kt_revoke(ub));
    FACT(r, "Revoke of UB", err, seL4_NoError);
    FACT(r, "W1 after UB's revoke", caller_state(&t[W1]), ANSWERED(seL4_InvalidCapability));
    FACT(r, "X counts signals after UB's revoke", signal_and_count(f->signal[0], &t[X]), 2);
    FACT(r, "X's notification, signal pending", poll_badge(f->ntfn[0]), 0x58);
    FACT(r, "an untyped of all of UB after its revoke",
         whole_untyped_free(ub, UB_BITS, whole, &left), seL4_NoError);
    KT_OK(kt_revoke(ua));
    return KT_PASS;
}

static const struct scenario parked_zombie = { parked_prepare, parked_run };

PREEMPT_TESTS(parked_zombie,
              "Deleting CNode A that holds the last cap to CNode B, then revoking B's untyped",
              "A's objects go with A (a thread whose last cap was in A stops), B is "
              "parked and its objects stay (a caller stays blocked, a thread runs) until B's "
              "untyped is revoked")

/* ================================================================ meanwhile */

/*
 * Another thread acts on the objects of a preempted call before it
 * restarts (the interrupt handler, at its wake-up AT_TICKS into the call).
 * The restarted call decodes its arguments afresh and finds what is there
 * now, as in seL4; the objects' own state must stay right.
 */

static int start_meanwhile(struct fixture *f, struct run *r)
{
    memset(f, 0, sizeof(*f));
    memset(r, 0, sizeof(*r));
    r->plan = PLAN_AT;
    f->run = r;
    return rig_init(f);
}

enum { MW_PAGE, MW_DEST, MW_FRAME, MW_SCRATCH, MW_SLOTS };
#define PATTERN 0x5a5a5a5a5a5a5a5aul

/* The 2 MiB page in MW_PAGE, mapped: its offset in the untyped, and its non-zero words. */
static int page_facts(struct fixture *f, seL4_Word *offset, seL4_Word *nonzero)
{
    KT_CAP_IS(f->slot + MW_PAGE, KT_CAP_FRAME);
    *offset = vm_paddr(f->slot + MW_PAGE) - f->ut_base[0];
    VM_MAP(f->slot + MW_PAGE, KT_ROOT_VSPACE, VA_LARGE, VM_RW, VM_CACHED);
    *nonzero = nonzero_words(VA_LARGE, LARGE_PAGE);
    return KT_PASS;
}

static void delete_destination(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = kt_delete(f->slot + MW_DEST);
}

TEST(preempt_meanwhile_destination_deleted, "Retype of a 2 MiB page whose destination CNode "
     "another thread deletes while the zeroing is preempted: the restarted Retype fails "
     "(FailedLookup); the next Retype hands out the same memory zero")
{
    struct fixture *f = &fixture;
    struct run *r = &runs[0];
    if (start_meanwhile(f, r) != KT_PASS || take_untyped(f, 0, 22) != KT_PASS ||
        take_slots(f, MW_SLOTS) != KT_PASS ||
        dirty_first_2mib(f->ut[0], f->slot + MW_SCRATCH) != KT_PASS)
        return KT_FAILED;
    KT_OK(seL4_Untyped_Retype(kt_pool(), seL4_CapTableObject, 4, R, 0, 0, f->slot + MW_DEST, 1));
    seL4_Error err = LONG_CALL(f, r, "Retype of a 2 MiB page into another CNode",
                               delete_destination,
                               seL4_Untyped_Retype(f->ut[0], seL4_ARM_LargePageObject, 0, R,
                                                   f->slot + MW_DEST, D, 0, 1));
    if (check_calls("meanwhile_destination_deleted", r) != KT_PASS)
        return KT_FAILED;
    KT_OK(r->call[0].seen[0]);
    KT_ERR(err, seL4_FailedLookup);
    KT_OK(seL4_Untyped_Retype(f->ut[0], seL4_ARM_LargePageObject, 0, R, 0, 0, f->slot + MW_PAGE,
                              1));
    seL4_Word offset, nonzero;
    if (page_facts(f, &offset, &nonzero) != KT_PASS)
        return KT_FAILED;
    KT_EQ(offset, 0);
    KT_EQ(nonzero, 0);
    return KT_PASS;
}

/* Retype a frame from the same untyped and fill it; `keep` it or delete it. */
static void frame_from_same_untyped(struct fixture *f, seL4_Word seen[MAX_SEEN], bool keep)
{
    seL4_CPtr frame = f->slot + MW_FRAME;
    seen[0] = seL4_Untyped_Retype(f->ut[0], seL4_ARM_SmallPageObject, 0, R, 0, 0, frame, 1);
    seen[1] = vm_paddr(frame) - f->ut_base[0];
    seen[2] = vm_map(frame, KT_ROOT_VSPACE, VA_SMALL, VM_RW, VM_CACHED, NULL);
    if (seen[0] == seL4_NoError && seen[2] == seL4_NoError)
        for (seL4_Word a = VA_SMALL; a < VA_SMALL + 4096; a += sizeof(seL4_Word))
            vm_poke(a, PATTERN);
    if (!keep)
        seen[3] = kt_delete(frame);
}

static void frame_kept(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    frame_from_same_untyped(f, seen, true);
}

static void frame_dropped(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    frame_from_same_untyped(f, seen, false);
}

static int same_untyped_meanwhile(bool keep)
{
    struct fixture *f = &fixture;
    struct run *r = &runs[0];
    if (start_meanwhile(f, r) != KT_PASS || take_untyped(f, 0, 22) != KT_PASS ||
        take_slots(f, MW_SLOTS) != KT_PASS ||
        dirty_first_2mib(f->ut[0], f->slot + MW_SCRATCH) != KT_PASS)
        return KT_FAILED;
    seL4_Error err = LONG_CALL(f, r, "Retype of a 2 MiB page", keep ? frame_kept : frame_dropped,
                               seL4_Untyped_Retype(f->ut[0], seL4_ARM_LargePageObject, 0, R, 0,
                                                   0, f->slot + MW_PAGE, 1));
    if (check_calls(keep ? "meanwhile_frame_kept" : "meanwhile_frame_dropped", r) != KT_PASS)
        return KT_FAILED;
    const seL4_Word *seen = r->call[0].seen;
    KT_OK(seen[0]);
    KT_EQ(seen[1], 0);      /* the frame: the first 4 KiB, already zeroed by the Retype */
    KT_OK(seen[2]);
    KT_OK(seen[3]);
    KT_OK(err);
    seL4_Word offset, nonzero;
    if (page_facts(f, &offset, &nonzero) != KT_PASS)
        return KT_FAILED;
    KT_EQ(nonzero, 0);
    if (keep) {
        /* The page goes after the frame, which keeps what was written to it. */
        KT_EQ(offset, LARGE_PAGE);
        seL4_Word written = 0;
        for (seL4_Word a = VA_SMALL; a < VA_SMALL + 4096; a += sizeof(seL4_Word))
            written += vm_peek(a) == PATTERN;
        KT_EQ(written, 4096 / sizeof(seL4_Word));
    } else {
        /* The untyped was empty again: the page at its start, the frame's
           writes zeroed again. */
        KT_EQ(offset, 0);
    }
    return KT_PASS;
}

TEST(preempt_meanwhile_frame_kept, "Retype of a 2 MiB page, preempted while zeroing; meanwhile "
     "another thread retypes a frame from the same untyped and writes to it: the page goes "
     "after the frame, zero, and the frame keeps its contents")
{
    return same_untyped_meanwhile(true);
}

TEST(preempt_meanwhile_frame_dropped, "Retype of a 2 MiB page, preempted while zeroing; "
     "meanwhile another thread retypes a frame from the same untyped, writes to it and deletes "
     "it: the page is at the untyped's start and all zero, the frame's writes too")
{
    return same_untyped_meanwhile(false);
}

/* The zombie of the CNode being deleted, moved to the scratch slot. */
static void move_zombie(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = seL4_DebugCapIdentify(f->slot + FC_CNODE);
    seen[1] = seL4_CNode_Move(R, f->slot + FC_SCRATCH, D, R, f->slot + FC_CNODE, D);
}

static void revoke_its_untyped(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seen[0] = seL4_DebugCapIdentify(f->slot + FC_CNODE);
    seen[1] = kt_revoke(f->ut[0]);
    seen[2] = released(&f->run->thread[0]) + released(&f->run->thread[1]);
}

static int full_cnode_meanwhile(struct fixture *f, struct run *r, observe_fn act,
                                const char *name)
{
    if (start_meanwhile(f, r) != KT_PASS || full_cnode_prepare(f) != KT_PASS ||
        build_full_cnode(f, r) != KT_PASS)
        return KT_FAILED;
    seL4_Error err = LONG_CALL(f, r, "Delete of a full 4,096-slot CNode", act,
                               kt_delete(f->slot + FC_CNODE));
    if (check_calls(name, r) != KT_PASS)
        return KT_FAILED;
    KT_EQ(r->call[0].seen[0], KT_CAP_ZOMBIE);
    KT_OK(r->call[0].seen[1]);
    KT_OK(err);
    KT_CAP_IS(f->slot + FC_CNODE, KT_CAP_NULL);
    return KT_PASS;
}

TEST(preempt_meanwhile_zombie_moved, "Delete of a full CNode, preempted; meanwhile another "
     "thread moves the zombie in its slot elsewhere: the restarted Delete finds the slot empty "
     "and succeeds; deleting the zombie where it went finishes the destruction")
{
    struct fixture *f = &fixture;
    struct run *r = &runs[0];
    if (full_cnode_meanwhile(f, r, move_zombie, "meanwhile_zombie_moved") != KT_PASS)
        return KT_FAILED;
    KT_CAP_IS(f->slot + FC_SCRATCH, KT_CAP_ZOMBIE);
    KT_EQ(caller_state(&r->thread[0]), BLOCKED);
    seL4_Word left;
    KT_ERR(whole_untyped_free(f->ut[0], FULL_UT_BITS, f->slot + FC_WHOLE, &left),
           seL4_NotEnoughMemory);
    KT_OK(kt_delete(f->slot + FC_SCRATCH));
    KT_CAP_IS(f->slot + FC_SCRATCH, KT_CAP_NULL);
    return full_cnode_gone(f, r);
}

TEST(preempt_meanwhile_untyped_revoked, "Delete of a full CNode, preempted; meanwhile another "
     "thread revokes the CNode's untyped, which destroys the rest: the restarted Delete finds "
     "the slot empty and succeeds")
{
    struct fixture *f = &fixture;
    struct run *r = &runs[0];
    if (full_cnode_meanwhile(f, r, revoke_its_untyped, "meanwhile_untyped_revoked") != KT_PASS)
        return KT_FAILED;
    KT_EQ(r->call[0].seen[2], 2);   /* both callers released by the revoke */
    return full_cnode_gone(f, r);
}

/* Read the preempted caller's pc, x0 and x1, then suspend and resume it. */
static void inspect_and_bounce(struct fixture *f, seL4_Word seen[MAX_SEEN])
{
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    seen[3] = seL4_TCB_ReadRegisters(f->caller, false, 0, 5, &regs);
    seen[0] = regs.pc;
    seen[1] = regs.x0;
    seen[2] = regs.x1;
    seen[3] |= seL4_TCB_Suspend(f->caller) | seL4_TCB_Resume(f->caller);
}

TEST(preempt_meanwhile_caller_suspended, "Delete of a full CNode, preempted; meanwhile another "
     "thread reads the caller's registers (pc: its svc; x0, x1: the call's cap and message "
     "info), suspends and resumes it: the call restarts and completes, once")
{
    struct fixture *f = &fixture;
    struct run *r = &runs[0];
    if (start_meanwhile(f, r) != KT_PASS || full_cnode_prepare(f) != KT_PASS ||
        build_full_cnode(f, r) != KT_PASS)
        return KT_FAILED;
    f->caller = kt_self_tcb();
    seL4_Word info = seL4_MessageInfo_new(CNodeDelete, 0, 0, 2).words[0];
    LONG_CALL(f, r, "Delete of a full 4,096-slot CNode", inspect_and_bounce,
              kt_syscall8(R, info, f->slot + FC_CNODE, D, 0, 0, 0, (seL4_Word)seL4_SysCall));
    if (check_calls("meanwhile_caller_suspended", r) != KT_PASS)
        return KT_FAILED;
    const seL4_Word *seen = r->call[0].seen;
    KT_OK(seen[3]);
    KT_EQ(seen[0], (seL4_Word)kt_syscall8_svc);
    KT_EQ(seen[1], R);
    KT_EQ(seen[2], info);
    KT_CAP_IS(f->slot + FC_CNODE, KT_CAP_NULL);
    return full_cnode_gone(f, r);
}
