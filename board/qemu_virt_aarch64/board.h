/* QEMU virt (AArch64): device facts used by the loader and the kernel. */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "qemu_virt_aarch64"
#define BOARD_UART_PHYS     0x09000000UL    /* PL011 */
#define BOARD_GICD_PHYS     0x08000000UL    /* GICv2 distributor */
#define BOARD_GICC_PHYS     0x08010000UL    /* GICv2 CPU interface */
#define BOARD_MAX_IRQ       159             /* highest GIC INTID in use */
#define BOARD_KERNEL_TIMER_IRQ 27           /* EL1 virtual timer, PPI 11 */
#define BOARD_PMU_IRQ       23              /* PMU overflow, PPI 7 (CONFIG_PROFILER) */
/* QEMU runs with virtualization=on, so PSCI is reached with SMC (HVC without it). */
#define BOARD_PSCI_USE_SMC  1
/* The loader puts every interrupt in non-secure Group 1 when entered at EL3/EL2. */
#define BOARD_GIC_NEEDS_GROUP_SETUP 1

#endif
