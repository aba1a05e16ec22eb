/*
 * System-call dispatch. Numbers and register use follow seL4's AArch64 MCS
 * ABI (sel4/syscall.h): x0 the cap, x1 the message info, x2-x5 the first
 * message registers, x6 the reply cap of receive calls (the send target of
 * NBSendWait), x8 the send target of NBSendRecv. Debug calls exist only in
 * builds configured for them; anything else is an UnknownSyscall fault.
 */
#include <kernel/syscall.h>
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <arch/registers.h>
#include <kernel/sched.h>
#include <kernel/debug.h>
#include <kernel/print.h>
#include <arch/machine.h>
#include <sel4/abi.h>
#ifdef CONFIG_DEBUG_BUILD
#include <kstate.h>
#endif
#ifdef CONFIG_PROFILER
#include <kernel/profiler.h>
#include <profiler.h>
#endif

static bool handle_debug_syscall(tcb_t *t, long number)
{
    switch (number) {
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        console_putc((char)get_register(t, REG_CAP));
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
    case KSTATE_SYSCALL:
        kstate_syscall(t);
        return true;
#if CONFIG_MAX_NUM_NODES > 1
    case seL4_SysDebugSendIPI:
        debug_send_ipi(t);
        return true;
    case seL4_SysDebugGetThreadAffinity:
        debug_thread_affinity(t);
        return true;
#endif
#endif
    default:
#ifdef CONFIG_PROFILER
        /* Outside the switch: far from the others, it would change its code. */
        if (number == PROFILER_SYSCALL) {
            profiler_control_syscall(t);
            return true;
        }
#endif
        (void)t;
        return false;
    }
}

/* A send phase that must not block, then a receive: the first half of
   ReplyRecv, NBSendRecv and NBSendWait. Only a still-running caller receives. */
static void send_then_receive(tcb_t *t, word_t send_cptr, bool can_reply)
{
    handle_invocation(t, send_cptr, false, false, true);
    if (t->state == thread_running)
        handle_receive(t, true, can_reply);
}

void handle_syscall(tcb_t *t, long number)
{
    switch (number) {
    case seL4_SysCall:
        handle_invocation(t, get_register(t, REG_CAP), true, true, true);
        return;
    case seL4_SysSend:
        handle_invocation(t, get_register(t, REG_CAP), false, true, false);
        return;
    case seL4_SysNBSend:
        handle_invocation(t, get_register(t, REG_CAP), false, false, false);
        return;
    case seL4_SysReplyRecv:
        send_then_receive(t, get_register(t, REG_REPLY), true);
        return;
    case seL4_SysNBSendRecv:
        send_then_receive(t, get_register(t, REG_NBSENDRECV_DEST), true);
        return;
    case seL4_SysNBSendWait:
        send_then_receive(t, get_register(t, REG_REPLY), false);
        return;
    case seL4_SysRecv:
        handle_receive(t, true, true);
        return;
    case seL4_SysNBRecv:
        handle_receive(t, false, true);
        return;
    case seL4_SysWait:
        handle_receive(t, true, false);
        return;
    case seL4_SysNBWait:
        handle_receive(t, false, false);
        return;
    case seL4_SysYield:
        sched_yield();
        return;
    default:
        if (handle_debug_syscall(t, number))
            return;
        fault_unknown_syscall(t, (word_t)number);
        return;
    }
}
