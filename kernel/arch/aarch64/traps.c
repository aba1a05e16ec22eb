/*
 * C side of the exception vectors. User entries (the context is already in
 * the TCB) end in return_to_user(); kernel entries are bugs and halt.
 */
#include <kernel/thread.h>
#include <arch/machine.h>
#include <arch/registers.h>
#include <kernel/fault.h>
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <sel4/abi.h>
#include <kernel/print.h>
#include <kernel/assert.h>
#include <kernel/fastpath.h>
#include <arch/sysreg.h>
#include <esr.h>
#include <arch/debug.h>
#include <arch/vcpu.h>
#include <kernel/smp.h>

/* Declared for the assembly vectors only. */
_Noreturn void handle_user_sync(void);
_Noreturn void handle_user_syscall(void);
_Noreturn void handle_user_irq(void);
_Noreturn void handle_user_unexpected(void);
_Noreturn void handle_kernel_exception(word_t kind, user_context_t *regs);

/*
 * Where an EL0 abort happened: seL4 reports the pc for an instruction
 * abort; a guest's (stage 2) abort reports the intermediate physical
 * address. Read at entry, before anything can change the fault registers.
 */
static word_t abort_address(const tcb_t *t, unsigned ec, word_t esr)
{
    word_t address = ec == ESR_EC_IABT_LOWER ? t->arch.ctx.elr : read_kreg(far);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    address = vcpu_fault_address(address, esr);
#else
    (void)esr;
#endif
    return address;
}

static bool is_syscall(unsigned ec)
{
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    if (ec == ESR_EC_HVC64)
        return true;    /* seL4 takes a hypervisor call as a system call */
#endif
    return ec == ESR_EC_SVC64;
}

/*
 * Any other trap from user level. Under an EL1 kernel: a user exception (a
 * debug exception with CONFIG_HARDWARE_DEBUG_API).
 * Under the EL2 kernel everything a guest (or a native thread) traps with
 * is a VCPU fault for its VMM, as in seL4, but for undefined instructions.
 */
static void handle_other_trap(tcb_t *t, word_t esr)
{
#ifdef CONFIG_HARDWARE_DEBUG_API
    /* Here, off the system-call path: breakpoint, step, watchpoint, BRK. */
    if (arch_is_debug_exception(esr)) {
        arch_debug_exception(t, esr);
        return;
    }
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    vcpu_handle_trap(t, esr);
#else
    fault_user_exception(t, esr);
#endif
}

/*
 * Every entry records where the thread restarts (FaultIP: a system call
 * runs again from its svc) before it takes the kernel lock: another core
 * may stall this one while it waits, and the entry is then abandoned
 * (kernel/smp.h).
 */
_Noreturn void handle_user_sync(void)
{
    tcb_t *t = current_thread;
    word_t esr = read_kreg(esr);
    unsigned ec = esr_class(esr);
    t->arch.ctx.fault_ip = t->arch.ctx.elr - (is_syscall(ec) ? ARCH_SYSCALL_INSTRUCTION_SIZE : 0);
    word_t address = (ec == ESR_EC_DABT_LOWER || ec == ESR_EC_IABT_LOWER) ? abort_address(t, ec, esr) : 0;
    if (!kernel_lock_acquire())
        return_to_user();
    sched_update_time();
    if (!sched_budget_allows_entry(t)) {
        ;   /* out of budget: the instruction runs again in its next slice */
    } else if (is_syscall(ec)) {
        handle_syscall(t, (long)t->arch.ctx.x[7]);
    } else if (ec == ESR_EC_DABT_LOWER || ec == ESR_EC_IABT_LOWER) {
        fault_vm(t, address, esr, ec == ESR_EC_IABT_LOWER);
    } else if (ec == ESR_EC_FP_ASIMD) {
        if (!fpu_handle_trap(t))
            handle_other_trap(t, esr);
    } else {
        handle_other_trap(t, esr);
    }
    schedule();
    return_to_user();
}

/* A system call from the point where the lock is held and the restart pc
   set. */
static ALWAYS_INLINE _Noreturn void syscall_locked(tcb_t *t)
{
    sched_update_time();
    if (sched_budget_allows_entry(t))
        handle_syscall(t, (long)t->arch.ctx.x[7]);
    schedule();
    return_to_user();
}

/* An SVC (the vector has classified it): the common kernel entry. */
_Noreturn void handle_user_syscall(void)
{
    tcb_t *t = current_thread;
    /* Before the lock: a core stalled while it waits restarts the call. */
    t->arch.ctx.fault_ip = t->arch.ctx.elr - ARCH_SYSCALL_INSTRUCTION_SIZE;
    if (!kernel_lock_acquire())
        return_to_user();
    syscall_locked(t);
}

/* The IPC fast path's way out when it had to wait for the lock. */
_Noreturn void handle_user_syscall_locked(void)
{
    syscall_locked(current_thread);
}

_Noreturn void handle_user_irq(void)
{
    current_thread->arch.ctx.fault_ip = current_thread->arch.ctx.elr;
    if (!kernel_lock_acquire())
        return_to_user();
    sched_update_time();
    handle_pending_interrupt();
    schedule();
    return_to_user();
}

_Noreturn void handle_user_unexpected(void)
{
    tcb_t *t = current_thread;
    word_t esr = read_kreg(esr);
    t->arch.ctx.fault_ip = t->arch.ctx.elr;
    if (!kernel_lock_acquire())
        return_to_user();
    sched_update_time();
    if (sched_budget_allows_entry(t))
        fault_user_exception(t, esr);
    schedule();
    return_to_user();
}

void arch_print_fault_status(word_t esr, bool memory)
{
    kprintf("ESR 0x%lx (%s)\n", esr,
            memory ? esr_fault_status_name(esr & 0x3f) : esr_class_name(esr_class(esr)));
}

_Noreturn void handle_kernel_exception(word_t kind, user_context_t *regs)
{
    static const char *const kinds[] = {
        "exception on SP_EL0", "synchronous exception", "IRQ", "FIQ", "SError",
    };
    word_t esr = read_kreg(esr);
    unsigned ec = esr_class(esr);
    kprintf("\nKERNEL|ERROR: %s in the kernel: ESR 0x%lx (EC 0x%x: %s)\n",
            kind < ARRAY_SIZE(kinds) ? kinds[kind] : "exception", esr, ec, esr_class_name(ec));
    kprintf("KERNEL|ERROR: ELR 0x%lx FAR 0x%lx SPSR 0x%lx\n",
            read_kreg(elr), read_kreg(far), read_kreg(spsr));
    for (unsigned i = 0; i < 31; i += 2)
        kprintf("  x%-2u 0x%016lx  x%-2u 0x%016lx\n", i, regs->x[i], i + 1,
                i + 1 < 31 ? regs->x[i + 1] : 0);
    kernel_panic("unexpected exception in the kernel");
}
