/*
 * Saved user context. The exception entry code stores registers straight into
 * the current thread's TCB at these offsets (arch/aarch64/vectors.S), so the
 * layout is shared with assembly: keep the offsets below in step.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define CTX_X0          0
#define CTX_X30         (30 * 8)
#define CTX_SP_EL0      (31 * 8)
#define CTX_ELR         (32 * 8)
#define CTX_SPSR        (33 * 8)
#define CTX_TPIDR_EL0   (34 * 8)
#define CTX_TPIDRRO_EL0 (35 * 8)
#define CTX_SIZE        (36 * 8)

#ifndef __ASSEMBLER__
#include <kernel/types.h>

typedef struct user_context {
    word_t x[31];
    word_t sp_el0;
    word_t elr;         /* the user's pc */
    word_t spsr;
    word_t tpidr_el0;
    word_t tpidrro_el0;
} user_context_t;

_Static_assert(sizeof(user_context_t) == CTX_SIZE, "context layout drift");
_Static_assert(__builtin_offsetof(user_context_t, elr) == CTX_ELR, "context layout drift");

/* SPSR for a thread entering EL0 (AArch64, interrupts unmasked). */
#define SPSR_EL0_DEFAULT 0x0ull

/* Enter the user thread whose context this is. Never returns. */
_Noreturn void restore_user_context(user_context_t *ctx);
#endif

#endif
