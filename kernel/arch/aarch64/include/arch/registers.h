/*
 * A thread's registers as generic kernel code sees them: by role in the
 * system-call ABI (seL4's AArch64 ABI), never by name. Message register i
 * (i < seL4_FastMessageRegisters) travels in a register, the rest in the
 * IPC buffer (kernel/ipc.h). The tables in arch/aarch64/registers.c give
 * the register order of seL4_UserContext and of the fault messages.
 */
#ifndef ARCH_REGISTERS_H
#define ARCH_REGISTERS_H

#include <object/structures.h>
#include <sel4/abi.h>

/* Roles (register numbers of arch/context.h). */
#define REG_CAP             REG_X(0)    /* the invoked cap (system-call entry) */
#define REG_BADGE           REG_X(0)    /* the sender's badge (delivery) */
#define REG_MSG_INFO        REG_X(1)
#define REG_REPLY           REG_X(6)    /* reply cap of a receive; NBSendWait's send target */
#define REG_NBSENDRECV_DEST REG_X(8)
#define REG_SYSCALL         REG_X(7)
#define REG_NEXT_PC         REG_ELR     /* where the thread continues */
#define REG_RESTART_PC      REG_FAULT_IP    /* where it continues if it restarts */
#define REG_TLS_BASE        REG_TPIDR_EL0
#define REG_FIRST_MSG       REG_X(2)    /* message registers 0..3: x2..x5 */
#define REG_FIRST_ARG       REG_X(0)    /* a thread's first argument (boot) */
#define REG_SYSCALL_ARG(i)  REG_X(i)    /* arguments of system calls outside IPC */

/* The pc of a system call's svc is REG_NEXT_PC minus this. */
#define ARCH_SYSCALL_INSTRUCTION_SIZE 4

static inline word_t get_register(const tcb_t *t, unsigned reg)
{
    return ((const word_t *)&t->arch.ctx)[reg];
}

static inline void set_register(tcb_t *t, unsigned reg, word_t value)
{
    ((word_t *)&t->arch.ctx)[reg] = value;
}

static inline word_t get_msg_register(const tcb_t *t, unsigned i)
{
    return get_register(t, REG_FIRST_MSG + i);
}

static inline void set_msg_register(tcb_t *t, unsigned i, word_t value)
{
    set_register(t, REG_FIRST_MSG + i, value);
}

/* Continue at the restart pc (a restarted system call re-executes). */
static inline void set_next_pc_to_restart_pc(tcb_t *t)
{
    set_register(t, REG_NEXT_PC, get_register(t, REG_RESTART_PC));
}

/* A new thread's registers: all zero but what user mode needs set. */
static inline void arch_tcb_init(tcb_t *t)
{
    set_register(t, REG_SPSR, PSTATE_USER);
}

/* A thread is being destroyed: unbind the architecture objects bound to it. */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
void arch_tcb_finalise(tcb_t *t);   /* arch/aarch64/vcpu.c: its VCPU */
#else
static inline void arch_tcb_finalise(tcb_t *t)
{
    (void)t;
}
#endif

/* Register tables (arch/aarch64/registers.c). */
#define USER_CONTEXT_WORDS  36      /* seL4_UserContext */
#define FRAME_REGISTERS     17      /* its first part: pc .. x30 (CopyRegisters' "frame") */
extern const uint8_t user_context_registers[USER_CONTEXT_WORDS];
extern const uint8_t syscall_message_registers[seL4_UnknownSyscall_Syscall];
extern const uint8_t exception_message_registers[seL4_UserException_Number];

/* SPSR.M values: the exception level and stack pointer a thread returns to. */
#define PSTATE_MODE_MASK    0x1full
#define PSTATE_MODE_EL0T    0x0ull
#define PSTATE_MODE_EL1T    0x4ull
#define PSTATE_MODE_EL1H    0x5ull

/* What `t` may put in `reg`: a user SPSR keeps its flags only; a thread
   with a VCPU may also run its guest at EL1 (as seL4 allows). */
static inline word_t sanitise_register(const tcb_t *t, unsigned reg, word_t value)
{
    if (reg != REG_SPSR)
        return value;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    if (t->arch.vcpu) {
        word_t mode = value & PSTATE_MODE_MASK;
        if (mode == PSTATE_MODE_EL0T || mode == PSTATE_MODE_EL1T || mode == PSTATE_MODE_EL1H)
            return value;
    }
#else
    (void)t;
#endif
    return (value & 0xf0000000ull) | PSTATE_USER;   /* NZCV; EL0t, AArch64 */
}

#endif
