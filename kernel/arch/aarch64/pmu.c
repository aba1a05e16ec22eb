/*
 * PMU sampling for the profiler (CONFIG_PROFILER, arch/pmu.h): event
 * counter 0 counts CPU cycles or instructions at EL0 and EL1, and at EL2
 * when the kernel runs there (the kernel and its threads are counted alike
 * at either level; guests at EL1 too), and overflows after as many events
 * as the profiler asks for each time, raising this core's PMU interrupt
 * (BOARD_PMU_IRQ(core)), which reaches the kernel at its own EL. Each core
 * has its own PMU: every function here works on the core it runs on. The
 * cycle counter PMCCNTR stays free for the benchmark configuration.
 * Register facts: Arm ARM, D13 (PMU registers).
 *
 * The user call chain follows AArch64 frame records ([fp] = the caller's
 * fp, [fp + 8] = the return address), read through the thread's own page
 * tables (stage 2 under the EL2 kernel: a native thread's addresses are
 * its intermediate physical addresses) and the kernel window: a record is
 * used only if its page is mapped readable by the thread, in normal
 * memory, in RAM. Garbage ends the walk. A guest's frame records are in
 * its own address space, which the kernel does not walk: no chain.
 */
#include <arch/pmu.h>
#include <arch/sysreg.h>
#include <arch/vspace.h>
#include <arch/pte.h>
#include <arch/mmu.h>
#include <profiler.h>
#include <board.h>

#define PMCR_E          BIT(0)      /* counters enabled */
/* PMEVTYPER<n>_EL0 filter: P (bit 31) and U (bit 30) clear count at EL1
   and EL0; NSH counts at EL2 as well, where the EL2 kernel runs. */
#define PMEVTYPER_NSH   BIT(27)
#ifdef CONFIG_KERNEL_EL2
#define PMEVTYPER_FILTER PMEVTYPER_NSH
#else
#define PMEVTYPER_FILTER 0
#endif
#define COUNTER0        BIT(0)
#define EVENT_INST_RETIRED 0x08
#define EVENT_CPU_CYCLES   0x11

/*
 * QEMU (BOARD_PMU_SHADOW_COUNTER): its event counters predict their
 * overflow one event early (target/arm's pmevcntr_op_finish() arms its
 * timer for -(count + 1) events). When that timer fires the counter reads
 * 0xffffffff, nothing has overflowed, and the prediction made then is 0
 * events, which arms no timer: the overflow is only seen at the next
 * exception-level change or PMU register access, up to a kernel timer
 * tick later. Counter 1 counts the same events one behind counter 0: its
 * own early timer fires at counter 0's real overflow and raises the
 * interrupt on time. It never interrupts itself. The cycle counter, whose
 * prediction is exact, stays the benchmark configuration's.
 */
#if BOARD_PMU_SHADOW_COUNTER
#define COUNTERS        (COUNTER0 | BIT(1))
#define set_counters(value) do {                                            \
        write_sysreg(pmevcntr0_el0, (value));                               \
        write_sysreg(pmevcntr1_el0, ((value) - 1) & MASK(32));              \
    } while (0)
#else
#define COUNTERS        COUNTER0
#define set_counters(value) write_sysreg(pmevcntr0_el0, (value))
#endif

/* The counter value that overflows after `events` more (1 <= events < 2^32). */
static inline word_t overflow_after(word_t events)
{
    return (BIT(32) - events) & MASK(32);
}

bool arch_pmu_event_supported(word_t event)
{
    return event == PROFILER_CYCLES || event == PROFILER_INSTRUCTIONS;
}

void arch_pmu_start(word_t event, word_t first)
{
    arch_pmu_stop();
    word_t type = PMEVTYPER_FILTER | (event == PROFILER_INSTRUCTIONS ? EVENT_INST_RETIRED
                                                                     : EVENT_CPU_CYCLES);
    write_sysreg(pmevtyper0_el0, type);
#if BOARD_PMU_SHADOW_COUNTER
    write_sysreg(pmevtyper1_el0, type);
#endif
    set_counters(overflow_after(first));    /* arch_pmu_stop cleared the overflows */
    write_sysreg(pmintenset_el1, COUNTER0);
    write_sysreg(pmcntenset_el0, COUNTERS);
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
    isb();
}

void arch_pmu_stop(void)
{
    write_sysreg(pmcntenclr_el0, COUNTERS);
    write_sysreg(pmintenclr_el1, COUNTER0);
    write_sysreg(pmovsclr_el0, COUNTERS);
    isb();
}

void arch_pmu_rearm(word_t interval)
{
    /* The counter holds what counted since the overflow: the next sample
       is `interval` after this one was due, or at once if that is past. */
    word_t since = read_sysreg(pmevcntr0_el0) & MASK(32);
    /* The overflow is cleared first: the next one may come within an
       event of the counter's write, and must not be cleared with it. */
    write_sysreg(pmovsclr_el0, COUNTERS);
    isb();
    set_counters(since < interval ? overflow_after(interval - since) : MASK(32));
    isb();
}

/* The word at user address va of t, if t may read it and it is RAM. */
static bool read_user_word(page_table_t *root, vaddr_t va, uint64_t *out)
{
    if (va & 7 || va > seL4_UserTop)
        return false;
    pt_slot_t s = vspace_lookup_pt_slot(root, va);
    word_t pte = *s.pte;
    if (!pte_is_page(pte, s.bits) || !vspace_pte_user_readable_normal(pte))
        return false;
    paddr_t pa = (pte_address(pte) & ~MASK(s.bits)) | (va & MASK(s.bits));
    if (!mmu_is_kernel_ram(pa, sizeof(uint64_t)))
        return false;
    *out = *(const volatile uint64_t *)ptr_from_paddr(pa);
    return true;
}

unsigned arch_user_call_chain(const tcb_t *t, uint64_t *chain, unsigned max)
{
    page_table_t *root = vspace_of_cap(t->caps[tcb_vspace_root].cap);
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    if (t->arch.vcpu)
        return 0;   /* a guest: its frame pointers are its own virtual addresses */
#endif
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
