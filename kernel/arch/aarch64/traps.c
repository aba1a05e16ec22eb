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
#include <arch/sysreg.h>
#include <esr.h>
#include <arch/debug.h>

/* Declared for the assembly vectors only. */
_Noreturn void handle_user_sync(void);
_Noreturn void handle_user_irq(void);
_Noreturn void handle_user_unexpected(void);
_Noreturn void handle_kernel_exception(word_t kind, user_context_t *regs);

/* An EL0 abort: seL4 reports the pc as the address of an instruction abort. */
static void handle_abort(tcb_t *t, word_t esr, bool instruction)
{
    word_t address = instruction ? t->arch.ctx.elr : read_sysreg(far_el1);
    t->arch.ctx.fault_ip = t->arch.ctx.elr;
    fault_vm(t, address, esr, instruction);
}

_Noreturn void handle_user_sync(void)
{
    tcb_t *t = current_thread;
    word_t esr = read_sysreg(esr_el1);
    sched_update_time();
    switch (esr_class(esr)) {
    case ESR_EC_SVC64:
        t->arch.ctx.fault_ip = t->arch.ctx.elr - ARCH_SYSCALL_INSTRUCTION_SIZE;
        handle_syscall(t, (long)t->arch.ctx.x[7]);
        break;
    case ESR_EC_DABT_LOWER:
        handle_abort(t, esr, false);
        break;
    case ESR_EC_IABT_LOWER:
        handle_abort(t, esr, true);
        break;
    case ESR_EC_FP_ASIMD:
        t->arch.ctx.fault_ip = t->arch.ctx.elr;
        if (!fpu_handle_trap(t))
            fault_user_exception(t, esr);
        break;
    default:
        t->arch.ctx.fault_ip = t->arch.ctx.elr;
#ifdef CONFIG_HARDWARE_DEBUG_API
        /* Here rather than as cases: the switch, and so the system-call
           path, stays as it is without the option. */
        if (arch_is_debug_exception(esr)) {
            arch_debug_exception(t, esr);
            break;
        }
#endif
        fault_user_exception(t, esr);
        break;
    }
    schedule();
    return_to_user();
}

_Noreturn void handle_user_irq(void)
{
    current_thread->arch.ctx.fault_ip = current_thread->arch.ctx.elr;
    sched_update_time();
    handle_pending_interrupt();
    schedule();
    return_to_user();
}

_Noreturn void handle_user_unexpected(void)
{
    tcb_t *t = current_thread;
    t->arch.ctx.fault_ip = t->arch.ctx.elr;
    sched_update_time();
    fault_user_exception(t, read_sysreg(esr_el1));
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
    word_t esr = read_sysreg(esr_el1);
    unsigned ec = esr_class(esr);
    kprintf("\nKERNEL|ERROR: %s in the kernel: ESR 0x%lx (EC 0x%x: %s)\n",
            kind < ARRAY_SIZE(kinds) ? kinds[kind] : "exception", esr, ec, esr_class_name(ec));
    kprintf("KERNEL|ERROR: ELR 0x%lx FAR 0x%lx SPSR 0x%lx\n",
            read_sysreg(elr_el1), read_sysreg(far_el1), read_sysreg(spsr_el1));
    for (unsigned i = 0; i < 31; i += 2)
        kprintf("  x%-2u 0x%016lx  x%-2u 0x%016lx\n", i, regs->x[i], i + 1,
                i + 1 < 31 ? regs->x[i + 1] : 0);
    kernel_panic("unexpected exception in the kernel");
}
