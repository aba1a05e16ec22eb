/*
 * Exception vectors, installed at every EL the loader runs at (VBAR_EL3/2/1).
 * A fault prints a report (exceptions.c) and halts instead of hanging
 * silently.
 *
 * Nesting guard: an exception taken while on SP_ELx switches to SP_EL0, which
 * head.S points at a separate exception stack, before saving anything. If the
 * report itself faults, that exception comes from "current EL with SP_EL0"
 * and those four vectors halt without touching memory: no recursion, even
 * with a corrupt stack pointer.
 */
#define FRAME_SIZE  (34 * 8)    /* x0-x30, sp, padding: struct exception_frame */

/*
 * Save x0-x30 and the interrupted SP, then report `kind`, the vector's index
 * (0-15: group * 4 + synchronous/IRQ/FIQ/SError). Never returns.
 */
.macro save_and_report kind, switch_stack
    .if \switch_stack
    msr     spsel, #0                   /* onto the exception stack */
    .endif
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    mov     x0, #\kind
    b       exception_save_rest_\switch_stack
.endm

.macro vector_halt
    .balign 128
1:  wfi
    b       1b
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global exception_vectors
exception_vectors:
    /* Current EL with SP_EL0: only the fault reporter runs like this. */
    vector_halt
    vector_halt
    vector_halt
    vector_halt
    /* Current EL with SP_ELx: the loader itself. */
    .balign 128
    save_and_report 4, 1
    .balign 128
    save_and_report 5, 1
    .balign 128
    save_and_report 6, 1
    .balign 128
    save_and_report 7, 1
    /* Lower EL, AArch64 (e.g. an early kernel fault or HVC trapped to EL2). */
    .balign 128
    save_and_report 8, 0
    .balign 128
    save_and_report 9, 0
    .balign 128
    save_and_report 10, 0
    .balign 128
    save_and_report 11, 0
    /* Lower EL, AArch32. */
    .balign 128
    save_and_report 12, 0
    .balign 128
    save_and_report 13, 0
    .balign 128
    save_and_report 14, 0
    .balign 128
    save_and_report 15, 0

/* x0 = kind, x0-x3 saved; the stack is the exception frame. */
.macro save_rest
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
.endm

exception_save_rest_1:
    save_rest
    msr     spsel, #1                   /* read the interrupted SP_ELx */
    mov     x1, sp
    msr     spsel, #0
    str     x1, [sp, #248]
    b       exception_call_report

exception_save_rest_0:
    save_rest
    add     x1, sp, #FRAME_SIZE         /* nothing was pushed before */
    str     x1, [sp, #248]

exception_call_report:
    mov     x1, x0
    mov     x0, sp
    mov     x29, #0                     /* end of the frame-pointer chain */
    bl      exception_report
1:  wfi
    b       1b
