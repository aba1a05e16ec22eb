/*
 * The processor as generic kernel code needs it: user access to the FPU,
 * counters and timer at boot, idling, halting, and the physical address size.
 */
#include <arch/machine.h>
#include <arch/sysreg.h>
#include <arch/switch.h>
#include <arch/vspace.h>
#include <arch/debug.h>

void arch_cpu_init(void)
{
    /* FP/SIMD traps at EL0 until a thread first uses it (arch/aarch64/fpu.c). */
    write_sysreg(cpacr_el1, CPACR_FPEN_TRAP_EL0);
    /* EL0 may read both counters and the frequency (CNTKCTL_EL1.EL0PCTEN,
       EL0VCTEN) and drive the EL1 physical timer (EL0PTEN) for a user-level
       timer driver; the virtual timer stays the kernel's (EL0VTEN clear). */
    write_sysreg(cntkctl_el1, BIT(0) | BIT(1) | BIT(9));
#ifdef CONFIG_BENCHMARK
    /* The cycle counter runs and EL0 may read it: PMCR.E|C, PMCNTENSET.C,
       PMUSERENR.EN|CR. */
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | BIT(0) | BIT(2));
    write_sysreg(pmcntenset_el0, BIT(31));
    write_sysreg(pmuserenr_el0, BIT(0) | BIT(2));
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
    /* No user mappings while idle: an empty table, ASID 0. */
    write_sysreg(ttbr0_el1, vspace_idle_ttbr0());
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
