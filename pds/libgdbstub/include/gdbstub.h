/*
 * gdbstub: GDB's remote serial protocol (RSP), for the debug PD that is to
 * debug other PDs on the board over a serial port (docs/debugging.md, "Not
 * yet there"). This is the protocol engine only: freestanding, no seL4 in
 * it, so the host tests drive it against a simulated machine and a real
 * gdb-multiarch (tests/host/gdbstub/).
 *
 * The model gdb sees: every PD granted to the debug PD is a *process* (its
 * own address space) with one thread, ids p<pd+1>.1 (gdb's multiprocess
 * extensions; without them, thread <pd+1>). All-stop: when one stops, all
 * are stopped. Memory and software breakpoints apply to the process gdb
 * selected last (Hg); hardware breakpoints and watchpoints to its thread.
 * Registers are gdb's AArch64 core set: x0-x30, sp, pc, cpsr.
 *
 * The PD feeds the engine what the serial port received
 * (gdbstub_input) and what happened to the debugged PDs (gdbstub_stopped:
 * a debug-exception or other fault, the end of a single step, an
 * interrupt); the engine calls back into `struct gdbstub_target` to read
 * and change them and to send bytes. What each callback needs from the
 * kernel (seL4's hardware-debug API) is said at the callback.
 */
#ifndef GDBSTUB_H
#define GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDBSTUB_PACKET_SIZE 4096        /* bytes of packet data we accept and announce */
#define GDBSTUB_MAX_SW_BREAKPOINTS 64
#define GDBSTUB_CONSOLE_CHUNK 1024      /* text bytes per console-output packet */
#define GDBSTUB_BRK_INSTRUCTION 0xd4200000u    /* AArch64 BRK #0 */

/* gdb's AArch64 core registers, in its numbering (0-30 x, 31 sp, 32 pc, 33 cpsr). */
struct gdbstub_regs {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pc;
    uint32_t cpsr;
};
#define GDBSTUB_REG_SP 31
#define GDBSTUB_REG_PC 32
#define GDBSTUB_REG_CPSR 33
#define GDBSTUB_REG_COUNT 34

enum gdbstub_hw_kind {
    GDBSTUB_HW_BREAKPOINT = 1,      /* Z1: seL4_InstructionBreakpoint */
    GDBSTUB_WATCH_WRITE = 2,        /* Z2: seL4_DataBreakpoint, seL4_BreakOnWrite */
    GDBSTUB_WATCH_READ = 3,         /* Z3: seL4_DataBreakpoint, seL4_BreakOnRead */
    GDBSTUB_WATCH_ACCESS = 4,       /* Z4: seL4_DataBreakpoint, seL4_BreakOnReadWrite */
};

enum gdbstub_stop {
    GDBSTUB_STOP_BREAKPOINT,        /* BRK (software) or an instruction breakpoint */
    GDBSTUB_STOP_STEP,              /* single step done */
    GDBSTUB_STOP_WATCHPOINT,        /* `address` is the data address */
    GDBSTUB_STOP_INTERRUPT,         /* gdb asked (Ctrl-C) */
    GDBSTUB_STOP_FAULT,             /* any other fault: reported as SIGSEGV */
};

/* Threads are numbered 1..thread_count (PD index + 1). */
struct gdbstub;

struct gdbstub_target {
    void *ctx;
    unsigned thread_count;
    /* The PD's name (qThreadExtraInfo). */
    const char *(*thread_name)(void *ctx, unsigned thread);
    /* seL4_TCB_ReadRegisters / WriteRegisters of the PD's TCB. */
    bool (*get_regs)(void *ctx, unsigned thread, struct gdbstub_regs *regs);
    bool (*set_regs)(void *ctx, unsigned thread, const struct gdbstub_regs *regs);
    /* The PD's memory, through frames the system description maps into the
     * debug PD; writes to code must also make it coherent
     * (seL4_ARM_Page_Unify_Instruction). Return the bytes done. */
    size_t (*read_mem)(void *ctx, unsigned thread, uint64_t addr, void *buf, size_t len);
    size_t (*write_mem)(void *ctx, unsigned thread, uint64_t addr, const void *buf, size_t len);
    /* seL4_TCB_SetBreakpoint / UnsetBreakpoint on the thread's TCB; false if
     * no hardware slot is free or the kernel refuses. May be NULL. */
    bool (*set_hw)(void *ctx, unsigned thread, enum gdbstub_hw_kind kind, uint64_t addr, uint64_t len);
    bool (*clear_hw)(void *ctx, unsigned thread, enum gdbstub_hw_kind kind, uint64_t addr, uint64_t len);
    /* Run: `step` (0: none) single-steps once (seL4_TCB_ConfigureSingleStepping
     * with 1 instruction, then resume); the others resume too if
     * `others_run` (seL4_TCB_Resume / reply to their fault). */
    void (*resume)(void *ctx, unsigned step, bool others_run);
    /* Stop every thread (seL4_TCB_Suspend), then call gdbstub_stopped. */
    void (*interrupt)(void *ctx);
    /* Bytes for the serial port. */
    void (*send)(void *ctx, const char *bytes, size_t len);
    /* gdb's `monitor COMMAND` (qRcmd): do it, writing its answer with
     * gdbstub_print(); false if there is no such command. May be NULL. */
    bool (*monitor)(void *ctx, struct gdbstub *stub, const char *command);
};

struct gdbstub_sw_breakpoint {
    unsigned thread;            /* whose address space (0: slot free) */
    uint64_t addr;
    uint32_t saved;             /* the instruction the BRK replaced */
};

struct gdbstub {
    const struct gdbstub_target *target;
    /* receiving */
    enum { GDBSTUB_IDLE, GDBSTUB_DATA, GDBSTUB_ESCAPE, GDBSTUB_CSUM1, GDBSTUB_CSUM2 } state;
    char packet[GDBSTUB_PACKET_SIZE + 1];
    size_t length;
    bool overflow;
    uint8_t sum, received_sum;
    /* sending */
    char reply[2 * GDBSTUB_PACKET_SIZE + 8];
    size_t reply_length;
    bool no_ack;                /* QStartNoAckMode */
    bool multiprocess, swbreak, hwbreak;     /* what gdb said it supports */
    /* state */
    unsigned general_thread;    /* Hg: memory, registers, breakpoints */
    bool running;
    unsigned stop_thread;
    enum gdbstub_stop stop_reason;
    uint64_t stop_address;
    struct gdbstub_sw_breakpoint sw[GDBSTUB_MAX_SW_BREAKPOINTS];
    /* a monitor command's text, sent as console output (O packets) */
    char console[GDBSTUB_CONSOLE_CHUNK];
    size_t console_length;
    unsigned packets, bad_checksums;         /* counters for the PD's log */
};

/* The target must be stopped when the engine starts (thread 1 reported). */
void gdbstub_init(struct gdbstub *stub, const struct gdbstub_target *target);
/* Bytes from the serial port. */
void gdbstub_input(struct gdbstub *stub, const char *bytes, size_t len);
/* Text for gdb's console, from a monitor command (gdbstub_target.monitor). */
void gdbstub_print(struct gdbstub *stub, const char *text);
/* A thread stopped while running (everything else is stopped too). */
void gdbstub_stopped(struct gdbstub *stub, unsigned thread, enum gdbstub_stop reason,
                     uint64_t address);

#endif
