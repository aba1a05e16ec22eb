/*
 * PMU sampling for the profiler (CONFIG_PROFILER, arch/pmu.h): event
 * counter 0 counts CPU cycles or instructions at EL0 and EL1 (and EL2 when
 * the kernel runs there) and
 * overflows every `period` events, raising the PMU interrupt
 * (BOARD_PMU_IRQ). The cycle counter PMCCNTR stays free for the benchmark
 * configuration. Register facts: Arm ARM, D13 (PMU registers).
 *
 * The user call chain follows AArch64 frame records ([fp] = the caller's
 * fp, [fp + 8] = the return address), read through the thread's own page
 * tables (stage 1 under an EL1 kernel, stage 2 under EL2) and the kernel
 * window: a record is used only if its page is mapped readable by the
 * thread, in normal memory, in RAM. Garbage ends the walk; a guest's EL1
 * has no chain.
 */
#include <arch/pmu.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>
#include <arch/pte.h>
#include <arch/mmu.h>
#include <profiler.h>

#define PMCR_E          BIT(0)      /* counters enabled */
#define PMEVTYPER_NSH   BIT(27)     /* set: count at EL2 too */
/* What the counter counts besides EL0 and EL1: the kernel itself when it
   runs at EL2, so that its time is sampled as an EL1 kernel's is. */
#ifdef CONFIG_KERNEL_EL2
#define EVENT_FILTER    PMEVTYPER_NSH
#else
#define EVENT_FILTER    0
#endif
#define COUNTER0        BIT(0)
#define EVENT_INST_RETIRED 0x08
#define EVENT_CPU_CYCLES   0x11

static word_t period_events, reload;   /* reload: one period before overflow (32 bits) */

bool arch_pmu_event_supported(word_t event)
{
    return event == PROFILER_CYCLES || event == PROFILER_INSTRUCTIONS;
}

void arch_pmu_start(word_t event, word_t period)
{
    arch_pmu_stop();
    period_events = period;
    reload = (BIT(32) - period) & MASK(32);
    write_sysreg(pmselr_el0, 0);
    isb();
    write_sysreg(pmxevtyper_el0, EVENT_FILTER | (event == PROFILER_INSTRUCTIONS ? EVENT_INST_RETIRED
                                                                                : EVENT_CPU_CYCLES));
    write_sysreg(pmevcntr0_el0, reload);
    write_sysreg(pmovsclr_el0, COUNTER0);
    write_sysreg(pmintenset_el1, COUNTER0);
    write_sysreg(pmcntenset_el0, COUNTER0);
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
    isb();
}

void arch_pmu_stop(void)
{
    write_sysreg(pmcntenclr_el0, COUNTER0);
    write_sysreg(pmintenclr_el1, COUNTER0);
    write_sysreg(pmovsclr_el0, COUNTER0);
    isb();
}

void arch_pmu_rearm(void)
{
    /* Keep what counted since the overflow, so that the next sample is one
       period after this one was due; an interrupt taken more than a period
       late starts a fresh period. */
    word_t since = read_sysreg(pmevcntr0_el0) & MASK(32);
    write_sysreg(pmevcntr0_el0, since < period_events ? reload + since : reload);
    write_sysreg(pmovsclr_el0, COUNTER0);
    isb();
}

/* The word at user address va of t, if t may read it and it is RAM. */
static bool read_user_word(page_table_t *root, vaddr_t va, uint64_t *out)
{
    if (va & 7 || va > seL4_UserTop)
        return false;
    pt_slot_t s = vspace_lookup_pt_slot(root, va);
    word_t pte = *s.pte;
    if (!pte_is_page(pte, s.bits) || !pte_user_reads_normal_memory(pte))
        return false;
    paddr_t pa = (pte_address(pte) & ~MASK(s.bits)) | (va & MASK(s.bits));
    if (!mmu_is_kernel_ram(pa, sizeof(uint64_t)))
        return false;
    *out = *(const volatile uint64_t *)ptr_from_paddr(pa);
    return true;
}

unsigned arch_user_call_chain(const tcb_t *t, uint64_t *chain, unsigned max)
{
    /* A guest's kernel (EL1, SPSR.M[3:2] = 1): its frame records are in its
       own address space, which the VSpace does not translate. */
    if ((t->arch.ctx.spsr >> 2) & 3)
        return 0;
    page_table_t *root = vspace_of_cap(t->caps[tcb_vspace_root].cap);
    uint64_t fp = t->arch.ctx.x[29], next, ret;
    unsigned n = 0;
    while (root && n < max && fp && read_user_word(root, fp, &next) &&
           read_user_word(root, fp + 8, &ret) && ret) {
        chain[n++] = ret;
        if (next <= fp)     /* frames go up the stack; anything else is not a chain */
            break;
        fp = next;
    }
    return n;
}
