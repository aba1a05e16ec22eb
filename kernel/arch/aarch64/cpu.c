/*
 * The processor as generic kernel code needs it: user access to the FPU,
 * counters and timer at boot, idling, halting, and the physical address size.
 */
#include <arch/machine.h>
#include <arch/sysreg.h>
#include <arch/switch.h>
#include <arch/vspace.h>
#include <arch/debug.h>
#include <arch/cpu_state.h>
#include <arch/vcpu.h>

#ifdef CONFIG_KERNEL_EL2
static void el2_init(void)
{
    write_sysreg(hcr_el2, HCR_NATIVE);
    write_sysreg(vtcr_el2, VTCR_VALUE);
    write_sysreg(vttbr_el2, vspace_idle_ttbr0());
    write_sysreg(cnthctl_el2, CNTHCTL_NATIVE);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(sctlr_el1, SCTLR_EL1_NATIVE);
    write_sysreg(cpacr_el1, CPACR_FPEN_NONE);   /* FP traps are CPTR_EL2's */
    isb();
    __asm__ volatile("tlbi alle1is; dsb ish; isb" ::: "memory");
}
#endif

void arch_cpu_init(void)
{
#ifdef CONFIG_KERNEL_EL2
    el2_init();
#endif
#ifndef CONFIG_KERNEL_EL2
    /* EL0 may read CTR_EL0 and maintain caches by address (the loader
       turned the MMU and caches on; the rest of SCTLR_EL1 stays). */
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_EL1_USER_CACHE_OPS);
#endif
    /* FP/SIMD traps at EL0 until a thread first uses it (arch/aarch64/fpu.c). */
    write_sysreg(FPU_TRAP_REG, FPU_USER_TRAPS);
    write_sysreg(cntkctl_el1, CNTKCTL_NATIVE);
#ifdef CONFIG_BENCHMARK
    /* The cycle counter runs and EL0 may read it: PMCR.E|C, PMCNTENSET.C,
       PMUSERENR.EN|CR. */
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | BIT(0) | BIT(2));
    write_sysreg(pmcntenset_el0, BIT(31));
    write_sysreg(pmuserenr_el0, BIT(0) | BIT(2));
#ifdef CONFIG_KERNEL_EL2
    /* PMCCFILTR_EL0.NSH: count at EL2 too, or the kernel's own
       instructions would be missing from every figure. */
    write_sysreg(pmccfiltr_el0, BIT(27));
#endif
#endif
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_init();
#endif
    isb();
}

unsigned arch_phys_addr_bits(void)
{
    static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
    word_t range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    return range < ARRAY_SIZE(bits) ? MIN(bits[range], 48u) : 48;
}

void arch_enter_idle(void)
{
    /* No guest either: its virtual interface and timer stay quiet (their
       events could not be delivered to anyone while idle). */
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    vcpu_switch(NULL);
#endif
    /* No user mappings while idle: an empty table, ASID (or VMID) 0. */
    write_sysreg(USER_SPACE_REG, vspace_idle_ttbr0());
    isb();
}

void arch_wait_for_interrupt(void)
{
    wfi();
}

bool arch_interrupt_pending(void)
{
    /* ISR_EL1.I: the IRQ line to this core is asserted, masked or not. */
    return read_sysreg(isr_el1) & BIT(7);
}

_Noreturn void arch_halt(void)
{
    for (;;)
        __asm__ volatile("msr daifset, #0xf; wfi" ::: "memory");
}
