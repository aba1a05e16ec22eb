/*
 * Faults. A thread that faults stops and its fault travels as an IPC (a
 * call) to the endpoint in its fault-handler slot; the handler's reply can
 * resume it, with changed registers for some faults. Without a handler the
 * kernel reports the fault on the console and leaves the thread inactive:
 * the rest of the system runs on.
 *
 * tcb->fault[] holds: [0] the seL4 fault label, then per label
 *   VMFault:        [1] address, [2] ESR, [3] instruction fetch?
 *   UserException:  [1] ESR
 *   UnknownSyscall: [1] syscall number
 *   CapFault:       [1] cptr, [2] in receive phase?, [3..6] lookup failure
 *   Timeout:        [1] SC badge (the time consumed is read when it is sent)
 *   DebugException: [1] reason, [2] trigger address, [3] breakpoint id
 *                   (CONFIG_HARDWARE_DEBUG_API)
 *   VCPUFault:      [1] HSR (the guest trap's ESR_EL2)
 *   VGICMaintenance:[1] list register index, [2] index valid?
 *   VPPIEvent:      [1] interrupt number
 */
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/ipc_buffer.h>
#include <kernel/print.h>
#include <arch/registers.h>
#include <arch/machine.h>
#include <kernel/sched.h>
#include <sel4/abi.h>
#ifdef CONFIG_HARDWARE_DEBUG_API
#include <arch/debug.h>
#endif

static const char *thread_name(const tcb_t *t)
{
#ifdef CONFIG_DEBUG_BUILD
    return t->name[0] ? t->name : "(unnamed)";
#else
    (void)t;
    return "(unnamed)";
#endif
}

static void report_unhandled(tcb_t *t)
{
    kprintf("KERNEL|FAULT: thread '%s' ", thread_name(t));
    switch (t->fault[0]) {
    case seL4_Fault_VMFault:
        kprintf("VM fault on %s at address 0x%lx, pc 0x%lx, ",
                t->fault[3] ? "instruction fetch" : "data access", t->fault[1],
                get_register(t, REG_RESTART_PC));
        arch_print_fault_status(t->fault[2], true);
        break;
    case seL4_Fault_UserException:
        kprintf("user exception, pc 0x%lx, ", get_register(t, REG_RESTART_PC));
        arch_print_fault_status(t->fault[1], false);
        break;
    case seL4_Fault_UnknownSyscall:
        kprintf("unknown system call %ld, pc 0x%lx\n", (long)t->fault[1], get_register(t, REG_RESTART_PC));
        break;
    case seL4_Fault_CapFault:
        kprintf("cap fault on cptr 0x%lx (%s phase), lookup failure %lu, pc 0x%lx\n",
                t->fault[1], t->fault[2] ? "receive" : "send", t->fault[3], get_register(t, REG_RESTART_PC));
        break;
    case seL4_Fault_Timeout:
        kprintf("timeout fault (SC badge 0x%lx)\n", t->fault[1]);
        break;
#ifdef CONFIG_HARDWARE_DEBUG_API
    case seL4_Fault_DebugException:
        kprintf("debug exception (reason %lu, address 0x%lx, breakpoint %lu), pc 0x%lx\n",
                t->fault[1], t->fault[2], t->fault[3], get_register(t, REG_RESTART_PC));
        break;
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VCPUFault:
        kprintf("VCPU fault, pc 0x%lx, ", get_register(t, REG_RESTART_PC));
        arch_print_fault_status(t->fault[1], false);
        break;
    case seL4_Fault_VGICMaintenance:
        kprintf("VGIC maintenance (list register %ld)\n", t->fault[2] ? (long)t->fault[1] : -1L);
        break;
    case seL4_Fault_VPPIEvent:
        kprintf("VPPI event (interrupt %lu)\n", t->fault[1]);
        break;
#endif
    default:
        kprintf("fault %lu\n", t->fault[0]);
        break;
    }
    kprintf("KERNEL|FAULT: no fault handler: thread stopped\n");
}

static void deliver(tcb_t *t, enum tcb_cap_slot handler_slot)
{
    if (send_fault_ipc(t, t->caps[handler_slot].cap))
        return;
    report_unhandled(t);
    t->fault[0] = seL4_Fault_NullFault;
    thread_set_state(t, thread_inactive);
}

void fault_vm(tcb_t *t, word_t address, word_t fsr, bool instruction)
{
    t->fault[0] = seL4_Fault_VMFault;
    t->fault[1] = address;
    t->fault[2] = fsr;
    t->fault[3] = instruction;
    deliver(t, tcb_fault_handler);
}

void fault_user_exception(tcb_t *t, word_t number)
{
    t->fault[0] = seL4_Fault_UserException;
    t->fault[1] = number;
    deliver(t, tcb_fault_handler);
}

void fault_unknown_syscall(tcb_t *t, word_t syscall)
{
    t->fault[0] = seL4_Fault_UnknownSyscall;
    t->fault[1] = syscall;
    deliver(t, tcb_fault_handler);
}

void fault_cap(tcb_t *t, word_t cptr, bool in_receive, const lookup_fault_t *lookup)
{
    t->fault[0] = seL4_Fault_CapFault;
    t->fault[1] = cptr;
    t->fault[2] = in_receive;
    t->fault[3] = lookup->type;
    t->fault[4] = lookup->bits_left;
    t->fault[5] = lookup->bits_found;
    t->fault[6] = lookup->guard_found;
    deliver(t, tcb_fault_handler);
}

bool fault_has_timeout_handler(const tcb_t *t)
{
    return cap_get_type(t->caps[tcb_timeout_handler].cap) == cap_endpoint;
}

void fault_timeout(tcb_t *t, word_t badge)
{
    t->fault[0] = seL4_Fault_Timeout;
    t->fault[1] = badge;
    deliver(t, tcb_timeout_handler);
}

#ifdef CONFIG_HARDWARE_DEBUG_API
void fault_debug_exception(tcb_t *t, word_t reason, word_t address, word_t breakpoint)
{
    t->fault[0] = seL4_Fault_DebugException;
    t->fault[1] = reason;
    t->fault[2] = address;
    t->fault[3] = breakpoint;
    deliver(t, tcb_fault_handler);
}

/* seL4 sends the address and the breakpoint only for breakpoints and
   watchpoints: a single step or a BRK is two words. */
static word_t debug_exception_message(tcb_t *f, tcb_t *r, word_t *rbuf)
{
    set_message_register(r, rbuf, seL4_DebugException_FaultIP, get_register(f, REG_RESTART_PC));
    set_message_register(r, rbuf, seL4_DebugException_ExceptionReason, f->fault[1]);
    if (f->fault[1] == seL4_SingleStep || f->fault[1] == seL4_SoftwareBreakRequest)
        return seL4_DebugException_TriggerAddress;
    set_message_register(r, rbuf, seL4_DebugException_TriggerAddress, f->fault[2]);
    set_message_register(r, rbuf, seL4_DebugException_BreakpointNumber, f->fault[3]);
    return seL4_DebugException_Length;
}

/* A reply to a single step sets the steps to the next stop (MR0; one if
   the reply is empty, none: stop stepping); seL4 refuses to resume a thread
   that is no longer stepping. Every reply with label 0 resumes. */
static bool debug_exception_reply(tcb_t *f, tcb_t *replier, word_t *buf, word_t length,
                                  word_t label)
{
    if (f->fault[1] != seL4_SingleStep)
        return label == 0;
    if (!arch_debug_single_stepping(f))
        return false;
    arch_debug_configure_single_step(f, length < 1 ? 1 : get_message_register(replier, buf, 0));
    return label == 0;
}
#endif

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
void fault_vcpu(tcb_t *t, word_t hsr)
{
    t->fault[0] = seL4_Fault_VCPUFault;
    t->fault[1] = hsr;
    deliver(t, tcb_fault_handler);
}

void fault_vgic_maintenance(tcb_t *t, word_t index, bool valid)
{
    t->fault[0] = seL4_Fault_VGICMaintenance;
    t->fault[1] = index;
    t->fault[2] = valid;
    deliver(t, tcb_fault_handler);
}

void fault_vppi_event(tcb_t *t, word_t irq)
{
    t->fault[0] = seL4_Fault_VPPIEvent;
    t->fault[1] = irq;
    deliver(t, tcb_fault_handler);
}
#endif

/* ---------------------------------------------------------------- messages */

/* Registers of t in the order `regs` lists them, as message words 0.. */
static void send_registers(tcb_t *t, const uint8_t *regs, unsigned count, tcb_t *r, word_t *rbuf)
{
    for (unsigned i = 0; i < count; i++)
        set_message_register(r, rbuf, i, get_register(t, regs[i]));
}

/* The reverse, for a handler's reply: at most `length` words. */
static void receive_registers(tcb_t *t, const uint8_t *regs, unsigned count, tcb_t *replier,
                              word_t *buf, word_t length)
{
    for (unsigned i = 0; i < count && i < length; i++)
        set_register(t, regs[i], sanitise_register(t, regs[i], get_message_register(replier, buf, i)));
}

word_t fault_write_message(tcb_t *f, tcb_t *r, word_t *rbuf)
{
    switch (f->fault[0]) {
    case seL4_Fault_VMFault:
        set_message_register(r, rbuf, seL4_VMFault_IP, get_register(f, REG_RESTART_PC));
        set_message_register(r, rbuf, seL4_VMFault_Addr, f->fault[1]);
        set_message_register(r, rbuf, seL4_VMFault_PrefetchFault, f->fault[3]);
        set_message_register(r, rbuf, seL4_VMFault_FSR, f->fault[2]);
        return seL4_VMFault_Length;
    case seL4_Fault_UserException:
        send_registers(f, exception_message_registers, seL4_UserException_Number, r, rbuf);
        set_message_register(r, rbuf, seL4_UserException_Number, f->fault[1]);
        set_message_register(r, rbuf, seL4_UserException_Code, 0);
        return seL4_UserException_Length;
    case seL4_Fault_UnknownSyscall:
        send_registers(f, syscall_message_registers, seL4_UnknownSyscall_Syscall, r, rbuf);
        set_message_register(r, rbuf, seL4_UnknownSyscall_Syscall, f->fault[1]);
        return seL4_UnknownSyscall_Length;
    case seL4_Fault_CapFault: {
        set_message_register(r, rbuf, seL4_CapFault_IP, get_register(f, REG_RESTART_PC));
        set_message_register(r, rbuf, seL4_CapFault_Addr, f->fault[1]);
        set_message_register(r, rbuf, seL4_CapFault_InRecvPhase, f->fault[2]);
        lookup_fault_t lf = { .type = f->fault[3], .bits_left = f->fault[4],
                              .bits_found = f->fault[5], .guard_found = f->fault[6] };
        return seL4_CapFault_LookupFailureType + set_lookup_fault_mrs(r, rbuf, seL4_CapFault_LookupFailureType, &lf);
    }
    case seL4_Fault_Timeout:
        set_message_register(r, rbuf, seL4_Timeout_Data, f->fault[1]);
        if (!f->sc)
            return seL4_Timeout_Consumed;
        set_message_register(r, rbuf, seL4_Timeout_Consumed, sched_context_reset_consumed(f->sc));
        return seL4_Timeout_Length;
#ifdef CONFIG_HARDWARE_DEBUG_API
    case seL4_Fault_DebugException:
        return debug_exception_message(f, r, rbuf);
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VCPUFault:
        set_message_register(r, rbuf, seL4_VCPUFault_HSR, f->fault[1]);
        return seL4_VCPUFault_Length;
    case seL4_Fault_VGICMaintenance:
        set_message_register(r, rbuf, seL4_VGICMaintenance_IDX, f->fault[2] ? f->fault[1] : (word_t)-1);
        return seL4_VGICMaintenance_Length;
    case seL4_Fault_VPPIEvent:
        set_message_register(r, rbuf, seL4_VPPIEvent_IRQ, f->fault[1]);
        return seL4_VPPIEvent_Length;
#endif
    default:
        return 0;
    }
}

bool fault_handle_reply(tcb_t *f, tcb_t *replier)
{
    seL4_MessageInfo_t info = { { get_register(replier, REG_MSG_INFO) } };
    word_t length = seL4_MessageInfo_get_length(info);
    word_t *buf = ipc_buffer_of(replier);
    switch (f->fault[0]) {
    case seL4_Fault_UnknownSyscall:
        receive_registers(f, syscall_message_registers, seL4_UnknownSyscall_Syscall, replier, buf,
                          length);
        break;
    case seL4_Fault_UserException:
        receive_registers(f, exception_message_registers, seL4_UserException_Number, replier, buf,
                          length);
        break;
    case seL4_Fault_Timeout:
        /* seL4_UserContext's order, without the TLS registers. */
        receive_registers(f, user_context_registers, seL4_TimeoutReply_Length, replier, buf, length);
        break;
    case seL4_Fault_VMFault:
    case seL4_Fault_CapFault:
        /* seL4 resumes these whatever the reply's label: the handler fixed
           the mapping or the cap and the instruction runs again. */
        return true;
#ifdef CONFIG_HARDWARE_DEBUG_API
    case seL4_Fault_DebugException:
        return debug_exception_reply(f, replier, buf, length, seL4_MessageInfo_get_label(info));
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    case seL4_Fault_VCPUFault:
    case seL4_Fault_VGICMaintenance:
    case seL4_Fault_VPPIEvent:
        /* Likewise: the VMM emulated the instruction (moving the pc on
           with WriteRegisters) or handled the event. */
        return true;
#endif
    default:
        break;
    }
    return seL4_MessageInfo_get_label(info) == 0;
}
