/*
 * The processor as generic kernel code needs it: user access to the FPU,
 * counters and timer at boot, idling, halting, and the physical address size.
 */
#include <arch/machine.h>
#include <arch/sysreg.h>
#include <arch/switch.h>
#include <arch/vspace.h>

#ifdef CONFIG_KERNEL_EL2
/* HCR_EL2 bits (Arm ARM D13.2.46). */
#define HCR_VM      BIT(0)      /* stage 2 on */
#define HCR_SWIO    BIT(1)
#define HCR_FMO     BIT(3)      /* physical FIQ, IRQ, SError to EL2 */
#define HCR_IMO     BIT(4)
#define HCR_AMO     BIT(5)
#define HCR_DC      BIT(12)     /* stage 1 off reads as Normal write-back */
#define HCR_TSC     BIT(19)     /* SMC traps to EL2 */
#define HCR_TAC     BIT(21)
#define HCR_TTLB    BIT(25)
#define HCR_TVM     BIT(26)
#define HCR_TGE     BIT(27)     /* EL0 runs under EL2: exceptions come here */
#define HCR_RW      BIT(31)     /* EL1 is AArch64 */
/* Native threads (as seL4 runs them): EL0, stage 1 off, stage 2 on. */
#define HCR_NATIVE  (HCR_VM | HCR_RW | HCR_AMO | HCR_IMO | HCR_FMO | HCR_TSC | HCR_TGE | \
                     HCR_TVM | HCR_TTLB | HCR_DC | HCR_TAC | HCR_SWIO)

/* VTCR_EL2: 40-bit IPA (T0SZ 24) from level 1 (SL0 1), write-back inner
   shareable walks, 4 KiB granule, 40-bit output (PS 2), RES1 bit 31. */
#define VTCR_VALUE  (24 | (1ull << 6) | (1ull << 8) | (1ull << 10) | (3ull << 12) | \
                     (2ull << 16) | (1ull << 31))
/* CNTHCTL_EL2: EL1 and EL0 may read the physical count and use the EL1
   physical timer (the EL2 kernel keeps the EL2 one). */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN  BIT(1)
/* SCTLR_EL1 for native threads: RES1 bits, caches on (stage 1 stays off). */
#define SCTLR_EL1_NATIVE (0x30d00800ull | BIT(2) | BIT(12))

static void el2_init(void)
{
    write_sysreg(hcr_el2, HCR_NATIVE);
    write_sysreg(vtcr_el2, VTCR_VALUE);
    write_sysreg(vttbr_el2, vspace_idle_ttbr0());
    write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
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
    /* FP/SIMD traps at EL0 until a thread first uses it (arch/aarch64/fpu.c). */
    write_sysreg(FPU_TRAP_REG, FPU_USER_TRAPS);
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
