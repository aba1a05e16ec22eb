/*
 * Kernel entry from the loader: the kernel's EL (EL1, or EL2 for the
 * hypervisor kernel), MMU on, running at the link address in the
 * physical-memory window. The boot core comes with x0-x5 = boot arguments
 * and x6 = 0; each secondary core (CONFIG_MAX_NUM_NODES > 1) with x6 = its
 * index (docs/boot.md). Every core runs on its own kernel stack.
 */
#include <arch/sysreg.h>
#include <arch/smp.h>

    .section .text.head, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    /* This core's stack: the top of kernel_stacks[x6], below 16 bytes
       that keep the address of its struct node for the entry code. */
    ldr     x9, =kernel_stacks
    add     x10, x6, #1
    add     x9, x9, x10, lsl #KERNEL_STACK_BITS
    sub     x9, x9, #16
#if CONFIG_MAX_NUM_NODES > 1
    /* x18 = &nodes[x6] while the kernel runs here (arch/smp.h). */
    ldr     x10, =node_bytes
    ldr     x10, [x10]
    ldr     x18, =nodes
    madd    x18, x6, x10, x18
    str     x18, [x9, #8]
#endif
    mov     sp, x9
    /* The exception entry code finds the kernel stack here once a thread runs. */
    msr     KREG(tpidr), x9
    ldr     x9, =kernel_vectors
    msr     KREG(vbar), x9
    isb
    mov     x29, #0
    mov     x30, #0
#if CONFIG_MAX_NUM_NODES > 1
    cbz     x6, 1f
    mov     x0, x6
    bl      smp_secondary_main
1:
#endif
    bl      init_kernel
2:  wfi
    b       2b

    .section .bss.kernel_stack, "aw", %nobits
    .balign 1 << KERNEL_STACK_BITS
    .global kernel_stacks
kernel_stacks:
    .space  CONFIG_MAX_NUM_NODES << KERNEL_STACK_BITS
