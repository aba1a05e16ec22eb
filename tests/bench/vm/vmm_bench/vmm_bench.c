/*
 * vmm_bench: the VMM of the virtual-machine benchmark (tests/bench/vm,
 * scripts/bench_vm.py, docs/bench.md "Virtual machines"). It copies the
 * benchmark guest (guest.S) to the start of guest RAM, starts it, and
 * answers its hypercalls, counting instructions with the PMU's
 * INST_RETIRED event (programmed to count EL0, EL1 and EL2: every PD, the
 * guest and the kernel), which QEMU counts exactly under -icount. Prints
 *   BENCH|VM <key> n=<ops> insns=<total>
 * and "BENCH|VM done". Needs CONFIG_BENCHMARK=y (EL0 access to the PMU).
 */
#include <microkit.h>
#include <vmm/sel4.h>
#include <vmm/vmm.h>

#include <format.h>
#include <string.h>

#define GUEST_RAM_IPA   0x40000000ul
#define GUEST_GICD      0x08000000ul
#define BENCH_IRQ       40
#define ITERATIONS      1000

#define HVC_NOP         0xc6000000u
#define HVC_MARK        0xc6000001u
#define HVC_IRQ         0xc6000002u
#define HVC_HANDLER     0xc6000003u
#define HVC_DONE        0xc6000004u

/* INST_RETIRED, counted at EL2 too (PMEVTYPER's NSH bit). */
#define PMU_INST_RETIRED_ALL_ELS ((1ul << 27) | 0x08ul)

uintptr_t guest_ram_vaddr, guest_ram_size;
extern const char bench_guest_start[], bench_guest_end[];

static struct vmm_guest guest;
static uint64_t mark, irq_raised, irq_total;
static unsigned marks, irqs;

static uint64_t insns(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v) :: "memory");
    return v;
}

static void report(const char *key, uint64_t n, uint64_t total)
{
    char line[96];
    format_buf(line, sizeof line, "BENCH|VM %s n=%lu insns=%lu\n", key, (unsigned long)n,
               (unsigned long)total);
    microkit_dbg_puts(line);
}

static bool hypercall(struct vmm_guest *g, unsigned vcpu, const uint64_t *args, uint64_t *x0)
{
    (void)vcpu;
    uint64_t now = insns();
    switch ((uint32_t)args[0]) {
    case HVC_NOP:
        break;
    case HVC_MARK:
        if (marks++ == 1)
            report("hvc_roundtrip", ITERATIONS, now - mark);
        mark = now;
        break;
    case HVC_IRQ:
        irq_raised = insns();
        vgic_raise(&g->gic, 0, BENCH_IRQ);
        break;
    case HVC_HANDLER:
        irq_total += args[1] - irq_raised;
        irqs++;
        break;
    case HVC_DONE:
        report("irq_inject_to_handler", irqs, irq_total);
        microkit_dbg_puts("BENCH|VM done\n");
        break;
    default:
        return false;
    }
    *x0 = 0;
    return true;
}

void init(void)
{
    __asm__ volatile("msr pmevtyper0_el0, %0\n"
                     "msr pmcntenset_el0, %1\n"
                     "isb" :: "r"(PMU_INST_RETIRED_ALL_ELS), "r"(1ul) : "memory");
    struct vmm_guest_config config = {
        .name = microkit_name, .num_vcpus = 1, .ram_base = GUEST_RAM_IPA,
        .ram_size = guest_ram_size, .ram = (void *)guest_ram_vaddr, .gicd_base = GUEST_GICD,
        .hypercall = hypercall,
    };
    vmm_guest_init(&guest, &config);
    size_t size = (size_t)(bench_guest_end - bench_guest_start);
    memcpy((void *)guest_ram_vaddr, bench_guest_start, size);
    vmm_arch_sync_guest_memory((void *)guest_ram_vaddr, size);
    vmm_vcpu_boot(&guest, 0, GUEST_RAM_IPA, ITERATIONS);
}

seL4_Bool fault(microkit_child vcpu, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    return vmm_fault(&guest, vcpu, msginfo, reply);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
