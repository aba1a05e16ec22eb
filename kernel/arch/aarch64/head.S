/*
 * Kernel entry from the loader: the kernel's EL (EL1, or EL2 for the
 * hypervisor kernel), MMU on, running at the link address in the
 * physical-memory window, x0-x5 = boot arguments (see docs/boot.md).
 */
#include <arch/sysreg.h>
    .section .text.head, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    ldr     x9, =kernel_stack_top
    mov     sp, x9
    /* The exception entry code finds the kernel stack here once a thread runs. */
    msr     KREG(tpidr), x9
    ldr     x9, =kernel_vectors
    msr     KREG(vbar), x9
    isb
    mov     x29, #0
    mov     x30, #0
    bl      init_kernel
1:  wfi
    b       1b

    .section .bss.kernel_stack, "aw", %nobits
    .balign 4096
kernel_stack:
    .space  16384
    .global kernel_stack_top
kernel_stack_top:
