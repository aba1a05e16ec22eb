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
