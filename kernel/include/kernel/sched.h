/*
 * MCS scheduling: scheduling contexts with budgets and refills (sporadic
 * servers), charged against the ARM generic timer, and the release queue of
 * threads waiting for their next refill.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <object/structures.h>

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
bool sched_context_active(const sched_context_t *sc);
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
/* Charge the time since the last kernel entry to the current thread. */
void sched_update_time(void);
/* Budget bookkeeping and the next timer deadline before leaving the kernel. */
void sched_commit(void);
/* Has the current domain's slot ended? Then the next one starts. */
bool sched_domain_due(void);
/* The kernel timer fired. */
void sched_timer_tick(void);
/* This core's scheduler state at boot (before its first sched_commit). */
void sched_init_node(void);
/* Has the current thread used up its budget in this kernel entry? */
bool sched_current_exhausted(void);
/*
 * At a system call or fault entry: may the current thread `t` have it
 * handled now? Not when its budget ran out before the entry (seL4's
 * checkBudgetRestart): its time slice ends first and it repeats the
 * instruction when it next runs.
 */
bool sched_budget_allows_entry(tcb_t *t);
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
