/*
 * MCS scheduling: scheduling contexts with budgets and refills (sporadic
 * servers), charged against the ARM generic timer, and the release queue of
 * threads waiting for their next refill.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <object/structures.h>
#include <kernel/node.h>
#include <kernel/domain.h>
#include <timer.h>
#include <kernel/assert.h>

#define MIN_REFILLS 2
/* Twice the kernel's worst-case execution time, as seL4 requires. */
#define KERNEL_WCET_US 10
#define MIN_BUDGET_US (2 * KERNEL_WCET_US)
#define MAX_PERIOD_US (60ull * 60 * 1000 * 1000)

void sched_context_finalise(sched_context_t *sc);
/* Set budget and period (ticks) with room for `max_refills` refills. */
/* (Re)configure `sc` for the SchedControl of `core`, whose threads run there. */
void sched_context_configure(sched_context_t *sc, unsigned core, word_t budget, word_t period,
                             word_t max_refills, word_t badge, bool sporadic);
static inline bool sched_context_active(const sched_context_t *sc)
{
    return sc && sc->refill_max > 0;
}
/* May `sc` be bound to `t`? A blocked thread only gets an SC that is
   active with its head refill due (seL4: else IllegalOperation). */
bool sched_context_can_bind(sched_context_t *sc, const tcb_t *t);
void sched_context_bind_tcb(sched_context_t *sc, tcb_t *t);
void sched_context_unbind_tcb(sched_context_t *sc);
void sched_context_bind_notification(sched_context_t *sc, notification_t *n);
void sched_context_unbind_notification(sched_context_t *sc);
/* Move `sc` to thread `to` (SC donation along a call chain). */
void sched_context_donate(sched_context_t *sc, tcb_t *to);
word_t sched_context_refills_capacity(unsigned size_bits);

/* Can `t` be picked by the scheduler (runnable with budget available)? */
bool thread_schedulable(const tcb_t *t);
/* A thread became runnable: queue it, or let it preempt the current one. */
void possible_switch_to(tcb_t *t);
void sched_update_time_slow(void);
void sched_commit_deadline(void);

/*
 * Kernel entry: the clock. The time used is charged lazily (sched.c); the
 * entry only checks that the running thread still has MIN_BUDGET left.
 */
static ALWAYS_INLINE void sched_update_time(void)
{
    struct node *n = NODE;
    n->now = timer_now_inline();
    tcb_t *t = n->running;
    sched_context_t *sc = t ? t->sc : NULL;
    if (unlikely(sc != n->charged_sc || (sc && n->now > n->charge_at)))
        sched_update_time_slow();
}

/*
 * The IPC fast path's hand-over between two threads with their own SCs
 * (a Call to an active server, the reply back): what sched_commit does
 * when another SC starts to run, limited to round-robin SCs (a single
 * refill, always released, kept at refills[0]: sched.c) on this core, the
 * common Microkit case. The fast path runs before the entry's clock check,
 * so it also checks what that would: `from` (the charged SC) still has
 * MIN_BUDGET left. Anything else is the slow path's (then nothing has
 * changed).
 */
extern word_t sched_min_budget_ticks;

static ALWAYS_INLINE bool sched_handover_ok(const sched_context_t *from, sched_context_t *to,
                                            word_t now)
{
    struct node *n = NODE;
    tcb_t *waiting = n->release_head;
    /* `to` needs no configured test: an SC that was never configured
       (refill_max 0) has the zeroed refills of a new object, and its
       budget test fails. */
    return from == n->charged_sc && now <= n->charge_at && to->period == 0 &&
           to->refills[0].amount >= sched_min_budget_ticks &&
           from->period == 0 && !DOMAINS_ENABLED &&
           (!waiting || waiting->sc->refills[waiting->sc->refill_head].release > now);
}

/* Charge `from` up to now; `to` runs from now until its budget ends. */
static ALWAYS_INLINE void sched_handover(sched_context_t *from, sched_context_t *to, word_t now)
{
    struct node *n = NODE;
    word_t used = now - n->charged_until;
    refill_t *r = &from->refills[0];
    /* sched_handover_ok: now <= charge_at, MIN_BUDGET before the refill
       runs out, so there is some left. */
    assert(used < r->amount);
    r->amount -= used;
    from->consumed += used;
    n->charged_sc = to;
    n->charged_until = now;
    word_t deadline = now + to->refills[0].amount;
    n->charge_at = deadline - sched_min_budget_ticks;
    tcb_t *waiting = n->release_head;
    if (waiting) {
        word_t release = waiting->sc->refills[waiting->sc->refill_head].release;
        if (release < deadline)
            deadline = release;
    }
    /* A deadline later than the programmed one leaves the timer alone:
       firing early costs one kernel entry that finds nothing used up and
       programs the real deadline (sched_timer_tick), far less than a timer
       write at every handover between two SCs that call each other. */
    if (deadline < n->programmed) {
        n->programmed = deadline;
        timer_set_deadline_inline(deadline);
    }
}

/*
 * Before leaving the kernel: budget bookkeeping and the next timer
 * deadline, unless the same SC runs on and nothing the deadline depends on
 * changed (with domains, their schedule may have).
 */
static ALWAYS_INLINE void sched_commit(void)
{
    struct node *n = NODE;
    tcb_t *t = n->running;
    if (!likely(t && t->sc == n->charged_sc && !n->reprogram && !DOMAINS_ENABLED))
        sched_commit_deadline();
}
/* Has the current domain's slot ended? Then the next one starts. */
bool sched_domain_due(void);
/* The kernel timer fired. */
void sched_timer_tick(void);
/* This core's scheduler state at boot (before its first sched_commit). */
void sched_init_node(void);
/* Has the current thread used up its budget in this kernel entry? */
static inline bool sched_current_exhausted(void)
{
    return NODE->exhausted;
}
/*
 * At a system call or fault entry: may the current thread `t` have it
 * handled now? Not when its budget ran out before the entry (seL4's
 * checkBudgetRestart): its time slice ends first and it repeats the
 * instruction when it next runs.
 */
bool sched_budget_restart(tcb_t *t);
static inline bool sched_budget_allows_entry(tcb_t *t)
{
    if (likely(!NODE->exhausted))
        return true;
    return sched_budget_restart(t);
}
/* Requeue or postpone a thread whose budget ran out (called by schedule). */
void sched_handle_exhausted(void);
/* A reply made t runnable: run it, postpone it, or raise a timeout fault. */
void sched_resume_replied(tcb_t *t, bool answered_timeout_fault);
/* The current thread gives up the rest of its budget (seL4_Yield). */
void sched_yield(void);
/* Microseconds this SC has consumed since the last query; resets it. */
word_t sched_context_take_consumed(sched_context_t *sc);
/* The same without charging the running SC first (inside the scheduler). */
word_t sched_context_reset_consumed(sched_context_t *sc);

#endif
