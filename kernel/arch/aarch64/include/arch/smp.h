/*
 * The architecture side of multicore (CONFIG_MAX_NUM_NODES > 1): which core
 * this is, the per-core part of the kernel's state that is the
 * architecture's, and inter-processor interrupts (GIC SGIs).
 *
 * Each core has its own kernel stack, kernel_stacks[core]: the kernel runs
 * on it whenever it runs on that core, so the stack pointer names the core
 * without a spare register. The top 16 bytes of each stack are not stack
 * but the core's index and its struct node's address (head.S, smp_init),
 * found from SP in three instructions.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#define KERNEL_STACK_BITS   14          /* 16 KiB per core */
#define KERNEL_STACK_SLOTS  16          /* at its top: index, node address */

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
/* The slots at the top of core `core`'s stack. */
static inline word_t *arch_stack_slots(unsigned core)
{
    return (word_t *)(kernel_stacks + ((word_t)(core + 1) << KERNEL_STACK_BITS) - KERNEL_STACK_SLOTS);
}

/*
 * Slot `offset` of this core's stack (SP is never above the slots). The
 * value never changes once set, so the asm is neither volatile nor a
 * memory access to the compiler: it may compute it once per function.
 */
#define ARCH_STACK_SLOT(offset)                                                     \
    ({                                                                              \
        word_t slot_value_;                                                         \
        __asm__("mov %0, sp\n\t"                                                    \
                "orr %0, %0, #%1\n\t"                                               \
                "ldr %0, [%0, #%2]"                                                 \
                : "=&r"(slot_value_)                                                \
                : "i"((1 << KERNEL_STACK_BITS) - 1), "i"(1 - KERNEL_STACK_SLOTS + (offset))); \
        slot_value_;                                                                \
    })
#endif

static inline unsigned arch_cpu_index(void)
{
#if CONFIG_MAX_NUM_NODES > 1
    return (unsigned)ARCH_STACK_SLOT(0);
#else
    return 0;
#endif
}

#if CONFIG_MAX_NUM_NODES > 1
/* This core's struct node (kernel/node.h NODE). */
static inline void *arch_cpu_node(void)
{
    return (void *)ARCH_STACK_SLOT(8);
}
#endif
#endif

#endif
