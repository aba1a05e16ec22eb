/*
 * Exception vectors. While a thread runs at EL0, SP_EL1 points at its saved
 * context inside its TCB, so entry stores the registers straight there and
 * then switches to the kernel stack (kept in TPIDR_EL1). Exceptions taken in
 * the kernel itself are bugs: they are reported and the kernel halts.
 */
#include <arch/context.h>
#include <arch/sysreg.h>

.macro ventry label
    .balign 0x80
    b       \label
.endm

/* x0-x29 into the context at SP (user_context_t layout). */
.macro store_x0_x29
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
.endm

.macro save_user_context
    store_x0_x29
    mrs     x21, sp_el0
    stp     x30, x21, [sp, #CTX_X30]
    mrs     x22, KREG(elr)
    mrs     x23, KREG(spsr)
    stp     x22, x23, [sp, #CTX_ELR]
    mrs     x24, tpidr_el0
    str     x24, [sp, #CTX_TPIDR_EL0]
    mov     x0, sp              /* the context is the start of the TCB */
    mrs     x25, KREG(tpidr)
    mov     sp, x25
#if CONFIG_MAX_NUM_NODES > 1
    ldr     x18, [x25, #8]      /* NODE (head.S, arch/smp.h) */
#endif
.endm

/* C code's frame-pointer chain starts here (clean backtraces). */
.macro enter_c
    mov     x29, #0
    mov     x30, #0
.endm

/* Kernel-mode exception: keep the registers on the stack for the report. */
.macro kernel_entry kind
    sub     sp, sp, #CTX_SIZE
    store_x0_x29
    str     x30, [sp, #CTX_X30]
    mov     x0, #\kind
    mov     x1, sp
    bl      handle_kernel_exception
1:  wfi
    b       1b
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global kernel_vectors
kernel_vectors:
    ventry  cur_el_sp0_unexpected       /* current EL, SP_EL0 */
    ventry  cur_el_sp0_unexpected
    ventry  cur_el_sp0_unexpected
    ventry  cur_el_sp0_unexpected
    ventry  cur_el_sync                 /* current EL, SP_EL1: kernel bugs */
    ventry  cur_el_irq
    ventry  cur_el_fiq
    ventry  cur_el_serror
    ventry  lower_el_sync               /* EL0, AArch64 */
    ventry  lower_el_irq
    ventry  lower_el_fiq
    ventry  lower_el_serror
    ventry  lower_el_aarch32            /* EL0, AArch32: never enabled */
    ventry  lower_el_aarch32
    ventry  lower_el_aarch32
    ventry  lower_el_aarch32

cur_el_sp0_unexpected:
    kernel_entry 0
cur_el_sync:
#ifdef CONFIG_ALLOW_SMC_CALLS
    /* An SMC no firmware implements is an undefined instruction (EC 0):
       answer as firmware does, x0 = -1 (SMCCC NOT_SUPPORTED), and go on
       after it (arch/aarch64/smc.c). */
    stp     x16, x17, [sp, #-16]!
    mrs     x16, KREG(elr)
    adrp    x17, smc_instruction
    add     x17, x17, :lo12:smc_instruction
    cmp     x16, x17
    b.ne    1f
    mrs     x17, KREG(esr)
    ubfx    x17, x17, #ESR_EC_SHIFT, #6
    cbnz    x17, 1f
    add     x16, x16, #4
    msr     KREG(elr), x16
    mov     x0, #-1
    ldp     x16, x17, [sp], #16
    eret
1:  ldp     x16, x17, [sp], #16
#endif
    kernel_entry 1
cur_el_irq:
    kernel_entry 2
cur_el_fiq:
    kernel_entry 3
cur_el_serror:
    kernel_entry 4

lower_el_sync:
    save_user_context
    mrs     x9, KREG(esr)
    lsr     x9, x9, #ESR_EC_SHIFT
    cmp     x9, #ESR_EC_SVC64
    b.ne    3f
#ifdef CONFIG_FASTPATH
    /* Call, ReplyRecv, Send and NBSend (Signal), NBWait (Poll) and
       DebugPutChar try the fast path first, with x0 = the TCB (x7 still
       holds the system-call number); it returns only if the slow path
       must run. x7 | 1 pairs Send (-5) with NBSend (-6). */
    cmn     x7, #1
    b.eq    1f
    cmn     x7, #2
    b.eq    4f
    orr     x9, x7, #1
    cmn     x9, #5
    b.eq    5f
    cmn     x7, #10
#ifdef CONFIG_PRINTING
    b.eq    6f
    cmn     x7, #12
    b.ne    2f
    bl      fastpath_debug_putchar
    b       2f
6:
#else
    b.ne    2f
#endif
    bl      fastpath_poll
    b       2f
5:  bl      fastpath_signal
    b       2f
4:  bl      fastpath_reply_recv
    b       2f
1:  bl      fastpath_call
2:
#endif
    enter_c
    b       handle_user_syscall
3:  enter_c
    b       handle_user_sync

lower_el_irq:
    save_user_context
    enter_c
    b       handle_user_irq

lower_el_fiq:
lower_el_serror:
lower_el_aarch32:
    save_user_context
    enter_c
    b       handle_user_unexpected

/* void restore_user_context(user_context_t *ctx): leave SP_EL1 at ctx, eret. */
    .section .text, "ax"
    .global restore_user_context
restore_user_context:
    mov     sp, x0
    ldp     x21, x22, [sp, #CTX_SP_EL0]
    ldp     x23, x24, [sp, #CTX_SPSR]
    ldr     x25, [sp, #CTX_TPIDRRO_EL0]
    msr     sp_el0, x21
    msr     KREG(elr), x22
    msr     KREG(spsr), x23
    msr     tpidr_el0, x24
    msr     tpidrro_el0, x25
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #CTX_X30]
    eret
