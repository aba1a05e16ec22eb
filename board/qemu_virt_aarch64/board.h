/* QEMU virt (AArch64): device facts used by the loader and the kernel. */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "qemu_virt_aarch64"
#define BOARD_UART_PHYS     0x09000000UL    /* PL011 */
#define BOARD_GICD_PHYS     0x08000000UL    /* GICv2 distributor */
#define BOARD_GICC_PHYS     0x08010000UL    /* GICv2 CPU interface */
#define BOARD_GICH_PHYS     0x08030000UL    /* virtual interface control (EL2 kernel) */
#define BOARD_GICV_PHYS     0x08040000UL    /* virtual CPU interface (for guests) */
#define BOARD_MAX_IRQ       159             /* highest GIC INTID in use */
/* QEMU runs with virtualization=on, so PSCI is reached with SMC (HVC without it). */
#define BOARD_PSCI_USE_SMC  1
/* The loader puts every interrupt in non-secure Group 1 when entered at EL3/EL2. */
#define BOARD_GIC_NEEDS_GROUP_SETUP 1

#endif
