/*
 * PSCI calls to firmware. The conduit is SMC where EL3 exists or where EL2
 * exists (QEMU virt with virtualization=on emulates firmware behind SMC);
 * QEMU without EL2 or EL3 takes PSCI on HVC.
 */
#include <arch/machine.h>
#include <arch/sysreg.h>
#include <kernel/print.h>
#include <kernel/assert.h>
#include <serial.h>

#define PSCI_SYSTEM_OFF 0x84000008ull

static bool psci_uses_smc(void)
{
    word_t pfr0 = read_sysreg(id_aa64pfr0_el1);
    bool has_el2 = (pfr0 >> 8) & 0xf;
    bool has_el3 = (pfr0 >> 12) & 0xf;
    return has_el2 || has_el3;
}

static word_t psci_call(word_t function)
{
    register word_t x0 __asm__("x0") = function;
    if (psci_uses_smc())
        __asm__ volatile("smc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0) :: "x1", "x2", "x3", "memory");
    return x0;
}

_Noreturn void machine_power_off(void)
{
    kprintf("KERNEL|INFO: system power off\n");
#ifdef CONFIG_PRINTING
    serial_flush();
#endif
    psci_call(PSCI_SYSTEM_OFF);
    kernel_panic("PSCI SYSTEM_OFF returned");
}
