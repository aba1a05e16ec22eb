/*
 * Test stub standing in for the kernel: entered by the loader at the kernel's
 * EL (EL1, or EL2 with CONFIG_KERNEL_EL2) with the MMU on, running from the
 * kernel window (PPTR_BASE + paddr). Keeps the loader's x0-x5, takes its own
 * stack and calls stub_main.
 */
#ifdef CONFIG_KERNEL_EL2
#define ELX(reg) reg##_el2
#else
#define ELX(reg) reg##_el1
#endif

    .section .text.start, "ax"
    .global _start
_start:
    adr     x9, stub_stack_top
    mov     sp, x9
    adr     x9, stub_vectors
    msr     ELX(vbar), x9
    isb
    bl      stub_main
1:  wfi
    b       1b

/* Any exception in the stub: print a marker through C, then halt. */
    .balign 2048
stub_vectors:
    .rept 16
    .balign 128
    mrs     x0, ELX(esr)
    mrs     x1, ELX(elr)
    mrs     x2, ELX(far)
    b       stub_exception
    .endr

    .section .bss.stack, "aw", %nobits
    .balign 16
    .space  8192
stub_stack_top:
