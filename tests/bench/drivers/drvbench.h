/*
 * Shared by the driver benchmark PDs (scripts/bench_drivers.py, make bench):
 * instructions counted by PMU event counter 0 programmed for INST_RETIRED
 * (event 0x08), which QEMU counts exactly under -icount and which, unlike
 * the cycle counter there, does not advance while the CPU sleeps; every PD
 * and the kernel are counted. Times come from the generic counter. Needs
 * CONFIG_BENCHMARK=y (EL0 access to the PMU).
 */
#ifndef DRVBENCH_H
#define DRVBENCH_H

#include <microkit.h>
#include <timer/generic_counter.h>

static inline void insns_start(void)
{
    __asm__ volatile("msr pmevtyper0_el0, %0\n"
                     "msr pmcntenset_el0, %1\n"
                     "isb" :: "r"(0x08ul), "r"(1ul) : "memory");
}

static inline uint64_t insns(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v) :: "memory");
    return v;
}

static inline uint64_t ticks(void)
{
    return generic_counter();
}

static inline void put_u64(uint64_t n)
{
    char d[20];
    int i = 0;
    do d[i++] = (char)('0' + n % 10); while (n /= 10);
    while (i)
        microkit_dbg_putc(d[--i]);
}

/* "BENCH|DRV <key> n=<n> insns=<total> ns=<total>" */
static inline void report(const char *key, uint64_t n, uint64_t total_insns, uint64_t total_ticks)
{
    microkit_dbg_puts("BENCH|DRV ");
    microkit_dbg_puts(key);
    microkit_dbg_puts(" n=");
    put_u64(n);
    microkit_dbg_puts(" insns=");
    put_u64(total_insns);
    microkit_dbg_puts(" ns=");
    put_u64(generic_counter_convert(total_ticks, generic_counter_freq(), 1000000000ull));
    microkit_dbg_puts("\n");
}

#endif
