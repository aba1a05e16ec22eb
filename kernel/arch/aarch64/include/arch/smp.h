/*
 * The architecture side of multicore (CONFIG_MAX_NUM_NODES > 1): which core
 * this is, the per-core part of the kernel's state that is the
 * architecture's, and inter-processor interrupts (GIC SGIs).
 *
 * Each core has its own kernel stack, kernel_stacks[core]: the kernel runs
 * on it whenever it runs on that core, so the stack pointer names the core
 * without a memory access or a spare register.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#define KERNEL_STACK_BITS   14          /* 16 KiB per core */

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct tcb;
struct vcpu;

/* The architecture's per-core state (in struct node, kernel/node.h). */
struct arch_node {
    struct tcb *fpu;                    /* whose registers the FPU holds (fpu_owner) */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    struct vcpu *vcpu;                  /* whose guest state the hardware holds */
    bool vcpu_enabled;                  /* ... and runs (vcpu_loaded, vcpu_active) */
#endif
#ifdef CONFIG_HARDWARE_DEBUG_API
    /* The debug registers (arch/aarch64/debug.c): whose API state they hold
       (or 1: unknown), and under the EL2 kernel whose guest's own values
       and whether its MDSCR_EL1 too. */
    struct tcb *debug_owner;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    struct vcpu *debug_guest;
    bool debug_guest_mdscr;
#endif
#endif
};

extern char kernel_stacks[];

static inline unsigned arch_cpu_index(void)
{
#if CONFIG_MAX_NUM_NODES > 1
    word_t sp;
    __asm__("mov %0, sp" : "=r"(sp));
    /* - 1: an empty stack's pointer is its top, the next core's base. */
    return (unsigned)((sp - 1 - (word_t)kernel_stacks) >> KERNEL_STACK_BITS);
#else
    return 0;
#endif
}
#endif

#endif
