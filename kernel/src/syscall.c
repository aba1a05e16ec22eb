/*
 * System-call dispatch. Numbers and register use follow seL4's AArch64 MCS
 * ABI (sel4/syscall.h). Debug calls exist only in builds configured for
 * them; anything else is an UnknownSyscall fault.
 */
#include <kernel/syscall.h>
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/debug.h>
#include <kernel/print.h>
#include <arch/machine.h>
#include <sel4/abi.h>

static bool handle_debug_syscall(tcb_t *t, long number)
{
    switch (number) {
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        console_putc((char)t->ctx.x[0]);
        return true;
    case seL4_SysDebugDumpScheduler:
        debug_dump_scheduler();
        return true;
#endif
#ifdef CONFIG_DEBUG_BUILD
    case seL4_SysDebugHalt:
        machine_power_off();
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        return true;
    case seL4_SysDebugCapIdentify:
        debug_cap_identify(t);
        return true;
#endif
    default:
        (void)t;
        return false;
    }
}

void handle_syscall(tcb_t *t, long number)
{
    if (handle_debug_syscall(t, number))
        return;
    fault_unknown_syscall(t, (word_t)number);
}
