/* Save and load the FP/SIMD register file (32 x 128 bits, FPSR, FPCR). */

/* Store the registers at \base; \t1, \t2 are scratch. */
.macro fpu_store base, t1, t2
    stp     q0, q1, [\base, #32 * 0]
    stp     q2, q3, [\base, #32 * 1]
    stp     q4, q5, [\base, #32 * 2]
    stp     q6, q7, [\base, #32 * 3]
    stp     q8, q9, [\base, #32 * 4]
    stp     q10, q11, [\base, #32 * 5]
    stp     q12, q13, [\base, #32 * 6]
    stp     q14, q15, [\base, #32 * 7]
    stp     q16, q17, [\base, #32 * 8]
    stp     q18, q19, [\base, #32 * 9]
    stp     q20, q21, [\base, #32 * 10]
    stp     q22, q23, [\base, #32 * 11]
    stp     q24, q25, [\base, #32 * 12]
    stp     q26, q27, [\base, #32 * 13]
    stp     q28, q29, [\base, #32 * 14]
    stp     q30, q31, [\base, #32 * 15]
    mrs     x\t1, fpsr
    mrs     x\t2, fpcr
    str     w\t1, [\base, #512]     /* fpu_state_t.fpsr, .fpcr */
    str     w\t2, [\base, #516]
.endm

/* Load them from \base. */
.macro fpu_fetch base, t1, t2
    ldp     q0, q1, [\base, #32 * 0]
    ldp     q2, q3, [\base, #32 * 1]
    ldp     q4, q5, [\base, #32 * 2]
    ldp     q6, q7, [\base, #32 * 3]
    ldp     q8, q9, [\base, #32 * 4]
    ldp     q10, q11, [\base, #32 * 5]
    ldp     q12, q13, [\base, #32 * 6]
    ldp     q14, q15, [\base, #32 * 7]
    ldp     q16, q17, [\base, #32 * 8]
    ldp     q18, q19, [\base, #32 * 9]
    ldp     q20, q21, [\base, #32 * 10]
    ldp     q22, q23, [\base, #32 * 11]
    ldp     q24, q25, [\base, #32 * 12]
    ldp     q26, q27, [\base, #32 * 13]
    ldp     q28, q29, [\base, #32 * 14]
    ldp     q30, q31, [\base, #32 * 15]
    ldr     w\t1, [\base, #512]
    ldr     w\t2, [\base, #516]
    msr     fpsr, x\t1
    msr     fpcr, x\t2
.endm

    .text
    .global fpu_save
fpu_save:                   /* x0 = fpu_state_t * */
    fpu_store x0, 1, 2
    ret

    .global fpu_load
fpu_load:                   /* x0 = const fpu_state_t * */
    fpu_fetch x0, 1, 2
    ret

/*
 * The IPC fast path's exit with an eager FPU switch (arch/switch.h):
 * x0 = the context to enter, x1 = where the old owner's registers go (0:
 * none), x2 = the new owner's registers.
 */
    .global restore_user_context_fpu
restore_user_context_fpu:
    isb                     /* the FP access just allowed (an EL2 kernel's own too) */
    cbz     x1, 1f
    fpu_store x1, 3, 4
1:  fpu_fetch x2, 3, 4
    b       restore_user_context
