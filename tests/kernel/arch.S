/*
 * Small assembly helpers of the kernel conformance suite: a stack switch
 * for the root thread, and instructions whose addresses the fault tests
 * compare with the kernel's fault messages.
 */
    .text

/* void kt_switch_stack(seL4_Word sp, void (*fn)(void *), void *arg): never returns. */
    .global kt_switch_stack
    .type kt_switch_stack, %function
kt_switch_stack:
    mov     sp, x0
    mov     x29, #0
    mov     x30, #0
    mov     x0, x2
    br      x1
    .size kt_switch_stack, . - kt_switch_stack

/*
 * seL4_Word kt_syscall8(x0, x1, x2, x3, x4, x5, x6, number):
 * an `svc #0` with the eight arguments in x0..x7 (x7 = the syscall number);
 * returns x0 as the kernel (or a fault handler's reply) left it. The fault
 * tests compare kt_syscall8_svc with the fault address the kernel reports.
 */
    .global kt_syscall8
    .global kt_syscall8_svc
    .type kt_syscall8, %function
kt_syscall8:
kt_syscall8_svc:
    svc     #0
    ret
    .size kt_syscall8, . - kt_syscall8

/* void kt_udf(void): a permanently undefined instruction, then return. */
    .global kt_udf
    .global kt_udf_insn
    .type kt_udf, %function
kt_udf:
kt_udf_insn:
    udf     #0
    ret
    .size kt_udf, . - kt_udf

/*
 * void kt_fpu_touch(void): one floating-point/SIMD instruction (fmov d0, xzr),
 * written as a raw word so that the C code can stay -mgeneral-regs-only.
 */
    .global kt_fpu_touch
    .global kt_fpu_insn
    .type kt_fpu_touch, %function
kt_fpu_touch:
kt_fpu_insn:
    .inst   0x9e6703e0          /* fmov d0, xzr */
    ret
    .size kt_fpu_touch, . - kt_fpu_touch

/*
 * void kt_spin(void): loops forever on one branch instruction, so that a
 * thread preempted in it was stopped at exactly kt_spin_insn.
 */
    .global kt_spin
    .global kt_spin_insn
    .type kt_spin, %function
kt_spin:
kt_spin_insn:
    b       kt_spin_insn
    .size kt_spin, . - kt_spin

/* seL4_Word kt_read_tpidr(void): TPIDR_EL0 (the TLS register). */
    .global kt_read_tpidr
    .type kt_read_tpidr, %function
kt_read_tpidr:
    mrs     x0, tpidr_el0
    ret
    .size kt_read_tpidr, . - kt_read_tpidr

/* seL4_Word kt_read_sp(void) */
    .global kt_read_sp
    .type kt_read_sp, %function
kt_read_sp:
    mov     x0, sp
    ret
    .size kt_read_sp, . - kt_read_sp

/*
 * void kt_fpu_fill(seL4_Word seed): every FP/SIMD register q<i> gets
 * seed + i in both halves, and FPCR's rounding mode is seed & 3.
 * seL4_Word kt_fpu_check(seL4_Word seed): 0 if they still hold that,
 * else 1 + the number of the first register that differs (33: FPCR).
 */
    .global kt_fpu_fill
    .type kt_fpu_fill, %function
kt_fpu_fill:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x1, x0, #\i
    fmov    d\i, x1
    mov     v\i\().d[1], x1
    .endr
    and     x1, x0, #3
    lsl     x1, x1, #22
    msr     fpcr, x1
    ret
    .size kt_fpu_fill, . - kt_fpu_fill

    .global kt_fpu_check
    .type kt_fpu_check, %function
kt_fpu_check:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x1, x0, #\i
    fmov    x2, d\i
    cmp     x2, x1
    b.ne    1f
    mov     x2, v\i\().d[1]
    cmp     x2, x1
    mov     x3, #(\i + 1)
    b.ne    2f
    .endr
    mrs     x2, fpcr
    ubfx    x2, x2, #22, #2
    and     x1, x0, #3
    cmp     x2, x1
    mov     x3, #33
    b.ne    2f
    mov     x0, #0
    ret
1:  sub     x0, x1, x0
    add     x0, x0, #1
    ret
2:  mov     x0, x3
    ret
    .size kt_fpu_check, . - kt_fpu_check
