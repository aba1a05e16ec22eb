/* Kernel address space: the physical-memory window and the device window. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <kernel/types.h>
#include <board.h>

/* Kernel-only devices, one slot of pages each in the device window. */
enum kdev {
    KDEV_UART = 0,
    KDEV_GICD,
    KDEV_GICC,
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    KDEV_GICH,              /* the controller's virtual interface control */
#endif
    KDEV_COUNT
};

/* Each device gets 4 pages of window (16 KiB), enough for a GICv2 CPU interface. */
#define KDEV_SLOT_PAGES 4
/* Where mmu_init_kernel_space maps a kernel device: fixed at build time, so
   the console and the interrupt code need nothing from the MMU code. */
#define KDEV_VADDR(dev, paddr) \
    (KDEV_BASE + (uintptr_t)(dev) * KDEV_SLOT_PAGES * PAGE_SIZE + ((paddr) & MASK(PAGE_BITS)))
#define KDEV_UART_VADDR KDEV_VADDR(KDEV_UART, BOARD_UART_PHYS)
#define KDEV_GICD_VADDR KDEV_VADDR(KDEV_GICD, BOARD_GICD_PHYS)
#define KDEV_GICC_VADDR KDEV_VADDR(KDEV_GICC, BOARD_GICC_PHYS)
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define KDEV_GICH_VADDR KDEV_VADDR(KDEV_GICH, BOARD_GICH_PHYS)
#endif

/* Build and install the kernel's own page tables (TTBR1), empty TTBR0. */
void mmu_init_kernel_space(void);
/* Install them on another core (they are built already). */
void mmu_install_kernel_space(void);
/* Physical address of the empty user address space used while idle. */
paddr_t mmu_empty_user_space(void);
/* True if [base, base + size) is inside the RAM the window maps. */
bool mmu_is_kernel_ram(paddr_t base, word_t size);

#endif
