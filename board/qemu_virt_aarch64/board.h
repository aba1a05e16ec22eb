/*
 * QEMU virt (AArch64): the board's device facts. The loader and the kernel
 * include this file; system descriptions use every value below as
 * ${NAME} (docs/drivers.md, "Board devices in a system description").
 */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "qemu_virt_aarch64"
#define BOARD_UART_PHYS     0x09000000UL    /* PL011 */
#define BOARD_GICD_PHYS     0x08000000UL    /* GICv2 distributor */
#define BOARD_GICC_PHYS     0x08010000UL    /* GICv2 CPU interface */
#define BOARD_GICH_PHYS     0x08030000UL    /* virtual interface control (EL2 kernel) */
#define BOARD_GICV_PHYS     0x08040000UL    /* virtual CPU interface (for guests) */
#define BOARD_MAX_IRQ       159             /* highest GIC INTID in use */
#define BOARD_MAX_CORES     4               /* make qemu runs -smp CONFIG_MAX_NUM_NODES */
/* MPIDR affinity of core n (PSCI CPU_ON's target): Aff0 = n. */
#define BOARD_CORE_MPIDR(n) ((unsigned long)(n))
#define BOARD_PMU_IRQ(core) 23              /* each core's PMU overflow, PPI 7 (CONFIG_PROFILER) */
/* QEMU sees an event counter's overflow late unless a second counter runs
   one event behind it (kernel/arch/aarch64/pmu.c). */
#define BOARD_PMU_SHADOW_COUNTER 1
/* QEMU runs with virtualization=on, so PSCI is reached with SMC (HVC without it). */
#define BOARD_PSCI_USE_SMC  1
/* The loader puts every interrupt in non-secure Group 1 when entered at EL3/EL2. */
#define BOARD_GIC_NEEDS_GROUP_SETUP 1


/* Devices of the PD drivers (drivers/): program, registers, interrupt. The
   serial driver shares the kernel's debug UART (BOARD_UART_PHYS). */
#define BOARD_SERIAL_DRIVER     serial_pl011
#define BOARD_UART_IRQ          33              /* SPI 1 */
#define BOARD_UART_TRIGGER      level
/* EL1 physical timer (the kernel has the virtual one): system registers, no MMIO. */
#define BOARD_TIMER_DRIVER      timer_arm
#define BOARD_TIMER_IRQ         30              /* PPI 14 */
#define BOARD_TIMER_TRIGGER     level
/* virtio-mmio transports 0 and 8 (virtio-mmio-bus.0 and .8 on the QEMU
   command line), one register page each. */
#define BOARD_BLOCK_DRIVER      blk_virtio
#define BOARD_BLOCK_PHYS        0x0a000000
#define BOARD_BLOCK_SIZE        0x1000
#define BOARD_BLOCK_IRQ         48              /* SPI 16 */
#define BOARD_BLOCK_TRIGGER     level
#define BOARD_NET_DRIVER        net_virtio
#define BOARD_NET_PHYS          0x0a001000
#define BOARD_NET_SIZE          0x1000
#define BOARD_NET_IRQ           56              /* SPI 24 */
#define BOARD_NET_TRIGGER       level

#endif
