/*
 * MCS scheduling contexts and refills (kernel/src/sched.c): configuration,
 * charging time against a fake clock, refill merging, round robin, the
 * release queue, consumed time, and the sporadic-server guarantee that a
 * thread never runs more than its budget in any window of one period.
 *
 * The unit tests call sched_update_time() with a fake current thread. The
 * simulations run threads through the real kernel entry and exit paths
 * (traps.c, syscall.c, irq.c, return_to_user's idle loop): see host.h.
 */
#define TEST_SUITE "refill"
#include "harness.h"
#include "host.h"

#include <stdio.h>
#include <stdlib.h>

#define US(x) host_us(x)

/* Refills of sc in order from the head. */
static refill_t refill(sched_context_t *sc, word_t i)
{
    return sc->refills[(sc->refill_head + i) % sc->refill_max];
}

static word_t refill_sum(sched_context_t *sc)
{
    word_t sum = 0;
    for (word_t i = 0; i < sc->refill_count; i++)
        sum += refill(sc, i).amount;
    return sum;
}

/* What must hold after any operation on a configured SC. */
static void check_refill_invariants(sched_context_t *sc)
{
    CHECK_MSG(sc->refill_count >= 1 && sc->refill_count <= sc->refill_max,
              "%llu refills in use, room for %llu", (unsigned long long)sc->refill_count,
              (unsigned long long)sc->refill_max);
    CHECK_MSG(refill_sum(sc) == sc->budget, "refills add up to %llu ticks, budget %llu",
              (unsigned long long)refill_sum(sc), (unsigned long long)sc->budget);
    for (word_t i = 1; i < sc->refill_count; i++)
        CHECK_MSG(refill(sc, i - 1).release <= refill(sc, i).release,
                  "refill %llu released at %llu, before refill %llu at %llu",
                  (unsigned long long)i, (unsigned long long)refill(sc, i).release,
                  (unsigned long long)(i - 1), (unsigned long long)refill(sc, i - 1).release);
}

static sched_context_t *sc_new(word_t budget_us, word_t period_us, word_t max_refills, bool sporadic)
{
    sched_context_t *sc = host_sc(10);
    CHECK(max_refills <= sched_context_refills_capacity(10));
    sched_context_configure(sc, 0, US(budget_us), US(period_us), max_refills, 0, sporadic);
    return sc;
}

/* A runnable thread on `sc`, made the current thread (charging starts at
   the next sched_update_time). */
static tcb_t *current_on(sched_context_t *sc, unsigned prio)
{
    tcb_t *t = host_tcb(prio);
    t->state = thread_running;
    sched_context_bind_tcb(sc, t);
    ready_queue_remove(t);
    current_thread = t;
    sched_update_time();
    return t;
}

/* ---------------------------------------------------------------- configuration */

TEST(configure_gives_one_full_refill_from_now)
{
    host_set_time(12345);
    sched_context_t *sc = sc_new(1000, 5000, 4, false);
    CHECK(sched_context_active(sc));
    CHECK_EQ(sc->refill_count, 1);
    CHECK_EQ(sc->refill_max, 4);
    CHECK_EQ(refill(sc, 0).release, 12345);
    CHECK_EQ(refill(sc, 0).amount, US(1000));
    CHECK_EQ(sc->budget, US(1000));
    CHECK_EQ(sc->period, US(5000));
    check_refill_invariants(sc);
    CHECK_EQ(sched_context_refills_capacity(7), 2);     /* seL4: 2^7 bytes hold 2 refills */
    CHECK_EQ(sched_context_refills_capacity(10), 58);
}

TEST(budget_equal_to_period_is_round_robin)
{
    sched_context_t *sc = sc_new(2000, 2000, 2, false);
    CHECK_EQ(sc->period, 0);
    CHECK_EQ(refill(sc, 0).amount, US(2000));
}

TEST(unconfigured_and_finalised_scs_are_inactive)
{
    sched_context_t *sc = host_sc(8);
    CHECK(!sched_context_active(sc));
    sched_context_configure(sc, 0, US(100), US(1000), 2, 0, false);
    CHECK(sched_context_active(sc));
    sched_context_finalise(sc);
    CHECK(!sched_context_active(sc));
}

/* ---------------------------------------------------------------- charging */

TEST(using_part_of_the_budget_schedules_it_one_period_later)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(1000, 10000, 4, false);
    current_on(sc, 10);
    host_advance(US(200));
    sched_update_time();
    CHECK(!sched_current_exhausted());
    CHECK_EQ(sc->refill_count, 2);
    CHECK_EQ(refill(sc, 0).amount, US(800));
    CHECK_EQ(refill(sc, 1).release, US(10000));
    CHECK_EQ(refill(sc, 1).amount, US(200));
    CHECK_EQ(sc->consumed, US(200));
    check_refill_invariants(sc);
}

TEST(using_the_whole_budget_exhausts_the_thread)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(1000, 10000, 4, false);
    tcb_t *t = current_on(sc, 10);
    host_advance(US(1000));
    sched_update_time();
    CHECK(sched_current_exhausted());
    CHECK_EQ(sc->refill_count, 1);
    CHECK_EQ(refill(sc, 0).release, US(10000));
    CHECK_EQ(refill(sc, 0).amount, US(1000));
    check_refill_invariants(sc);
    /* The scheduler sends it to the release queue and picks nobody. */
    schedule();
    CHECK(current_thread == NULL);
    CHECK_EQ(t->queued, queued_release);
    CHECK(!thread_schedulable(t));
}

TEST(overrun_past_the_budget_is_charged_too)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(1000, 10000, 4, false);
    current_on(sc, 10);
    host_advance(US(1500));             /* the kernel entered late */
    sched_update_time();
    CHECK(sched_current_exhausted());
    CHECK_EQ(sc->consumed, US(1500));
    check_refill_invariants(sc);
    CHECK(refill(sc, 0).release >= US(10000));
}

TEST(a_sliver_below_the_minimum_budget_goes_back_with_the_rest)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(1000, 10000, 4, false);
    current_on(sc, 10);
    host_advance(US(1000 - MIN_BUDGET_US / 2));
    sched_update_time();
    /* 10 us left: too little to run on; the whole budget comes back at once. */
    CHECK(sched_current_exhausted());
    CHECK_EQ(sc->refill_count, 1);
    CHECK_EQ(refill(sc, 0).release, US(10000));
    CHECK_EQ(refill(sc, 0).amount, US(1000));
}

TEST(refills_merge_when_the_buffer_is_full)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(1000, 10000, MIN_REFILLS, false);
    current_on(sc, 10);
    host_advance(US(100));
    sched_update_time();
    CHECK_EQ(sc->refill_count, 2);
    for (unsigned i = 2; i <= 8; i++) {
        host_advance(US(100));
        sched_update_time();
        CHECK_EQ(sc->refill_count, 2);
        CHECK_EQ(refill(sc, 0).amount, US(1000 - 100 * i));
        CHECK_EQ(refill(sc, 1).amount, US(100 * i));
        CHECK_EQ(refill(sc, 1).release, US(10000));
        check_refill_invariants(sc);
    }
}

TEST(refills_stay_consistent_under_random_charging)
{
    for (unsigned round = 0; round < 200; round++) {
        test_note("round %u", round);
        host_set_time(test_rand_below(US(1000000)));
        word_t budget = 50 + test_rand_below(5000), period = budget + test_rand_below(20000);
        word_t max = MIN_REFILLS + test_rand_below(8);
        sched_context_t *sc = sc_new(budget, period, max, false);
        tcb_t *t = current_on(sc, 10);
        for (unsigned step = 0; step < 50; step++) {
            host_advance(test_rand_below(US(budget)) + 1);
            sched_update_time();
            check_refill_invariants(sc);
            if (sched_current_exhausted()) {
                schedule();
                /* Wait for the refill, as the timer would. */
                if (t->queued == queued_release) {
                    host_set_time(MAX(host_now(), refill(sc, 0).release));
                    sched_timer_tick();
                    CHECK_EQ(t->queued, queued_ready);
                }
                current_thread = NULL;
                schedule();
                CHECK_PTR_EQ(current_thread, t);
                sched_commit();
            }
        }
        current_thread = NULL;
        sched_context_unbind_tcb(sc);
        sched_update_time();
    }
}

/* ---------------------------------------------------------------- round robin */

TEST(round_robin_sc_refills_at_once_and_goes_to_the_back)
{
    host_set_time(0);
    sched_context_t *a_sc = sc_new(1000, 1000, 2, false), *b_sc = sc_new(1000, 1000, 2, false);
    tcb_t *b = host_tcb(10);
    b->state = thread_running;
    sched_context_bind_tcb(b_sc, b);
    tcb_t *a = current_on(a_sc, 10);
    host_advance(US(1000));
    sched_update_time();
    CHECK(sched_current_exhausted());
    schedule();
    CHECK_PTR_EQ(current_thread, b);
    /* a got a fresh slice at once and waits behind b. */
    CHECK_EQ(a->queued, queued_ready);
    CHECK_EQ(a_sc->refill_count, 1);
    CHECK_EQ(refill(a_sc, 0).amount, US(1000));
    CHECK_EQ(refill(a_sc, 0).release, US(1000));
    CHECK_EQ(a_sc->consumed, US(1000));
}

TEST(round_robin_threads_alternate_through_timer_interrupts)
{
    env_t e;
    env_init(&e, 8);
    host_set_time(0);
    tcb_t *t[2];
    for (unsigned i = 0; i < 2; i++) {
        t[i] = env_thread(&e, 20 + i, 50);
        sched_context_bind_tcb(sc_new(500, 500, 2, false), t[i]);
        tcb_resume(t[i]);
    }
    tcb_t *cur = host_exit_kernel();
    CHECK_PTR_EQ(cur, t[0]);
    for (unsigned slice = 0; slice < 20; slice++) {
        uint64_t start = host_now();
        CHECK_PTR_EQ(current_thread, t[slice % 2]);
        CHECK_EQ(host_timer_deadline(), start + US(500));
        host_run_until(~0ull);          /* to the timer */
        CHECK_EQ(host_now(), start + US(500));
        host_interrupt();
    }
    CHECK_EQ(t[0]->sc->consumed, 10 * US(500));
    CHECK_EQ(t[1]->sc->consumed, 10 * US(500));
}

/* ---------------------------------------------------------------- consumed time */

TEST(consumed_is_returned_in_microseconds_and_reset)
{
    host_set_time(0);
    sched_context_t *sc = sc_new(5000, 10000, 2, false);
    current_on(sc, 10);
    host_advance(US(1234) + 10);        /* plus a fraction of a microsecond */
    sched_update_time();
    CHECK_EQ(sched_context_take_consumed(sc), 1234);
    CHECK_EQ(sc->consumed, 0);
    /* For the SC being charged, time up to now counts. */
    host_advance(US(56));
    CHECK_EQ(sched_context_take_consumed(sc), 56);
    CHECK_EQ(sched_context_take_consumed(sc), 0);
}

TEST(consumed_through_the_sched_context_invocation)
{
    env_t e;
    env_init(&e, 8);
    host_set_time(0);
    sched_context_t *sc = sc_new(5000, 10000, 2, false);
    host_root(env_slot(&e, 30), cap_sched_context_new(sc, 10));
    current_on(sc, 10);
    host_advance(US(778));
    sched_update_time();
    CHECK_EQ(env_call(&e, 30, SchedContextConsumed, NO_WORDS, 0, NULL), seL4_NoError);
    CHECK_EQ(env_reply(&e, 0), 778);
    CHECK_EQ(env_reply_length(&e), 1);
}

TEST(sched_control_configure_checks_its_arguments)
{
    env_t e;
    env_init(&e, 8);
    sched_context_t *sc = host_sc(8);
    host_root(env_slot(&e, 30), cap_sched_context_new(sc, 8));
    host_root(env_slot(&e, 31), cap_simple_new(cap_sched_control, 0));
    word_t sc_slot[] = { 30 };
    /* budget, period, extra refills, badge, flags */
    CHECK_EQ(env_call(&e, 31, SchedControlConfigureFlags, WORDS(10, 1000, 0, 0, 0), 1, sc_slot),
             seL4_RangeError);
    CHECK_EQ(env_call(&e, 31, SchedControlConfigureFlags, WORDS(2000, 1000, 0, 0, 0), 1, sc_slot),
             seL4_RangeError);
    /* A 2^8 SC has room for 10 refills: 8 extra at most. */
    CHECK_EQ(env_call(&e, 31, SchedControlConfigureFlags, WORDS(100, 1000, 9, 0, 0), 1, sc_slot),
             seL4_RangeError);
    CHECK_EQ(env_reply(&e, 1), 8);
    CHECK_EQ(env_call(&e, 31, SchedControlConfigureFlags, WORDS(100, 1000, 8, 7, 1), 1, sc_slot),
             seL4_NoError);
    CHECK_EQ(sc->refill_max, 10);
    CHECK_EQ(sc->budget, US(100));
    CHECK_EQ(sc->period, US(1000));
    CHECK_EQ(sc->badge, 7);
    CHECK(sc->sporadic);
}

/* ---------------------------------------------------------------- through the kernel entry paths */

enum { NT = 20, IRQCTL = 21, HANDLER = 22, THREAD = 23, NT2 = 24, HANDLER2 = 25, THREAD2 = 26,
       FIRST_IRQ = 40 };

/*
 * A thread `t` (priority 100) that runs, blocks on a notification an IRQ
 * signals, and is woken; optionally a higher-priority thread `h` that an
 * IRQ wakes to preempt it. The runs of `t` are recorded.
 */
struct sim {
    env_t e;
    unsigned irq, h_irq;
    tcb_t *t, *h;
    sched_context_t *sc;
    bool running;               /* t is at user level */
    uint64_t run_start;
    /* Execution intervals of t, [start, end) in ticks. */
    uint64_t (*runs)[2];
    unsigned nruns, max_runs;
};

static unsigned irqs_used;      /* each simulation claims its own IRQ lines */

static void sim_irq(struct sim *s, unsigned irq, word_t handler, word_t ntfn)
{
    cap_t nc;
    host_notification(&nc);
    host_root(env_slot(&s->e, ntfn), nc);
    CHECK_EQ(env_call(&s->e, IRQCTL, IRQIssueIRQHandler, WORDS(irq, handler, 64), 1,
                      (word_t[]){ ENV_CNODE }), seL4_NoError);
    CHECK_EQ(env_call(&s->e, handler, IRQSetIRQHandler, NO_WORDS, 1, (word_t[]){ ntfn }), seL4_NoError);
    CHECK_EQ(env_call(&s->e, handler, IRQAckIRQ, NO_WORDS, NO_WORDS), seL4_NoError);
}

/* The current thread acknowledges `handler`'s IRQ, then waits on `ntfn`. */
static void ack(word_t handler)
{
    current_thread->arch.ctx.x[0] = handler;
    current_thread->arch.ctx.x[1] = seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0).words[0];
    host_syscall(seL4_SysSend);
}

static void sim_stopped(struct sim *s);
static void sim_resumed(struct sim *s);

static void sim_init_with(struct sim *s, word_t budget_us, word_t period_us, word_t max_refills,
                          bool sporadic, bool preemptor)
{
    if (irqs_used == 0)
        host_set_time(US(1000));
    env_init(&s->e, 8);
    host_root(env_slot(&s->e, IRQCTL), cap_simple_new(cap_irq_control, 0));
    s->irq = FIRST_IRQ + irqs_used++;
    sim_irq(s, s->irq, HANDLER, NT);
    s->t = env_thread(&s->e, THREAD, 100);
    s->sc = sc_new(budget_us, period_us, max_refills, sporadic);
    sched_context_bind_tcb(s->sc, s->t);
    tcb_resume(s->t);
    s->h = NULL;
    if (preemptor) {
        s->h_irq = FIRST_IRQ + irqs_used++;
        sim_irq(s, s->h_irq, HANDLER2, NT2);
        s->h = env_thread(&s->e, THREAD2, 200);
        sched_context_bind_tcb(sc_new(1000000, 1000000, 2, false), s->h);
        tcb_resume(s->h);
    }
    s->max_runs = 100000;
    s->runs = host_alloc(24);
    s->nruns = 0;
    s->running = false;
    host_exit_kernel();
    if (preemptor) {
        /* h runs first and waits for its interrupt. */
        CHECK_PTR_EQ(current_thread, s->h);
        current_thread->arch.ctx.x[0] = NT2;
        host_syscall(seL4_SysWait);
    }
    sim_resumed(s);
    CHECK(s->running);
}

static void sim_init(struct sim *s, word_t budget_us, word_t period_us, word_t max_refills,
                     bool sporadic)
{
    sim_init_with(s, budget_us, period_us, max_refills, sporadic, false);
}

/* The current thread entered the kernel now. */
static void sim_stopped(struct sim *s)
{
    if (s->running && host_now() > s->run_start) {
        CHECK(s->nruns < s->max_runs);
        s->runs[s->nruns][0] = s->run_start;
        s->runs[s->nruns][1] = host_now();
        s->nruns++;
    }
}

/* Back at user level. */
static void sim_resumed(struct sim *s)
{
    CHECK(current_thread == s->t || (s->h && current_thread == s->h));
    s->running = current_thread == s->t;
    s->run_start = host_now();
}

/* Run for up to `ticks`; a timer interrupt ends it early. */
static void sim_run(struct sim *s, uint64_t ticks)
{
    uint64_t goal = host_now() + ticks;
    host_run_until(goal);
    if (host_now() < goal || (host_timer_armed() && host_timer_deadline() <= host_now())) {
        sim_stopped(s);
        host_interrupt();
        sim_resumed(s);
    }
}

/* t: seL4_Wait on its notification; the IRQ signals it `gap` ticks later. */
static void sim_block(struct sim *s, uint64_t gap)
{
    CHECK_PTR_EQ(current_thread, s->t);
    sim_stopped(s);
    host_raise_irq(s->irq, host_now() + gap);
    s->t->arch.ctx.x[0] = NT;
    host_syscall(seL4_SysWait);
    sim_resumed(s);
    /* seL4_IRQHandler_Ack: the line was masked when it fired. */
    CHECK(host_irq_masked(s->irq));
    sim_stopped(s);     /* a zero-length break, to keep the bookkeeping simple */
    ack(HANDLER);
    sim_resumed(s);
}

/* h's interrupt now: h preempts t. */
static void sim_preempt(struct sim *s)
{
    sim_stopped(s);
    host_raise_irq(s->h_irq, host_now());
    host_interrupt();
    sim_resumed(s);
    CHECK_PTR_EQ(current_thread, s->h);
}

/* h (current) is done: it acknowledges and waits again. */
static void sim_h_waits(struct sim *s)
{
    CHECK_PTR_EQ(current_thread, s->h);
    ack(HANDLER2);
    current_thread->arch.ctx.x[0] = NT2;
    host_syscall(seL4_SysWait);
    sim_resumed(s);
}

/* Largest execution time in any window [t, t + period): the maximum is
   reached by a window that starts when some run starts. */
static uint64_t max_in_window(struct sim *s, uint64_t period, uint64_t *at)
{
    uint64_t worst = 0;
    for (unsigned i = 0; i < s->nruns; i++) {
        uint64_t from = s->runs[i][0], to = from + period, sum = 0;
        for (unsigned k = i; k < s->nruns && s->runs[k][0] < to; k++)
            sum += MIN(s->runs[k][1], to) - MAX(s->runs[k][0], from);
        if (sum > worst) {
            worst = sum;
            *at = from;
        }
    }
    return worst;
}

TEST(timer_is_set_for_the_end_of_the_budget)
{
    struct sim s;
    sim_init(&s, 1000, 10000, 4, false);
    CHECK(host_timer_armed());
    CHECK_EQ(host_timer_deadline(), host_now() + US(1000));
    sim_run(&s, US(300));
    /* A system call in between does not move the end of the budget. */
    ack(HANDLER);
    CHECK_EQ(host_timer_deadline(), US(1000) + US(1000));
}

TEST(exhausted_thread_runs_again_when_its_refill_is_released)
{
    struct sim s;
    sim_init(&s, 1000, 10000, 4, false);
    uint64_t t0 = host_now();
    sim_run(&s, US(5000));              /* stopped by the timer at the budget's end */
    CHECK_EQ(s.nruns, 1);
    CHECK_EQ(s.runs[0][1], t0 + US(1000));
    /* The idle loop slept until the refill: a period after the first one. */
    CHECK_EQ(host_now(), t0 + US(10000));
    CHECK_EQ(s.t->sc->consumed, US(1000));
}

TEST(idle_time_is_not_charged_to_the_last_thread)
{
    struct sim s;
    sim_init(&s, 1000, 10000, 4, false);
    sim_run(&s, US(100));
    sim_block(&s, US(5000));            /* idle for 5 ms, woken by the IRQ */
    sim_run(&s, US(100));
    sim_block(&s, US(1));
    CHECK_EQ(sched_context_take_consumed(s.sc), 200);
}

TEST(thread_woken_from_idle_after_its_refill_is_due_runs_at_once)
{
    /* The thread uses up its budget and blocks in the same system call;
       the interrupt that wakes it comes after its next refill is due. */
    struct sim s;
    sim_init(&s, 1000, 10000, 4, false);
    uint64_t t0 = host_now();
    sim_run(&s, US(1000 - MIN_BUDGET_US / 2));
    sim_block(&s, US(20000));
    CHECK_EQ(host_now(), t0 + US(1000 - MIN_BUDGET_US / 2) + US(20000));
    CHECK_EQ(s.sc->consumed, US(1000 - MIN_BUDGET_US / 2));
}

static void window_simulation(word_t budget_us, word_t period_us, word_t max_refills, bool sporadic,
                              bool preemptor)
{
    struct sim s;
    sim_init_with(&s, budget_us, period_us, max_refills, sporadic, preemptor);
    unsigned preemptions = 0;
    for (unsigned step = 0; step < 1500; step++) {
        test_note("%llu/%llu us, %llu refills: step %u at %llu ticks", (unsigned long long)budget_us,
                  (unsigned long long)period_us, (unsigned long long)max_refills, step,
                  (unsigned long long)host_now());
        if (current_thread == s.h) {
            /* The preemptor runs for a while, up to two periods. */
            host_run_until(host_now() + test_rand_below(US(2 * period_us)) + 1);
            sim_h_waits(&s);
            continue;
        }
        sim_run(&s, test_rand_below(US(2 * budget_us)) + 1);
        check_refill_invariants(s.sc);
        if (current_thread != s.t)
            continue;
        switch (test_rand_below(preemptor ? 4 : 3)) {
        case 0:
            sim_block(&s, test_rand_below(US(3 * period_us)) + 1);
            break;
        case 3:
            sim_preempt(&s);
            preemptions++;
            break;
        default:
            break;
        }
        check_refill_invariants(s.sc);
    }
    test_note("%llu/%llu us, %llu refills: %u runs", (unsigned long long)budget_us,
              (unsigned long long)period_us, (unsigned long long)max_refills, s.nruns);
    uint64_t at = 0, worst = max_in_window(&s, US(period_us), &at);
    if (getenv("HOST_TEST_DEBUG"))
        for (unsigned i = 0; i < s.nruns; i++)
            if (s.runs[i][1] > at && s.runs[i][0] < at + US(period_us))
                fprintf(stderr, "run %u: %llu..%llu (%llu us)\n", i, (unsigned long long)s.runs[i][0],
                        (unsigned long long)s.runs[i][1],
                        (unsigned long long)timer_ticks_to_us(s.runs[i][1] - s.runs[i][0]));
    CHECK_MSG(worst <= US(budget_us),
              "ran %llu us in the %llu us window from %llu ticks: budget %llu us",
              (unsigned long long)timer_ticks_to_us(worst), (unsigned long long)period_us,
              (unsigned long long)at, (unsigned long long)budget_us);
    /* And it was not starved: some window got most of the budget. */
    CHECK_MSG(worst >= US(budget_us) / 2, "at most %llu us in any window",
              (unsigned long long)timer_ticks_to_us(worst));
    CHECK(!preemptor || preemptions > 100);
    /* Out of the way of the next simulation. */
    tcb_suspend(s.t);
    if (s.h)
        tcb_suspend(s.h);
}

static const struct { word_t budget, period, refills; } window_configs[] = {
    { 1000, 5000, 6 }, { 300, 1000, MIN_REFILLS }, { 5000, 7000, 10 }, { 50, 10000, 3 },
    { 2000, 2100, 4 },
};

TEST(budget_is_never_exceeded_in_any_period_window)
{
    for (unsigned i = 0; i < ARRAY_SIZE(window_configs); i++)
        window_simulation(window_configs[i].budget, window_configs[i].period,
                          window_configs[i].refills, false, false);
}

TEST(budget_is_never_exceeded_in_any_period_window_sporadic)
{
    for (unsigned i = 0; i < ARRAY_SIZE(window_configs); i++)
        window_simulation(window_configs[i].budget, window_configs[i].period,
                          window_configs[i].refills, true, false);
}

TEST(budget_window_holds_when_a_higher_priority_preempts)
{
    /* seL4 moves a constant-bandwidth SC's head refill to the time it
       starts running again, so preemption cannot push its runs closer. */
    for (unsigned i = 0; i < ARRAY_SIZE(window_configs); i++)
        window_simulation(window_configs[i].budget, window_configs[i].period,
                          window_configs[i].refills, false, true);
}

TEST(blocked_thread_wakes_with_its_unused_budget)
{
    struct sim s;
    sim_init(&s, 1000, 10000, 4, false);
    uint64_t t0 = host_now();
    sim_run(&s, US(400));
    sim_block(&s, US(100));
    /* 600 us were left: it runs them now, then waits for the period. */
    uint64_t woke = host_now();
    CHECK_EQ(woke, t0 + US(500));
    sim_run(&s, US(5000));
    CHECK_EQ(s.runs[s.nruns - 1][1] - woke, US(600));
    CHECK_EQ(s.sc->consumed, US(1000));
}
