/*
 * The other cores (CONFIG_MAX_NUM_NODES > 1): the boot core starts each one
 * with PSCI CPU_ON at secondary_entry (head.S), one at a time. A secondary
 * reaches the kernel's EL as the boot core did, turns its MMU on with the
 * same boot page tables and enters the kernel with its index in x6; the
 * kernel holds it until the boot core has set everything up.
 */
#include <board.h>

#include <arch/psci.h>

#include "loader.h"
#include "sysreg.h"
#include "image_layout.h"

#if CONFIG_MAX_NUM_NODES > 1

_Static_assert(CONFIG_MAX_NUM_NODES <= BOARD_MAX_CORES, "more cores configured than the board has");

#define START_TIMEOUT_MS    1000

extern char secondary_entry[], _secondary_stacks[];

/* Set by each secondary once its MMU is on (so the two see the same memory). */
static volatile uint64_t core_started[CONFIG_MAX_NUM_NODES];
/* Where the kernel starts; written with the boot core's MMU on, read with theirs. */
static uint64_t kernel_entry;

static bool wait_for_core(unsigned core)
{
    uint64_t freq = read_sysreg(cntfrq_el0);
    uint64_t end = read_sysreg(cntpct_el0) + freq / 1000 * START_TIMEOUT_MS;
    while (!core_started[core]) {
        if (read_sysreg(cntpct_el0) > end)
            return false;
        __asm__ volatile("wfe" ::: "memory");
    }
    return true;
}

void smp_start_secondaries(const struct payload_header *payload, unsigned entry_el)
{
    /* Entered at EL3, the loader is the firmware: nothing answers PSCI. */
    if (entry_el == 3)
        fatal("%u cores are configured, but there is no firmware to start them with "
              "(PSCI): the loader was entered at EL3; build one core (MAX_NUM_NODES=1)",
              CONFIG_MAX_NUM_NODES);
    kernel_entry = payload->kernel_entry;
    __asm__ volatile("dsb sy" ::: "memory");
    for (unsigned core = 1; core < CONFIG_MAX_NUM_NODES; core++) {
        uint64_t mpidr = BOARD_CORE_MPIDR(core);
        int64_t err = psci_call(PSCI_CPU_ON_64, mpidr, (uintptr_t)secondary_entry, core);
        if (err)
            fatal("PSCI CPU_ON for core %u (MPIDR 0x%lx) failed: %ld", core, mpidr, err);
        if (!wait_for_core(core))
            fatal("core %u (MPIDR 0x%lx) did not start within %u ms", core, mpidr,
                  START_TIMEOUT_MS);
    }
    log_info("%u cores started (the others at EL%u too)", CONFIG_MAX_NUM_NODES, KERNEL_EL);
}

/* Called by head.S's secondary_entry on the core's own stack, MMU off. */
void loader_secondary_main(uint64_t core, uint64_t el)
{
    el_enter_kernel_el((unsigned)el);
    /*
     * This stack was written with the caches off; drop any line another
     * core's cache might hold for it before reading it through the cache.
     */
    uint64_t stack = (uintptr_t)_secondary_stacks + (core - 1) * LOADER_SECONDARY_STACK;
    dcache_invalidate_range(stack, stack + LOADER_SECONDARY_STACK);
    mmu_enable_secondary();
    core_started[core] = 1;
    __asm__ volatile("dsb sy; sev" ::: "memory");
    kernel_enter(0, 0, 0, 0, 0, 0, kernel_entry, core);
}

#else

void smp_start_secondaries(const struct payload_header *payload, unsigned entry_el)
{
    (void)payload;
    (void)entry_el;
}

void loader_secondary_main(uint64_t core, uint64_t el)
{
    (void)core;
    (void)el;
    halt();
}

#endif
