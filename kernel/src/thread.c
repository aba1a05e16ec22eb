/*
 * Ready queues (one per priority, with a bitmap for the highest non-empty
 * level), thread switching and the idle loop. The kernel is not preemptible:
 * every entry ends in return_to_user(). A thread sits in at most one
 * scheduler queue (ready, or release in sched.c), recorded in t->queued.
 */
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/interrupt.h>
#include <kernel/print.h>
#include <kernel/domain.h>
#include <arch/switch.h>
#include <arch/registers.h>
#include <arch/machine.h>
#include <kernel/smp.h>

/* Every core's state (kernel/node.h): its current thread and ready queues
   here, one queue per priority of each domain; in ready_summary, bit w says
   ready_bitmap[d][w] is not empty, so the best priority takes two clz. */
struct node nodes[CONFIG_MAX_NUM_NODES];

static inline unsigned domain_of(const tcb_t *t)
{
    return DOMAINS_ENABLED ? t->domain : 0;
}

bool thread_is_blocked(const tcb_t *t)
{
    switch (t->state) {
    case thread_blocked_on_receive:
    case thread_blocked_on_send:
    case thread_blocked_on_reply:
    case thread_blocked_on_notification:
        return true;
    default:
        return false;
    }
}

/* The queue of t's priority and domain on its core, and the bitmap word and
   summary that say which of those queues are not empty. Computed once per
   operation: with several cores each takes a multiply by the node size. */
struct ready_slot {
    struct ready_queue *queue;
    uint64_t *bitmap_word;
    uint64_t *summary;
    uint64_t bit, word_bit;
};

static inline struct ready_slot ready_slot_of(const tcb_t *t)
{
    struct node *n = tcb_node(t);
    unsigned p = t->priority, d = domain_of(t);
    return (struct ready_slot){
        .queue = &n->ready_queues[d][p],
        .bitmap_word = &n->ready_bitmap[d][p / 64],
        .summary = &n->ready_summary[d],
        .bit = BIT(p % 64),
        .word_bit = BIT(p / 64),
    };
}

/* Link t into its priority's queue, at the tail or at the head. */
static void ready_queue_insert(tcb_t *t, bool at_head)
{
    if (t->queued == queued_ready)
        return;
    struct ready_slot s = ready_slot_of(t);
    tcb_t *head = s.queue->head, *tail = s.queue->tail;
    t->sched_prev = at_head ? NULL : tail;
    t->sched_next = at_head ? head : NULL;
    if (!head)
        s.queue->head = s.queue->tail = t;
    else if (at_head)
        s.queue->head = head->sched_prev = t;
    else
        s.queue->tail = tail->sched_next = t;
    *s.bitmap_word |= s.bit;
    *s.summary |= s.word_bit;
    t->queued = queued_ready;
}

void ready_queue_add(tcb_t *t)
{
    ready_queue_insert(t, false);
}

/* At the head of its priority: a preempted thread whose time is not up
   runs again before its equals (seL4's tcbSchedEnqueue). */
void ready_queue_add_head(tcb_t *t)
{
    ready_queue_insert(t, true);
}

void ready_queue_remove(tcb_t *t)
{
    if (t->queued == queued_candidate) {
        tcb_node(t)->switch_candidate = NULL;
        t->queued = queued_none;
        return;
    }
    if (t->queued != queued_ready)
        return;
    struct ready_slot s = ready_slot_of(t);
    tcb_t *prev = t->sched_prev, *next = t->sched_next;
    if (prev)
        prev->sched_next = next;
    else
        s.queue->head = next;
    if (next)
        next->sched_prev = prev;
    else
        s.queue->tail = prev;
    t->sched_next = t->sched_prev = NULL;
    if (!prev && !next) {       /* it was alone: the queue is empty now */
        *s.bitmap_word &= ~s.bit;
        if (!*s.bitmap_word)
            *s.summary &= ~s.word_bit;
    }
    t->queued = queued_none;
}

void thread_dequeue(tcb_t *t)
{
    ready_queue_remove(t);
    release_queue_remove(t);
}

static tcb_t *highest_ready(void)
{
    int p = highest_ready_priority();
    return p < 0 ? NULL : NODE->ready_queues[cur_domain][p].head;
}

/* (NODE->switch_required: the running thread must give way even to its equals.) */

/*
 * Benno scheduling: a thread woken by IPC is not queued but held as the
 * switch candidate; schedule() runs it directly if nothing outranks it.
 * Only when two wake in one kernel entry do they go through the queues.
 */
void thread_wake(tcb_t *t)
{
    if (domain_of(t) != cur_domain) {
        ready_queue_add(t);     /* its domain's turn comes later */
        return;
    }
    if (!NODE->switch_candidate) {
        NODE->switch_candidate = t;
        t->queued = queued_candidate;
        return;
    }
    tcb_t *other = NODE->switch_candidate;
    ready_queue_remove(other);
    ready_queue_add(other);
    ready_queue_add(t);
}

/* Settle the candidate against the ready queues: the better one runs. */
static tcb_t *take_candidate(tcb_t *next)
{
    struct node *n = NODE;
    tcb_t *cand = n->switch_candidate;
    if (!cand)
        return next;
    /* ready_queue_remove(cand), knowing it is this core's candidate. */
    assert(cand->queued == queued_candidate && tcb_node(cand) == n);
    n->switch_candidate = NULL;
    cand->queued = queued_none;
    if (next && next->priority > cand->priority) {
        ready_queue_add(cand);
        return next;
    }
    return cand;
}

void thread_yield_to(tcb_t *caller, tcb_t *target)
{
    ready_queue_remove(target);
    ready_queue_add_head(caller);
    ready_queue_add_head(target);
    NODE->switch_required = true;
}

void thread_reschedule(void)
{
    NODE->switch_required = true;
}

void thread_set_domain(tcb_t *t, unsigned domain)
{
    bool queued = t->queued == queued_ready;
    ready_queue_remove(t);
    t->domain = (uint8_t)domain;
    if (queued)
        ready_queue_add(t);
    if (t == current_thread)
        NODE->switch_required = true;
}

#if DOMAINS_ENABLED
/* The current domain's slot is over: the next domain's threads run. A woken
   thread held as the switch candidate may belong to the old domain. */
static void next_domain_if_due(void)
{
    if (!sched_domain_due())
        return;
    tcb_t *cand = NODE->switch_candidate;
    if (cand && domain_of(cand) != cur_domain) {
        ready_queue_remove(cand);
        ready_queue_add(cand);
    }
}
#endif

/* A woken thread that does not outrank the running one waits its turn. */
void thread_queue_candidate(tcb_t *cand)
{
    ready_queue_remove(cand);   /* no longer the candidate */
    ready_queue_add(cand);
}

void schedule_choose(void)
{
    tcb_t *cur = current_thread;
#if DOMAINS_ENABLED
    next_domain_if_due();
#endif
#if CONFIG_MAX_NUM_NODES > 1
    /* (smp_migrate sets switch_required when it moves the running thread.) */
    assert(!cur || NODE->switch_required || tcb_core(cur) == cpu_index());
    if (cur && NODE->switch_required && tcb_core(cur) != cpu_index()) {
        /* It took an SC of another core during this entry (a call received
           with ReplyRecv, a Bind or Configure of its own SC): it goes on
           there, and this core chooses again. Whether the budget it ran on
           here is exhausted does not matter to it any more. */
        current_thread = NULL;
        possible_switch_to(cur);    /* queued there (or for its refill) */
        cur = NULL;
    }
#endif
    bool runnable = cur && thread_is_runnable(cur) && thread_schedulable(cur) &&
                    !sched_current_exhausted();
    /* switch_required: it yielded to another, left its domain or must let
       the scheduler choose; a thread whose domain's slot ended waits too. */
    bool keep = runnable && !NODE->switch_required && domain_of(cur) == cur_domain;
    NODE->switch_required = false;
    if (sched_current_exhausted())
        sched_handle_exhausted();
    tcb_t *best_ready = highest_ready();
    tcb_t *next = take_candidate(best_ready);
    /* The running thread stays ahead of its equals until its time is up. */
    if (keep && (!next || cur->priority >= next->priority)) {
        if (next && next->queued != queued_ready)
            ready_queue_add(next);  /* the candidate waits its turn */
        ready_queue_remove(cur);
        current_thread = cur;
        return;
    }
    if (runnable)
        ready_queue_add_head(cur);  /* (already queued after a yield: no change) */
    if (next && next->queued == queued_ready)
        ready_queue_remove(next);   /* (the candidate is in no queue) */
    current_thread = next;
}

/*
 * Wait with interrupts masked: WFI still wakes on a pending interrupt.
 * sched_commit may release a thread whose refill has become due: pick it
 * before sleeping, or nothing would wake the loop for it. A wake-up is a
 * kernel entry like any other: the clock is read (and no SC is charged for
 * the idle time) before the interrupt is handled.
 */
static void idle_until_runnable(void)
{
    arch_enter_idle();
    for (;;) {
        sched_commit();
        schedule();
        if (current_thread)
            return;
        /* Other cores may run the kernel while this one sleeps. */
        kernel_lock_release();
        arch_wait_for_interrupt();
        kernel_lock_acquire();
        sched_update_time();
        handle_pending_interrupt();
        schedule();
        if (current_thread)
            return;
    }
}

_Noreturn void return_to_user(void)
{
    if (!current_thread)
        idle_until_runnable();
    sched_commit();
    tcb_t *t = current_thread;
    if (t->state == thread_restart) {
        /* Resume where it was stopped: a system call runs again. */
        set_next_pc_to_restart_pc(t);
        t->state = thread_running;
    }
    arch_switch_to_thread(t);
    kernel_lock_release();
    arch_enter_user(t);
}
