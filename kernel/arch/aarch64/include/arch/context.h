/*
 * A thread's architecture state: its saved user registers and what the
 * switch path caches for it. The exception entry code stores registers
 * straight into the current thread's TCB at these offsets
 * (arch/aarch64/vectors.S), so the layout is shared with assembly: keep the
 * offsets below in step.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

/* Register numbers: word indices into user_context_t. */
#define REG_X(n)        (n)     /* x0 .. x30 */
#define REG_SP_EL0      31
#define REG_ELR         32      /* where eret goes: the pc after the svc in a system call */
#define REG_SPSR        33
#define REG_TPIDR_EL0   34
#define REG_TPIDRRO_EL0 35
#define REG_FAULT_IP    36      /* seL4's FaultIP: where a restarted thread resumes
                                   (the svc itself while in a system call) */
#define ARCH_NUM_REGISTERS 37

#define CTX_X0          0
#define CTX_X30         (REG_X(30) * 8)
#define CTX_SP_EL0      (REG_SP_EL0 * 8)
#define CTX_ELR         (REG_ELR * 8)
#define CTX_SPSR        (REG_SPSR * 8)
#define CTX_TPIDR_EL0   (REG_TPIDR_EL0 * 8)
#define CTX_TPIDRRO_EL0 (REG_TPIDRRO_EL0 * 8)
#define CTX_FAULT_IP    (REG_FAULT_IP * 8)
#define CTX_SIZE        (38 * 8)    /* a multiple of 16: kernel entries push one on the stack */

/* SPSR of a user thread: EL0t, AArch64, FIQs masked (and SErrors in release
   builds, as seL4 does). */
#define PSTATE_FIQ_MASKED    (1u << 6)
#define PSTATE_SERROR_MASKED (1u << 8)
#ifdef CONFIG_DEBUG_BUILD
#define PSTATE_USER     PSTATE_FIQ_MASKED
#else
#define PSTATE_USER     (PSTATE_FIQ_MASKED | PSTATE_SERROR_MASKED)
#endif

#ifndef __ASSEMBLER__
#include <kernel/types.h>

typedef struct user_context {
    word_t x[31];
    word_t sp_el0;
    word_t elr;
    word_t spsr;
    word_t tpidr_el0;
    word_t tpidrro_el0;
    word_t fault_ip;
    word_t unused;
} user_context_t;

_Static_assert(sizeof(user_context_t) == CTX_SIZE, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, sp_el0) == CTX_SP_EL0, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, elr) == CTX_ELR, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, spsr) == CTX_SPSR, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, tpidr_el0) == CTX_TPIDR_EL0, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, tpidrro_el0) == CTX_TPIDRRO_EL0, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, fault_ip) == CTX_FAULT_IP, "context layout drift");

typedef struct fpu_state {
    __uint128_t v[32];
    uint32_t fpsr;
    uint32_t fpcr;
} fpu_state_t;

/* The architecture part of a TCB (tcb_t.arch, its first member). The FPU
   registers are kept at the TCB's end (tcb_t.fpu), out of the way of the
   fields the IPC paths touch, which then stay within short offsets. */
typedef struct arch_tcb {
    user_context_t ctx;     /* first: the exception entry code stores here */
    word_t ttbr0;           /* TTBR0 it runs with (arch/aarch64/vspace.c), */
    word_t ttbr0_generation;    /* valid in this VSpace generation */
    word_t fpu_eager;       /* switches left that load its FPU registers eagerly (fpu.c) */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    struct vcpu *vcpu;      /* bound VCPU: the thread runs as a guest (arch/vcpu.h) */
#endif
} arch_tcb_t;

/* Enter the user thread whose context this is. Never returns. */
_Noreturn void restore_user_context(user_context_t *ctx);
#endif

#endif
