/*
 * The debug PD: GDB's remote serial protocol over a serial port, for the
 * PDs the system description gives it (docs/debugging.md, "GDB on the
 * board"). It is their parent with debugger="true": it holds their TCBs,
 * receives their faults, and sees their RAM through windows
 * (pds/include/debug_windows.h). pds/libgdbstub speaks the protocol; this
 * file maps its callbacks onto seL4's thread-debug interface (the kernel's
 * CONFIG_HARDWARE_DEBUG_API):
 *
 *   registers       TCB_ReadRegisters / WriteRegisters
 *   memory          the windows; code writes made coherent with
 *                   VSpace_Unify_Instruction on our own VSpace
 *   Z1, Z2-Z4       TCB_SetBreakpoint / UnsetBreakpoint
 *   step            TCB_ConfigureSingleStepping(1), then Resume
 *   stops           the children's faults (DebugException: breakpoint,
 *                   watchpoint, step, BRK; any other fault is a SIGSEGV)
 *   all-stop        TCB_Suspend of every child, TCB_Resume to go on
 *   monitor ...     the kernel's threads and a child's CSpace
 *                   (kernel_state.c, through kstate_read)
 *
 * A stopped child is suspended (never left waiting for a fault reply: the
 * event loop's next receive would take the reply object from it) and
 * resumes at its restart pc: the faulting instruction, the instruction
 * after a step, the system call it was blocked in. Every child is stopped
 * at start, so gdb finds them as they were before their first instruction.
 */
#include <microkit.h>
#include <gdbstub.h>
#include <debug_windows.h>
#include <stddef.h>
#include <string.h>

#include <serial/serial.h>

#include "kernel_state.h"
#include "uart.h"

/* Written by sdfgen (debugger="true") and by the system description. */
struct pd_debug_info pd_debug_info;

/*
 * The serial port, one of two (docs/debugging.md, "The serial port"):
 *   - the serial driver PD's (drivers/serial): the system maps the client
 *     regions (setvars serial_tx_queue, serial_tx_data, serial_rx_queue,
 *     serial_rx_data, the client library's) and names the channels to the
 *     driver with setvar_id="serial_tx_channel" / "serial_rx_channel";
 *   - else a UART of our own: its registers (setvar uart_base) and its
 *     interrupt (setvar_id uart_irq_channel).
 */
uintptr_t uart_base;            /* setvar_vaddr of the UART's map */
uint64_t uart_irq_channel;      /* setvar_id of its <irq> */
extern uintptr_t serial_tx_queue, serial_rx_queue;     /* drivers/serial/client.c */
uint64_t serial_tx_channel = SERIAL_NO_CHANNEL;
uint64_t serial_rx_channel = SERIAL_NO_CHANNEL;
static bool via_driver;

struct hw_slot {
    bool used;
    enum gdbstub_hw_kind kind;
    uint64_t addr, len;
};

struct debuggee {
    const struct pd_debuggee *info;
    seL4_CPtr tcb;
    bool stepping;
    bool pending;               /* stopped while gdb looked at another one */
    enum gdbstub_stop pending_reason;
    uint64_t pending_address;
    struct hw_slot breakpoints[seL4_NumExclusiveBreakpoints];
    struct hw_slot watchpoints[seL4_NumExclusiveWatchpoints];
};

static struct debuggee debuggees[PD_MAX_CHILDREN];
static unsigned debuggee_count;
static struct gdbstub stub;

/* gdb's thread t (1..count) is debuggee t - 1. */
static struct debuggee *debuggee(unsigned thread)
{
    return thread >= 1 && thread <= debuggee_count ? &debuggees[thread - 1] : NULL;
}

static void stop_all(void)
{
    for (unsigned i = 0; i < debuggee_count; i++)
        seL4_TCB_Suspend(debuggees[i].tcb);
}

/* ------------------------------------------------------------ registers */

/* gdb's register n in seL4_UserContext (x0-x30, sp, pc, cpsr). */
static seL4_Word *user_context_reg(seL4_UserContext *uc, unsigned n)
{
    static const uint16_t x_offset[31] = {
#define X(i) [i] = offsetof(seL4_UserContext, x##i)
        X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10), X(11), X(12),
        X(13), X(14), X(15), X(16), X(17), X(18), X(19), X(20), X(21), X(22), X(23), X(24),
        X(25), X(26), X(27), X(28), X(29), X(30),
#undef X
    };
    size_t offset = n < 31 ? x_offset[n]
                  : n == GDBSTUB_REG_SP ? offsetof(seL4_UserContext, sp)
                  : n == GDBSTUB_REG_PC ? offsetof(seL4_UserContext, pc)
                                        : offsetof(seL4_UserContext, spsr);
    return (seL4_Word *)((char *)uc + offset);
}

#define CONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))

static bool get_regs(void *ctx, unsigned thread, struct gdbstub_regs *regs)
{
    (void)ctx;
    struct debuggee *d = debuggee(thread);
    seL4_UserContext uc;
    if (!d || seL4_TCB_ReadRegisters(d->tcb, seL4_False, 0, CONTEXT_WORDS, &uc))
        return false;
    for (unsigned n = 0; n < 31; n++)
        regs->x[n] = *user_context_reg(&uc, n);
    regs->sp = uc.sp;
    regs->pc = uc.pc;
    regs->cpsr = (uint32_t)uc.spsr;
    return true;
}

static bool set_regs(void *ctx, unsigned thread, const struct gdbstub_regs *regs)
{
    (void)ctx;
    struct debuggee *d = debuggee(thread);
    seL4_UserContext uc;
    if (!d || seL4_TCB_ReadRegisters(d->tcb, seL4_False, 0, CONTEXT_WORDS, &uc))
        return false;
    for (unsigned n = 0; n < 31; n++)
        *user_context_reg(&uc, n) = regs->x[n];
    uc.sp = regs->sp;
    uc.pc = regs->pc;
    uc.spsr = regs->cpsr;       /* the kernel keeps only the flags */
    return seL4_TCB_WriteRegisters(d->tcb, seL4_False, 0, CONTEXT_WORDS, &uc) == seL4_NoError;
}

/* ------------------------------------------------------------ memory */

/* The window holding child address addr, or NULL. */
static const struct pd_debug_window *window_of(const struct debuggee *d, uint64_t addr)
{
    for (uint64_t i = 0; i < d->info->window_count; i++) {
        const struct pd_debug_window *w = &pd_debug_info.windows[d->info->first_window + i];
        if (addr >= w->vaddr && addr - w->vaddr < w->size)
            return w;
    }
    return NULL;
}

/* Copy between buf and the child's memory; returns the bytes done (up to
   the first address that is not the child's RAM). */
static size_t access_mem(unsigned thread, uint64_t addr, void *buf, size_t len, bool write)
{
    struct debuggee *d = debuggee(thread);
    size_t done = 0;
    while (d && done < len) {
        const struct pd_debug_window *w = window_of(d, addr + done);
        if (!w)
            break;
        uint64_t offset = addr + done - w->vaddr;
        size_t n = len - done < w->size - offset ? len - done : (size_t)(w->size - offset);
        char *there = (char *)(uintptr_t)(w->window + offset);
        if (write) {
            memcpy(there, (char *)buf + done, n);
            /* Code: out of the data cache and into the instruction fetch. */
            if (w->rights & PD_DEBUG_EXECUTE)
                seL4_ARM_VSpace_Unify_Instruction(MICROKIT_VSPACE_CAP, (seL4_Word)there,
                                                  (seL4_Word)there + n);
        } else {
            memcpy((char *)buf + done, there, n);
        }
        done += n;
    }
    return done;
}

static size_t read_mem(void *ctx, unsigned thread, uint64_t addr, void *buf, size_t len)
{
    (void)ctx;
    return access_mem(thread, addr, buf, len, false);
}

static size_t write_mem(void *ctx, unsigned thread, uint64_t addr, const void *buf, size_t len)
{
    (void)ctx;
    return access_mem(thread, addr, (void *)buf, len, true);
}

/* ------------------------------------------------------------ hardware breakpoints */

static seL4_Word access_of(enum gdbstub_hw_kind kind)
{
    return kind == GDBSTUB_WATCH_WRITE ? seL4_BreakOnWrite
         : kind == GDBSTUB_WATCH_READ  ? seL4_BreakOnRead
                                       : seL4_BreakOnReadWrite;
}

/* The kernel's breakpoint ids of a kind: instruction breakpoints or watchpoints. */
struct hw_bank {
    struct hw_slot *slots;
    unsigned count, first;
    bool instruction;
};

static struct hw_bank bank_of(struct debuggee *d, enum gdbstub_hw_kind kind)
{
    if (kind == GDBSTUB_HW_BREAKPOINT)
        return (struct hw_bank){ d->breakpoints, seL4_NumExclusiveBreakpoints,
                                 seL4_FirstBreakpoint, true };
    return (struct hw_bank){ d->watchpoints, seL4_NumExclusiveWatchpoints, seL4_FirstWatchpoint,
                             false };
}

static bool set_hw(void *ctx, unsigned thread, enum gdbstub_hw_kind kind, uint64_t addr,
                   uint64_t len)
{
    (void)ctx;
    struct debuggee *d = debuggee(thread);
    if (!d)
        return false;
    struct hw_bank b = bank_of(d, kind);
    for (unsigned i = 0; i < b.count; i++) {
        if (b.slots[i].used)
            continue;
        /* The kernel checks size and alignment; gdb falls back to software
           watchpoints when it refuses. */
        seL4_Uint16 id = (seL4_Uint16)(b.first + i);
        seL4_Error err = b.instruction
            ? seL4_TCB_SetBreakpoint(d->tcb, id, addr, seL4_InstructionBreakpoint, 0,
                                     seL4_BreakOnRead)
            : seL4_TCB_SetBreakpoint(d->tcb, id, addr, seL4_DataBreakpoint, len, access_of(kind));
        if (err)
            return false;
        b.slots[i] = (struct hw_slot){ true, kind, addr, len };
        return true;
    }
    return false;
}

static bool clear_hw(void *ctx, unsigned thread, enum gdbstub_hw_kind kind, uint64_t addr,
                     uint64_t len)
{
    (void)ctx;
    struct debuggee *d = debuggee(thread);
    if (!d)
        return false;
    struct hw_bank b = bank_of(d, kind);
    for (unsigned i = 0; i < b.count; i++) {
        struct hw_slot *s = &b.slots[i];
        if (s->used && s->kind == kind && s->addr == addr && (b.instruction || s->len == len)) {
            s->used = false;
            return seL4_TCB_UnsetBreakpoint(d->tcb, (seL4_Uint16)(b.first + i)) == seL4_NoError;
        }
    }
    return true;    /* never set: nothing to do */
}

/* ------------------------------------------------------------ running */

static void resume(void *ctx, unsigned step, bool others_run)
{
    (void)ctx;
    /* A stop that happened while gdb looked at another one goes first. */
    for (unsigned i = 0; i < debuggee_count; i++)
        if (debuggees[i].pending) {
            debuggees[i].pending = false;
            gdbstub_stopped(&stub, i + 1, debuggees[i].pending_reason,
                            debuggees[i].pending_address);
            return;
        }
    for (unsigned i = 0; i < debuggee_count; i++) {
        struct debuggee *d = &debuggees[i];
        bool stepping = step == i + 1;
        if (!stepping && !others_run)
            continue;
        if (stepping || d->stepping)
            seL4_TCB_ConfigureSingleStepping(d->tcb, 0, stepping ? 1 : 0);
        d->stepping = stepping;
        seL4_TCB_Resume(d->tcb);
    }
}

static void interrupt(void *ctx)
{
    (void)ctx;
    stop_all();
    gdbstub_stopped(&stub, stub.general_thread ? stub.general_thread : 1,
                    GDBSTUB_STOP_INTERRUPT, 0);
}

/* What a child's fault means to gdb. */
static enum gdbstub_stop stop_of(microkit_msginfo msginfo, uint64_t *address)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    if (label == seL4_Fault_DebugException) {
        switch (microkit_mr_get(seL4_DebugException_ExceptionReason)) {
        case seL4_SingleStep:
            *address = microkit_mr_get(seL4_DebugException_FaultIP);
            return GDBSTUB_STOP_STEP;
        case seL4_DataBreakpoint:
            *address = microkit_mr_get(seL4_DebugException_TriggerAddress);
            return GDBSTUB_STOP_WATCHPOINT;
        default:    /* an instruction breakpoint or a BRK (software breakpoint) */
            *address = microkit_mr_get(seL4_DebugException_FaultIP);
            return GDBSTUB_STOP_BREAKPOINT;
        }
    }
    *address = label == seL4_Fault_UnknownSyscall ? microkit_mr_get(seL4_UnknownSyscall_FaultIP)
                                                  : microkit_mr_get(0);
    return GDBSTUB_STOP_FAULT;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    unsigned thread = 0;
    for (unsigned i = 0; i < debuggee_count; i++)
        if (debuggees[i].info->child == child)
            thread = i + 1;
    if (!thread)
        return seL4_False;      /* not ours to debug: it stays stopped */
    struct debuggee *d = debuggee(thread);
    uint64_t address;
    enum gdbstub_stop reason = stop_of(msginfo, &address);
    seL4_TCB_Suspend(d->tcb);
    if (!stub.running) {
        d->pending = true;
        d->pending_reason = reason;
        d->pending_address = address;
        return seL4_False;
    }
    stop_all();
    gdbstub_stopped(&stub, thread, reason, address);
    return seL4_False;
}

/* ------------------------------------------------------------ serial */

static const char *thread_name(void *ctx, unsigned thread)
{
    (void)ctx;
    struct debuggee *d = debuggee(thread);
    return d ? d->info->name : "";
}

static void send(void *ctx, const char *bytes, size_t len)
{
    (void)ctx;
    if (via_driver) {
        /* Packets are at most GDBSTUB_PACKET_SIZE: the driver connection's
           buffers (SERIAL_DATA_REGION) hold four. */
        for (size_t i = 0; i < len; i++)
            serial_putchar((uint8_t)bytes[i]);
        serial_flush();
        return;
    }
    for (size_t i = 0; i < len; i++)
        uart_put((uint8_t)bytes[i]);
}

static bool port_init(void)
{
    if (serial_tx_queue && serial_rx_queue && serial_tx_channel != SERIAL_NO_CHANNEL &&
        serial_rx_channel != SERIAL_NO_CHANNEL) {
        serial_init((microkit_channel)serial_tx_channel, (microkit_channel)serial_rx_channel);
        via_driver = true;
        return true;
    }
    if (uart_base) {
        uart_init(uart_base);
        return true;
    }
    return false;
}

/* Received bytes, to the protocol engine in chunks. */
static void receive(int (*get)(void))
{
    char bytes[64];
    size_t n = 0;
    for (int c; (c = get()) >= 0;) {
        bytes[n++] = (char)c;
        if (n == sizeof bytes) {
            gdbstub_input(&stub, bytes, n);
            n = 0;
        }
    }
    if (n)
        gdbstub_input(&stub, bytes, n);
}

/* ------------------------------------------------------------ monitor commands */

static bool monitor(void *ctx, struct gdbstub *s, const char *command)
{
    (void)ctx;
    struct kernel_state_pd pds[PD_MAX_CHILDREN];
    for (unsigned i = 0; i < debuggee_count; i++)
        pds[i] = (struct kernel_state_pd){ .name = debuggees[i].info->name, .tcb = debuggees[i].tcb };
    return kernel_state_command(s, command, pds, debuggee_count, s->general_thread);
}

static struct gdbstub_target target = {
    .ctx = NULL,
    .thread_name = thread_name,
    .get_regs = get_regs,
    .set_regs = set_regs,
    .read_mem = read_mem,
    .write_mem = write_mem,
    .set_hw = set_hw,
    .clear_hw = clear_hw,
    .resume = resume,
    .interrupt = interrupt,
    .send = send,
    .monitor = monitor,
};

void notified(microkit_channel ch)
{
    if (via_driver) {
        /* The transmit channel only says that buffers came back. */
        if (ch == serial_rx_channel)
            receive(serial_getchar);
        return;
    }
    if (ch != uart_irq_channel)
        return;
    /* Clear first: a byte that arrives while we drain raises it again. */
    uart_irq_clear();
    receive(uart_get);
    microkit_irq_ack(ch);
}

void init(void)
{
    debuggee_count = (unsigned)(pd_debug_info.debuggee_count < PD_MAX_CHILDREN
                                ? pd_debug_info.debuggee_count : PD_MAX_CHILDREN);
    for (unsigned i = 0; i < debuggee_count; i++) {
        debuggees[i].info = &pd_debug_info.debuggees[i];
        debuggees[i].tcb = BASE_TCB_CAP + debuggees[i].info->child;
    }
    stop_all();
    target.thread_count = debuggee_count;
    gdbstub_init(&stub, &target);
    if (!port_init()) {
        microkit_dbg_puts("DEBUGGER|ERROR: no serial port (docs/debugging.md, \"The serial port\")\n");
        return;
    }
    microkit_dbg_puts("DEBUGGER|INFO: ");
    for (unsigned i = 0; i < debuggee_count; i++) {
        microkit_dbg_puts(i ? ", " : "stopped ");
        microkit_dbg_puts(debuggees[i].info->name);
    }
    microkit_dbg_puts(debuggee_count ? "; waiting for gdb on the serial port\n"
                                     : "no PDs to debug\n");
}
