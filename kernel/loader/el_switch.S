/*
 * Exception-level changes and the final jump: tiny, because they only move
 * registers. el.c does the configuration.
 */
    .text

/*
 * void el3_return_to_el2(uint64_t spsr) / el2_return_to_el1(uint64_t spsr):
 * "return" to the caller one EL lower, on the same stack. General registers
 * survive an eret, so to the C caller this is an ordinary call.
 */
    .global el3_return_to_el2
    .type el3_return_to_el2, %function
el3_return_to_el2:
    mov     x1, sp
    msr     sp_el2, x1
    msr     elr_el3, x30
    msr     spsr_el3, x0
    eret
    .size el3_return_to_el2, . - el3_return_to_el2

/* Same, for a CPU with EL3 but no EL2. */
    .global el3_return_to_el1
    .type el3_return_to_el1, %function
el3_return_to_el1:
    mov     x1, sp
    msr     sp_el1, x1
    msr     elr_el3, x30
    msr     spsr_el3, x0
    eret
    .size el3_return_to_el1, . - el3_return_to_el1

    .global el2_return_to_el1
    .type el2_return_to_el1, %function
el2_return_to_el1:
    mov     x1, sp
    msr     sp_el1, x1
    msr     elr_el2, x30
    msr     spsr_el2, x0
    eret
    .size el2_return_to_el1, . - el2_return_to_el1

/*
 * void kernel_enter(x0, x1, x2, x3, x4, x5, entry, core): the arguments are
 * already where the kernel wants them but for the core index, which goes
 * to x6 (docs/boot.md, "Kernel entry contract").
 */
    .global kernel_enter
    .type kernel_enter, %function
kernel_enter:
    mov     x9, x6
    mov     x6, x7
    mov     x29, #0
    mov     x30, #0
    br      x9
    .size kernel_enter, . - kernel_enter
