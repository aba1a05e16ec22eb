/*
 * PSCI (Arm DEN0022) calls to the firmware, shared by the loader (CPU_ON
 * for the other cores) and the kernel (SYSTEM_OFF). The conduit is chosen
 * at run time, the same way in both: SMC where EL3 or EL2 exists (the
 * Odroid-C4's BL31; QEMU virt with virtualization=on emulates firmware
 * behind SMC), HVC where neither does (QEMU virt without EL2 takes PSCI
 * on HVC, and an SMC there is an undefined instruction). The board's
 * device tree says the same (BOARD_PSCI_USE_SMC, tests/host/dtb).
 */
#ifndef ARCH_PSCI_H
#define ARCH_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_CPU_ON_64      0xc4000003ul
#define PSCI_SYSTEM_OFF     0x84000008ul

static inline bool psci_conduit_is_smc(void)
{
    uint64_t pfr0;
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    bool has_el2 = (pfr0 >> 8) & 0xf;
    bool has_el3 = (pfr0 >> 12) & 0xf;
    return has_el2 || has_el3;
}

static inline int64_t psci_call(uint64_t function, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    /* SMCCC lets the firmware change x4..x17 too; x18 (the kernel's NODE
       with several cores, arch/smp.h) it must keep, but QEMU's PSCI does
       not, so it is kept here (in x9, clobbered anyway). */
#define PSCI_TRAP(insn)                                                         \
    __asm__ volatile("mov x9, x18\n\t" insn " #0\n\tmov x18, x9"             \
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)                    \
                     :                                                           \
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",  \
                       "x13", "x14", "x15", "x16", "x17", "memory")
    if (psci_conduit_is_smc())
        PSCI_TRAP("smc");
    else
        PSCI_TRAP("hvc");
#undef PSCI_TRAP
    return (int64_t)x0;
}

#endif
