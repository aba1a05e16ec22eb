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
#include <kernel/assert.h>

#define CPACR_FPEN_TRAP_EL0 (1ull << 20)    /* EL1 may use the FPU, EL0 traps */
#define CPACR_FPEN_NONE     (3ull << 20)    /* nobody traps */
#define CPTR_EL2_RES1       0x33ffull
#define CPTR_EL2_TFP        (1ull << 10)    /* FP/SIMD at EL1/EL0 traps to EL2 */

/*
 * A user address space is TTBR0_EL1 (root | ASID << 48) under an EL1
 * kernel, VTTBR_EL2 (stage-2 root | VMID << 48) under an EL2 one; who may
 * use the FPU without trapping is CPACR_EL1 or CPTR_EL2 respectively. CPACR
 * as set here never traps the EL1 kernel; CPTR_EL2.TFP traps the EL2
 * kernel's own FP accesses too (E2H = 0), so an EL2 kernel lets itself use
 * the FPU (with an ISB) before it moves FP registers.
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
/* Make t the FPU's owner now (its registers loaded, the owner's saved). */
void fpu_switch_to(tcb_t *t);
/* The same as the fast path's exit: save into `save` (unless NULL), load
   `load`, then restore_user_context(ctx). */
_Noreturn void restore_user_context_fpu(user_context_t *ctx, fpu_state_t *save,
                                        const fpu_state_t *load);

/*
 * FPU policy: lazy, eager for threads known to use it. A thread's first FP
 * instruction traps and loads its registers (fpu.c); from then on a switch
 * to it loads them eagerly, FPU_EAGER_SWITCHES times, after which it
 * traps once more if it still uses the FPU. A thread that never uses it
 * never pays, and one that stops pays a trap-free switch at most that many
 * times.
 */
#define FPU_EAGER_SWITCHES 128

static ALWAYS_INLINE bool arch_fpu_load_eagerly(const tcb_t *t)
{
    return t != fpu_owner && t->arch.fpu_eager;
}

/* Only the FPU's owner may use it directly; anyone else traps once. A
   thread with the FPU disabled never owns it (SetFlags releases it). */
static ALWAYS_INLINE void arch_fpu_allow(const tcb_t *t)
{
    write_sysreg(FPU_TRAP_REG, t == fpu_owner ? FPU_USER_FREE : FPU_USER_TRAPS);
}

/* Is t's cached TTBR0 value still good (no VSpace change since)? */
static inline bool arch_vspace_cached(const tcb_t *t)
{
    return t->arch.ttbr0_generation == vspace_generation;
}

/*
 * t's address space (and guest state), with the TTBR0 value `ttbr0`. These
 * writes need no ISB: from here to the eret that enters t the kernel
 * touches no user address and no FP register an EL0 setting affects, and
 * the eret synchronises the context (SCTLR_ELx.EOS is set: cpu_state.h).
 */
static ALWAYS_INLINE void arch_switch_user_space(word_t ttbr0)
{
    if (read_sysreg(USER_SPACE_REG) != ttbr0)
        write_sysreg(USER_SPACE_REG, ttbr0);
}

static ALWAYS_INLINE void arch_switch_space(tcb_t *t, word_t ttbr0)
{
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    vcpu_switch(t->arch.vcpu);
#else
    (void)t;
#endif
    arch_switch_user_space(ttbr0);
}

static inline void arch_switch_to_thread(tcb_t *t)
{
    arch_switch_space(t, arch_vspace_cached(t) ? t->arch.ttbr0 : vspace_thread_ttbr0(t));
    if (unlikely(arch_fpu_load_eagerly(t)))
        fpu_switch_to(t);
    arch_fpu_allow(t);
#ifdef CONFIG_HARDWARE_DEBUG_API
    /* Debug registers: nothing to do while no thread uses them (arch/debug.h). */
    if (arch_debug_in_use)
        arch_debug_switch(t);
#endif
}

/* May the IPC fast path enter t as it is: its cached TTBR0 still good, and
   no debug registers to load (the general path loads them)? A thread with
   a VCPU never has a cached TTBR0 (vspace_thread_ttbr0), so this one
   compare also keeps guests off the fast path. */
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
static ALWAYS_INLINE _Noreturn void arch_fastpath_enter_user(tcb_t *t)
{
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    /* No VCPU state to switch: the thread that entered by a system call is
       native, so no VCPU is enabled on this core, and neither is one for t
       (arch_fastpath_can_enter). */
    assert(!t->arch.vcpu && !NODE->arch.vcpu_enabled);
#endif
    arch_switch_user_space(t->arch.ttbr0);
    tcb_t *owner = fpu_owner;
    if (unlikely(t != owner && t->arch.fpu_eager)) {
        /* As fpu_switch_to, the registers moved by restore_user_context_fpu. */
        t->arch.fpu_eager--;
        fpu_owner = t;
        arch_fpu_allow(t);
#ifdef CONFIG_KERNEL_EL2
        isb();      /* restore_user_context_fpu's FP accesses: TFP traps EL2 too */
#endif
        kernel_lock_release_local();
        register word_t ctx __asm__("x0") = (word_t)&t->arch.ctx;
        register word_t save __asm__("x1") = owner ? (word_t)&owner->fpu : 0;
        register word_t load __asm__("x2") = (word_t)&t->fpu;
        __asm__ volatile("b restore_user_context_fpu" :: "r"(ctx), "r"(save), "r"(load) : "memory");
        __builtin_unreachable();
    }
    arch_fpu_allow(t);
    kernel_lock_release_local();
    __asm__ volatile("mov x0, %0\n\tb restore_user_context" :: "r"(&t->arch.ctx) : "x0", "memory");
    __builtin_unreachable();
}

/*
 * A fast path's exit to the thread that entered, which goes on: its
 * address space, FPU access and debug registers are as the last exit to it
 * left them (the caller checked that nothing would change them), so only
 * its registers are restored.
 */
static ALWAYS_INLINE _Noreturn void arch_fastpath_resume_user(tcb_t *t)
{
    kernel_lock_release_local();
    __asm__ volatile("mov x0, %0\n\tb restore_user_context" :: "r"(&t->arch.ctx) : "x0", "memory");
    __builtin_unreachable();
}

#endif
