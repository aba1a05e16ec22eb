/*
 * Entering a thread's world on the way out of the kernel: its address space
 * (TTBR0, ASID tagged, so no TLB flush) and its FPU access, then its
 * registers, TLS ones included (restore_user_context). Inline because the
 * IPC fast path runs it on every switch.
 */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <object/structures.h>
#include <arch/sysreg.h>
#include <arch/debug.h>
#include <arch/vcpu.h>
#include <kernel/smp.h>

#define CPACR_FPEN_TRAP_EL0 (1ull << 20)    /* EL1 may use the FPU, EL0 traps */
#define CPACR_FPEN_NONE     (3ull << 20)    /* nobody traps */
#define CPTR_EL2_RES1       0x33ffull
#define CPTR_EL2_TFP        (1ull << 10)    /* FP/SIMD at EL1/EL0 traps to EL2 */

/*
 * A user address space is TTBR0_EL1 (root | ASID << 48) under an EL1
 * kernel, VTTBR_EL2 (stage-2 root | VMID << 48) under an EL2 one; who may
 * use the FPU without trapping is CPACR_EL1 or CPTR_EL2 respectively (the
 * EL2 kernel's own FP use never traps: CPTR_EL2 traps lower ELs only).
 */
#ifdef CONFIG_KERNEL_EL2
#define USER_SPACE_REG      vttbr_el2
#define FPU_TRAP_REG        cptr_el2
#define FPU_USER_TRAPS      (CPTR_EL2_RES1 | CPTR_EL2_TFP)
#define FPU_USER_FREE       CPTR_EL2_RES1
#else
#define USER_SPACE_REG      ttbr0_el1
#define FPU_TRAP_REG        cpacr_el1
#define FPU_USER_TRAPS      CPACR_FPEN_TRAP_EL0
#define FPU_USER_FREE       CPACR_FPEN_NONE
#endif

/* arch/aarch64/vspace.c: bumped whenever some thread's VSpace may change. */
extern word_t vspace_generation;
/* Work out (and cache in t) the TTBR0 value t runs with. */
word_t vspace_thread_ttbr0(tcb_t *t);
/* arch/aarch64/fpu.c: the thread whose registers are in this core's FPU. */
#define fpu_owner (NODE->arch.fpu)

/* Is t's cached TTBR0 value still good (no VSpace change since)? */
static inline bool arch_vspace_cached(const tcb_t *t)
{
    return t->arch.ttbr0_generation == vspace_generation;
}

/* Switch with the TTBR0 value `ttbr0` (t's, already worked out). */
static inline void arch_switch_to_thread_with(tcb_t *t, word_t ttbr0)
{
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    vcpu_switch(t->arch.vcpu);
#endif
    if (read_sysreg(USER_SPACE_REG) != ttbr0) {
        write_sysreg(USER_SPACE_REG, ttbr0);
        isb();
    }
    /* Only the FPU's owner may use it directly; anyone else traps once. A
       thread with the FPU disabled never owns it (SetFlags releases it). */
    write_sysreg(FPU_TRAP_REG, t == fpu_owner ? FPU_USER_FREE : FPU_USER_TRAPS);
    isb();
}

static inline void arch_switch_to_thread(tcb_t *t)
{
    arch_switch_to_thread_with(t, arch_vspace_cached(t) ? t->arch.ttbr0 : vspace_thread_ttbr0(t));
#ifdef CONFIG_HARDWARE_DEBUG_API
    /* Debug registers: nothing to do while no thread uses them (arch/debug.h). */
    if (arch_debug_in_use)
        arch_debug_switch(t);
#endif
}

/* May the IPC fast path enter t as it is: its cached TTBR0 still good, and
   no debug registers to load (the general path loads them)? */
static inline bool arch_fastpath_can_enter(const tcb_t *t)
{
#ifdef CONFIG_HARDWARE_DEBUG_API
    if (arch_debug_in_use)
        return false;
#endif
    return arch_vspace_cached(t);
}

/* Run t at user level (its address space is already switched to). */
static inline _Noreturn void arch_enter_user(tcb_t *t)
{
    restore_user_context(&t->arch.ctx);
}

/*
 * The IPC fast path's exit: switch to t, whose cached TTBR0 the caller
 * checked, and restore its registers by a jump rather than a call, so the
 * fast path stays a leaf function without a stack frame.
 */
static inline __attribute__((always_inline)) _Noreturn void arch_fastpath_enter_user(tcb_t *t)
{
    arch_switch_to_thread_with(t, t->arch.ttbr0);
    kernel_lock_release();
    __asm__ volatile("mov x0, %0\n\tb restore_user_context" :: "r"(&t->arch.ctx) : "x0", "memory");
    __builtin_unreachable();
}

#endif
