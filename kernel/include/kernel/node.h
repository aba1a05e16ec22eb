/*
 * Per-core kernel state. Everything a core schedules with lives in its
 * struct node: the thread it runs, its ready queues, its MCS clock, budget
 * accounting and release queue, and the architecture's per-core part. The
 * rest of the kernel's state is shared and protected by the big kernel
 * lock (kernel/smp.h). With one core, NODE is a constant address and all
 * of it costs nothing.
 */
#ifndef KERNEL_NODE_H
#define KERNEL_NODE_H

#include <object/structures.h>
#include <arch/smp.h>

#define NUM_PRIORITIES 256

struct ready_queue {
    tcb_t *head;
    tcb_t *tail;
};

/* A CLH queue node of the big kernel lock, one cache line each. */
struct clh_node {
    word_t locked;
} __attribute__((aligned(64)));

struct node {
    tcb_t *running;                 /* current_thread: NULL while idle */

    /* Ready queues (thread.c): one per priority of each domain, a bitmap
       of the non-empty ones and a summary bit per bitmap word. */
    struct ready_queue ready_queues[CONFIG_NUM_DOMAINS][NUM_PRIORITIES];
    uint64_t ready_bitmap[CONFIG_NUM_DOMAINS][NUM_PRIORITIES / 64];
    uint64_t ready_summary[CONFIG_NUM_DOMAINS];
    tcb_t *switch_candidate;        /* woken, to be switched to directly */
    bool switch_required;           /* the scheduler must choose again */

    /* MCS time on this core (sched.c). */
    word_t now;                     /* time of this kernel entry (ticks) */
    word_t charged_until;           /* the current SC is charged up to here */
    struct tcb *budget_restarted;   /* the last thread sent back for budget (sched.c) */
    sched_context_t *charged_sc;
    word_t charge_at;               /* its head refill has less than MIN_BUDGET left */
    bool exhausted;                 /* the current thread's budget ran out */
    bool reprogram;                 /* something the timer deadline depends on changed */
    tcb_t *release_head;            /* threads waiting for a refill, by release time */
    word_t programmed;              /* the timer's deadline (~0: disarmed) */

#if CONFIG_MAX_NUM_NODES > 1
    unsigned core;                  /* this node's index (cpu_index) */
    /* The big kernel lock as this core sees it (kernel/smp.h). */
    struct clh_node *lock_mine;     /* the queue node it appends next */
    struct clh_node *lock_pred;     /* the one it waited behind */
    /* &clh_tail: one load from x18 where its address would take two. */
    struct clh_node **lock_tail;
    word_t reschedule_mask;         /* cores to interrupt at the release */
    bool lock_stalled;              /* stalled while waiting: entry void */
#endif

    struct arch_node arch;
};

extern struct node nodes[CONFIG_MAX_NUM_NODES];

/* This core's state. */
#if CONFIG_MAX_NUM_NODES > 1
#define NODE ((struct node *)arch_cpu_node())
#else
#define NODE (&nodes[0])
#endif

static inline unsigned cpu_index(void)
{
#if CONFIG_MAX_NUM_NODES > 1
    return NODE->core;
#else
    return 0;
#endif
}

/* The core a thread runs on, and its state. */
static inline unsigned tcb_core(const tcb_t *t)
{
#if CONFIG_MAX_NUM_NODES > 1
    return t->core;
#else
    (void)t;
    return 0;
#endif
}

static inline struct node *tcb_node(const tcb_t *t)
{
    return &nodes[tcb_core(t)];
}

#endif
