/* Threads: the current thread, ready queues, switching and idling. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <object/structures.h>
#include <kernel/domain.h>
#include <kernel/node.h>
#include <kernel/assert.h>

/* The thread this core runs (NULL while it idles). */
#define current_thread (NODE->running)

static inline tcb_t *tcb_from_cap(cap_t c)
{
    return (tcb_t *)cap_get_ptr(c);
}

/* queued_candidate: woken and held aside to be switched to directly. */
enum sched_queue { queued_none = 0, queued_ready, queued_release, queued_candidate };

static inline bool thread_is_runnable(const tcb_t *t)
{
    return t->state == thread_running || t->state == thread_restart;
}
/* Out of whichever scheduler queue holds t (ready, release, or the switch
   candidate); nothing if none does. */
void thread_dequeue(tcb_t *t);
static inline void thread_set_state(tcb_t *t, thread_state_t state)
{
    t->state = state;
    if (!thread_is_runnable(t) && t->queued != queued_none)
        thread_dequeue(t);
}
/* Waiting in an endpoint, a notification or for a reply (seL4's isBlocked). */
bool thread_is_blocked(const tcb_t *t);

void ready_queue_add(tcb_t *t);     /* at the tail of its priority */
void ready_queue_remove(tcb_t *t);
/* Queue ahead of its equals (a preempted thread resumes first). */
void ready_queue_add_head(tcb_t *t);
/* `target` runs now, then `caller`, ahead of their equals (SchedContext_YieldTo). */
void thread_yield_to(tcb_t *caller, tcb_t *target);
/* A ready thread woke up: switch to it directly if it should run next. */
void thread_wake(tcb_t *t);

/* Priority of the best queued thread of the current domain, -1 if none. */
static ALWAYS_INLINE int highest_ready_priority(void)
{
    uint64_t summary = NODE->ready_summary[cur_domain];
    if (!summary)
        return -1;
    unsigned w = 63 - (unsigned)__builtin_clzll(summary);
    return (int)(w * 64 + 63 - (unsigned)__builtin_clzll(NODE->ready_bitmap[cur_domain][w]));
}
/* Move t to another domain (DomainSet_Set). */
void thread_set_domain(tcb_t *t, unsigned domain);
/* The running thread must give way to the scheduler's choice at the next schedule(). */
void thread_reschedule(void);
void release_queue_remove(tcb_t *t);    /* sched.c */
/* An FP instruction trapped at user level: false if t may not use the FPU. */
bool fpu_handle_trap(tcb_t *t);
/* t is going away: forget it as the FPU owner. */
void fpu_release(tcb_t *t);
/* t moves to another core: its FPU registers go to its TCB. */
void fpu_save_and_release(tcb_t *t);

/* Pick the thread to run next (the highest-priority ready one, or none). */
void schedule_choose(void);
void thread_queue_candidate(tcb_t *cand);

/*
 * The common end of a kernel entry: the running thread goes on and nothing
 * this entry did asks for a choice (seL4's "resume current thread"): it is
 * still running on the SC that is charged and has budget left, nothing
 * forces a switch, and no woken or ready thread outranks it. A woken
 * thread that does not goes to the back of its queue, as schedule_choose()
 * would put it.
 */
static ALWAYS_INLINE bool keep_running(tcb_t *cur)
{
    struct node *n = NODE;
    if (!cur || cur->state != thread_running || cur->queued != queued_none ||
        cur->sc != n->charged_sc || !cur->sc || n->exhausted || n->switch_required ||
        DOMAINS_ENABLED)
        return false;
    /* (A thread moved to another core's SC has set switch_required.) */
    assert(tcb_core(cur) == cpu_index());
    tcb_t *cand = n->switch_candidate;
    if (cand && cand->priority > cur->priority)
        return false;
    if (highest_ready_priority() > (int)cur->priority)
        return false;
    if (cand)
        thread_queue_candidate(cand);
    return true;
}

/* Pick the thread to run next. */
static ALWAYS_INLINE void schedule(void)
{
    if (!likely(keep_running(current_thread)))
        schedule_choose();
}
/* Return to user level in the current thread; idles while nothing can run. */
_Noreturn void return_to_user(void);

#endif
