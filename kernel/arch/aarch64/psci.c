/*
 * Power off through the firmware's PSCI (arch/psci.h chooses the conduit).
 */
#include <arch/machine.h>
#include <arch/psci.h>
#include <arch/sysreg.h>
#include <kernel/print.h>
#include <kernel/assert.h>
#include <serial.h>

_Noreturn void machine_power_off(void)
{
    kprintf("KERNEL|INFO: system power off\n");
#ifdef CONFIG_PRINTING
    serial_flush();
#endif
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    kernel_panic("PSCI SYSTEM_OFF returned");
}
