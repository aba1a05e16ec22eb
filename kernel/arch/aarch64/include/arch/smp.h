/*
 * The architecture side of multicore (CONFIG_MAX_NUM_NODES > 1): which core
 * this is, the per-core part of the kernel's state that is the
 * architecture's, and inter-processor interrupts (GIC SGIs).
 *
 * Each core has its own kernel stack, kernel_stacks[core], and while the
 * kernel runs on a core, x18 holds the address of that core's struct node
 * (NODE): with several cores the kernel is compiled with -ffixed-x18 (the
 * platform register, which AAPCS64 lets a platform reserve), head.S sets it
 * at each core's start and every entry from user level after saving the
 * user's x18 (vectors.S). NODE then costs nothing; it was three to nine
 * instructions at each use.
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
    /* That VCPU while it is enabled (runs, not merely kept), else NULL:
       vcpu_switch() compares a thread's VCPU with it and nothing else. */
    struct vcpu *vcpu_enabled;
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

#if CONFIG_MAX_NUM_NODES > 1
/* This core's struct node (kernel/node.h NODE): x18, as a global register
   variable so the compiler addresses through x18 itself ([x18, #off])
   rather than copying it into a temporary at each use. */
register void *arch_cpu_node_register __asm__("x18");

static inline void *arch_cpu_node(void)
{
    return arch_cpu_node_register;
}
#endif
#endif

#endif
