/* Asks the firmware for its PSCI version and whether it has SYSTEM_OFF,
 * through microkit_arm_smc_call (smc="true"). */
#include <stdint.h>
#include <microkit.h>

#define PSCI_VERSION    0x84000000
#define PSCI_FEATURES   0x8400000a
#define PSCI_SYSTEM_OFF 0x84000008

void init(void)
{
    seL4_ARM_SMCContext args = { .x0 = PSCI_VERSION }, result = { 0 };
    microkit_arm_smc_call(&args, &result);
    microkit_dbg_puts("psci: version ");
    microkit_dbg_put32((uint32_t)result.x0 >> 16);
    microkit_dbg_puts(".");
    microkit_dbg_put32((uint32_t)result.x0 & 0xffff);
    args = (seL4_ARM_SMCContext){ .x0 = PSCI_FEATURES, .x1 = PSCI_SYSTEM_OFF };
    microkit_arm_smc_call(&args, &result);
    microkit_dbg_puts(result.x0 == 0 ? ", SYSTEM_OFF supported\n" : ", no SYSTEM_OFF\n");
}

void notified(microkit_channel ch)
{
}
