/*
 * Fault delivery. A thread that faults stops; its fault goes as an IPC to
 * its fault handler. Without a handler the kernel reports the fault on the
 * console and leaves the thread inactive: the rest of the system runs on.
 */
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/print.h>
#include <sel4/abi.h>
#include <esr.h>

static const char *thread_name(const tcb_t *t)
{
#ifdef CONFIG_DEBUG_BUILD
    return t->name[0] ? t->name : "(unnamed)";
#else
    (void)t;
    return "(unnamed)";
#endif
}

static void report_and_stop(tcb_t *t)
{
    kprintf("KERNEL|FAULT: thread '%s' ", thread_name(t));
    switch (t->fault[0]) {
    case seL4_Fault_VMFault:
        kprintf("VM fault on %s at address 0x%lx, pc 0x%lx, FSR 0x%lx (%s)\n",
                t->fault[3] ? "instruction fetch" : "data access", t->fault[1],
                t->ctx.elr, t->fault[2], esr_fault_status_name(t->fault[2] & 0x3f));
        break;
    case seL4_Fault_UserException:
        kprintf("user exception, pc 0x%lx, ESR 0x%lx (%s)\n", t->ctx.elr, t->fault[1],
                esr_class_name((t->fault[1] >> 26) & 0x3f));
        break;
    case seL4_Fault_UnknownSyscall:
        kprintf("unknown system call %ld, pc 0x%lx\n", (long)t->fault[1], t->ctx.elr);
        break;
    default:
        kprintf("fault %lu\n", t->fault[0]);
        break;
    }
    kprintf("KERNEL|FAULT: no fault handler: thread stopped\n");
    thread_set_state(t, thread_inactive);
}

static void deliver(tcb_t *t)
{
    /* Fault endpoints arrive with the IPC work; until then, report. */
    report_and_stop(t);
}

void fault_vm(tcb_t *t, word_t address, word_t fsr, bool instruction)
{
    t->fault[0] = seL4_Fault_VMFault;
    t->fault[1] = address;
    t->fault[2] = fsr;
    t->fault[3] = instruction;
    deliver(t);
}

void fault_user_exception(tcb_t *t, word_t esr)
{
    t->fault[0] = seL4_Fault_UserException;
    t->fault[1] = esr;
    deliver(t);
}

void fault_unknown_syscall(tcb_t *t, word_t syscall)
{
    t->fault[0] = seL4_Fault_UnknownSyscall;
    t->fault[1] = syscall;
    deliver(t);
}
