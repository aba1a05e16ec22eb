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

#if CONFIG_MAX_NUM_NODES > 1

/*
 * Take the lock at a kernel entry. Returns false if, while it waited, the
 * lock holder stalled this core: the thread it entered for was put back
 * (a system call to be restarted) and the entry must be abandoned
 * (return_to_user() schedules again).
 */
bool kernel_lock_acquire(void);
/* Send the reschedule interrupts this entry collected, then let go. */
void kernel_lock_release(void);

/* t runs on another core right now: make that core leave it (seL4's
   remoteTCBStall). Its registers are then in its TCB and it runs nowhere
   until the lock is released. */
void smp_stall_thread(tcb_t *t);
/* Another core's queues changed because of t: have it schedule again if
   t should run there now (seL4's remoteQueueUpdate). */
void smp_queue_update(tcb_t *t);
/* That core must reprogram its timer (its release queue changed). */
void smp_request_reschedule(unsigned core);
/* t will run on `core` from now on: its FPU or VCPU state leaves the core
   it last ran on. The caller has taken t out of every queue. */
void smp_migrate(tcb_t *t, unsigned core);
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

static inline bool kernel_lock_acquire(void) { return true; }
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
