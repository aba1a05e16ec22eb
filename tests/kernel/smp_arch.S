/*
 * smp_arch.S - instruction sequences the multicore tests (smp.c) need in
 * assembly: loops whose registers the tests read and write through
 * TCB_ReadRegisters/WriteRegisters, and filling and checking all 32
 * SIMD&FP registers (the suite's C code is built -mgeneral-regs-only).
 */

    .text

/*
 * Count in x19 forever, publishing it to [x20] every round. The tests
 * find the pc between kt_smp_count_loop and kt_smp_count_loop_end.
 */
    .global kt_smp_count_loop, kt_smp_count_loop_end
    .type kt_smp_count_loop, %function
kt_smp_count_loop:
    add     x19, x19, #1
    str     x19, [x20]
    b       kt_smp_count_loop
kt_smp_count_loop_end:
    .size kt_smp_count_loop, . - kt_smp_count_loop

/* The same, published to [x20, #8]: where WriteRegisters sends the thread. */
    .global kt_smp_count_loop2, kt_smp_count_loop2_end
    .type kt_smp_count_loop2, %function
kt_smp_count_loop2:
    add     x19, x19, #1
    str     x19, [x20, #8]
    b       kt_smp_count_loop2
kt_smp_count_loop2_end:
    .size kt_smp_count_loop2, . - kt_smp_count_loop2

/*
 * kt_smp_fpu_fill(seed): register n gets the 64-bit value seed + n in its
 * low half and its complement in the high half.
 */
    .global kt_smp_fpu_fill
    .type kt_smp_fpu_fill, %function
kt_smp_fpu_fill:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x1, x0, #\n
    fmov    d\n, x1
    mvn     x2, x1
    mov     v\n\().d[1], x2
    .endr
    ret
    .size kt_smp_fpu_fill, . - kt_smp_fpu_fill

/* kt_smp_fpu_check(seed): how many register halves differ from the fill's values. */
    .global kt_smp_fpu_check
    .type kt_smp_fpu_check, %function
kt_smp_fpu_check:
    mov     x3, #0
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x1, x0, #\n
    fmov    x2, d\n
    cmp     x1, x2
    cinc    x3, x3, ne
    mvn     x1, x1
    mov     x2, v\n\().d[1]
    cmp     x1, x2
    cinc    x3, x3, ne
    .endr
    mov     x0, x3
    ret
    .size kt_smp_fpu_check, . - kt_smp_fpu_check

/* Wait for an interrupt at EL0 forever, counting wake-ups in [x0]. */
    .global kt_smp_wfi_loop
    .type kt_smp_wfi_loop, %function
kt_smp_wfi_loop:
    dsb     sy
    wfi
    ldr     x1, [x0]
    add     x1, x1, #1
    str     x1, [x0]
    b       kt_smp_wfi_loop
    .size kt_smp_wfi_loop, . - kt_smp_wfi_loop

    .section .note.GNU-stack, "", %progbits
