/*
 * Odroid-C4 (Amlogic S905X3): the board's device facts. The loader and the
 * kernel include this file; system descriptions use every value below as
 * ${NAME} (docs/drivers.md, "Board devices in a system description").
 */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "odroidc4"
#define BOARD_UART_PHYS     0xff803000UL    /* AO UART A (meson) */
#define BOARD_GICD_PHYS     0xffc01000UL    /* GIC-400 distributor */
#define BOARD_GICC_PHYS     0xffc02000UL    /* GIC-400 CPU interface */
#define BOARD_GICH_PHYS     0xffc04000UL    /* virtual interface control (EL2 kernel) */
#define BOARD_GICV_PHYS     0xffc06000UL    /* virtual CPU interface (for guests) */
#define BOARD_MAX_IRQ       255
#define BOARD_MAX_CORES     4               /* Cortex-A55 x 4 */
/* MPIDR affinity of core n (PSCI CPU_ON's target): the A55s are Aff1 = n. */
#define BOARD_CORE_MPIDR(n) ((unsigned long)(n) << 8)
/* Core n's PMU overflow (CONFIG_PROFILER): SPIs 137, 138, 153, 154, as
   proposed for Linux's meson-sm1.dtsi; not yet run on the board. */
#define BOARD_PMU_IRQ(core) ((core) < 2 ? 169 + (core) : 183 + (core))
#define BOARD_PMU_SHADOW_COUNTER 0
#define BOARD_PSCI_USE_SMC  1
/* BL31 already made the SPIs non-secure Group 1. */
#define BOARD_GIC_NEEDS_GROUP_SETUP 0


/* Devices of the PD drivers (drivers/): program, registers, interrupt. The
   serial driver shares the kernel's debug UART (BOARD_UART_PHYS). */
#define BOARD_SERIAL_DRIVER     serial_meson
#define BOARD_UART_IRQ          225             /* SPI 193, AO UART A */
#define BOARD_UART_TRIGGER      edge
/* The Amlogic timer block (timer A: timeouts, timer E: microseconds); the
   registers start at +0x140 in this page. */
#define BOARD_TIMER_DRIVER      timer_meson
#define BOARD_TIMER_PHYS        0xffd0f000
#define BOARD_TIMER_IRQ         42              /* SPI 10, timer A */
#define BOARD_TIMER_TRIGGER     edge
/* SD card controller (sd_emmc_b); experimental, see docs/drivers.md. */
#define BOARD_BLOCK_DRIVER      blk_meson
#define BOARD_BLOCK_PHYS        0xffe05000
#define BOARD_BLOCK_SIZE        0x1000
#define BOARD_BLOCK_IRQ         222             /* SPI 190 */
#define BOARD_BLOCK_TRIGGER     edge
/* Synopsys DesignWare Ethernet MAC (MAC at +0, DMA at +0x1000), RGMII to
   an RTL8211F PHY; experimental, see docs/drivers.md. */
#define BOARD_NET_DRIVER        net_dwmac
#define BOARD_NET_PHYS          0xff3f0000
#define BOARD_NET_SIZE          0x2000
#define BOARD_NET_IRQ           40              /* SPI 8 */
#define BOARD_NET_TRIGGER       level

#endif
