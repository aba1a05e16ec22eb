/*
 * Multicore (CONFIG_MAX_NUM_NODES > 1), seL4's way: one big kernel lock
 * that every kernel entry takes, per-core scheduling state (kernel/node.h),
 * threads bound to the core of their scheduling context, and
 * inter-processor interrupts for two purposes:
 *
 *  - reschedule: another core changed this core's ready or release queue
 *    (a thread it runs was woken, a refill moved); it enters the kernel and
 *    schedules again. Collected during a kernel entry, sent when the lock
 *    is released.
 *  - remote call: the lock holder needs another core to do something only
 *    it can (leave the thread it runs, give up a thread's FPU or VCPU
 *    state) and waits for it. The target does it while it waits for the
 *    lock, so the two never deadlock.
 *
 * The lock is a CLH queue lock: cores get it in the order they asked, so
 * none starves. With one core all of this compiles away.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/node.h>
#include <kernel/assert.h>

#if CONFIG_MAX_NUM_NODES > 1

/* The lock's queue: its last node (smp.c). */
extern struct clh_node *clh_tail;
/* The lock was held: wait behind `pred`, doing the remote calls asked of
   this core meanwhile (smp.c). */
bool kernel_lock_wait(struct node *n, struct clh_node *pred);
/* The reschedule interrupts n's kernel entry collected (smp.c). */
void kernel_lock_send_reschedules(struct node *n);
/* Before any core takes the lock or uses NODE (boot core, first thing):
   each core's first queue node and its NODE slot (arch/smp.h). */
void kernel_lock_init(void);

/* Arm the exclusive monitor on `p` and read it: a store to it by another
   core then wakes a WFE (no SEV needed by the releaser). */
static ALWAYS_INLINE word_t load_acquire_exclusive(const word_t *p)
{
    word_t v;
    __asm__ volatile("ldaxr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/*
 * Take the lock at a kernel entry. Returns false if, while it waited, the
 * lock holder stalled this core: the thread it entered for was put back
 * (a system call to be restarted) and the entry must be abandoned
 * (return_to_user() schedules again). Inline, because every entry (the IPC
 * fast path's too) takes it and nobody else usually holds it. A core that
 * finds the lock free has no remote call to do: only the holder asks for
 * one and holds the lock until it is done.
 */
static ALWAYS_INLINE bool kernel_lock_enqueue(void)
{
    struct node *n = NODE;
    struct clh_node *mine = n->lock_mine;
    __atomic_store_n(&mine->locked, 1, __ATOMIC_RELAXED);
    struct clh_node *pred = __atomic_exchange_n(n->lock_tail, mine, __ATOMIC_ACQ_REL);
    n->lock_pred = pred;
    return __atomic_load_n(&pred->locked, __ATOMIC_ACQUIRE) == 0;
}

static ALWAYS_INLINE bool kernel_lock_acquire(void)
{
    if (__builtin_expect(!kernel_lock_enqueue(), 0))
        return kernel_lock_wait(NODE, NODE->lock_pred);
    return true;
}

/* Let go without sending reschedule interrupts: for the fast paths, which
   change nothing on another core. The core keeps its predecessor's node
   for its next turn. */
static ALWAYS_INLINE void kernel_lock_release_local(void)
{
    struct node *n = NODE;
    assert(!n->reschedule_mask);
    struct clh_node *mine = n->lock_mine;
    n->lock_mine = n->lock_pred;
    __atomic_store_n(&mine->locked, 0, __ATOMIC_RELEASE);
}

/* Send the reschedule interrupts this entry collected, then let go. */
static ALWAYS_INLINE void kernel_lock_release(void)
{
    struct node *n = NODE;
    if (__builtin_expect(n->reschedule_mask != 0, 0))
        kernel_lock_send_reschedules(n);    /* clears the mask */
    kernel_lock_release_local();
}

/* t runs on another core right now: make that core leave it (seL4's
   remoteTCBStall). Its registers are then in its TCB and it runs nowhere
   until the lock is released. */
void smp_stall_thread_elsewhere(tcb_t *t);
static inline void smp_stall_thread(tcb_t *t)
{
    /* Inline: the IPC paths ask for every thread they touch, and it is
       almost always on this core (the call would cost a stack frame). */
    if (tcb_core(t) != cpu_index())
        smp_stall_thread_elsewhere(t);
}
/* Another core's queues changed because of t: have it schedule again if
   t should run there now (seL4's remoteQueueUpdate). */
void smp_queue_update(tcb_t *t);
/* That core must reprogram its timer (its release queue changed). */
void smp_request_reschedule(unsigned core);
/* t will run on `core` from now on: its FPU or VCPU state leaves the core
   it last ran on. The caller has taken t out of every queue. */
void smp_migrate_to_other_core(tcb_t *t, unsigned core);
static inline void smp_migrate(tcb_t *t, unsigned core)
{
    if (tcb_core(t) != core)    /* inline for the same reason */
        smp_migrate_to_other_core(t, core);
}
/* Every other core leaves the thread it runs (an address space it may be
   using is going away: each takes its thread's VSpace again). */
void smp_stall_others(void);

/* Mask or unmask private interrupt `irq` (INTID < 32) of another core. */
void smp_set_private_irq_masked(unsigned core, unsigned irq, bool masked);
/* Run fn(arg) on `core` (this one or another) and wait until it has run:
   for per-core hardware only that core reaches (its PMU). */
void smp_run_on(unsigned core, void (*fn)(word_t), word_t arg);

/* A software-generated interrupt for this core arrived (irq.c). */
void smp_handle_ipi(unsigned irq);

/* Boot: the secondary cores may run (boot core), and a secondary's start. */
void smp_release_secondaries(void);
_Noreturn void smp_secondary_main(unsigned core);

#else

static inline void kernel_lock_init(void) {}
static inline bool kernel_lock_acquire(void) { return true; }
static inline void kernel_lock_release_local(void) {}
static inline void kernel_lock_release(void) {}
static inline void smp_stall_thread(tcb_t *t) { (void)t; }
static inline void smp_queue_update(tcb_t *t) { (void)t; }
static inline void smp_request_reschedule(unsigned core) { (void)core; }
static inline void smp_migrate(tcb_t *t, unsigned core) { (void)t; (void)core; }
static inline void smp_stall_others(void) {}
static inline void smp_handle_ipi(unsigned irq) { (void)irq; }
static inline void smp_set_private_irq_masked(unsigned core, unsigned irq, bool masked)
{
    (void)core;
    (void)irq;
    (void)masked;
}
static inline void smp_release_secondaries(void) {}
static inline void smp_run_on(unsigned core, void (*fn)(word_t), word_t arg)
{
    (void)core;
    fn(arg);
}

#endif

/* The SGIs the kernel sends itself (the rest are refused to users). */
#define IPI_REMOTE_CALL  0
#define IPI_RESCHEDULE   1

#endif
