/*
 * Test stub standing in for the kernel: entered by the loader at EL1 with the
 * MMU on, running from the kernel window (PPTR_BASE + paddr). Keeps the
 * loader's x0-x5, takes its own stack and calls stub_main.
 */
    .section .text.start, "ax"
    .global _start
_start:
    adr     x9, stub_stack_top
    mov     sp, x9
    adr     x9, stub_vectors
    msr     vbar_el1, x9
    isb
    bl      stub_main
1:  wfi
    b       1b

/* Any exception in the stub: print a marker through C, then halt. */
    .balign 2048
stub_vectors:
    .rept 16
    .balign 128
    mrs     x0, esr_el1
    mrs     x1, elr_el1
    mrs     x2, far_el1
    b       stub_exception
    .endr

    .section .bss.stack, "aw", %nobits
    .balign 16
    .space  8192
stub_stack_top:
