/* Threads: the current thread, ready queues, switching and idling. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <object/structures.h>

#define NUM_PRIORITIES 256

extern tcb_t *current_thread;

static inline tcb_t *tcb_from_cap(cap_t c)
{
    return (tcb_t *)cap_get_ptr(c);
}

void thread_set_state(tcb_t *t, thread_state_t state);
bool thread_is_runnable(const tcb_t *t);

/* queued_candidate: woken and held aside to be switched to directly. */
enum sched_queue { queued_none = 0, queued_ready, queued_release, queued_candidate };

void ready_queue_add(tcb_t *t);     /* at the tail of its priority */
void ready_queue_remove(tcb_t *t);
/* Queue ahead of its equals (a preempted thread resumes first). */
void ready_queue_add_head(tcb_t *t);
/* `target` runs now, then `caller`, ahead of their equals (SchedContext_YieldTo). */
void thread_yield_to(tcb_t *caller, tcb_t *target);
/* A ready thread woke up: switch to it directly if it should run next. */
void thread_wake(tcb_t *t);
/* One bit per priority with queued threads, and one per non-empty word. */
extern uint64_t ready_bitmap[NUM_PRIORITIES / 64];
extern uint64_t ready_summary;

/* Priority of the best queued thread, -1 if none is queued. */
static inline int highest_ready_priority(void)
{
    if (!ready_summary)
        return -1;
    unsigned w = 63 - (unsigned)__builtin_clzll(ready_summary);
    return (int)(w * 64 + 63 - (unsigned)__builtin_clzll(ready_bitmap[w]));
}
void release_queue_remove(tcb_t *t);    /* sched.c */
/* An FP instruction trapped at user level: false if t may not use the FPU. */
bool fpu_handle_trap(tcb_t *t);
/* t is going away: forget it as the FPU owner. */
void fpu_release(tcb_t *t);

/* Pick the thread to run next (the highest-priority ready one, or none). */
void schedule(void);
/* Return to user level in the current thread; idles while nothing can run. */
_Noreturn void return_to_user(void);

#endif
