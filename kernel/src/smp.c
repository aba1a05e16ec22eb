/*
 * Multicore: the big kernel lock, remote calls and reschedule interrupts,
 * thread migration and the secondary cores' start (see kernel/smp.h).
 * Compiled only with CONFIG_MAX_NUM_NODES > 1.
 */
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/interrupt.h>
#include <kernel/print.h>
#include <kernel/assert.h>
#include <arch/machine.h>
#include <arch/mmu.h>
#include <arch/vcpu.h>
#include <irqchip.h>

#define NODES CONFIG_MAX_NUM_NODES


static inline void cpu_wait_event(void)
{
    __asm__ volatile("wfe" ::: "memory");
}

static inline void cpu_send_event(void)
{
    __asm__ volatile("dsb ish; sev" ::: "memory");
}

/* ---------------------------------------------------------------- the lock */

/*
 * CLH lock: a core appends its own node (marked locked) to the tail and
 * waits for its predecessor's node to be unlocked; releasing unlocks its
 * node, and the core adopts the predecessor's node for its next turn. The
 * uncontended acquire and the release are inline (kernel/smp.h).
 */
static struct clh_node clh_nodes[NODES + 1];
struct clh_node *clh_tail = &clh_nodes[NODES];  /* starts unlocked */

static void serve_remote_call(unsigned me);

/* head.S finds each core's struct node (x18, NODE) with this. */
const word_t node_bytes = sizeof(struct node);

void kernel_lock_init(void)
{
    for (unsigned core = 0; core < NODES; core++) {
        nodes[core].core = core;
        nodes[core].lock_mine = &clh_nodes[core];
        nodes[core].lock_tail = &clh_tail;
    }
}

bool kernel_lock_wait(struct node *n, struct clh_node *pred)
{
    unsigned me = cpu_index();
    n->lock_stalled = false;
    while (load_acquire_exclusive(&pred->locked)) {
        serve_remote_call(me);
        cpu_wait_event();
    }
    serve_remote_call(me);
    return !n->lock_stalled;
}

void kernel_lock_send_reschedules(struct node *n)
{
    word_t mask = n->reschedule_mask;
    n->reschedule_mask = 0;
    for (unsigned core = 0; mask; core++, mask >>= 1)
        if (mask & 1)
            irqchip_send_sgi(IPI_RESCHEDULE, core);
}

/* ---------------------------------------------------------------- remote calls */

enum remote_op {
    remote_stall = 1, remote_fpu_save, remote_vcpu_flush, remote_vcpu_set_lr, remote_irq_mask,
    remote_function,
};

/* One request at a time: only the lock holder makes them. */
static struct {
    word_t op;
    word_t arg[3];
    word_t pending;         /* cores that have not done it yet */
} request;

/* Run `op` on `core` and wait until it has been done. */
static void remote_call(unsigned core, enum remote_op op, word_t a0, word_t a1, word_t a2)
{
    assert(core != cpu_index());
    request.op = op;
    request.arg[0] = a0;
    request.arg[1] = a1;
    request.arg[2] = a2;
    __atomic_store_n(&request.pending, BIT(core), __ATOMIC_RELEASE);
    irqchip_send_sgi(IPI_REMOTE_CALL, core);
    cpu_send_event();
    while (__atomic_load_n(&request.pending, __ATOMIC_ACQUIRE))
        cpu_wait_event();
}

/*
 * Leave the running thread: it goes back to the ready queue at the head
 * (it was not done), its interrupted system call or fault to be taken
 * again when it next runs, and this core idles. The kernel entry this core
 * is waiting to make is void (kernel_lock_acquire returns false).
 */
static void stall_this_core(unsigned me)
{
    tcb_t *t = current_thread;
    if (t) {
        sched_update_time();
        if (t->state == thread_running)
            t->state = thread_restart;
        if (thread_schedulable(t))
            ready_queue_add_head(t);
        current_thread = NULL;
    }
    nodes[me].lock_stalled = true;
}

static void serve_remote_call(unsigned me)
{
    if (!(__atomic_load_n(&request.pending, __ATOMIC_ACQUIRE) & BIT(me)))
        return;
    switch (request.op) {
    case remote_stall:
        stall_this_core(me);
        break;
    case remote_fpu_save:
        fpu_save_and_release((tcb_t *)request.arg[0]);
        break;
    case remote_irq_mask:
        if (request.arg[1])
            irqchip_mask((unsigned)request.arg[0]);
        else
            irqchip_unmask((unsigned)request.arg[0]);
        break;
    case remote_function:
        ((void (*)(word_t))request.arg[0])(request.arg[1]);
        break;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case remote_vcpu_flush:
        vcpu_flush_if_loaded((vcpu_t *)request.arg[0]);
        break;
    case remote_vcpu_set_lr:
        vcpu_set_list_register((vcpu_t *)request.arg[0], (unsigned)request.arg[1],
                               (uint32_t)request.arg[2]);
        break;
#endif
    default:
        break;
    }
    __atomic_fetch_and(&request.pending, ~BIT(me), __ATOMIC_RELEASE);
    cpu_send_event();
}

void smp_handle_ipi(unsigned irq)
{
    /* A remote call is normally done while waiting for the lock already;
       a reschedule needs nothing more than this kernel entry. */
    if (irq == IPI_REMOTE_CALL)
        serve_remote_call(cpu_index());
}

void smp_set_private_irq_masked(unsigned core, unsigned irq, bool masked)
{
    remote_call(core, remote_irq_mask, irq, masked, 0);
}

void smp_run_on(unsigned core, void (*fn)(word_t), word_t arg)
{
    if (core == cpu_index())
        fn(arg);
    else
        remote_call(core, remote_function, (word_t)fn, arg, 0);
}

/* ---------------------------------------------------------------- threads */

void smp_request_reschedule(unsigned core)
{
    if (core != cpu_index())
        NODE->reschedule_mask |= BIT(core);
}

void smp_queue_update(tcb_t *t)
{
    unsigned core = tcb_core(t);
    if (core == cpu_index())
        return;
    tcb_t *running = nodes[core].running;
    if (!running || t->priority > running->priority)
        smp_request_reschedule(core);
}

void smp_stall_thread_elsewhere(tcb_t *t)
{
    unsigned core = tcb_core(t);
    assert(core != cpu_index());
    if (nodes[core].running != t)
        return;
    remote_call(core, remote_stall, 0, 0, 0);
    smp_request_reschedule(core);
}

void smp_stall_others(void)
{
    for (unsigned core = 0; core < NODES; core++) {
        tcb_t *t = nodes[core].running;
        if (core != cpu_index() && t)
            smp_stall_thread(t);
    }
}

void smp_migrate_to_other_core(tcb_t *t, unsigned core)
{
    unsigned old = tcb_core(t);
    assert(old != core);
    /* Not running elsewhere (the caller stalled it); if it runs here, this
       core must choose again (schedule_choose, keep_running). */
    assert(t == current_thread || nodes[old].running != t);
    if (t == current_thread)
        NODE->switch_required = true;
    /* Registers still in the old core's FPU or virtual CPU go to memory. */
    if (nodes[old].arch.fpu == t) {
        if (old == cpu_index())
            fpu_save_and_release(t);
        else
            remote_call(old, remote_fpu_save, (word_t)t, 0, 0);
    }
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    vcpu_t *v = t->arch.vcpu;
    if (v && nodes[old].arch.vcpu == v) {
        if (old == cpu_index())
            vcpu_flush_if_loaded(v);
        else
            remote_call(old, remote_vcpu_flush, (word_t)v, 0, 0);
    }
#endif
    t->core = (uint8_t)core;
}

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* The core that has `v` loaded, or NODES. */
static unsigned vcpu_core(const vcpu_t *v)
{
    for (unsigned core = 0; core < NODES; core++)
        if (nodes[core].arch.vcpu == v)
            return core;
    return NODES;
}

void smp_vcpu_flush(vcpu_t *v)
{
    unsigned core = vcpu_core(v);
    if (core == NODES)
        return;
    if (core == cpu_index())
        vcpu_flush_if_loaded(v);
    else
        remote_call(core, remote_vcpu_flush, (word_t)v, 0, 0);
}

void smp_vcpu_make_local(vcpu_t *v)
{
    unsigned core = vcpu_core(v);
    if (core != NODES && core != cpu_index())
        remote_call(core, remote_vcpu_flush, (word_t)v, 0, 0);
}

void smp_vcpu_set_list_register(vcpu_t *v, unsigned index, uint32_t lr)
{
    unsigned core = vcpu_core(v);
    if (core == NODES || core == cpu_index())
        vcpu_set_list_register(v, index, lr);
    else
        remote_call(core, remote_vcpu_set_lr, (word_t)v, index, lr);
}
#endif

/* ---------------------------------------------------------------- boot */

static word_t secondaries_released;
static word_t secondaries_up;

void smp_release_secondaries(void)
{
    __atomic_store_n(&secondaries_released, 1, __ATOMIC_RELEASE);
    cpu_send_event();
    while (__atomic_load_n(&secondaries_up, __ATOMIC_ACQUIRE) < NODES - 1)
        cpu_wait_event();
    kprintf("KERNEL|INFO: %u cores running\n", NODES);
}

/*
 * A secondary core, from head.S on the loader's page tables: wait for the
 * boot core to finish, then take the kernel's tables, set this core up and
 * idle until there is something to run.
 */
_Noreturn void smp_secondary_main(unsigned core)
{
    (void)core;
    while (!__atomic_load_n(&secondaries_released, __ATOMIC_ACQUIRE))
        cpu_wait_event();
    mmu_install_kernel_space();
    arch_cpu_init();
    interrupt_init_cpu();
    sched_init_node();
    /* Up: the boot core (which holds the lock) may go on to user level. */
    __atomic_fetch_add(&secondaries_up, 1, __ATOMIC_RELEASE);
    cpu_send_event();
    kernel_lock_acquire();
    return_to_user();
}
