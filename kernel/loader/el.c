/*
 * Reaching the EL the kernel runs at: EL1 (CONFIG_KERNEL_EL1), or EL2 for
 * the hypervisor kernel (CONFIG_KERNEL_EL2). Each step sets every register
 * that matters to a known value, since firmware may leave anything there.
 */
#include <board.h>

#include "loader.h"
#include "sysreg.h"

/* SCR_EL3 */
#define SCR_NS          (1u << 0)   /* lower ELs are non-secure */
#define SCR_RES1        (3u << 4)
#define SCR_HCE         (1u << 8)   /* HVC enabled; SMD (bit 7) stays 0: SMC enabled */
#define SCR_RW          (1u << 10)  /* EL2 is AArch64 */
/* HCR_EL2 */
#define HCR_RW          (1ul << 31) /* EL1 is AArch64; every trap bit stays 0 */
/* CNTHCTL_EL2 (E2H = 0) */
#define CNTHCTL_EL1PCTEN (1u << 0)  /* EL1/EL0 may read the physical counter */
#define CNTHCTL_EL1PCEN  (1u << 1)  /* EL1/EL0 may use the physical timer */
/* CPTR_EL2: RES1 bits only, TFP (bit 10) = 0: no FP/SIMD traps. */
#define CPTR_EL2_NO_TRAPS 0x33ffu
/* CPACR_EL1.FPEN = 0b11: FP/SIMD not trapped at EL1/EL0 until the kernel decides. */
#define CPACR_FPEN_ALL  (3u << 20)
/* SPSR: target EL with SP_ELx, D, A, I, F masked. */
#define SPSR_DAIF       (0xfu << 6)
#define SPSR_EL1H       (SPSR_DAIF | 0x5u)
#define SPSR_EL2H       (SPSR_DAIF | 0x9u)

extern char exception_vectors[];

static bool cpu_has_el2(void)
{
    return ((read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf) != 0;
}

/* EL1's own state, set from EL3 or EL2 before the eret that reaches it. */
static void prepare_el1(void)
{
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
    write_sysreg(cpacr_el1, CPACR_FPEN_ALL);
    write_sysreg(vbar_el1, (uintptr_t)exception_vectors);
}

static void leave_el3(void)
{
    bool has_el2 = cpu_has_el2();
    if (BOARD_GIC_NEEDS_GROUP_SETUP)
        gic_make_all_nonsecure();
    write_sysreg(scr_el3, SCR_NS | SCR_RES1 | SCR_RW | (has_el2 ? SCR_HCE : 0));
    write_sysreg(cptr_el3, 0);              /* no FP/SIMD traps to EL3 */
    write_sysreg(mdcr_el3, 0);              /* no debug/PMU traps to EL3 */
    if (!has_el2) {
        /* SCR_EL3.RW = 1 makes the next lower EL, EL1, AArch64. */
        prepare_el1();
        isb();
        log_info("dropping from EL3 to EL1 (non-secure; this CPU has no EL2)");
        el3_return_to_el1(SPSR_EL1H);
        return;
    }
    write_sysreg(hcr_el2, HCR_RW);          /* known EL2 state (E2H = 0) before eret */
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
    write_sysreg(vbar_el2, (uintptr_t)exception_vectors);
    isb();
    log_info("dropping from EL3 to EL2 (non-secure)");
    el3_return_to_el2(SPSR_EL2H);
    log_info("now at EL%u", current_el());
}

static void configure_el2_for_el1_kernel(void)
{
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
    write_sysreg(cnthp_ctl_el2, 0);         /* EL2 timer off: no stray interrupt */
    write_sysreg(hcr_el2, HCR_RW);
    write_sysreg(cptr_el2, CPTR_EL2_NO_TRAPS);
    write_sysreg(hstr_el2, 0);
    write_sysreg(vttbr_el2, 0);
    write_sysreg(vpidr_el2, read_sysreg(midr_el1));
    write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
    /* HPMN = every counter, no debug or PMU traps: EL1 owns the PMU. */
    write_sysreg(mdcr_el2, (read_sysreg(pmcr_el0) >> 11) & 0x1f);
}


#ifdef CONFIG_KERNEL_EL2
/*
 * The EL2 kernel owns EL2 and sets up its traps, stage 2 and timers
 * itself; until then: no traps, no stage 2, the EL2 timer off, and EL1's
 * counters and timers open as the EL1 kernel would have them.
 */
static void configure_el2_for_el2_kernel(void)
{
    configure_el2_for_el1_kernel();
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
    write_sysreg(vbar_el2, (uintptr_t)exception_vectors);
}

void el_enter_kernel_el(unsigned entry_el)
{
    if (entry_el == 3)
        leave_el3();
    if (current_el() != 2)
        fatal("the EL2 (hypervisor) kernel must be entered at EL2 or EL3, but this CPU is at "
              "EL%u: choose \"EL1\" under \"Kernel exception level\" in make menuconfig",
              current_el());
    configure_el2_for_el2_kernel();
    isb();
    log_info("running at EL2 (the kernel's EL)");
}
#else
static void leave_el2(void)
{
    configure_el2_for_el1_kernel();
    prepare_el1();
    isb();
    log_info("dropping from EL2 to EL1");
    el2_return_to_el1(SPSR_EL1H);
}

void el_enter_kernel_el(unsigned entry_el)
{
    if (entry_el == 3)
        leave_el3();
    if (current_el() == 2)
        leave_el2();
    if (current_el() != 1)
        fatal("expected to run at EL1 now, but CurrentEL is EL%u", current_el());
    if (entry_el == 1) {
        write_sysreg(cpacr_el1, CPACR_FPEN_ALL);
        isb();
    }
    log_info("running at EL1");
}
#endif
