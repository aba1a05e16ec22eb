/* Odroid-C4 (Amlogic S905X3): device facts used by the loader and the kernel. */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME          "odroidc4"
#define BOARD_UART_PHYS     0xff803000UL    /* AO UART A (meson) */
#define BOARD_GICD_PHYS     0xffc01000UL    /* GIC-400 distributor */
#define BOARD_GICC_PHYS     0xffc02000UL    /* GIC-400 CPU interface */
#define BOARD_MAX_IRQ       255
#define BOARD_KERNEL_TIMER_IRQ 27           /* EL1 virtual timer, PPI 11 */
#define BOARD_PMU_IRQ       169             /* core 0's PMU overflow, SPI 137, as proposed for
                                               Linux's meson-sm1.dtsi (CONFIG_PROFILER; not yet
                                               run on the board) */
#define BOARD_PSCI_USE_SMC  1
/* BL31 already made the SPIs non-secure Group 1. */
#define BOARD_GIC_NEEDS_GROUP_SETUP 0

#endif
