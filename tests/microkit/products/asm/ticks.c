/* GNU C as Microkit PDs use it: inline assembly (`asm`, not `__asm__`),
 * typeof and statement expressions. Reads the generic timer. */
#include <stdint.h>
#include <microkit.h>

#ifndef VARIANT
#define VARIANT 1
#endif

#define read_sysreg(reg) ({ uint64_t v_; asm volatile("mrs %0, " #reg : "=r"(v_)); v_; })

static inline void barrier(void)
{
    asm volatile("isb" ::: "memory");
}

void init(void)
{
    typeof(read_sysreg(cntfrq_el0)) hz = read_sysreg(cntfrq_el0);
    barrier();
    uint64_t before = read_sysreg(cntvct_el0);
    for (volatile int i = 0; i < 10000; i++)
        ;
    barrier();
    uint64_t after = read_sysreg(cntvct_el0);
    microkit_dbg_puts("ticks: the generic timer runs at ");
    microkit_dbg_put32(hz / 1000000);
    microkit_dbg_puts(" MHz and ");
    microkit_dbg_puts(after > before ? "advances" : "stands still");
    microkit_dbg_puts("\nticks: variant ");
    microkit_dbg_put32(VARIANT);
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
}
